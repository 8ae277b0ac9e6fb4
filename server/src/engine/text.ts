/** 0-based line and UTF-16 column, the unit both tree-sitter (on JS strings) and LSP use. */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Maps offsets to lines and columns. `\n`, `\r\n` and `\r` all end a line, as in Python and LSP. */
export class LineIndex {
  /** Offset of each line's start, built on first use: most files of a run report nothing and never ask. */
  private built: Uint32Array | undefined;

  constructor(readonly text: string) {}

  private get starts(): Uint32Array {
    return (this.built ??= lineStarts(this.text));
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** Offset of the end of the line's content (before its line break). */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[line + 1];
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  position(offset: number): Position {
    const starts = this.starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, column: offset - starts[low] };
  }

  offset(position: Position): number {
    const start = this.lineStart(position.line);
    return Math.min(start + position.column, this.lineEnd(position.line));
  }
}

/** Offset of each line's start in `text`: a typed array sized by a first count, so building allocates once (the server builds one per edit). */
function lineStarts(text: string): Uint32Array {
  if (text.indexOf('\r') === -1) {
    // Only `\n` breaks (nearly every file): the native search is several times faster than a loop over characters.
    let count = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
    const starts = new Uint32Array(count);
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[line++] = i + 1;
    return starts;
  }
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) {
      starts.push(i + 1);
    } else if (code === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return Uint32Array.from(starts);
}

/**
 * The text as tree-sitter must read it. Python reads a lone `\r` as a line break (universal
 * newlines), as LSP and `LineIndex` do, but tree-sitter's scanner ends a line at `\n` only: a file
 * saved with old Mac line breaks would be one line with a syntax error. Each lone `\r` becomes
 * `\n`, so offsets, and the rows tree-sitter counts, stay those of the text.
 */
export function withUniversalNewlines(text: string): string {
  return text.indexOf('\r') === -1 ? text : text.replace(LONE_CARRIAGE_RETURN, '\n');
}

const LONE_CARRIAGE_RETURN = /\r(?!\n)/g;

/** The line break a file mostly uses, so fixes that insert lines keep the file's style. */
export function detectLineBreak(text: string): string {
  const crlf = text.indexOf('\r\n');
  if (crlf >= 0) return '\r\n';
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (cr >= 0 && (lf < 0 || cr < lf)) return '\r';
  return '\n';
}

const SPAN_CHUNK = 256;

/**
 * Where two texts differ: the common prefix ends at `start`, the common suffix starts at `endBefore`
 * in `before` and `endAfter` in `after` (the fix engine's minimal edit, the parser's incremental edit).
 */
export function changedSpan(before: string, after: string): { start: number; endBefore: number; endAfter: number } {
  let start = 0;
  const shortest = Math.min(before.length, after.length);
  // Whole chunks first (a string comparison is a native memory compare), then character by character.
  while (start + SPAN_CHUNK <= shortest && before.slice(start, start + SPAN_CHUNK) === after.slice(start, start + SPAN_CHUNK)) start += SPAN_CHUNK;
  while (start < shortest && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (
    endBefore - SPAN_CHUNK >= start &&
    endAfter - SPAN_CHUNK >= start &&
    before.slice(endBefore - SPAN_CHUNK, endBefore) === after.slice(endAfter - SPAN_CHUNK, endAfter)
  ) {
    endBefore -= SPAN_CHUNK;
    endAfter -= SPAN_CHUNK;
  }
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return { start, endBefore, endAfter };
}

/**
 * Where words first occur in a text (`SemanticModel.mentions`), answered from the previous text's
 * answers when one is given: the texts differ only in the span `changedSpan` finds, so a first
 * occurrence before the span stays where it was, one after it moves with the span's end, and a
 * word can only have appeared across the span. The rules ask tens of words after every keystroke,
 * most of them absent, and `includes` on the whole text scanned all of it for each.
 */
export class WordOccurrences {
  private readonly firstAt = new Map<string, number>();
  /** The previous text and its answers (not the previous object: that would chain every earlier text). */
  private previous: { text: string; firstAt: ReadonlyMap<string, number> } | undefined;
  private span: { start: number; endBefore: number; endAfter: number } | undefined;

  /** `span`: `changedSpan(previous.text, text)`, when the caller has it already. */
  constructor(
    readonly text: string,
    previous?: WordOccurrences,
    span?: { start: number; endBefore: number; endAfter: number },
  ) {
    if (previous) this.previous = { text: previous.text, firstAt: previous.firstAt };
    this.span = span;
  }

  has(word: string): boolean {
    return this.indexOf(word) >= 0;
  }

  /** The offset of the first occurrence of `word`, or -1. */
  indexOf(word: string): number {
    let at = this.firstAt.get(word);
    if (at === undefined) this.firstAt.set(word, (at = this.search(word)));
    return at;
  }

  /** Drops the previous text: answers from here on search this text alone. */
  forgetPrevious(): void {
    this.previous = undefined;
    this.span = undefined;
  }

  private search(word: string): number {
    const previous = this.previous;
    const before = previous?.firstAt.get(word);
    if (previous === undefined || before === undefined || word.length === 0) return this.text.indexOf(word);
    if (previous.text === this.text) return before;
    const span = (this.span ??= changedSpan(previous.text, this.text));
    // Wholly in the common prefix: still the first.
    if (before >= 0 && before + word.length <= span.start) return before;
    if (before >= 0 && before < span.endBefore) return this.text.indexOf(word);
    // Absent before the span's end in the previous text: an earlier one now must overlap the span.
    const from = Math.max(0, span.start - word.length + 1);
    const across = this.text.slice(from, Math.min(this.text.length, span.endAfter + word.length - 1)).indexOf(word);
    if (across >= 0) return from + across;
    return before < 0 ? -1 : before + span.endAfter - span.endBefore;
  }
}

/** `text` as a regular expression that matches it literally (a file name, a Make target). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `text` as a string that holds its own characters. V8 keeps a substring of 13 or more characters
 * as a view into the string it was cut from: a statement's or a cell's text kept across edits
 * would keep the whole text of that version alive.
 */
export function ownCopy(text: string): string {
  // Joined to a space, the text is copied into fresh memory when the join is cut again (V8 flattens
  // a joined string before cutting it); a fifth of the cost of a round trip through a Buffer.
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

/**
 * One copy of each distinct string, holding its own characters, for data kept long after the
 * texts it was read from. The readiness scan keeps each file's facts (callee names, string
 * literals, assigned names) until the report is assessed: as built they were slices of the file's
 * text (keeping every file of the workspace alive), repeated across files (`builtins.print`,
 * `df`, `X_train`), in arrays grown by `push` (room for 17 items behind each of a call's
 * one-keyword lists). On the bench's workspace, 1,000 files' facts held 69 MB; compacted, 20 MB.
 */
const EMPTY_LIST: readonly unknown[] = Object.freeze([]);

export class StringPool {
  private readonly pool = new Map<string, string>();

  intern(text: string): string {
    let kept = this.pool.get(text);
    if (kept === undefined) this.pool.set((kept = ownCopy(text)), kept);
    return kept;
  }

  /** `value` itself (JSON.parse's own), its strings interned and its empty lists shared, in place. */
  internInPlace<T>(value: T): T {
    if (Array.isArray(value)) {
      if (value.length === 0) return EMPTY_LIST as T;
      for (let index = 0; index < value.length; index++) {
        const item: unknown = value[index];
        if (typeof item === 'string') value[index] = this.intern(item);
        else if (item !== null && typeof item === 'object') value[index] = this.internInPlace(item);
      }
      return value;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (typeof item === 'string') record[key] = this.intern(item);
      else if (item !== null && typeof item === 'object') record[key] = this.internInPlace(item);
    }
    return value;
  }

  /**
   * A copy of `value` (plain objects, arrays, strings, numbers, booleans) whose arrays are exactly
   * as long as they need to be and whose strings are interned.
   */
  compact<T>(value: T): T {
    if (typeof value === 'string') return this.intern(value) as T;
    // Empty lists share one frozen array: on huggingface/diffusers 400,000 of the calls' keyword and
    // string lists are empty, and each held its own.
    if (Array.isArray(value)) return (value.length === 0 ? EMPTY_LIST : value.map((item: unknown) => this.compact(item))) as T;
    if (value !== null && typeof value === 'object') {
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const item = this.compact((value as Record<string, unknown>)[key]);
        // (An own property named `__proto__` would set the copy's prototype if assigned.)
        if (key === '__proto__') Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
        else copy[key] = item;
      }
      return copy as T;
    }
    return value;
  }
}

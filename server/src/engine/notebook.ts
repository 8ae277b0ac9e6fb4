import type { SyntaxNode } from './parser';
import * as z from 'zod/mini';
import './schema';
import { parse as parseJsonWithLocations, printParseErrorCode, visit as visitJson, type ParseError } from 'jsonc-parser';
import { LineIndex, type Position } from './text';
import { formatBytes, MAX_SCRIPT_BYTES } from './safe-fs';

/** A notebook cell as the engine needs it: from an `.ipynb` file or from the editor's cells. */
export interface CellInput {
  source: string;
  /** `null` when the cell never ran; `undefined` when unknown (e.g. an editor that does not say). */
  executionCount?: number | null;
  cellType?: 'code' | 'markdown' | 'raw';
}

/** One code cell placed in the joined program. */
export interface CellSpan {
  /** Index among the notebook's code cells (0-based), the `cell` reported in findings. */
  index: number;
  /** Index among all the notebook's cells, markdown included. */
  notebookIndex: number;
  start: number;
  end: number;
  startLine: number;
  lineCount: number;
  source: string;
  executionCount: number | null | undefined;
}

/** An IPython magic or shell escape that was masked out of the program the parser sees. */
export interface MagicLine {
  /** Offset in the joined program of the magic's first character. */
  start: number;
  end: number;
  text: string;
  kind: 'line-magic' | 'shell' | 'cell-magic' | 'help';
}

export interface NotebookProgram {
  text: string;
  cells: CellSpan[];
  magics: MagicLine[];
}

// Cell magics whose body is still Python; any other `%%` cell (bash, html, writefile, …) is not.
const PYTHON_BODY_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'memit', 'mprun', 'lprun', 'skip']);

/** `%%capture`, `%%time …`: a cell magic line whose cell body is still Python. */
export function isPythonBodyCellMagic(text: string): boolean {
  const name = /^%%(\w+)/.exec(text.trim())?.[1];
  return name !== undefined && PYTHON_BODY_CELL_MAGICS.has(name);
}

/**
 * Joins the code cells in order into one program, with IPython syntax masked so the parser sees
 * valid Python. Masking keeps every offset: a magic line becomes `...` padded with spaces, so
 * positions in the program map straight back to the cell.
 */
export function buildNotebookProgram(cells: readonly CellInput[]): NotebookProgram {
  const parts: string[] = [];
  const spans: CellSpan[] = [];
  const magics: MagicLine[] = [];
  let offset = 0;
  let line = 0;
  let codeIndex = 0;
  cells.forEach((cell, notebookIndex) => {
    if ((cell.cellType ?? 'code') !== 'code') return;
    const { masked, lineCount } = maskedCell(cell.source, offset, magics);
    spans.push({
      index: codeIndex++,
      notebookIndex,
      start: offset,
      end: offset + cell.source.length,
      startLine: line,
      lineCount,
      source: cell.source,
      executionCount: cell.executionCount,
    });
    parts.push(masked, '\n');
    offset += masked.length + 1;
    line += lineCount;
  });
  return { text: parts.join(''), cells: spans, magics };
}

/**
 * `maskCell`, kept per cell source: an edit leaves every other cell's text as it was, and the
 * program is built again on each keystroke. A memo bounded in entries and in characters (each
 * keystroke in a cell adds its new source, and the old ones stay until the memo is cleared: by
 * entries alone, typing in a large cell would keep thousands of copies of it); the magics are kept
 * relative to the cell.
 */
function maskedCell(source: string, base: number, magics: MagicLine[]): { masked: string; lineCount: number } {
  let entry = maskMemo.get(source);
  if (!entry) {
    const own: MagicLine[] = [];
    entry = { masked: maskCell(source, 0, own), magics: own, lineCount: new LineIndex(source).lineCount };
    if (maskMemo.size >= 4096 || maskMemoChars + source.length > MASK_MEMO_CHARS) {
      maskMemo.clear();
      maskMemoChars = 0;
    }
    maskMemo.set(source, entry);
    // The source and its masked copy.
    maskMemoChars += 2 * source.length;
  }
  for (const magic of entry.magics) magics.push({ ...magic, start: magic.start + base, end: magic.end + base });
  return entry;
}

const maskMemo = new Map<string, { masked: string; magics: readonly MagicLine[]; lineCount: number }>();
/** Characters the memo holds (sources and masked copies), and its bound: 8 MB of one-byte text. */
let maskMemoChars = 0;
const MASK_MEMO_CHARS = 8_000_000;

function maskCell(source: string, base: number, magics: MagicLine[]): string {
  const lines = source.split(/(\r\n|\r|\n)/);
  // lines alternates content and separators: [content, sep, content, sep, ..., content]
  let offset = base;
  // The cell magic is the first line that is not blank or a comment (Colab puts `#@title` form lines above it).
  let first = 0;
  while (first + 2 < lines.length && /^\s*(#.*)?$/.test(lines[first])) first += 2;
  const cellMagic = /^\s*%%(\w+)/.exec(lines[first] ?? '');
  const maskWholeCell = cellMagic !== null && !PYTHON_BODY_CELL_MAGICS.has(cellMagic[1]);
  const continuation = new ContinuationScanner();
  for (let i = 0; i < lines.length; i += 2) {
    const content = lines[i];
    // IPython finds magics at the start of a logical line only: a line inside brackets, a
    // string or after a backslash continues Python (`% mse)` is the modulo operator).
    const startsLogicalLine = continuation.atLogicalLineStart();
    const magic = maskWholeCell && i >= first ? { from: 0, kind: 'cell-magic' as const } : startsLogicalLine ? findMagic(content, i === first) : undefined;
    if (!magic) continuation.scan(content);
    if (magic && magic.from < content.length) {
      // A trailing `# mlready: …` directive stays visible to the parser, so suppressions work on magic lines too.
      const directive = content.indexOf('# mlready:', magic.from);
      const end = directive > magic.from ? directive : content.length;
      const start = offset + magic.from;
      let text = content.slice(magic.from, end).trimEnd();
      lines[i] = content.slice(0, magic.from) + placeholder(end - magic.from) + content.slice(end);
      let magicEnd = offset + end;
      // A line magic or shell command runs to the end of its logical line, as IPython reads it:
      // `%timeit f(a,` + newline + `b)` is one magic. Its continuation lines are blanked.
      if (!maskWholeCell) {
        const own = new ContinuationScanner();
        own.scan(content.slice(magic.from, end));
        let current = content;
        while (!own.atLogicalLineStart() && i + 2 < lines.length) {
          offset += current.length + (lines[i + 1]?.length ?? 0);
          i += 2;
          current = lines[i];
          own.scan(current);
          text += `\n${current}`;
          magicEnd = offset + current.length;
          lines[i] = ' '.repeat(current.length);
        }
        offset += current.length + (lines[i + 1]?.length ?? 0);
        magics.push({ start, end: magicEnd, text, kind: magic.kind });
        continue;
      }
      magics.push({ start, end: magicEnd, text, kind: magic.kind });
    }
    offset += content.length + (lines[i + 1]?.length ?? 0);
  }
  return lines.join('');
}

/** `pip install …`, `conda install …` without `%`: package commands IPython runs as magics. */
const AUTOMAGIC_INSTALL = /^(pip|conda|mamba)\s+(install|uninstall|download|list|show|freeze)\b/;

function findMagic(content: string, firstLine: boolean): { from: number; kind: MagicLine['kind'] } | undefined {
  const indent = content.search(/\S|$/);
  const first = content[indent];
  if (first === '%') {
    if (content[indent + 1] === '%' && !firstLine) return undefined;
    return { from: indent, kind: content[indent + 1] === '%' ? 'cell-magic' : 'line-magic' };
  }
  if (first === '!') return { from: indent, kind: 'shell' };
  // IPython's automagic (on by default) runs `pip install x` as `%pip install x`: never Python.
  if (AUTOMAGIC_INSTALL.test(content.slice(indent))) return { from: indent, kind: 'line-magic' };
  if (first === '?' || /^\s*[\w.]+\?\??\s*$/.test(content)) {
    return { from: indent, kind: 'help' };
  }
  // `files = !ls` and `t = %timeit -o f()`: the right-hand side is IPython syntax.
  const assigned = /^(\s*[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*)([!%])/.exec(content);
  if (assigned) return { from: assigned[1].length, kind: assigned[2] === '!' ? 'shell' : 'line-magic' };
  return undefined;
}

/** The characters that change the scanner's state outside a string. */
const LEXICAL = /[()[\]{}'"\\#]/;

/**
 * Follows the lines of a cell the way Python's tokenizer joins them into logical lines: open
 * brackets, triple-quoted strings and backslashes carry a logical line over to the next one.
 * Only the lexical state is kept (brackets, the open string, comments), as IPython's input
 * transformers do before they look for magics.
 */
class ContinuationScanner {
  private depth = 0;
  private openString: string | undefined;
  private backslash = false;

  atLogicalLineStart(): boolean {
    return this.depth === 0 && this.openString === undefined && !this.backslash;
  }

  scan(line: string): void {
    this.backslash = false;
    // Most lines hold no bracket, quote, backslash or comment: nothing to follow on them.
    if (this.openString === undefined && !LEXICAL.test(line)) return;
    let i = 0;
    while (i < line.length) {
      const char = line[i]!;
      if (this.openString !== undefined) {
        if (char === '\\') {
          i += 2;
          continue;
        }
        if (line.startsWith(this.openString, i)) {
          i += this.openString.length;
          this.openString = undefined;
          continue;
        }
        i++;
        continue;
      }
      if (char === '#') break;
      if (char === '"' || char === "'") {
        const triple = line.startsWith(char.repeat(3), i);
        this.openString = triple ? char.repeat(3) : char;
        i += this.openString.length;
        continue;
      }
      if (char === '(' || char === '[' || char === '{') this.depth++;
      else if ((char === ')' || char === ']' || char === '}') && this.depth > 0) this.depth--;
      else if (char === '\\' && i === line.length - 1) this.backslash = true;
      i++;
    }
    // A one-quote string does not run past its line (without a backslash it is an error).
    if (this.openString !== undefined && this.openString.length === 1) {
      if (line.endsWith('\\')) this.backslash = true;
      else this.openString = undefined;
    }
  }
}

/** A same-length stand-in that is a valid statement or expression (`...`), so blocks stay non-empty. */
function placeholder(length: number): string {
  if (length >= 3) return '...' + ' '.repeat(length - 3);
  if (length >= 1) return '0' + ' '.repeat(length - 1);
  return '';
}

const magicStarts = new WeakMap<NotebookProgram, Set<number>>();

/**
 * True when a statement of the program is a masked IPython magic or shell line (`%pip install …`,
 * `!wget …`): its placeholder starts where the magic did.
 */
export function isMaskedMagic(program: NotebookProgram, statement: SyntaxNode): boolean {
  let starts = magicStarts.get(program);
  if (!starts) magicStarts.set(program, (starts = new Set(program.magics.map((magic) => magic.start))));
  return starts.has(statement.startIndex);
}

/**
 * How a message names a cell: as VS Code and Jupyter number them ("Cell 10": 1-based, markdown
 * cells counted), not by the code-cell index the JSON contract's `cell` field carries.
 */
export function cellLabel(cell: Pick<CellSpan, 'notebookIndex'>): string {
  return `Cell ${cell.notebookIndex + 1}`;
}

/** Maps an offset in the joined program to its cell and the position inside that cell. */
export function locateInNotebook(program: NotebookProgram, programIndex: LineIndex, offset: number): { cell: CellSpan; position: Position } {
  const cell = findCell(program.cells, offset);
  const position = programIndex.position(offset);
  return { cell, position: { line: position.line - cell.startLine, column: position.column } };
}

export function findCell(cells: readonly CellSpan[], offset: number): CellSpan {
  let low = 0;
  let high = cells.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (cells[mid].start <= offset) low = mid;
    else high = mid - 1;
  }
  return cells[low];
}

// ---- nbformat 4 on disk ------------------------------------------------------------------------

const multilineString = z.union([z.string(), z.array(z.string())]);

const cellSchema = z.looseObject({
  cell_type: z.enum(['code', 'markdown', 'raw']),
  source: multilineString,
  execution_count: z.optional(z.nullable(z.int())),
  metadata: z.optional(z.record(z.string(), z.unknown())),
  outputs: z.optional(z.array(z.unknown())),
});

const notebookSchema = z.looseObject({
  nbformat: z.literal(4),
  nbformat_minor: z.optional(z.int()),
  metadata: z.optional(z.record(z.string(), z.unknown())),
  cells: z.array(cellSchema),
});

export type NotebookJson = z.infer<typeof notebookSchema>;

export class NotebookFormatError extends Error {}

/** Reads an `.ipynb` file's text into cells; throws NotebookFormatError with a message a user can act on. */
export function parseNotebookJson(text: string): { cells: CellInput[]; json: NotebookJson; language?: string } {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new NotebookFormatError(`not valid JSON: ${jsonErrorLocation(text, error)}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new NotebookFormatError('not a notebook: the top level is not a JSON object');
  }
  const repeated = keysInText(text) === keysInValue(data) ? undefined : firstRepeatedKey(text);
  if (repeated) {
    throw new NotebookFormatError(
      `repeats the key "${repeated.key}" in one object at line ${repeated.line}, column ${repeated.column}: tools disagree on which value counts, so mlready does not read or edit it; remove the repeated key`,
    );
  }
  const version = (data as { nbformat?: unknown }).nbformat;
  if (version !== 4) {
    if (version === 3 || (data as { worksheets?: unknown }).worksheets !== undefined) {
      throw new NotebookFormatError('nbformat 3 is not supported: convert it with `jupyter nbconvert --to notebook --nbformat 4`');
    }
    throw new NotebookFormatError(`unsupported nbformat ${JSON.stringify(version ?? null)}: mlready reads nbformat 4`);
  }
  const parsed = notebookSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join('.') : 'the notebook';
    throw new NotebookFormatError(`invalid notebook at ${where}: ${issue.message}`);
  }
  const json = parsed.data;
  const cells = json.cells.map<CellInput>((cell) => ({
    source: typeof cell.source === 'string' ? cell.source : cell.source.join(''),
    executionCount: cell.cell_type === 'code' ? (cell.execution_count ?? null) : undefined,
    cellType: cell.cell_type,
  }));
  // A script's limit holds for a notebook's code: the size limit of a notebook file is for its
  // outputs. 87 MB of code in one cell ran the parser out of memory ("Aborted()") at 2.4 GB.
  let code = 0;
  for (const cell of cells) if (cell.cellType === 'code') code += cell.source.length;
  if (code > MAX_SCRIPT_BYTES)
    throw new NotebookFormatError(`too large to analyse (its code cells hold more than ${formatBytes(MAX_SCRIPT_BYTES)}, the limit for a script)`);
  const languageInfo = json.metadata?.language_info as { name?: unknown } | undefined;
  const language = typeof languageInfo?.name === 'string' ? languageInfo.name : undefined;
  return { cells, json, language };
}

/**
 * How many object keys a text JSON.parse accepted holds: its string tokens followed by a colon.
 * JSON.parse keeps one property per repeated key, so when this equals the properties of the parsed
 * value no key repeats, and jsonc-parser's second full pass (which finds where the repeated key is)
 * runs only on the notebooks that need it. Valid JSON has no quote outside a string, so the scan
 * from one unescaped quote to the next walks exactly its string tokens.
 */
function keysInText(text: string): number {
  let count = 0;
  let start = text.indexOf('"');
  while (start !== -1) {
    let end = start;
    for (;;) {
      end = text.indexOf('"', end + 1);
      if (end === -1) return -1;
      let before = end - 1;
      while (text.charCodeAt(before) === 0x5c) before--;
      if ((end - 1 - before) % 2 === 0) break; // not escaped: an even run of backslashes before it
    }
    let next = end + 1;
    for (let c = text.charCodeAt(next); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++next));
    if (text.charCodeAt(next) === 0x3a) count++;
    start = text.indexOf('"', next);
  }
  return count;
}

/** The own properties of every object in a parsed JSON value (without recursion: depth is the file's to choose). */
function keysInValue(value: unknown): number {
  let count = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null) continue;
    if (Array.isArray(item)) {
      for (const element of item) if (typeof element === 'object' && element !== null) pending.push(element);
      continue;
    }
    for (const key of Object.keys(item)) {
      count++;
      const child = (item as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) pending.push(child);
    }
  }
  return count;
}

/**
 * The first key that appears twice in one JSON object (JSON.parse keeps the last silently, other
 * tools the first: a notebook can then show one program and run another). jsonc-parser's
 * visitor reports every property with its offset.
 */
function firstRepeatedKey(text: string): { key: string; line: number; column: number } | undefined {
  const stack: Set<string>[] = [];
  let found: { key: string; offset: number } | undefined;
  visitJson(
    text,
    {
      onObjectBegin: () => {
        stack.push(new Set());
        return found === undefined;
      },
      onObjectEnd: () => void stack.pop(),
      onObjectProperty: (property, offset) => {
        const keys = stack[stack.length - 1];
        if (!keys || found) return;
        if (keys.has(property)) found = { key: property, offset };
        else keys.add(property);
      },
    },
    { disallowComments: true },
  );
  if (!found) return undefined;
  const at = new LineIndex(text).position(found.offset);
  return { key: found.key, line: at.line + 1, column: at.column + 1 };
}

/** Where JSON.parse failed: jsonc-parser (strict options) reports the first error's offset, which Node's message may lack. */
function jsonErrorLocation(text: string, error: unknown): string {
  const errors: ParseError[] = [];
  parseJsonWithLocations(text, errors, { allowTrailingComma: false, disallowComments: true });
  const first = errors[0];
  if (first) {
    const at = new LineIndex(text).position(first.offset);
    const what = printParseErrorCode(first.error)
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase();
    return `${what} at line ${at.line + 1}, column ${at.column + 1}`;
  }
  return error instanceof Error ? error.message : String(error);
}

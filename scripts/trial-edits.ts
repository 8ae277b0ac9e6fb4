/**
 * Edits as a person makes them, for the trials that compare the incremental path with a fresh
 * analysis on real files (scripts/incremental-trial.ts in process, scripts/server-edit-trial.ts
 * through the bundled language server): a character typed or a few deleted, a line deleted,
 * duplicated, moved or pasted from another file, an undo; for notebooks also cells inserted,
 * deleted, moved and run. Seeded, so a seed gives the same edits on any machine.
 */
import { decodeText, MAX_NOTEBOOK_BYTES, MAX_SCRIPT_BYTES, parseNotebookJson, readRegularFile, type CellInput } from '../server/src/engine/index';

/** What a person types: characters that open and close brackets and strings, indentation, line breaks. */
export const TYPED = ['a', 'x', ' ', '\n', '(', ')', '"', "'", ':', '.', ',', '=', '#', '    ', '\n    ', '0', '_', '[', ']'];

/**
 * A listed file's text as `mlready check` reads it, or undefined: the checkout is someone else's,
 * so a link is not followed, and a FIFO, a device or a file over check's size limit is not read.
 */
export function readText(file: string): string | undefined {
  try {
    const limit = file.endsWith('.ipynb') ? MAX_NOTEBOOK_BYTES : MAX_SCRIPT_BYTES;
    return decodeText(readRegularFile(file, limit, { noFollow: true }).bytes);
  } catch {
    return undefined;
  }
}

/** `--name N` from the command line, or `fallback`. */
export function numberOption(argv: readonly string[], name: string, fallback: number): number {
  const at = argv.indexOf(name);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
}

export function cellsOf(text: string): CellInput[] | undefined {
  try {
    return parseNotebookJson(text).cells;
  } catch {
    return undefined;
  }
}

/** Lines pasted from elsewhere: the non-blank lines of the first 200 files of the list (code cells of notebooks). */
export function pastedLines(files: readonly string[]): string[] {
  const pasted: string[] = [];
  for (const file of files.slice(0, 200)) {
    const text = readText(file);
    if (text === undefined) continue;
    const code = file.endsWith('.ipynb')
      ? cellsOf(text)
          ?.map((cell) => cell.source)
          .join('\n')
      : text;
    if (code) pasted.push(...code.split('\n').filter((line) => line.trim()));
  }
  return pasted;
}

export function personEditing(seed: number, pasted: readonly string[], typed: readonly string[] = TYPED) {
  // A small linear congruential generator: the same seed gives the same edits on any machine.
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

  /** One edit of a script's text (or a cell's); `history`: earlier texts, one of which an undo brings back. */
  const editText = (text: string, history: readonly string[] = []): string => {
    const roll = random();
    const lines = text.split('\n');
    const line = (): number => Math.floor(random() * lines.length);
    if (roll < 0.35) {
      const at = Math.floor(random() * (text.length + 1));
      return text.slice(0, at) + pick(typed) + text.slice(at);
    }
    if (roll < 0.55) {
      const at = Math.floor(random() * text.length);
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 20));
    }
    if (roll < 0.65) {
      lines.splice(line(), 1);
    } else if (roll < 0.75) {
      const from = line();
      lines.splice(line(), 0, lines[from]);
    } else if (roll < 0.88) {
      const at = line();
      lines.splice(at, 0, (lines[at].match(/^\s*/)?.[0] ?? '') + pick(pasted).trimStart());
    } else if (roll < 0.95 && history.length > 0) {
      return pick(history);
    } else {
      const from = line();
      const to = line();
      lines.splice(to, 0, ...lines.splice(from, 1));
    }
    return lines.join('\n');
  };

  /** One edit of a notebook: a cell's text edited, a cell inserted, deleted, moved or run. */
  const editCells = (cells: readonly CellInput[]): CellInput[] => {
    const next = [...cells];
    const roll = random();
    const i = Math.floor(random() * next.length);
    if (next.length === 0 || roll < 0.1)
      next.splice(Math.floor(random() * (next.length + 1)), 0, { source: pick(pasted), cellType: 'code', executionCount: null });
    else if (roll < 0.7) next[i] = { ...next[i], source: editText(next[i].source) };
    else if (roll < 0.78) next.splice(i, 1);
    else if (roll < 0.86) next.splice(Math.floor(random() * next.length), 0, ...next.splice(i, 1));
    else next[i] = { ...next[i], executionCount: Math.floor(random() * 40) };
    return next;
  };

  return { random, pick, editText, editCells };
}

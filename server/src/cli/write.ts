import * as path from 'node:path';
import {
  readSourceSnapshot,
  decodeText,
  encodePythonSource,
  replaceFileContents,
  writeFileInside,
  realPathOrIntended,
  redact,
  SafeFsError,
  type Engine,
} from '../engine/index';
import { addIgnores, fixAll, replaceCellSources, type AnalyzeInput } from '../engine/index';
import { parseNotebookJson } from '../engine/index';
import { UsageError } from './io';

/**
 * Every file the CLI writes: fixed sources (`check --fix`, `--add-noqa`) and reports (`--output`). Both go
 * through the engine's safe-write functions (engine/safe-fs.ts): never through a link, never
 * outside the folder they belong to.
 */

/** What `check` may rewrite in a file before checking it: its safe fixes (`--fix`), or a suppression on each finding's line (`--add-noqa`). */
export type Rewrite = 'fix' | 'add-noqa';

/**
 * Rewrites one file: its safe fixes (the engine's `fixAll`) or its suppressions (`addIgnores`).
 * The text is read once (regular file, size cap, no blocking), changed, and written back only
 * inside `rootReal` and only if the file did not change meanwhile; the file is rewritten in
 * place, so a link stays a link (its target inside the root is fixed), and mode, owner and hard
 * links are kept. Line endings, BOM and, in notebooks, every byte outside the changed cells'
 * sources are preserved.
 */
export function rewriteFile(
  engine: Engine,
  absolute: string,
  shown: string,
  rewrite: Rewrite,
  options: Parameters<Engine['analyze']>[1],
  rootReal: string,
): { applied: number; error?: string } {
  let read;
  try {
    read = readSourceSnapshot(absolute, shown);
  } catch (error) {
    return { applied: 0, error: (error as Error).message };
  }
  const { input, snapshot, encoding } = read;
  const raw = snapshot.bytes;
  const change = (given: AnalyzeInput) => (rewrite === 'fix' ? fixAll(engine, given, options) : addIgnores(engine, given, options));
  let output: Uint8Array | string;
  let applied: number;
  if (input.kind === 'script') {
    const outcome = change({ ...input, path: shown });
    const text = outcome.result.kind === 'script' ? outcome.result.text : input.text;
    if (outcome.applied === 0 || text === input.text) return { applied: 0 };
    try {
      // In the file's own encoding (a Latin-1 file with its coding line stays Latin-1).
      output = encodePythonSource(text, encoding);
    } catch (error) {
      return { applied: 0, error: (error as Error).message };
    }
    applied = outcome.applied;
  } else {
    const jsonText = decodeText(raw);
    const { cells } = parseNotebookJson(jsonText);
    const outcome = change({ path: shown, kind: 'notebook', cells });
    if (outcome.applied === 0 || outcome.result.kind !== 'notebook') return { applied: 0 };
    const changed = new Map<number, string>();
    outcome.result.cells.forEach((cell, index) => {
      if (cell.source !== cells[index].source) changed.set(index, cell.source);
    });
    if (changed.size === 0) return { applied: 0 };
    // UTF-8, with the BOM it had.
    output = encodePythonSource(replaceCellSources(jsonText, changed), encoding);
    applied = outcome.applied;
  }
  const written = replaceFileContents(rootReal, absolute, output, snapshot);
  if (!written.ok) return { applied: 0, error: written.reason };
  return { applied };
}

/**
 * Writes a report to `--output`: redacted like every other output, refused when it names one of
 * the inputs, and written without following a link (a repository that ships `mlready.sarif` as a
 * link to a file elsewhere does not get that file overwritten).
 */
export function writeReportFile(cwd: string, output: string, text: string, inputs: readonly string[]): void {
  const absolute = path.resolve(cwd, output);
  const real = realPathOrIntended(absolute);
  if (inputs.some((input) => realPathOrIntended(input) === real))
    throw new UsageError(`--output ${output} names one of the files being checked; choose another file`);
  try {
    writeFileInside(path.dirname(absolute), path.basename(absolute), redact(text));
  } catch (error) {
    if (error instanceof SafeFsError) throw new UsageError(`--output ${output}: ${error.message}`);
    throw error;
  }
}

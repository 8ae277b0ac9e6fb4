import * as path from 'node:path';
import { loadPythonParser, TreeCache, type PythonParser } from './parser';
import { analyze, type Analysis, type AnalyzeInput, type AnalyzeOptions } from './analyze';
import { parseNotebookJson, NotebookFormatError } from './notebook';
import { readRegularFile, SafeFsError, describeFsError, MAX_NOTEBOOK_BYTES, MAX_SCRIPT_BYTES, type ReadSnapshot } from './safe-fs';
import { decodePythonSource, decodeText, FileReadError, hasUtf8Bom, type DecodedSource } from './source-encoding';

export * from './analyze';
export * from './config';
export * from './rule';
export { RULES, RULE_NAMES, findRule, ruleUrl } from './rules';
export { parseNotebookJson, NotebookFormatError, buildNotebookProgram, type CellInput } from './notebook';
export { applyEdits } from './fixes';
export { LineIndex, type Position, type Range } from './text';
export { PythonParser, TreeCache, ParserFailedError, parserFailure, MAX_LIVE_CHARS } from './parser';
export { SemanticModel } from './semantic';
export { AnalysisCache } from './incremental';
export { renderRuleMarkdown } from './docs';
export * from './secrets';
export * from './safe-fs';
export { renderSarifLog, type SarifRun, type SarifRule, type SarifResult, type SarifLevel } from './sarif';
export * as knowledge from './knowledge';
// What the faces (server, CLI, client) use from the engine's parts: they import nothing else.
export * from './readiness/index';
// Both the rules and the readiness checklist have categories: the rules' keep the plain name.
export { CATEGORIES } from './rule';
export { CATEGORIES as READINESS_CATEGORIES } from './readiness/index';
export * from './scaffolds/index';
export { walkWorkspace, walkWorkspaceAsync } from './workspace';
export { fixAll, minimalEdit, fixNotebookCells, fixScriptText, replaceCellSources, type FixAllOptions, type FixAllOutcome, type UnitChange } from './fix-all';
export { addIgnores, ignoreEdit, ignoreAllEdits, ignoreFileEdit } from './noqa';

export { FileReadError, decodeText, decodePythonSource, encodePythonSource, type DecodedSource } from './source-encoding';

/** What `analyzeFile` gives back: the analysis, or a clear error for a file that could not be read. */
export type FileResult = ({ ok: true } & Analysis) | { ok: false; path: string; kind: 'script' | 'notebook'; error: string };

export class Engine {
  readonly trees: TreeCache;

  constructor(readonly parser: PythonParser) {
    this.trees = new TreeCache(parser);
  }

  analyze(input: AnalyzeInput, options?: AnalyzeOptions): Analysis {
    return analyze(this.parser, input, options);
  }

  /** Reads a `.py` or `.ipynb` file and analyses it; bad input becomes `{ ok: false, error }`, never a throw. */
  analyzeFile(filePath: string, options?: AnalyzeOptions & { displayPath?: string }): FileResult {
    const shown = options?.displayPath ?? filePath;
    const kind = filePath.endsWith('.ipynb') ? 'notebook' : 'script';
    let input: AnalyzeInput;
    try {
      input = readSource(filePath, shown);
    } catch (error) {
      return { ok: false, path: shown, kind, error: error instanceof Error ? error.message : String(error) };
    }
    try {
      return { ok: true, ...this.analyze(input, options) };
    } catch (error) {
      return { ok: false, path: shown, kind, error: `analysis failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}

/** Reads a file as the engine's input, with errors a user can act on. */
export function readSource(filePath: string, shownPath = filePath): AnalyzeInput {
  return readSourceSnapshot(filePath, shownPath).input;
}

/**
 * Reads a file as the engine's input, with the bytes and the `fstat` they came with (`--fix`
 * rewrites the file only if it still has them) and, for a script, how its text was encoded (fixes
 * are written back alike). Regular files only, under the size cap, opened without blocking: a FIFO
 * or a device is an error, never a hang.
 */
export function readSourceSnapshot(
  filePath: string,
  shownPath = filePath,
): { input: AnalyzeInput; snapshot: ReadSnapshot; encoding: Pick<DecodedSource, 'encoding' | 'bom'> } {
  const kind = filePath.endsWith('.ipynb') ? 'notebook' : 'script';
  let snapshot: ReadSnapshot;
  try {
    const limit = kind === 'notebook' ? MAX_NOTEBOOK_BYTES : MAX_SCRIPT_BYTES;
    snapshot = readRegularFile(filePath, limit);
  } catch (error) {
    if (error instanceof SafeFsError) {
      throw new FileReadError(error.code === 'too-large' ? error.message.replace(/^too large/, 'too large to analyse') : error.message);
    }
    throw new FileReadError(`cannot read: ${describeFsError(error)}`);
  }
  if (kind === 'notebook') {
    // A notebook is JSON, which is UTF-8; coding lines in its cells declare nothing.
    const text = decodeText(snapshot.bytes);
    const bom = hasUtf8Bom(snapshot.bytes);
    try {
      const { cells } = parseNotebookJson(text);
      return { input: { path: shownPath, kind, cells }, snapshot, encoding: { encoding: 'utf-8', bom } };
    } catch (error) {
      if (error instanceof NotebookFormatError) throw error;
      throw new FileReadError(String(error));
    }
  }
  const { text, encoding, bom } = decodePythonSource(snapshot.bytes);
  return { input: { path: shownPath, kind, text }, snapshot, encoding: { encoding, bom } };
}

let shared: Promise<Engine> | undefined;

/** The engine, with the WebAssembly parser loaded once per process. */
export function createEngine(): Promise<Engine> {
  shared ??= loadPythonParser().then((parser) => new Engine(parser));
  return shared;
}

export function isPythonSource(filePath: string): boolean {
  const extension = path.extname(filePath);
  return extension === '.py' || extension === '.ipynb';
}

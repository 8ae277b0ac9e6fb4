import * as path from 'node:path';
import { LineCounter, parseAllDocuments, isMap, isNode, isScalar, type Document } from 'yaml';
import type { ReadinessProblem } from './types';
import type { FactsProvider, PythonFacts } from './facts';
import { readRegularFile, describeFsError, formatBytes, summarizeSkipped, MAX_NOTEBOOK_BYTES, MAX_SCRIPT_BYTES } from '../safe-fs';
import { ALWAYS_SKIPPED, walkWorkspaceAsync } from '../workspace';
import { isTestFileName } from '../test-modules';
import { StringPool } from '../text';
import { decodePythonSource, decodeText, FileReadError } from '../source-encoding';
import { isDocument, outline, type Outline } from './markdown';
import { dataScalars, holdsConfiguration, jsonKeyLines, MAX_SCALARS_TOTAL, lineFinder, yamlScalars, type FileScalars, type ScalarAt } from './scalars';

/**
 * The project as the readiness checks see it: the file list (`.gitignore` honoured, virtual
 * environments and vendored trees skipped), the text of the small configuration and
 * documentation files, their parsed forms (TOML, YAML, JSON through real parsers, cached),
 * and the facts of every Python file and notebook.
 */

export interface ScanOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
  /**
   * Awaited before each Python file or notebook is analysed: the language server waits there while
   * the user types, so a keystroke's analysis never queues behind a workspace file's.
   */
  pause?: () => Promise<void>;
  /** Upper bound on files listed (default `DEFAULT_MAX_FILES`); the report says when it was reached. */
  maxFiles?: number;
  /**
   * Upper bound on Python files and notebooks analysed (default 1,000; the language server's
   * scan: 5,000; `mlready readiness`: `WHOLE_PROJECT_SCAN`). The report counts those left out
   * (`stats.pythonNotAnalysed`): on huggingface/diffusers (2,092) the first 1,000 gave four
   * verdicts that the whole project does not.
   */
  maxPythonFiles?: number;
  /** Upper bound on the bytes of text files read in all (default `MAX_TEXT_TOTAL_BYTES`); the report says what was left unread. */
  maxTextBytes?: number;
}

/** Python files and notebooks the scan analyses unless told otherwise (see `ScanOptions.maxPythonFiles`). */
export const DEFAULT_MAX_PYTHON_FILES = 1000;

/**
 * Files of every kind the scan lists unless told otherwise: the language server's background scan,
 * which holds what it reads while the editor runs. With EleutherAI/lm-evaluation-harness open
 * (16,276 files) the server peaks at 220 MB listing all of it; 5,000 files, which gave that
 * repository seven wrong verdicts, peaked at 228 MB before configuration files were read into
 * compact scalars, and 20,000 at 426 MB (docs/real-code-audit.md).
 */
export const DEFAULT_MAX_FILES = 20_000;

/**
 * How `mlready readiness` scans: every file and every Python file and notebook of a real
 * repository, bounded only so that a crafted tree gets a report that says where it stopped instead
 * of exhausting a CI runner's memory (Node's default heap is about 2 GB on an 8 GB machine).
 * Measured (docs/real-code-audit.md, "Readiness on a repository of 16,276 files"): stopped at
 * 5,000 files, EleutherAI/lm-evaluation-harness got 7 wrong verdicts; huggingface/diffusers four
 * times over (8,356 Python files) peaked at 861 MB.
 */
export const WHOLE_PROJECT_SCAN = { maxFiles: 100_000, maxPythonFiles: 15_000, maxTextBytes: 256 * 1024 * 1024 } as const satisfies ScanOptions;

export interface ScanProgress {
  phase: 'listing' | 'reading' | 'parsing' | 'analysing';
  done: number;
  total: number;
  path?: string;
}

/** What `check` never walks, and what holds no evidence of a project's practice (editor state, run outputs, caches). */
const SKIP_DIRS: ReadonlySet<string> = new Set([
  ...ALWAYS_SKIPPED,
  '.eggs',
  '.idea',
  '.vscode',
  '.vscode-test',
  '.cache',
  'wandb',
  'mlruns',
  '.dvc/cache',
  '.dvc/tmp',
]);
/** Hidden directories that hold configuration the checks read; other hidden directories are skipped. */
const HIDDEN_DIRS_KEPT = new Set(['.github', '.gitlab', '.circleci', '.dvc', '.buildkite', '.azure-pipelines', '.devcontainer', '.great_expectations']);

/**
 * Whether the readiness scan leaves a folder out, by its name and its `/`-separated path from the
 * root. The server ignores file changes under these folders by the same test (a change there
 * cannot alter the report).
 */
export function readinessSkipsFolder(name: string, fromRoot: string): boolean {
  return SKIP_DIRS.has(name) || SKIP_DIRS.has(fromRoot) || (name.startsWith('.') && !HIDDEN_DIRS_KEPT.has(name));
}

const TEXT_NAMES =
  /^(dockerfile|containerfile|makefile|gnumakefile|justfile|\.justfile|procfile|jenkinsfile|readme|model_?card|modelcard|license|codeowners|mlproject)([.-].*)?$/i;
const TEXT_EXTENSIONS = new Set([
  '.md',
  '.markdown',
  '.rst',
  '.txt',
  '.yaml',
  '.yml',
  '.toml',
  '.json',
  '.cfg',
  '.ini',
  '.pbtxt',
  '.properties',
  '.dvc',
  '.in',
  '.gitattributes',
  '.dockerfile',
  '.sh',
  '.bash',
]);
const MAX_TEXT_BYTES = 1_000_000;
/**
 * Text the scan reads in all unless told otherwise (documents and configuration are kept until the
 * report is assessed): the language server's background scan. A real repository reads far less
 * (EleutherAI/lm-evaluation-harness's 14,527 text files: 8.3 million characters); a crafted tree of
 * 400 documents of 1 MB took the server's scan to 442-453 MB at 256 MB of text.
 */
export const MAX_TEXT_TOTAL_BYTES = 64 * 1024 * 1024;

export function isPythonPath(rel: string): boolean {
  return rel.endsWith('.py') || rel.endsWith('.ipynb');
}

export function isTestPath(rel: string): boolean {
  return /(^|\/)(tests?|testing)\//.test(rel) || isTestFileName(rel);
}

export class AbortedError extends Error {
  constructor() {
    super('the readiness scan was cancelled');
    this.name = 'AbortError';
  }
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError();
}

/** Lets other work (a language server's requests) run between files. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface YamlFile {
  docs: { value: unknown; doc: Document }[];
  /** 1-based line of the node at `keys` in document `index`, or of the document start. */
  line(index: number, keys: readonly (string | number)[]): number;
  /** 1-based line of a character offset. */
  lineAt(offset: number): number;
}

type TomlModule = typeof import('smol-toml', { with: { 'resolution-mode': 'import' }});
let tomlModule: Promise<TomlModule> | undefined;

/** smol-toml is an ES module; loaded once with a dynamic import so this CommonJS code can use it. */
export function loadToml(): Promise<TomlModule> {
  tomlModule ??= import('smol-toml');
  return tomlModule;
}

export class Workspace {
  readonly files: string[];
  readonly fileSet: Set<string>;
  readonly python: PythonFacts[] = [];
  readonly problems: ReadinessProblem[] = [];
  /** Rules the project's `select`/`ignore` turn off: items note that their findings are not counted. */
  rulesOff: ReadonlySet<string> = new Set();
  /** Python files and notebooks listed but not analysed, beyond `ScanOptions.maxPythonFiles`. */
  pythonNotAnalysed = 0;
  private readonly texts = new Map<string, string>();
  private readonly parsed = new Map<string, unknown>();
  private readonly scalarsRead = new Map<string, readonly ScalarAt[]>();
  private readonly scalarStrings = new StringPool();
  private scalarCount = 0;
  private scalarLimitSaid = false;
  private readonly outlines = new Map<string, Outline>();

  constructor(
    readonly root: string,
    files: string[],
    readonly truncated: boolean,
    private readonly tomlParser: TomlModule,
  ) {
    this.files = files;
    this.fileSet = new Set(files);
  }

  has(rel: string): boolean {
    return this.fileSet.has(rel);
  }

  /** Files whose relative path matches. */
  find(pattern: RegExp): string[] {
    return this.files.filter((file) => pattern.test(file));
  }

  /** Files whose base name matches (case-insensitive patterns are the caller's choice). */
  findByName(pattern: RegExp): string[] {
    return this.files.filter((file) => pattern.test(path.posix.basename(file)));
  }

  /** Directories present (derived from the file list). */
  hasDir(rel: string): boolean {
    const prefix = rel.endsWith('/') ? rel : rel + '/';
    return this.files.some((file) => file.startsWith(prefix));
  }

  text(rel: string): string | undefined {
    return this.texts.get(rel);
  }

  setText(rel: string, text: string): void {
    this.texts.set(rel, text);
  }

  textFiles(): string[] {
    return [...this.texts.keys()];
  }

  toml(rel: string, { keep = true } = {}): Record<string, unknown> | undefined {
    return this.cached(rel, keep, (text) => {
      try {
        return this.tomlParser.parse(text) as Record<string, unknown>;
      } catch (error) {
        const line = error instanceof this.tomlParser.TomlError ? error.line : undefined;
        this.problems.push({ path: rel, line, message: `not valid TOML: ${firstLine(error)}` });
        return undefined;
      }
    }) as Record<string, unknown> | undefined;
  }

  json(rel: string, { keep = true } = {}): unknown {
    return this.cached(rel, keep, (text) => {
      try {
        return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      } catch (error) {
        this.problems.push({ path: rel, message: `not valid JSON: ${firstLine(error)}` });
        return undefined;
      }
    });
  }

  /** The parsed YAML file; with `keep: false`, a parse not kept unless something kept one already. */
  yaml(rel: string, { keep = true } = {}): YamlFile | undefined {
    return this.cached(rel, keep, (text) => this.parseYaml(rel, text)) as YamlFile | undefined;
  }

  /**
   * Every scalar of a YAML, TOML or JSON file with its key path and line, read once and kept
   * compacted; the file's syntax tree is not kept. On EleutherAI/lm-evaluation-harness (13,902
   * task YAML files) keeping every tree, and the 1.6 million pieces (49 MB) the YAML parser joins
   * a folded value from, held 134 MB until the report was assessed; the scalars hold 28 MB.
   */
  scalars(rel: string): readonly ScalarAt[] {
    let scalars = this.scalarsRead.get(rel);
    if (scalars) return scalars;
    let read: FileScalars = { scalars: [] };
    if (this.scalarCount < MAX_SCALARS_TOTAL) read = this.readScalars(rel);
    else if (!this.scalarLimitSaid && this.texts.has(rel)) {
      this.scalarLimitSaid = true;
      this.problems.push({
        path: '.',
        message: `configuration files were not all read: the scan reached its limit of ${MAX_SCALARS_TOTAL.toLocaleString('en-US')} values`,
      });
    }
    if (read.stopped) this.problems.push({ path: rel, message: read.stopped });
    this.scalarCount += read.scalars.length;
    scalars = this.scalarStrings.compact(read.scalars);
    this.scalarsRead.set(rel, scalars);
    return scalars;
  }

  /**
   * A document's outline, read once: five checks read the same documents, and on
   * EleutherAI/lm-evaluation-harness parsing each again took 270 ms of the 1.5 s in which the
   * report was assessed (a stretch in which the language server answers no edit).
   */
  outline(rel: string): Outline | undefined {
    let read = this.outlines.get(rel);
    if (read) return read;
    const text = this.texts.get(rel);
    if (text === undefined) return undefined;
    this.outlines.set(rel, (read = outline(text)));
    return read;
  }

  private readScalars(rel: string): FileScalars {
    const text = this.texts.get(rel);
    if (text === undefined) return { scalars: [] };
    if (/\.ya?ml$/i.test(rel)) {
      const file = this.yaml(rel, { keep: false });
      return file ? yamlScalars(rel, file) : { scalars: [] };
    }
    const data = rel.endsWith('.toml') ? this.toml(rel, { keep: false }) : this.json(rel, { keep: false });
    return data === undefined ? { scalars: [] } : dataScalars(rel, data, rel.endsWith('.toml') ? lineFinder(text) : jsonKeyLines(text));
  }

  private parseYaml(rel: string, text: string): YamlFile | undefined {
    const lineCounter = new LineCounter();
    const parsed = parseAllDocuments(text, { lineCounter });
    const list = Array.isArray(parsed) ? parsed : [];
    const errors = list.flatMap((doc) => doc.errors);
    if (!Array.isArray(parsed) || errors.length > 0) {
      const error = errors[0];
      const line = error ? lineCounter.linePos(error.pos[0]).line : undefined;
      this.problems.push({ path: rel, line, message: `not valid YAML: ${error ? firstLine(error) : 'unreadable'}` });
      return undefined;
    }
    // The plain value is built when first read: walking a file's scalars needs only its syntax tree.
    const docs = list.map((doc) => {
      let value: { of: unknown } | undefined;
      return {
        doc,
        get value(): unknown {
          value ??= { of: doc.toJS({ maxAliasCount: 100 }) as unknown };
          return value.of;
        },
      };
    });
    return {
      docs,
      line(index: number, keys: readonly (string | number)[]): number {
        const doc = docs[index]?.doc;
        if (!doc) return 1;
        if (keys.length === 0) return isNode(doc.contents) && doc.contents.range ? lineCounter.linePos(doc.contents.range[0]).line : 1;
        // The line of the key itself (`train:`), not of its value that may start below it.
        const parent = keys.length > 1 ? doc.getIn(keys.slice(0, -1), true) : doc.contents;
        const last = keys[keys.length - 1];
        if (isMap(parent)) {
          const pair = parent.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === last);
          const key = pair?.key;
          if (isNode(key) && key.range) return lineCounter.linePos(key.range[0]).line;
        }
        const node = doc.getIn(keys, true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
        if (isNode(parent) && parent.range) return lineCounter.linePos(parent.range[0]).line;
        return 1;
      },
      lineAt(offset: number): number {
        return lineCounter.linePos(offset).line;
      },
    } satisfies YamlFile;
  }

  /** A parse of the file, from the cache if kept; an invalid file is always remembered, so its problem is said once. */
  private cached(rel: string, keep: boolean, parse: (text: string) => unknown): unknown {
    if (this.parsed.has(rel)) return this.parsed.get(rel);
    const text = this.texts.get(rel);
    const value = text === undefined ? undefined : parse(text);
    if (keep || value === undefined) this.parsed.set(rel, value);
    return value;
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

/** Lists the project's files with the engine's walker (`.gitignore`, links, skip list), leaving out the folders that hold no evidence. */
export async function listFiles(
  root: string,
  options: ScanOptions = {},
): Promise<{ files: string[]; truncated: boolean; skipped: { path: string; reason: string }[]; errors: { path: string; error: string }[] }> {
  const walked = await walkWorkspaceAsync(root, {
    accept: () => true,
    maxFiles: options.maxFiles ?? DEFAULT_MAX_FILES,
    skipFolder: readinessSkipsFolder,
    pause: async (listed) => {
      checkAbort(options.signal);
      options.onProgress?.({ phase: 'listing', done: listed, total: 0 });
      await yieldToEventLoop();
    },
  });
  checkAbort(options.signal);
  const rel = (file: string): string => path.relative(root, file).split(path.sep).join('/');
  return {
    files: walked.files.map(rel),
    truncated: walked.truncated,
    skipped: walked.skipped.map((link) => ({ ...link, path: rel(link.path) })),
    errors: walked.errors.map((error) => ({ ...error, path: rel(error.path) })),
  };
}

function wantsText(rel: string): boolean {
  const base = path.posix.basename(rel);
  if (base === 'package-lock.json' || base.endsWith('.lock')) return false;
  if (base.startsWith('.env')) return false; // may hold secrets; presence is all a check needs
  return TEXT_NAMES.test(base) || TEXT_EXTENSIONS.has(path.posix.extname(base).toLowerCase()) || base === '.gitattributes' || base === '.dvcignore';
}

/**
 * `compute` run once per workspace: for facts several items derive from the whole workspace (the
 * project's shape, every configuration value, the manifests).
 */
export function perWorkspace<T>(compute: (ws: Workspace) => T): (ws: Workspace) => T {
  const computed = new WeakMap<Workspace, T>();
  return (ws) => {
    if (computed.has(ws)) return computed.get(ws) as T;
    const value = compute(ws);
    computed.set(ws, value);
    return value;
  };
}

/** How long the scan parses configuration files and documents before it lets other work run. */
const PARSING_SLICE_MS = 10;

/** Builds the workspace: lists files, reads the small text files, and analyses Python files and notebooks. */
export async function scanWorkspace(root: string, provider: FactsProvider, options: ScanOptions = {}): Promise<Workspace> {
  const { files, truncated, skipped, errors } = await listFiles(root, options);
  const workspace = new Workspace(root, files, truncated, await loadToml());
  workspace.rulesOff = provider.rulesOff?.() ?? new Set();
  for (const link of summarizeSkipped(skipped)) workspace.problems.push({ path: link.path, message: link.reason });
  for (const error of errors) workspace.problems.push({ path: error.path, message: error.error });
  const textFiles = files.filter(wantsText);
  const textBudget = options.maxTextBytes ?? MAX_TEXT_TOTAL_BYTES;
  let textBytes = 0;
  let unread = 0;
  for (const [index, rel] of textFiles.entries()) {
    checkAbort(options.signal);
    if (textBytes >= textBudget) {
      unread++;
      continue;
    }
    try {
      const { bytes } = readRegularFile(path.join(root, rel), MAX_TEXT_BYTES);
      textBytes += bytes.length;
      workspace.setText(rel, bytes.toString('utf8'));
    } catch (error) {
      const reason = describeFsError(error);
      // Large documentation and data files are simply not read; anything else is said.
      if (!reason.startsWith('too large')) workspace.problems.push({ path: rel, message: `could not read: ${firstLine(reason)}` });
    }
    if (index % 50 === 49) {
      options.onProgress?.({ phase: 'reading', done: index + 1, total: textFiles.length });
      await yieldToEventLoop();
    }
  }
  if (unread > 0)
    workspace.problems.push({
      path: '.',
      message: `${unread} text ${unread === 1 ? 'file was' : 'files were'} not read: the scan reached its limit of ${formatBytes(textBudget)} of text`,
    });
  // Configuration files and documents are parsed here, between turns of the event loop (the
  // language server answers edits meanwhile), rather than all at once when the first item asks: on
  // EleutherAI/lm-evaluation-harness, assessing the report took the server's thread for 3.6 s
  // with them, 1.0 s without.
  const structured = workspace.textFiles().filter((rel) => holdsConfiguration(rel) || isDocument(rel));
  let sliceStart = performance.now();
  for (const [index, rel] of structured.entries()) {
    if (isDocument(rel)) workspace.outline(rel);
    else workspace.scalars(rel);
    if (performance.now() - sliceStart < PARSING_SLICE_MS) continue;
    options.onProgress?.({ phase: 'parsing', done: index + 1, total: structured.length });
    if (options.pause) await options.pause();
    checkAbort(options.signal);
    await yieldToEventLoop();
    sliceStart = performance.now();
  }
  const allPythonFiles = files.filter(isPythonPath);
  const pythonFiles = allPythonFiles.slice(0, options.maxPythonFiles ?? DEFAULT_MAX_PYTHON_FILES);
  workspace.pythonNotAnalysed = allPythonFiles.length - pythonFiles.length;
  // Files asked about and not yet taken in, in file order: with a provider that analyses on other
  // threads, several are in flight; each is taken in its turn, so the workspace is the same.
  const inFlight: ({ rel: string; problem: string } | { rel: string; facts: PythonFacts | Promise<PythonFacts> })[] = [];
  // Progress counts the files taken in, not those handed out: up to `window` may be in flight.
  let taken = 0;
  const take = async (first: (typeof inFlight)[number]): Promise<void> => {
    if ('problem' in first) {
      workspace.problems.push({ path: first.rel, message: first.problem });
      return;
    }
    let facts: PythonFacts;
    try {
      facts = await first.facts;
    } catch (error) {
      workspace.problems.push({ path: first.rel, message: `could not analyse: ${firstLine(error)}` });
      return;
    }
    if (facts.error) workspace.problems.push({ path: first.rel, message: facts.error });
    workspace.python.push(facts);
  };
  const takeFirst = async (): Promise<void> => {
    const first = inFlight.shift() as (typeof inFlight)[number];
    await take(first);
    options.onProgress?.({ phase: 'analysing', done: ++taken, total: pythonFiles.length, path: first.rel });
  };
  provider.expect?.(pythonFiles.length);
  const window = Math.max(1, provider.concurrency ?? 1);
  options.onProgress?.({ phase: 'analysing', done: 0, total: pythonFiles.length });
  for (const rel of pythonFiles) {
    if (options.pause) await options.pause();
    checkAbort(options.signal);
    const kind = rel.endsWith('.ipynb') ? 'notebook' : 'script';
    const absPath = path.join(root, rel);
    const limit = kind === 'notebook' ? MAX_NOTEBOOK_BYTES : MAX_SCRIPT_BYTES;
    let text: string | undefined;
    try {
      // As `mlready check` reads them: a script's coding line, one BOM, no binary or invalid text.
      const { bytes } = readRegularFile(absPath, limit);
      text = kind === 'notebook' ? decodeText(bytes) : decodePythonSource(bytes).text;
    } catch (error) {
      const reason = error instanceof FileReadError ? error.message : describeFsError(error);
      inFlight.push({ rel, problem: reason.startsWith('too large') ? `skipped: larger than ${limit / 1024 / 1024} MB` : `could not read: ${reason}` });
    }
    if (text !== undefined) {
      try {
        const facts = provider.facts({ absPath, relPath: rel, kind, text });
        // Taken in its turn; a scan stopped before then must not leave a rejection nobody handles.
        if (facts instanceof Promise) facts.catch(() => undefined);
        inFlight.push({ rel, facts });
      } catch (error) {
        inFlight.push({ rel, problem: `could not analyse: ${firstLine(error)}` });
      }
    }
    while (inFlight.length >= window) await takeFirst();
    await yieldToEventLoop();
  }
  while (inFlight.length > 0) await takeFirst();
  return workspace;
}

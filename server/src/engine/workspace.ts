import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { globMatcher, matchesExclude } from './config';
import { linkPolicy, readConfigText, realRoot, describeFsError } from './safe-fs';

/** Folders that are never a project's own code: every walker skips them. */
export const ALWAYS_SKIPPED: ReadonlySet<string> = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '__pycache__',
  '.ipynb_checkpoints',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'site-packages',
]);

export interface WalkOptions {
  /** Globs relative to `root`, on top of `.gitignore`. */
  exclude?: readonly string[];
  /** Which files to return (default: `.py` and `.ipynb`). */
  accept?: (filePath: string) => boolean;
  /** Stop after this many files, reporting that the walk was cut short. */
  maxFiles?: number;
  /**
   * Folders to leave out on top of `ALWAYS_SKIPPED` and virtual environments, by name and by
   * `/`-separated path from the root (readiness: the folders that hold no evidence).
   */
  skipFolder?: (name: string, fromRoot: string) => boolean;
}

export interface WalkResult {
  files: string[];
  /** Folders or files that could not be read, with the reason. */
  errors: { path: string; error: string }[];
  /** Symbolic links not followed because their target is outside the root (each reported once). */
  skipped: { path: string; reason: string }[];
  truncated: boolean;
}

interface IgnoreLayer {
  base: string;
  rules: Ignore;
}

/** How many entries the walk looks at between two pauses of `walkWorkspaceAsync`. */
const ENTRIES_PER_STEP = 200;

/**
 * Lists a folder's Python files and notebooks (or what `accept` takes), honouring every
 * `.gitignore` on the way down (and above, up to the repository's top) and the configured
 * excludes; `ALWAYS_SKIPPED` folders and virtual environments are not entered; symbolic links are
 * followed only inside the root (`linkPolicy`), loops and unreadable folders are reported, not
 * followed. The one walker of `check`, readiness and the server's readiness scan.
 */
export function walkWorkspace(root: string, options: WalkOptions = {}): WalkResult {
  const steps = walkSteps(root, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same walk, pausing every few hundred entries on `pause` (the server's readiness scan: let
 * other requests run, report progress, stop when cancelled by throwing).
 */
export async function walkWorkspaceAsync(root: string, options: WalkOptions & { pause: (listed: number) => Promise<void> }): Promise<WalkResult> {
  const steps = walkSteps(root, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await options.pause(step.value);
  }
}

/** The walk itself, as steps: yields the number of files listed so far every `ENTRIES_PER_STEP` entries. */
function* walkSteps(root: string, options: WalkOptions): Generator<number, WalkResult> {
  const accept = options.accept ?? ((file: string) => file.endsWith('.py') || file.endsWith('.ipynb'));
  const excludes = (options.exclude ?? []).map(globMatcher);
  const result: WalkResult = { files: [], errors: [], skipped: [], truncated: false };
  const visited = new Set<string>();
  const absoluteRoot = path.resolve(root);
  const rootReal = realRoot(absoluteRoot);
  let seen = 0;

  const fromRootOf = (full: string): string => path.relative(absoluteRoot, full).split(path.sep).join('/');

  const isIgnored = (layers: IgnoreLayer[], full: string, fromRoot: string, isDirectory: boolean): boolean => {
    if (fromRoot && matchesExclude(excludes, fromRoot, isDirectory)) return true;
    // git's order: a deeper .gitignore may re-include (`!pattern`) what a shallower one ignores.
    let ignored = false;
    for (const layer of layers) {
      const relative = path.relative(layer.base, full).split(path.sep).join('/');
      if (!relative || relative.startsWith('..')) continue;
      const verdict = layer.rules.test(isDirectory ? `${relative}/` : relative);
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored;
  };

  function* visit(directory: string, layers: IgnoreLayer[]): Generator<number, void> {
    if (result.truncated) return;
    let real: string;
    try {
      real = fs.realpathSync(directory);
    } catch (error) {
      result.errors.push({ path: directory, error: describe(error) });
      return;
    }
    if (visited.has(real)) return; // a symbolic link back up the tree
    visited.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch (error) {
      result.errors.push({ path: directory, error: describe(error) });
      return;
    }
    if (directory !== absoluteRoot && entries.some((entry) => entry.isFile() && entry.name === 'pyvenv.cfg')) return; // a virtual environment
    let here = layers;
    if (entries.some((entry) => entry.name === '.gitignore')) {
      try {
        const text = readConfigText(path.join(directory, '.gitignore'));
        if (text !== undefined) here = [...layers, { base: directory, rules: ignore().add(text) }];
      } catch (error) {
        result.errors.push({ path: path.join(directory, '.gitignore'), error: `.gitignore not used: ${describe(error)}` });
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (++seen % ENTRIES_PER_STEP === 0) yield result.files.length;
      const full = path.join(directory, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const verdict = linkPolicy(rootReal, full);
        if (!verdict.follow) {
          // A dangling link is an error only where a file to check should be: one to a folder or to
          // another kind of file (skills linked from a `.venv` not yet created) is not mlready's to report.
          if (verdict.reason.startsWith('dangling')) {
            if (accept(full) && !isIgnored(here, full, fromRootOf(full), false))
              result.errors.push({ path: full, error: 'does not exist (a broken symbolic link?)' });
            else result.skipped.push({ path: full, reason: verdict.reason });
          } else if (verdict.reason.includes('loop')) result.errors.push({ path: full, error: 'symbolic link loop' });
          else result.skipped.push({ path: full, reason: verdict.reason });
          continue;
        }
        isDirectory = verdict.stat.isDirectory();
        isFile = verdict.stat.isFile();
      }
      if (isDirectory) {
        const fromRoot = fromRootOf(full);
        if (ALWAYS_SKIPPED.has(entry.name) || options.skipFolder?.(entry.name, fromRoot) || isIgnored(here, full, fromRoot, true)) continue;
        yield* visit(full, here);
        if (result.truncated) return;
      } else if (isFile && accept(full) && !isIgnored(here, full, fromRootOf(full), false)) {
        if (options.maxFiles !== undefined && result.files.length >= options.maxFiles) {
          result.truncated = true;
          return;
        }
        result.files.push(full);
      }
    }
  }

  yield* visit(absoluteRoot, ancestorIgnores(absoluteRoot));
  return result;
}

/** `.gitignore` files above the walked folder, up to the repository's top (where `.git` is). */
function ancestorIgnores(root: string): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  let directory = path.dirname(root);
  if (fs.existsSync(path.join(root, '.git'))) return layers;
  while (true) {
    const file = path.join(directory, '.gitignore');
    try {
      const text = readConfigText(file);
      if (text !== undefined) layers.unshift({ base: directory, rules: ignore().add(text) });
    } catch {
      // an unreadable .gitignore above the walked folder: not used
    }
    if (fs.existsSync(path.join(directory, '.git'))) return layers;
    const parent = path.dirname(directory);
    if (parent === directory) return []; // not inside a repository: no ancestor rules apply
    directory = parent;
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'symbolic link loop';
  if (code === 'ENOENT') return 'does not exist (a broken symbolic link?)';
  return describeFsError(error);
}

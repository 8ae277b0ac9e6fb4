import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { globMatcher } from './config';
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

/**
 * Lists a folder's Python files and notebooks, honouring every `.gitignore` on the way down and
 * the configured excludes; symbolic link loops and unreadable folders are reported, not followed.
 */
export function walkWorkspace(root: string, options: WalkOptions = {}): WalkResult {
  const accept = options.accept ?? ((file: string) => file.endsWith('.py') || file.endsWith('.ipynb'));
  const excludes = (options.exclude ?? []).map(globMatcher);
  const result: WalkResult = { files: [], errors: [], skipped: [], truncated: false };
  const visited = new Set<string>();
  const absoluteRoot = path.resolve(root);
  const rootReal = realRoot(absoluteRoot);

  const isIgnored = (layers: IgnoreLayer[], full: string, isDirectory: boolean): boolean => {
    const fromRoot = path.relative(absoluteRoot, full).split(path.sep).join('/');
    if (fromRoot && excludes.some((match) => match(fromRoot) || (isDirectory && match(`${fromRoot}/`)))) return true;
    for (const layer of layers) {
      const relative = path.relative(layer.base, full).split(path.sep).join('/');
      if (!relative || relative.startsWith('..')) continue;
      if (layer.rules.ignores(isDirectory ? `${relative}/` : relative)) return true;
    }
    return false;
  };

  const visit = (directory: string, layers: IgnoreLayer[]): void => {
    if (options.maxFiles !== undefined && result.files.length >= options.maxFiles) {
      result.truncated = true;
      return;
    }
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
      const full = path.join(directory, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const verdict = linkPolicy(rootReal, full);
        if (!verdict.follow) {
          if (verdict.reason.startsWith('dangling')) result.errors.push({ path: full, error: 'does not exist (a broken symbolic link?)' });
          else if (verdict.reason.includes('loop')) result.errors.push({ path: full, error: 'symbolic link loop' });
          else result.skipped.push({ path: full, reason: verdict.reason });
          continue;
        }
        isDirectory = verdict.stat.isDirectory();
        isFile = verdict.stat.isFile();
      }
      if (isDirectory) {
        if (ALWAYS_SKIPPED.has(entry.name) || isIgnored(here, full, true)) continue;
        visit(full, here);
      } else if (isFile && accept(full) && !isIgnored(here, full, false)) {
        if (options.maxFiles !== undefined && result.files.length >= options.maxFiles) {
          result.truncated = true;
          return;
        }
        result.files.push(full);
      }
    }
  };

  visit(absoluteRoot, ancestorIgnores(absoluteRoot));
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

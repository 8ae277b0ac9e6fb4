import * as path from 'node:path';
import { buildNotebookProgram, cellLabel, parseNotebookJson, type CellInput, type MagicLine } from '../notebook';
import { decodePythonSource, decodeText } from '../index';
import { MAX_LIVE_CHARS, type PythonParser } from '../parser';
import type { GeneratedFile } from './spec';
import { pyStr } from './python';
import { readRegularFile, describeFsError, MAX_NOTEBOOK_BYTES, MAX_SCRIPT_BYTES } from '../safe-fs';
import type { NotCarried } from './notebook-model';

/**
 * Carries a notebook's (or script's) own steps into the pipeline: `pipeline/steps.py` with the
 * notebook's model (`build_estimator()`) and feature steps (`features(frame)`) as the functions
 * the pipeline calls, and the rest of its top-level code, in cell order, in
 * `run_notebook_steps()`. IPython syntax is handled the way IPython reads it (found where the
 * engine masks it for the parser): `%env` becomes an environment assignment (or, for a
 * credential, a variable the user sets), `%%writefile` cells write their file into the output
 * folder, and every other magic or shell line is dropped and listed, with its cell, in the
 * generated README, never copied into a comment.
 */

export interface NotebookSource {
  /** Display name of the notebook or script. */
  name: string;
  cells: CellInput[];
}

export class NotebookSourceError extends Error {}

export function readNotebookSource(filePath: string): NotebookSource {
  const name = path.basename(filePath);
  const notebook = filePath.endsWith('.ipynb');
  let bytes: Buffer;
  try {
    // A regular file under the cap, opened without blocking (engine/safe-fs.ts).
    bytes = readRegularFile(filePath, notebook ? MAX_NOTEBOOK_BYTES : MAX_SCRIPT_BYTES).bytes;
  } catch (error) {
    throw new NotebookSourceError(describeFsError(error));
  }
  // A script as Python reads it (its coding line); a notebook is JSON, UTF-8.
  const { cells, json }: { cells: CellInput[]; json?: { metadata?: Record<string, unknown> } } = notebook
    ? parseNotebookJson(decodeText(bytes))
    : { cells: [{ source: decodePythonSource(bytes).text, cellType: 'code' }] };
  // The language server scaffolds in its own process: one dense source must not exhaust its parser (TreeCache).
  const code = cells.reduce((n, cell) => n + ((cell.cellType ?? 'code') === 'code' ? cell.source.length : 0), 0);
  if (code > MAX_LIVE_CHARS) {
    throw new NotebookSourceError(
      `too large to scaffold from (its code holds ${code.toLocaleString('en-US')} characters, more than ${MAX_LIVE_CHARS.toLocaleString('en-US')})`,
    );
  }
  if (!json) return { name, cells };
  const python2 = python2Kernel(json.metadata ?? {});
  if (python2) {
    throw new NotebookSourceError(
      `a Python 2 notebook (${python2}): mlready carries over Python 3 code only; convert it first (for example \`jupyter nbconvert --to script\` then \`2to3 -w\`, or re-run it on a Python 3 kernel) and try again`,
    );
  }
  return { name, cells };
}

/** The metadata that says a notebook ran on Python 2, described, or undefined. */
function python2Kernel(metadata: Record<string, unknown>): string | undefined {
  const kernel = metadata.kernelspec as { name?: unknown; display_name?: unknown } | undefined;
  const language = metadata.language_info as { version?: unknown; codemirror_mode?: { version?: unknown } } | undefined;
  if (typeof kernel?.name === 'string' && /^python2\b/i.test(kernel.name)) return `kernel ${kernel.name}`;
  if (typeof language?.version === 'string' && /^2\./.test(language.version)) return `Python ${language.version}`;
  if (language?.codemirror_mode?.version === 2) return 'Python 2 syntax mode';
  return undefined;
}

/** A file a `%%writefile` cell writes, relative to the output folder. */
export interface NotebookFile {
  cell: number;
  path: string;
  content: string;
}

export interface CleanCell {
  /** 0-based index among the code cells. */
  index: number;
  /** How VS Code and Jupyter name the cell ("Cell 6": 1-based, markdown cells counted). */
  label: string;
  /** The cell's top-level import statements. */
  imports: string[];
  body: string[];
}

export interface CleanNotebook {
  cells: CleanCell[];
  files: NotebookFile[];
  /** Lines and cells not carried over, with their cell and why (their text is redacted later). */
  dropped: Array<NotCarried & { secret?: boolean }>;
  /** Environment variables the notebook set with `%env` to a credential: the user sets them. */
  environment: string[];
  /** Whether carried-over lines use `os` (a `%env` assignment). */
  usesOs: boolean;
}

// Cell magics whose body is Python (the same list the engine masks by).
const PYTHON_BODY_CELL_MAGIC = /^\s*%%(?:time|timeit|capture|prun|debug|memit|mprun|lprun|skip)\b/;
const ENV_MAGIC = /^%(?:set_)?env\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*|\s+)(.*)$/;

/**
 * Splits each code cell into its top-level imports (found by the parser on the masked program)
 * and the rest, with IPython lines handled: `%env NAME=value` becomes `os.environ["NAME"] = ...`
 * (a credential is not copied: the user sets the variable), `%%writefile` cells become files,
 * anything else is dropped (`pass` keeps a block that held it valid) and listed.
 * `isSecret` says whether a value is a credential.
 */
export function cleanCells(parser: PythonParser, cells: readonly CellInput[], isSecret: (value: string, name?: string) => boolean): CleanNotebook {
  const program = buildNotebookProgram(cells);
  // Each cell parsed on its own (masked): its top-level imports, and the statements that do not
  // parse (a syntax error in the notebook), which are dropped rather than copied.
  const importLines = new Map<number, Array<{ first: number; last: number }>>();
  const brokenLines = new Map<number, Array<{ first: number; last: number }>>();
  for (const span of program.cells) {
    const masked = program.text.slice(span.start, span.end);
    const tree = parser.parseSyntax(masked);
    for (const node of tree.rootNode.children) {
      if (!node || node.type === 'comment') continue;
      const range = { first: lineOf(span.source, node.startIndex), last: lineOf(span.source, Math.max(node.startIndex, node.endIndex - 1)) };
      if (node.type === 'ERROR' || node.hasError) brokenLines.set(span.index, [...(brokenLines.get(span.index) ?? []), range]);
      else if (/^(?:import_statement|import_from_statement|future_import_statement)$/.test(node.type))
        importLines.set(span.index, [...(importLines.get(span.index) ?? []), range]);
    }
  }
  const result: CleanNotebook = { cells: [], files: [], dropped: [], environment: [], usesOs: false };
  for (const span of program.cells) {
    // The cell as the user sees it numbered (markdown cells counted), in the README's tables.
    const cell = span.notebookIndex + 1;
    const lines = span.source.split(/\r\n|\r|\n/);
    const firstLine = lines[0] ?? '';
    const writeFile = /^\s*%%writefile(?:\s+(-a|--append))?\s+(.+?)\s*$/.exec(firstLine);
    if (writeFile) {
      const target = safeRelativePath(unquote(writeFile[2]!));
      if (typeof target === 'string') {
        const content = lines.slice(1).join('\n') + '\n';
        const previous = result.files.find((f) => f.path === target);
        if (previous && writeFile[1]) previous.content += content;
        else if (previous) previous.content = content;
        else result.files.push({ cell, path: target, content });
      } else {
        result.dropped.push({ cell, what: `\`%%writefile ${writeFile[2]}\``, reason: target.reason });
      }
      result.cells.push({ index: span.index, label: cellLabel(span), imports: [], body: [] });
      continue;
    }
    const cellMagic = /^\s*%%(\w+)/.exec(firstLine);
    if (cellMagic && !PYTHON_BODY_CELL_MAGIC.test(firstLine)) {
      result.dropped.push({ cell, what: `a \`%%${cellMagic[1]}\` cell`, reason: 'not Python' });
      result.cells.push({ index: span.index, label: cellLabel(span), imports: [], body: [] });
      continue;
    }
    const magics = new Map<number, MagicLine>();
    for (const magic of program.magics) {
      if (magic.start < span.start || magic.start > span.end) continue;
      magics.set(lineOf(span.source, magic.start - span.start), magic);
    }
    const imports: string[] = [];
    const body: string[] = [];
    const importAt = new Map((importLines.get(span.index) ?? []).map((range) => [range.first, range.last]));
    const brokenAt = new Map((brokenLines.get(span.index) ?? []).map((range) => [range.first, range.last]));
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const broken = brokenAt.get(i);
      if (broken !== undefined) {
        result.dropped.push({
          cell,
          what: `\`${lines
            .slice(i, broken + 1)
            .join(' ')
            .trim()
            .slice(0, 60)}\``,
          reason: 'not valid Python 3 (a syntax error in the notebook)',
        });
        const indentation = /^\s*/.exec(line)![0];
        if (indentation) body.push(`${indentation}pass`);
        i = broken;
        continue;
      }
      const magic = magics.get(i);
      if (magic) {
        // A magic runs to the end of its logical line: skip its continuation lines.
        const extra = magic.text.split('\n').length - 1;
        const continuation = lines.slice(i + 1, i + 1 + extra);
        i += extra;
        const indentation = /^\s*/.exec(line)![0];
        const text = magic.text.trim();
        const env = ENV_MAGIC.exec(text);
        if (env) {
          const [, name, raw] = env;
          const value = unquote(raw!.trim());
          if (isSecret(value, name) || isSecret(text)) {
            result.environment.push(name!);
            result.dropped.push({ cell, what: `\`%env ${name}=…\``, reason: `its value is a credential: set ${name} in the environment`, secret: true });
            if (indentation) body.push(`${indentation}pass`);
          } else {
            body.push(`${indentation}os.environ[${pyStr(name!)}] = ${pyStr(value)}`);
            result.usesOs = true;
          }
          continue;
        }
        // `%time stmt` runs the statement: carry the statement over (not `%timeit`, which repeats it).
        const timed = /^%time\s+(\S.*)$/.exec(text.split('\n')[0]!);
        if (timed) {
          body.push(`${line.slice(0, magic.start - span.start - offsetOfLine(span.source, i - extra))}${timed[1]}`, ...continuation);
          continue;
        }
        if (magic.kind !== 'cell-magic' || !PYTHON_BODY_CELL_MAGIC.test(line)) {
          const kind = magic.kind === 'shell' ? 'a shell command' : magic.kind === 'help' ? 'IPython help' : 'an IPython magic';
          result.dropped.push({ cell, what: `\`${text.replace(/\s*\n\s*/g, ' ')}\``, reason: kind });
        }
        // A value assigned from a magic (`files = !ls`) or a line inside a block still needs a statement.
        const prefix = line.slice(0, magic.start - span.start - offsetOfLine(span.source, i - extra));
        if (/=\s*$/.test(prefix)) body.push(`${prefix}None`);
        else if (indentation) body.push(`${indentation}pass`);
        continue;
      }
      const last = importAt.get(i);
      if (last !== undefined) {
        imports.push(lines.slice(i, last + 1).join('\n'));
        i = last;
        continue;
      }
      body.push(line);
    }
    while (body.length && body[body.length - 1]!.trim() === '') body.pop();
    while (body.length && body[0]!.trim() === '') body.shift();
    result.cells.push({ index: span.index, label: cellLabel(span), imports, body });
  }
  return result;
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) line++;
  }
  return line;
}

function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let current = 0; current < line; current++) {
    const next = text.slice(offset).search(/\r\n|\r|\n/);
    if (next < 0) return text.length;
    offset += next + (text.startsWith('\r\n', offset + next) ? 2 : 1);
  }
  return offset;
}

function unquote(value: string): string {
  const match = /^(["'])(.*)\1$/.exec(value);
  return match ? match[2]! : value;
}

/** A `%%writefile` path that stays inside the output folder, or why not. */
function safeRelativePath(file: string): string | { reason: string } {
  if (file === '' || path.isAbsolute(file) || /^[A-Za-z]:[\\/]|^~|^\\\\/.test(file)) {
    return { reason: 'it writes outside the generated project (an absolute path); only paths inside the output folder are written' };
  }
  const normal = path.posix.normalize(file.replace(/\\/g, '/'));
  if (normal.startsWith('../') || normal === '..' || normal.split('/').includes('..')) {
    return { reason: 'it writes outside the generated project; only paths inside the output folder are written' };
  }
  if (/^(?:pipeline|serving|monitoring|tests|\.github)\//.test(normal) || normal === 'README.md' || normal === 'requirements.txt') {
    return { reason: `\`${normal}\` is a file mlready generates; write it by hand if you need it` };
  }
  if (normal.split('/').some((part) => part.startsWith('.'))) return { reason: 'a hidden file or folder is not written' };
  return normal.replace(/^\.\//, '');
}

export interface StepsParts {
  /** `build_estimator()`'s body lines (without indentation), when the notebook's model is carried over. */
  estimator?: { cell: number; imports: string[]; lines: string[]; summary: string };
  /** `features(frame)`: the frame's name in the notebook, the import statements and statements. */
  features?: { cells: number[]; frameName: string; imports: string[]; statements: string[] };
  /** Module-level imports the generated functions need (`from pipeline import config as pipeline_config`). */
  moduleImports?: readonly string[];
}

/** `pipeline/steps.py`: the hook functions, then the notebook's steps in cell order. */
export function generateSteps(source: NotebookSource, clean: CleanNotebook, parts: StepsParts = {}): GeneratedFile {
  const seen = new Set<string>();
  const moduleLevel: string[] = [];
  const local: string[] = [];
  for (const cell of clean.cells) {
    for (const statement of cell.imports) {
      const key = statement.trim();
      if (seen.has(key)) continue;
      seen.add(key);
      // `from __future__` and `import *` must stay at module level; the rest runs with the steps,
      // so that the pipeline can import build_estimator and features without the notebook's plotting libraries.
      if (/^from\s+__future__\s/.test(key) || /import\s+\*/.test(key)) moduleLevel.push(key);
      else local.push(statement.replace(/^\s+/, ''));
    }
  }
  if (clean.usesOs && !seen.has('import os')) local.unshift('import os');
  const body: string[] = [];
  const unit = source.cells.length > 1 || source.name.endsWith('.ipynb') ? 'cell' : 'script';
  if (local.length > 0) {
    for (const statement of local) body.push(...statement.split('\n').map((line) => `    ${line}`));
    body.push('');
  }
  for (const cell of clean.cells) {
    if (cell.body.length === 0) continue;
    body.push(unit === 'cell' ? `    # ${cell.label}` : `    # ${source.name}`);
    for (const line of cell.body) body.push(line.trim() === '' ? '' : `    ${line}`);
    body.push('');
  }
  while (body.length && body[body.length - 1] === '') body.pop();
  // A body of comments only (a notebook whose code was all magics or commented out) needs a statement.
  if (!body.some((line) => line.trim() !== '' && !line.trim().startsWith('#'))) body.push('    pass');
  const functions: string[] = [];
  if (parts.estimator) {
    const { cell, imports, lines, summary } = parts.estimator;
    functions.push(`def build_estimator():
    """The notebook's model (Cell ${cell}): ${summary}.

    The pipeline fits it after its preprocessing (imputation, scaling, one-hot encoding).
    """
${imports.map((line) => (line ? `    ${line}\n` : '\n')).join('')}${lines.map((line) => `    ${line}`).join('\n')}
`);
  }
  if (parts.features) {
    const { cells, frameName, imports, statements } = parts.features;
    const frame = frameName === 'frame' ? 'frame' : frameName;
    functions.push(`def features(frame):
    """The notebook's feature steps (cell${cells.length > 1 ? 's' : ''} ${cells.join(', ')}), on the model's input columns.

    The pipeline runs it first, inside the saved model, so the API applies it to requests too.
    """
${imports.map((line) => (line ? `    ${line}\n` : '\n')).join('')}${frame === 'frame' ? '    frame = frame.copy()' : `    ${frame} = frame.copy()`}
${statements
  .flatMap((statement) => statement.split('\n'))
  .map((line) => (line.trim() === '' ? '' : `    ${line}`))
  .join('\n')}
    return ${frame}
`);
  }
  const header = [...moduleLevel, ...(parts.moduleImports ?? [])];
  return {
    path: 'pipeline/steps.py',
    content: `"""The steps of ${source.name}, carried over by mlready in ${unit} order.

${
  parts.estimator || parts.features
    ? `The pipeline (pipeline/train.py) calls ${[parts.estimator ? 'build_estimator()' : '', parts.features ? 'features(frame)' : ''].filter(Boolean).join(' and ')}: the
notebook's ${[parts.estimator ? 'model and its hyper-parameters' : '', parts.features ? 'feature steps' : ''].filter(Boolean).join(' and its ')}. `
    : ''
}The rest of the ${unit === 'cell' ? 'notebook' : 'script'}'s
top-level code runs in run_notebook_steps(), with its imports. IPython magics and shell lines are
not carried over (the README lists them, with their cell). mlready's safe fixes are applied,
credentials are read from the environment, hard-coded paths read from pipeline/config.py, and
what its rules still flag is marked with a \`# mlready: <rule>: <message>\` comment above the line.
"""
${header.length ? `\n${header.join('\n')}\n` : ''}
${functions.map((f) => `\n${f}\n`).join('')}
def run_notebook_steps() -> None:
${body.join('\n')}


if __name__ == "__main__":
    run_notebook_steps()
`.replace(/\n{4,}/g, '\n\n\n'),
  };
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildNotebookProgram, parseNotebookJson, type CellInput } from '../notebook';
import { decodeText } from '../index';
import type { GeneratedFile } from './spec';

/**
 * Carries a notebook's (or script's) own steps into the pipeline: `pipeline/steps.py` with the
 * imports at module level and the remaining top-level code wrapped, in cell order, in
 * `run_notebook_steps()`, one comment per cell. IPython magics and shell escapes are removed
 * (found the way the engine masks them for the parser). The data path and seed the notebook
 * uses are lifted out for the pipeline's config.
 */

export interface NotebookSource {
  /** Display name of the notebook or script. */
  name: string;
  cells: CellInput[];
}

export interface LiftedSettings {
  /** The first `read_csv("...")` path, as written. */
  dataPath?: string;
  /** The first literal seed (`random_state=N`, `seed(N)`, `SEED = N`). */
  seed?: number;
}

export function readNotebookSource(filePath: string): NotebookSource {
  const text = decodeText(fs.readFileSync(filePath));
  const name = path.basename(filePath);
  if (filePath.endsWith('.ipynb')) return { name, cells: parseNotebookJson(text).cells };
  return { name, cells: [{ source: text, cellType: 'code' }] };
}

export function liftSettings(source: NotebookSource): LiftedSettings {
  const code = source.cells.filter((c) => (c.cellType ?? 'code') === 'code').map((c) => c.source).join('\n');
  const data = /read_csv\(\s*(?:[rR])?(['"])([^'"\n]+)\1/.exec(code)?.[2];
  const seed = /(?:random_state|seed)\s*[=(]\s*(\d+)|\bSEED\s*=\s*(\d+)/.exec(code);
  return { dataPath: data, seed: seed ? Number(seed[1] ?? seed[2]) : undefined };
}

interface CleanCell {
  index: number;
  imports: string[];
  body: string[];
  removed: number;
}

/** Splits each code cell into its top-level imports and the rest, with IPython lines removed. */
export function cleanCells(cells: readonly CellInput[]): CleanCell[] {
  const program = buildNotebookProgram(cells);
  return program.cells.map((span) => {
    const lines = span.source.split(/\r\n|\r|\n/);
    // Cell-relative line numbers of the masked IPython lines.
    const magicLines = new Set<number>();
    for (const magic of program.magics) {
      if (magic.start < span.start || magic.start > span.end) continue;
      magicLines.add(span.source.slice(0, magic.start - span.start).split(/\r\n|\r|\n/).length - 1);
    }
    const imports: string[] = [];
    const body: string[] = [];
    let removed = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (magicLines.has(i)) {
        removed++;
        const indentation = /^\s*/.exec(line)![0];
        const note = `# removed IPython line: ${line.trim()}`;
        body.push(indentation ? `${indentation}pass  ${note}` : note);
        continue;
      }
      if (/^(import\s|from\s+\S+\s+import\s)/.test(line)) {
        const statement = [line];
        let depth = parenDepth(line);
        while ((depth > 0 || statement[statement.length - 1]!.trimEnd().endsWith('\\')) && i + 1 < lines.length) {
          const next = lines[++i]!;
          statement.push(next);
          depth += parenDepth(next);
        }
        imports.push(statement.join('\n'));
        continue;
      }
      body.push(line);
    }
    while (body.length && body[body.length - 1]!.trim() === '') body.pop();
    while (body.length && body[0]!.trim() === '') body.shift();
    return { index: span.index, imports, body, removed };
  });
}

function parenDepth(line: string): number {
  const code = line.replace(/#.*$/, '');
  return (code.match(/[([{]/g)?.length ?? 0) - (code.match(/[)\]}]/g)?.length ?? 0);
}

export function generateSteps(source: NotebookSource, options: { imports?: readonly string[] } = {}): GeneratedFile {
  const cells = cleanCells(source.cells);
  const seen = new Set<string>();
  const imports: string[] = [];
  for (const cell of cells) {
    for (const statement of cell.imports) {
      if (!seen.has(statement.trim())) {
        seen.add(statement.trim());
        imports.push(statement);
      }
    }
  }
  imports.sort((a, b) => Number(!a.startsWith('from __future__')) - Number(!b.startsWith('from __future__')));
  for (const statement of options.imports ?? []) if (!seen.has(statement)) imports.push(statement);
  const body: string[] = [];
  const unit = source.cells.length > 1 || source.name.endsWith('.ipynb') ? 'cell' : 'script';
  for (const cell of cells) {
    if (cell.body.length === 0) continue;
    body.push(unit === 'cell' ? `    # cell ${cell.index + 1}` : `    # ${source.name}`);
    for (const line of cell.body) body.push(line.trim() === '' ? '' : `    ${line}`);
    body.push('');
  }
  while (body.length && body[body.length - 1] === '') body.pop();
  if (body.length === 0) body.push('    pass');
  return {
    path: 'pipeline/steps.py',
    content: `"""The steps of ${source.name}, carried over by mlready in ${unit} order.

Imports are at module level; the rest of the ${unit === 'cell' ? 'notebook' : 'script'}'s top-level code runs in
run_notebook_steps(), with IPython magics and shell lines removed. mlready's safe fixes are
applied, hard-coded paths read from pipeline/config.py, and what its rules still flag is marked
with a \`# mlready: <rule>: <message>\` comment above the line. Move what the production
pipeline needs into pipeline/train.py and pipeline/data.py.
"""

${imports.length ? imports.join('\n') + '\n\n' : ''}
def run_notebook_steps() -> None:
${body.join('\n')}


if __name__ == "__main__":
    run_notebook_steps()
`.replace(/\n\n\n\ndef/, '\n\n\ndef'),
  };
}

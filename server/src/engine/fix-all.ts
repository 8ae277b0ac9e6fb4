import { parseTree, findNodeAtLocation } from 'jsonc-parser';
import type { Engine } from './index';
import type { Analysis, AnalyzeOptions, PlacedEdit } from './analyze';
import type { CellInput } from './notebook';
import { applyEdits } from './fixes';

const MAX_ROUNDS = 10;

export interface FixOutcome<T> {
  result: T;
  /** How many fixes were applied in all rounds. */
  applied: number;
}

/** Picks the safe fixes of an analysis whose edits do not overlap one another (first come, first kept). */
export function nonOverlappingSafeFixes(analysis: Analysis): PlacedEdit[][] {
  const taken: { start: number; end: number }[] = [];
  const chosen: PlacedEdit[][] = [];
  for (const finding of analysis.findings) {
    const fix = finding.fix;
    if (!fix || fix.applicability !== 'safe') continue;
    const clashes = fix.edits.some((edit) =>
      taken.some((t) => (edit.start < t.end && t.start < edit.end) || (edit.start === edit.end && edit.start === t.start && t.start === t.end)),
    );
    if (clashes) continue;
    taken.push(...fix.edits);
    chosen.push(fix.edits);
  }
  return chosen;
}

function uniqueEdits(groups: PlacedEdit[][]): PlacedEdit[] {
  const seen = new Set<string>();
  return groups.flat().filter((edit) => {
    const key = `${edit.start}:${edit.end}:${edit.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Applies safe fixes until none is left (fix-all is idempotent: a second run changes nothing). */
export function fixScriptText(engine: Engine, path: string, text: string, options?: AnalyzeOptions): FixOutcome<string> {
  let current = text;
  let applied = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const analysis = engine.analyze({ path, kind: 'script', text: current }, options);
    const groups = nonOverlappingSafeFixes(analysis);
    if (groups.length === 0) break;
    current = applyEdits(current, uniqueEdits(groups));
    applied += groups.length;
  }
  return { result: current, applied };
}

/** The same for a notebook: edits land in the cells they concern; other cells are untouched. */
export function fixNotebookCells(engine: Engine, path: string, cells: readonly CellInput[], options?: AnalyzeOptions): FixOutcome<CellInput[]> {
  let current = cells.map((cell) => ({ ...cell }));
  let applied = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const analysis = engine.analyze({ path, kind: 'notebook', cells: current }, options);
    const groups = nonOverlappingSafeFixes(analysis);
    if (groups.length === 0 || !analysis.notebook) break;
    const byCell = new Map<number, PlacedEdit[]>();
    for (const edit of uniqueEdits(groups)) {
      const span = analysis.notebook.cells.find((cell) => cell.start <= edit.start && edit.end <= cell.end + 1);
      if (!span) continue;
      let list = byCell.get(span.notebookIndex);
      if (!list) byCell.set(span.notebookIndex, (list = []));
      list.push({ ...edit, start: edit.start - span.start, end: Math.min(edit.end, span.end) - span.start });
    }
    current = current.map((cell, index) => {
      const edits = byCell.get(index);
      return edits ? { ...cell, source: applyEdits(cell.source, edits) } : cell;
    });
    applied += groups.length;
  }
  return { result: current, applied };
}

/**
 * Writes new cell sources into the notebook's JSON text, replacing only each changed cell's
 * `source` value: outputs, metadata and formatting elsewhere stay byte-for-byte.
 */
export function replaceCellSources(jsonText: string, sources: ReadonlyMap<number, string>): string {
  const tree = parseTree(jsonText);
  if (!tree) throw new Error('the notebook is not valid JSON');
  const replacements: { offset: number; length: number; text: string }[] = [];
  for (const [index, source] of sources) {
    const node = findNodeAtLocation(tree, ['cells', index, 'source']);
    if (!node) throw new Error(`cell ${index} has no source`);
    let text: string;
    if (node.type === 'array') {
      const lines = source.match(/[^\n]*\n|[^\n]+$/g) ?? [];
      const firstItem = node.children?.[0];
      const indent = firstItem ? indentationAt(jsonText, firstItem.offset) : '    ';
      const closingIndent = indentationAt(jsonText, node.offset);
      text = lines.length === 0 ? '[]' : `[\n${lines.map((line) => indent + JSON.stringify(line)).join(',\n')}\n${closingIndent}]`;
    } else {
      text = JSON.stringify(source);
    }
    replacements.push({ offset: node.offset, length: node.length, text });
  }
  replacements.sort((a, b) => b.offset - a.offset);
  let result = jsonText;
  for (const r of replacements) result = result.slice(0, r.offset) + r.text + result.slice(r.offset + r.length);
  return result;
}

function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return text.slice(lineStart, offset).replace(/\S.*$/, '');
}

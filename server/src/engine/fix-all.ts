import { parseTree, findNodeAtLocation } from 'jsonc-parser';
import type { Engine } from './index';
import type { Analysis, AnalyzeInput, AnalyzeOptions, Finding } from './analyze';
import type { CellInput } from './notebook';
import type { TextEdit } from './rule';
import { applyEdits } from './fixes';
import { applyOverrides, DEFAULT_CONFIG } from './config';

/** Fixes can enable other fixes (an import added once serves the next call): rerun until stable, within reason. */
const MAX_ROUNDS = 10;

export interface FixAllOptions extends AnalyzeOptions {
  /** Only the fixes whose edits all lie in this cell (its index among all the notebook's cells): a cell's `source.fixAll`. */
  onlyCell?: number;
  /** Only this rule's fixes ("Fix all <rule> problems"); only that rule runs. */
  rule?: string;
}

export interface FixOutcome<T> {
  result: T;
  /** How many fixes were applied in all rounds. */
  applied: number;
}

/** One changed text (the script, or a notebook cell by its index among all cells) as the smallest single replacement. */
export interface UnitChange {
  cell?: number;
  edit: TextEdit;
}

export interface FixAllOutcome extends FixOutcome<AnalyzeInput> {
  /** The minimal edit of each text that changed, against the input's text. */
  changes: UnitChange[];
}

/**
 * The one fix engine: applies every safe fix of a script or notebook, round after round (fixes
 * that overlap an earlier one wait for the next round, which reanalyses the fixed text) until
 * none is left, so fix-all is idempotent. `mlready check --fix`, the server's `source.fixAll`
 * (script, one cell, whole notebook), "Fix all <rule> problems", `mlready.fixAll` and the
 * scaffolds' review step all call it. In a notebook, edits land in the cells they concern.
 */
export function fixAll(engine: Engine, input: AnalyzeInput, options: FixAllOptions = {}): FixAllOutcome {
  const { onlyCell, rule, ...analyzeOptions } = options;
  if (rule !== undefined) analyzeOptions.config = applyOverrides(analyzeOptions.config ?? DEFAULT_CONFIG, { select: [rule] });
  const original = input.kind === 'script' ? [input.text] : input.cells.map((cell) => cell.source);
  const texts = [...original];
  const current = (): AnalyzeInput =>
    input.kind === 'script'
      ? { path: input.path, kind: 'script', text: texts[0] }
      : { path: input.path, kind: 'notebook', cells: input.cells.map((cell, index) => ({ ...cell, source: texts[index] })) };
  let applied = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const analysis = engine.analyze(current(), analyzeOptions);
    const accepted = new Map<number, TextEdit[]>();
    for (const finding of analysis.findings) {
      if (rule !== undefined && finding.rule !== rule) continue;
      const placed = placedSafeFix(analysis, finding);
      if (!placed) continue;
      if (onlyCell !== undefined && placed.some(({ unit }) => unit !== onlyCell)) continue;
      if (placed.some(({ unit, edit }) => (accepted.get(unit) ?? []).some((other) => overlaps(edit, other)))) continue;
      for (const { unit, edit } of placed) {
        let list = accepted.get(unit);
        if (!list) accepted.set(unit, (list = []));
        list.push(edit);
      }
      applied++;
    }
    if (accepted.size === 0) break;
    for (const [unit, edits] of accepted) texts[unit] = applyEdits(texts[unit], edits);
  }
  const changes: UnitChange[] = [];
  texts.forEach((text, unit) => {
    if (text !== original[unit]) changes.push({ cell: input.kind === 'notebook' ? unit : undefined, edit: minimalEdit(original[unit], text) });
  });
  return { result: current(), applied, changes };
}

/** The edits of a finding's safe fix, each in its text (the script: 0; a notebook: the cell's index among all cells), or undefined. */
function placedSafeFix(analysis: Analysis, finding: Finding): { unit: number; edit: TextEdit }[] | undefined {
  const fix = finding.fix;
  if (fix?.applicability !== 'safe' || fix.edits.length === 0) return undefined;
  const placed: { unit: number; edit: TextEdit }[] = [];
  for (const edit of fix.edits) {
    const { start, end, text } = edit;
    if (!analysis.notebook) {
      placed.push({ unit: 0, edit: { start, end, text } });
      continue;
    }
    // An edit may end at its cell's closing newline (the joined program's separator).
    const span = analysis.notebook.cells.find((cell) => cell.start <= start && end <= cell.end + 1);
    if (!span) return undefined;
    placed.push({ unit: span.notebookIndex, edit: { start: start - span.start, end: Math.min(end, span.end) - span.start, text } });
  }
  return placed;
}

/** Two edits conflict when their spans overlap or both start at the same point (their order would be a guess). */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === b.start) return true;
  return a.start < b.end && b.start < a.end;
}

/**
 * The smallest single replacement that turns `before` into `after` (common prefix and suffix
 * kept), never splitting a CRLF pair: editor positions cannot point between its two characters.
 */
export function minimalEdit(before: string, after: string): TextEdit {
  let start = 0;
  const shortest = Math.min(before.length, after.length);
  while (start < shortest && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  if (start > 0 && before.charCodeAt(start - 1) === 13 && before.charCodeAt(start) === 10) start--;
  if (endBefore > start && before.charCodeAt(endBefore - 1) === 13 && before.charCodeAt(endBefore) === 10) {
    endBefore++;
    endAfter++;
  }
  return { start, end: endBefore, text: after.slice(start, endAfter) };
}

/** `fixAll` on a script's text. */
export function fixScriptText(engine: Engine, path: string, text: string, options?: FixAllOptions): FixOutcome<string> {
  const { result, applied } = fixAll(engine, { path, kind: 'script', text }, options);
  return { result: result.kind === 'script' ? result.text : text, applied };
}

/** `fixAll` on a notebook's cells: other cells are untouched. */
export function fixNotebookCells(engine: Engine, path: string, cells: readonly CellInput[], options?: FixAllOptions): FixOutcome<CellInput[]> {
  const { result, applied } = fixAll(engine, { path, kind: 'notebook', cells }, options);
  return { result: result.kind === 'notebook' ? [...result.cells] : [...cells], applied };
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

import { parseTree, findNodeAtLocation } from 'jsonc-parser';
import type { Engine } from './index';
import type { Analysis, AnalyzeInput, AnalyzeOptions } from './analyze';
import type { CellInput } from './notebook';
import type { TextEdit } from './rule';
import { applyEdits } from './fixes';
import { changedSpan } from './text';
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
    const plan = new EditPlan(analysis);
    for (const finding of analysis.findings) {
      const fix = finding.fix;
      if (fix?.applicability !== 'safe' || fix.edits.length === 0 || (rule !== undefined && finding.rule !== rule)) continue;
      if (plan.add(fix.edits, onlyCell)) applied++;
    }
    if (plan.empty) break;
    plan.applyTo(texts);
  }
  const changes: UnitChange[] = [];
  texts.forEach((text, unit) => {
    if (text !== original[unit]) changes.push({ cell: input.kind === 'notebook' ? unit : undefined, edit: minimalEdit(original[unit], text) });
  });
  return { result: current(), applied, changes };
}

/**
 * Edits chosen for one round, each group (a fix's edits) all or none: a group is refused when one
 * of its edits overlaps an edit already taken, crosses a cell boundary, or (with `onlyCell`) lies
 * outside that cell. Edits are kept per text: the script (0), or a notebook cell by its index among
 * all cells. The scaffolds' review step uses it for the edits it makes itself.
 */
export class EditPlan {
  private readonly byUnit = new Map<number, TextEdit[]>();

  constructor(private readonly analysis: Analysis) {}

  get empty(): boolean {
    return this.byUnit.size === 0;
  }

  /** Takes a group of edits (offsets in the analysed program); false when refused. */
  add(edits: readonly TextEdit[], onlyCell?: number): boolean {
    const placed: { unit: number; edit: TextEdit }[] = [];
    for (const edit of edits) {
      const where = this.place(edit);
      if (!where || (onlyCell !== undefined && where.unit !== onlyCell)) return false;
      if ((this.byUnit.get(where.unit) ?? []).some((other) => overlaps(where.edit, other))) return false;
      placed.push(where);
    }
    for (const { unit, edit } of placed) {
      let list = this.byUnit.get(unit);
      if (!list) this.byUnit.set(unit, (list = []));
      list.push(edit);
    }
    return true;
  }

  /** Applies the edits taken to the texts (one per script, one per cell, indexed as `add` places them). */
  applyTo(texts: string[]): void {
    for (const [unit, edits] of this.byUnit) texts[unit] = applyEdits(texts[unit], edits);
  }

  /** The same on cells (or a script as one cell): the changed ones are new objects. */
  applyToCells<T extends { source: string }>(cells: readonly T[]): T[] {
    const texts = cells.map((cell) => cell.source);
    this.applyTo(texts);
    return cells.map((cell, index) => (texts[index] === cell.source ? cell : { ...cell, source: texts[index] }));
  }

  private place({ start, end, text }: TextEdit): { unit: number; edit: TextEdit } | undefined {
    const notebook = this.analysis.notebook;
    if (!notebook) return { unit: 0, edit: { start, end, text } };
    // An edit may end at its cell's closing newline (the joined program's separator).
    const span = notebook.cells.find((cell) => cell.start <= start && end <= cell.end + 1);
    if (!span) return undefined;
    return { unit: span.notebookIndex, edit: { start: start - span.start, end: Math.min(end, span.end) - span.start, text } };
  }
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
  let { start, endBefore, endAfter } = changedSpan(before, after);
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

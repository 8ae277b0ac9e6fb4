import { applyEdits, LineIndex, type Engine, type MlreadyConfig, type TextEdit } from '../engine/index';
import { fixNotebookCells, fixScriptText } from '../engine/index';
import { engineInput, targetTexts, targetUnits, type Target } from './documents';
import type { DocumentEdit } from './convert';

/** Fixes can enable other fixes (an import added once serves the next call): rerun until stable, within reason. */
const MAX_PASSES = 10;

/**
 * Applies every safe fix of a script or notebook, as `mlready check --fix` does (the engine's
 * fix-all: fixes that overlap an earlier one wait for the next round, which reanalyses the fixed
 * text). Returns one minimal edit per changed document (the script, or each changed cell).
 * `onlyCell` restricts it to the fixes that lie entirely in one cell (a cell's `source.fixAll`).
 */
export function fixAllEdits(engine: Engine, target: Target, config: MlreadyConfig, onlyCell?: number): DocumentEdit[] {
  const original = targetTexts(target);
  const input = engineInput(target);
  let fixed: string[];
  if (onlyCell !== undefined) fixed = fixWithinCell(engine, target, config, onlyCell);
  else if (input.kind === 'script') fixed = [fixScriptText(engine, input.path, input.text, { config }).result];
  else
    fixed = fixNotebookCells(engine, input.path, input.cells, { config })
      .result.filter((cell) => cell.cellType === 'code')
      .map((cell) => cell.source);
  const units = targetUnits(target);
  const result: DocumentEdit[] = [];
  fixed.forEach((text, unit) => {
    if (text !== original[unit]) result.push({ ...units[unit], ...minimalEdit(original[unit], text) });
  });
  return result;
}

/** Rounds of the safe fixes whose edits all fall in one cell. */
function fixWithinCell(engine: Engine, target: Target, config: MlreadyConfig, onlyUnit: number): string[] {
  const texts = targetTexts(target);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const analysis = engine.analyze(engineInput(target, texts), { config });
    const accepted = new Map<number, TextEdit[]>();
    for (const finding of analysis.findings) {
      const fix = finding.fix;
      if (!fix || fix.applicability !== 'safe' || fix.edits.length === 0) continue;
      const edits = fix.edits.map((edit) => {
        const unit = edit.cell ?? 0;
        const lines = new LineIndex(texts[unit] ?? '');
        return { unit, edit: { start: lines.offset(edit.range.start), end: lines.offset(edit.range.end), text: edit.text } };
      });
      if (edits.some(({ unit }) => unit !== onlyUnit)) continue;
      if (edits.some(({ unit }) => texts[unit] === undefined)) continue;
      if (edits.some(({ unit, edit }) => (accepted.get(unit) ?? []).some((other) => overlaps(edit, other)))) continue;
      for (const { unit, edit } of edits) {
        const list = accepted.get(unit) ?? [];
        list.push(edit);
        accepted.set(unit, list);
      }
    }
    if (accepted.size === 0) break;
    for (const [unit, edits] of accepted) texts[unit] = applyEdits(texts[unit], edits);
  }
  return texts;
}

/** Two edits conflict when their spans overlap or both insert at the same point (order would be a guess). */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === b.start) return true;
  return a.start < b.end && b.start < a.end;
}

/** The smallest single replacement that turns `before` into `after` (common prefix and suffix kept). */
export function minimalEdit(before: string, after: string): Pick<DocumentEdit, 'range' | 'newText'> {
  let start = 0;
  const shortest = Math.min(before.length, after.length);
  while (start < shortest && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  // Never split a CRLF pair: LSP positions cannot point between its two characters.
  if (start > 0 && before.charCodeAt(start - 1) === 13 && before.charCodeAt(start) === 10) start--;
  if (endBefore > start && before.charCodeAt(endBefore - 1) === 13 && before.charCodeAt(endBefore) === 10) {
    endBefore++;
    endAfter++;
  }
  const lines = new LineIndex(before);
  const from = lines.position(start);
  const to = lines.position(endBefore);
  return {
    range: { start: { line: from.line, character: from.column }, end: { line: to.line, character: to.column } },
    newText: after.slice(start, endAfter),
  };
}

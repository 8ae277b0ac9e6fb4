import { fixAll, type Engine, type MlreadyConfig } from '../engine/index';
import { engineInput, targetTexts, targetUnits, tooLargeForLive, type Target } from './documents';
import { documentEdit, type DocumentEdit } from './convert';

/**
 * The engine's fix-all (`fixAll`, as `mlready check --fix` runs it) on an open script or
 * notebook, as one minimal edit per changed document (the script, or each changed cell).
 * `only.cell` (an index into the notebook's code cells) keeps the fixes that lie entirely in
 * that cell (a cell's `source.fixAll`); `only.rule` keeps one rule's ("Fix all <rule> problems").
 */
export function fixAllEdits(engine: Engine, target: Target, config: MlreadyConfig, only: { cell?: number; rule?: string } = {}): DocumentEdit[] {
  // (Not analysed as it is typed, so it shows nothing to fix; `mlready check --fix` fixes it.)
  if (tooLargeForLive(target)) return [];
  const onlyCell = only.cell === undefined || target.kind === 'script' ? undefined : target.cells[only.cell]?.index;
  if (only.cell !== undefined && target.kind === 'notebook' && onlyCell === undefined) return [];
  const { changes } = fixAll(engine, engineInput(target), { config, onlyCell, rule: only.rule });
  const texts = targetTexts(target);
  const units = targetUnits(target);
  return changes.flatMap(({ cell, edit }) => {
    const unit = target.kind === 'script' ? 0 : target.cells.findIndex((snapshot) => snapshot.index === cell);
    if (unit < 0) return [];
    return [documentEdit(units[unit], texts[unit], edit)];
  });
}

import { locate, type Analysis, type AnalyzeInput, type AnalyzeOptions, type Finding, type PlacedEdit } from './analyze';
import type { Engine } from './index';
import type { FixOutcome } from './fix-all';
import { applyEdits } from './fixes';
import type { TextEdit } from './rule';
import { commentLineFor, suppressionEdit } from './suppression';

/**
 * Suppression edits, as Ruff computes its noqa edits: each finding's "ignore on this line" edit,
 * asked for when a face needs it (the server's diagnostics, `mlready check --add-noqa`), so a
 * plain `check` never computes one. The analysis's tree must still be alive (comment nodes).
 */

/**
 * The edit that silences one finding: `# mlready: ignore[rule]` on the line its statement takes a
 * comment on, or the rule added to the directive there. None on the line of an IPython magic
 * (`%%capture`, `%matplotlib inline`): a comment there would become the magic's arguments.
 */
export function ignoreEdit(analysis: Analysis, finding: Finding): PlacedEdit | undefined {
  const line = commentLineFor(analysis.model.root, analysis.lines, finding.start);
  return onMagicLine(analysis, line) ? undefined : placed(analysis, line, [finding.rule]);
}

/** The edits that silence every finding of an analysis: one directive per line, naming its rules once each (`mlready check --add-noqa`); none on magic lines. */
export function ignoreAllEdits(analysis: Analysis): PlacedEdit[] {
  const byLine = new Map<number, Set<string>>();
  for (const finding of analysis.findings) {
    const line = commentLineFor(analysis.model.root, analysis.lines, finding.start);
    if (onMagicLine(analysis, line)) continue;
    let rules = byLine.get(line);
    if (!rules) byLine.set(line, (rules = new Set()));
    rules.add(finding.rule);
  }
  return [...byLine].map(([line, rules]) => placed(analysis, line, [...rules].sort()));
}

/** Whether a line of the program is part of a masked IPython magic (a shell escape's `#` is a shell comment, so `!` lines take one). */
function onMagicLine(analysis: Analysis, line: number): boolean {
  const magics = analysis.notebook?.magics;
  if (!magics || magics.length === 0) return false;
  const { lines } = analysis;
  return magics.some((magic) => magic.kind !== 'shell' && lines.position(magic.start).line <= line && line <= lines.position(magic.end).line);
}

/**
 * Silences every finding of a script or notebook in place (`mlready check --add-noqa`): the
 * input with one directive added per line that has findings; `applied` counts the directives
 * written or extended. Cells without findings are untouched.
 */
export function addIgnores(engine: Engine, input: AnalyzeInput, options?: AnalyzeOptions): FixOutcome<AnalyzeInput> {
  const analysis = engine.analyze(input, options);
  const edits = ignoreAllEdits(analysis);
  if (edits.length === 0) return { result: input, applied: 0 };
  if (input.kind === 'script') return { result: { ...input, text: applyEdits(input.text, edits) }, applied: edits.length };
  const byCell = new Map<number, TextEdit[]>();
  for (const edit of edits) {
    const span = analysis.notebook?.cells[edit.cell ?? 0];
    if (!span) continue;
    let list = byCell.get(span.notebookIndex);
    if (!list) byCell.set(span.notebookIndex, (list = []));
    list.push({ start: edit.start - span.start, end: edit.end - span.start, text: edit.text });
  }
  const cells = input.cells.map((cell, index) => {
    const list = byCell.get(index);
    return list ? { ...cell, source: applyEdits(cell.source, list) } : cell;
  });
  return { result: { ...input, cells }, applied: edits.length };
}

/** "Disable <rule> for this file": `# mlready: ignore-file[rule]` on the first line of the script or first cell (below a shebang). */
export function ignoreFileEdit(firstText: string, rule: string): TextEdit {
  const directive = `# mlready: ignore-file[${rule}]\n`;
  if (!firstText.startsWith('#!')) return { start: 0, end: 0, text: directive };
  const lineEnd = firstText.indexOf('\n');
  if (lineEnd < 0) return { start: firstText.length, end: firstText.length, text: `\n${directive}` };
  return { start: lineEnd + 1, end: lineEnd + 1, text: directive };
}

function placed(analysis: Analysis, line: number, rules: readonly string[]): PlacedEdit {
  const edit = suppressionEdit(analysis.lines, analysis.model.comments, line, rules);
  return { ...edit, ...locate(edit.start, edit.end, analysis.lines, analysis.notebook) };
}

import { DiagnosticSeverity, type Diagnostic, type Range as LspRange } from 'vscode-languageserver/node';
import { LineIndex, type Analysis, type Finding, type PlacedEdit, type Range, type Severity, type TextEdit } from '../engine/index';
import { ignoreEdit } from '../engine/index';
import { rulePageUri } from './rule-pages';
import { targetUnits, type Target } from './documents';

/** An edit in one document (a script, or one notebook cell) at the version it was computed for. */
export interface DocumentEdit {
  uri: string;
  version: number;
  range: LspRange;
  newText: string;
}

export interface FixData {
  title: string;
  applicability: 'safe' | 'unsafe';
  edits: DocumentEdit[];
}

/** What a diagnostic carries in `data`, so a code action needs no second analysis. */
export interface DiagnosticData {
  rule: string;
  /** The finding's whole message; the diagnostic's `message` is its first part (what is wrong), for the Problems panel. */
  fullMessage: string;
  fix: FixData | null;
  /** Appends `# mlready: ignore[rule]` to the finding's line (or extends the directive there); none on an IPython magic's line. */
  ignore?: DocumentEdit;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspRange(range: Range): LspRange {
  return {
    start: { line: range.start.line, character: range.start.column },
    end: { line: range.end.line, character: range.end.column },
  };
}

/**
 * The analysis as diagnostics, grouped by the document they belong to (each notebook cell is
 * its own document). Must run while the analysis's tree is alive: it reads comment nodes.
 */
export function toDiagnostics(target: Target, analysis: Analysis): Map<string, Diagnostic[]> {
  const units = targetUnits(target);
  const byUri = new Map<string, Diagnostic[]>(units.map((unit) => [unit.uri, []]));
  for (const finding of analysis.findings) {
    const unit = units[finding.cell ?? 0];
    if (!unit) continue;
    const data: DiagnosticData = {
      rule: finding.rule,
      fullMessage: finding.message,
      fix: finding.fix
        ? {
            title: finding.fix.title,
            applicability: finding.fix.applicability,
            edits: finding.fix.edits.flatMap((edit) => placeEdit(units, edit)),
          }
        : null,
      ignore: ignoreOf(units, analysis, finding),
    };
    byUri.get(unit.uri)!.push({
      range: toLspRange(finding.range),
      severity: SEVERITY[finding.severity],
      code: finding.rule,
      codeDescription: { href: rulePageUri(finding.rule) },
      source: 'mlready',
      message: whatIsWrong(finding.message),
      data,
    });
  }
  return byUri;
}

/**
 * The part of a finding's message that says what is wrong: up to the first `: `, `; ` or `. `
 * outside backticks ("`train_test_split` without `random_state`"). The rest (why, what to do)
 * is in the hover.
 */
export function whatIsWrong(message: string): string {
  let inCode = false;
  for (let i = 0; i < message.length - 1; i++) {
    const c = message[i];
    if (c === '`') inCode = !inCode;
    else if (!inCode && (c === ':' || c === ';' || c === '.') && message[i + 1] === ' ' && i > 0) return message.slice(0, i);
  }
  return message;
}

/** An engine edit in offsets of `text` (a script, or one cell) as an edit of the document `unit`. */
export function documentEdit(unit: { uri: string; version: number }, text: string, edit: TextEdit): DocumentEdit {
  const lines = new LineIndex(text);
  return { uri: unit.uri, version: unit.version, range: toLspRange({ start: lines.position(edit.start), end: lines.position(edit.end) }), newText: edit.text };
}

function ignoreOf(units: readonly { uri: string; version: number }[], analysis: Analysis, finding: Finding): DocumentEdit | undefined {
  const edit = ignoreEdit(analysis, finding);
  return edit && placeEdit(units, edit)[0];
}

function placeEdit(units: readonly { uri: string; version: number }[], edit: PlacedEdit): DocumentEdit[] {
  const unit = units[edit.cell ?? 0];
  return unit ? [{ uri: unit.uri, version: unit.version, range: toLspRange(edit.range), newText: edit.text }] : [];
}

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  const data = value as DiagnosticData | undefined;
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof data.rule === 'string' &&
    (data.ignore === undefined || (typeof data.ignore === 'object' && data.ignore !== null))
  );
}

import { MarkupKind, type Hover, type HoverParams, type Position, type Range } from 'vscode-languageserver/node';
import { findRule, renderRuleMarkdown } from '../engine';
import type { DiagnosticsPublisher } from './diagnostics';

/** Hovering an mlready diagnostic shows its rule's page: what, why, example, use instead. */
export function hover(params: HoverParams, diagnostics: DiagnosticsPublisher): Hover | null {
  const here = diagnostics.diagnosticsOn(params.textDocument.uri).filter((d) => contains(d.range, params.position));
  const rules = [...new Set(here.map((d) => String(d.code)))].flatMap((name) => findRule(name) ?? []);
  if (rules.length === 0) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: rules.map((rule) => renderRuleMarkdown(rule)).join('\n\n---\n\n') },
    range: here[0].range,
  };
}

function contains(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

import { MarkupKind, type Hover, type HoverParams, type Position, type Range } from 'vscode-languageserver/node';
import { findRule, renderRuleMarkdown, type Rule } from '../engine';
import { rulePageUri } from './rule-pages';
import { isDiagnosticData } from './convert';
import type { DiagnosticsPublisher } from './diagnostics';
import type { DocumentStore } from './documents';

/**
 * Hovering a finding is short, as Ruff's is: the whole message (the Problems panel shows its first
 * sentence), one sentence of why, the fix if there is one, and a link to the rule's page. The
 * full page shows when hovering a rule's name in a suppression comment (`# mlready: ignore[rule]`).
 */
export function hover(params: HoverParams, diagnostics: DiagnosticsPublisher, store: DocumentStore): Hover | null {
  const inComment = suppressedRuleAt(store, params.textDocument.uri, params.position);
  if (inComment) {
    return { contents: { kind: MarkupKind.Markdown, value: renderRuleMarkdown(inComment.rule) }, range: inComment.range };
  }
  const here = diagnostics.diagnosticsOn(params.textDocument.uri).filter((d) => contains(d.range, params.position));
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const diagnostic of here) {
    const rule = findRule(String(diagnostic.code));
    if (!rule || seen.has(rule.name)) continue;
    seen.add(rule.name);
    const data = isDiagnosticData(diagnostic.data) ? diagnostic.data : undefined;
    const lines = [`**${rule.name}**: ${data?.fullMessage ?? diagnostic.message}`, '', firstSentence(rule.docs.why)];
    if (data?.fix) lines.push('', `Fix: ${data.fix.title}${data.fix.applicability === 'unsafe' ? ' (unsafe: check the result)' : ''}.`);
    lines.push('', `[Rule page](${rulePageUri(rule.name)})`);
    parts.push(lines.join('\n'));
  }
  if (parts.length === 0) return null;
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, range: here[0].range };
}

/** The first sentence of a text (up to `. ` outside backticks). */
export function firstSentence(text: string): string {
  let inCode = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') inCode = !inCode;
    else if (!inCode && c === '.' && (i + 1 === text.length || text[i + 1] === ' ' || text[i + 1] === '\n')) return text.slice(0, i + 1);
  }
  return text;
}

/** The rule whose name is under the cursor in a `# mlready: ignore[…]` comment, if any. */
function suppressedRuleAt(store: DocumentStore, uri: string, position: Position): { rule: Rule; range: Range } | undefined {
  const line = store.lineText(uri, position.line);
  if (line === undefined) return undefined;
  const hash = line.indexOf('#');
  if (hash < 0 || position.character < hash) return undefined;
  const directive = /mlready:\s*ignore(?:-file)?\[([^\]]*)\]/g;
  directive.lastIndex = hash;
  for (let match = directive.exec(line); match; match = directive.exec(line)) {
    let offset = match.index + match[0].indexOf('[') + 1;
    for (const part of match[1].split(',')) {
      const name = part.trim();
      const start = offset + part.indexOf(name);
      if (name && position.character >= start && position.character <= start + name.length) {
        const rule = findRule(name);
        return rule
          ? { rule, range: { start: { line: position.line, character: start }, end: { line: position.line, character: start + name.length } } }
          : undefined;
      }
      offset += part.length + 1;
    }
  }
  return undefined;
}

function contains(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

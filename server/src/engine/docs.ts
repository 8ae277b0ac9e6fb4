import { CATEGORIES, type Rule } from './rule';

/** A rule's page, generated from its metadata into docs/rules/<name>.md and shown on hover. */
export function renderRuleMarkdown(rule: Rule, options: { heading?: boolean } = {}): string {
  const { docs } = rule;
  const lines: string[] = [];
  if (options.heading !== false) lines.push(`# ${rule.name}`, '');
  const fix = rule.fix ? `${rule.fix} fix available` : 'no fix';
  lines.push(`*${CATEGORIES[rule.category]}* · default severity **${rule.severity}** · ${fix}`, '');
  lines.push('## What it does', '', docs.what, '');
  lines.push('## Why is this bad?', '', docs.why, '');
  lines.push('## Example', '', '```python', docs.example, '```', '');
  lines.push('Use instead:', '', '```python', docs.useInstead, '```', '');
  if (docs.fixSafety) lines.push('## Fix safety', '', docs.fixSafety, '');
  if (docs.notes) lines.push('## Decisions', '', docs.notes, '');
  if (docs.realCode) lines.push('## On real code', '', docs.realCode, '');
  lines.push(
    '## Suppression',
    '',
    `Add \`# mlready: ignore[${rule.name}]\` at the end of the line, or \`# mlready: ignore-file[${rule.name}]\` anywhere in the file, or list it under \`ignore\` in \`[tool.mlready]\`.`,
    '',
  );
  return lines.join('\n');
}

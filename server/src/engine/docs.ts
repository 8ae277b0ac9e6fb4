import { CATEGORIES, type Rule } from './rule';

const TEST_MODULES_SKIPPED =
  'Unit-test modules are not checked: the files pytest collects (`test_*.py`, `*_test.py`, `conftest.py`) and modules that import `pytest` or `unittest`. What the rule asks of production code does not hold for test fixtures.';

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
  const decisions = [docs.notes, rule.skipTestModules ? TEST_MODULES_SKIPPED : undefined].filter((text): text is string => text !== undefined);
  if (decisions.length) lines.push('## Decisions', '', decisions.join('\n\n'), '');
  if (docs.realCode) lines.push('## On real code', '', docs.realCode, '');
  lines.push(
    '## Suppression',
    '',
    `Add \`# mlready: ignore[${rule.name}]\` at the end of the line, or \`# mlready: ignore-file[${rule.name}]\` anywhere in the file, or list it under \`ignore\` in \`[tool.mlready]\`.`,
    '',
  );
  return lines.join('\n');
}

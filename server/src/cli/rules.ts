import { parseArgs } from 'node:util';
import { RULES, CATEGORIES, findRule, ruleUrl, renderRuleMarkdown } from '../engine/index';
import { UsageError, type CliIo } from './io';

/** `mlready rules`: the rules by category, with severity and fix availability. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { format: { type: 'string', default: 'text' } } });
  if (values.format === 'json') {
    io.out(
      JSON.stringify(
        RULES.map((rule) => ({
          name: rule.name,
          category: rule.category,
          severity: rule.severity,
          fix: rule.fix ?? null,
          summary: rule.summary,
          url: ruleUrl(rule.name),
        })),
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  if (values.format !== 'text') throw new UsageError(`--format must be text or json, not "${values.format}"`);
  const width = Math.max(...RULES.map((rule) => rule.name.length));
  for (const [category, title] of Object.entries(CATEGORIES)) {
    const rules = RULES.filter((rule) => rule.category === category);
    if (rules.length === 0) continue;
    io.out(`${title}\n`);
    for (const rule of rules) {
      const fix = rule.fix ? `${rule.fix} fix` : 'no fix';
      io.out(`  ${rule.name.padEnd(width)}  ${rule.severity.padEnd(7)}  ${fix.padEnd(10)}  ${rule.summary}\n`);
    }
    io.out('\n');
  }
  io.out(`${RULES.length} rules. \`mlready rule NAME\` prints a rule's page.\n`);
  return 0;
}

/** `mlready rule NAME`: one rule's page. */
export async function runOne(argv: string[], io: CliIo): Promise<number> {
  const name = argv[0];
  if (!name) throw new UsageError('usage: mlready rule NAME');
  const rule = findRule(name);
  if (!rule) throw new UsageError(`unknown rule "${name}" (run \`mlready rules\` for the list)`);
  io.out(renderRuleMarkdown(rule) + `\n${ruleUrl(rule.name)}\n`);
  return 0;
}

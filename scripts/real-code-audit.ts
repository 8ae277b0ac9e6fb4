/**
 * The real-code audit of the LLM and serving rules (docs/real-code-audit.md): runs the audited
 * rules on the extracted checkouts of the repositories in docs/audit/repos.txt, joins every
 * finding with its verdict in docs/audit/llm-rules.csv, and prints the figures per rule.
 *
 *   node --import tsx scripts/real-code-audit.ts <folder>            figures, then unlabelled findings
 *   node --import tsx scripts/real-code-audit.ts <folder> --check    exit 1 on an unlabelled finding or precision < 0.95
 *   node --import tsx scripts/real-code-audit.ts <folder> --todo     CSV rows (verdict empty) for the unlabelled findings
 *
 * <folder> holds one <owner>+<name>/ folder per repository (scripts/audit-checkout.sh writes it).
 * Another audit reuses the script with its own list, verdicts and rules:
 *   --list docs/audit/repos.txt,docs/audit/serving-repos.txt --verdicts docs/audit/serving-rules.csv --rules a,b,c
 * A verdict `FP (fixed)` keeps a false positive that a fix removed (column `FP fixed`); one that came back is unlabelled.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { createEngine, findRule, type Rule } from '../server/src/engine/index';

export const AUDITED_RULES = [
  'llm-call-without-timeout',
  'unvalidated-llm-output',
  'unpinned-model-download',
  'blocking-call-in-async-handler',
  'debug-server',
  'syntax-error',
  'unsafe-deserialization',
];

const root = path.join(__dirname, '..');
const args = process.argv.slice(2);
/** The value after an option (`--list <file>`), or undefined. */
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const optionValues = new Set(['--list', '--verdicts', '--rules'].map(option).filter((v): v is string => v !== undefined));
const folder = args.find((a) => !a.startsWith('--') && !optionValues.has(a));
if (!folder) {
  console.error('usage: real-code-audit.ts <folder of checkouts> [--check] [--todo]');
  process.exit(2);
}

interface Verdict {
  repo: string;
  commit: string;
  path: string;
  line: string;
  rule: string;
  verdict: 'TP' | 'FP' | 'FP (fixed)';
  reason: string;
}

const repos = (option('--list') ?? 'docs/audit/repos.txt')
  .split(',')
  .map((list) => fs.readFileSync(path.resolve(root, list), 'utf8'))
  .join('\n')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => {
    const [repo, commit] = l.trim().split(/\s+/);
    return { repo, commit };
  });
const csvFile = path.resolve(root, option('--verdicts') ?? 'docs/audit/llm-rules.csv');
const verdicts: Verdict[] = fs.existsSync(csvFile)
  ? (parseCsv(fs.readFileSync(csvFile, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[]).map((r) => ({
      repo: r.repo,
      commit: r.commit,
      path: r.path,
      line: r.line,
      rule: r.rule,
      verdict: r.verdict as Verdict['verdict'],
      reason: r.reason,
    }))
  : [];
const key = (repo: string, file: string, line: number | string, rule: string) => `${repo}|${file}|${line}|${rule}`;
// `FP (fixed)`: false positives of an earlier version, kept for the record; they no longer match a finding.
const byKey = new Map(verdicts.filter((v) => v.verdict !== 'FP (fixed)').map((v) => [key(v.repo, v.path, v.line, v.rule), v]));
const fixedByRule = (rule: string) => verdicts.filter((v) => v.verdict === 'FP (fixed)' && v.rule === rule).length;

function* walk(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile() && (entry.name.endsWith('.py') || entry.name.endsWith('.ipynb'))) yield full;
  }
}

async function main(): Promise<void> {
  const engine = await createEngine();
  const audited = option('--rules')?.split(',') ?? AUDITED_RULES;
  const rules = audited.map((name) => findRule(name)).filter((r): r is Rule => r !== undefined);
  const counts = new Map(audited.map((r) => [r, { findings: 0, tp: 0, fp: 0, unlabelled: 0 }]));
  const unlabelled: string[] = [];
  /** Findings per labelled place (a line may hold more than one), to list the labelled ones that are gone. */
  const matched = new Map<string, number>();
  let files = 0;
  for (const { repo, commit } of repos) {
    const dir = path.join(folder!, repo.replace('/', '+'));
    if (!fs.existsSync(dir)) {
      console.error(`missing checkout: ${dir}`);
      continue;
    }
    for (const file of walk(dir)) {
      const relative = path.relative(dir, file).split(path.sep).join('/');
      const result = engine.analyzeFile(file, { displayPath: relative, rules });
      if (!result.ok) continue;
      files++;

      for (const finding of result.findings) {
        // In the default audit, unsafe-deserialization is audited for what issue 15 added to it:
        // LangChain's opt-ins. Named with --rules, the rule is audited whole.
        if (!option('--rules') && finding.rule === 'unsafe-deserialization' && !finding.message.includes('allow_dangerous_')) continue;
        const line = (finding.cell !== undefined ? `${finding.cell}:` : '') + String(finding.range.start.line + 1);
        const count = counts.get(finding.rule)!;
        count.findings++;
        const findingKey = key(repo, relative, line, finding.rule);
        matched.set(findingKey, (matched.get(findingKey) ?? 0) + 1);
        const verdict = byKey.get(findingKey);
        if (!verdict) {
          count.unlabelled++;
          unlabelled.push([repo, commit, relative, line, finding.rule, '', JSON.stringify(finding.message)].join(','));
        } else if (verdict.verdict === 'TP') count.tp++;
        else count.fp++;
      }
    }
  }
  if (args.includes('--todo')) {
    for (const row of unlabelled) console.log(row);
    return;
  }
  console.log(`${repos.length} repositories, ${files} files`);
  console.log('rule                            findings   TP   FP  unlabelled  precision  FP fixed');
  let failed = unlabelled.length > 0;
  for (const [rule, c] of counts) {
    const labelled = c.tp + c.fp;
    const precision = labelled ? c.tp / labelled : null;
    if (precision !== null && precision < 0.95) failed = true;
    console.log(
      `${rule.padEnd(32)}${String(c.findings).padStart(8)}${String(c.tp).padStart(5)}${String(c.fp).padStart(5)}${String(c.unlabelled).padStart(12)}  ${(precision === null ? '—' : precision.toFixed(2)).padStart(9)}${String(fixedByRule(rule)).padStart(10)}`,
    );
  }
  if (unlabelled.length) console.log(`\nunlabelled (${unlabelled.length}):\n${unlabelled.join('\n')}`);
  // Labelled findings no longer reported (of the audited rules and repositories): what a change removed.
  const audit = new Set(audited);
  const checkedRepos = new Set(repos.map((r) => r.repo));
  const vanished = verdicts.filter((v) => {
    if (v.verdict === 'FP (fixed)' || !audit.has(v.rule) || !checkedRepos.has(v.repo)) return false;
    const k = key(v.repo, v.path, v.line, v.rule);
    const left = matched.get(k) ?? 0;
    if (left > 0) matched.set(k, left - 1);
    return left === 0;
  });
  if (vanished.length)
    console.log(`\nlabelled, no longer reported (${vanished.length}):\n${vanished.map((v) => `${v.verdict} ${v.path}:${v.line} ${v.rule}`).join('\n')}`);
  if (args.includes('--check') && failed) process.exit(1);
}

void main();

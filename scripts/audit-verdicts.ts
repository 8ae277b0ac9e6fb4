/**
 * Per-rule precision of a real-code audit: matches the findings of `mlready check --format json`,
 * run on the folder scripts/audit-checkout.sh wrote, against the verdicts kept in a CSV
 * (repo, commit, path, cell, line, rule, verdict, reason).
 *
 *   node --import tsx scripts/audit-verdicts.ts <findings.json> <verdicts.csv> [rule,rule...] [--fixed-only]
 *
 * With --fixed-only, only the false positives marked fixed are checked (for rules whose findings were
 * not all read, only the cases a fix was made for).
 * Prints, per rule, the findings labelled TP and FP, those with no verdict (to read and label), and
 * the verdicts marked `FP (fixed)` that are back. Exits 1 when a finding has no verdict or a fixed
 * false positive is back.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

interface Finding { rule: string; line: number; cell?: number }
interface Report { files: { path: string; findings: Finding[] }[] }
type Verdict = { repo: string; commit: string; path: string; cell: string; line: string; rule: string; verdict: string; reason: string };

const fixedOnly = process.argv.includes('--fixed-only');
const [findingsPath, verdictsPath, only] = process.argv.slice(2).filter((arg) => arg !== '--fixed-only');
if (!findingsPath || !verdictsPath) {
  console.error('usage: audit-verdicts.ts <findings.json> <verdicts.csv> [rule,rule...]');
  process.exit(2);
}
const report = JSON.parse(readFileSync(findingsPath, 'utf8')) as Report;
const verdicts = parse(readFileSync(verdictsPath, 'utf8'), { columns: true, skip_empty_lines: true }) as Verdict[];
const selected = only ? new Set(only.split(',')) : undefined;

const key = (repo: string, path: string, cell: string | number | undefined, line: string | number, rule: string): string =>
  `${repo.replace('/', '+')}/${path}|${cell ?? ''}|${line}|${rule}`;
const byKey = new Map(verdicts.map((v) => [key(v.repo, v.path, v.cell, v.line, v.rule), v]));

const stats = new Map<string, { tp: number; fp: number; unlabelled: string[]; back: string[] }>();
const statsOf = (rule: string) => {
  let s = stats.get(rule);
  if (!s) stats.set(rule, (s = { tp: 0, fp: 0, unlabelled: [], back: [] }));
  return s;
};
// The report's paths are relative to where check ran, or absolute: the repository is the first part
// of the path named like one of the verdicts' repositories (`owner+name`).
const repositories = new Set(verdicts.map((v) => v.repo.replace('/', '+')));
for (const file of report.files) {
  const parts = file.path.split('/');
  const at = Math.max(0, parts.findIndex((part) => repositories.has(part)));
  const repo = parts[at];
  const path = parts.slice(at + 1).join('/');
  for (const finding of file.findings) {
    if (selected && !selected.has(finding.rule)) continue;
    const s = statsOf(finding.rule);
    const where = `${file.path}${finding.cell !== undefined ? ` cell ${finding.cell}` : ''}:${finding.line}`;
    const verdict = byKey.get(key(repo, path, finding.cell, finding.line, finding.rule));
    if (!verdict) s.unlabelled.push(where);
    else if (verdict.verdict === 'TP') s.tp++;
    else if (verdict.verdict === 'FP') s.fp++;
    else s.back.push(`${where} (${verdict.reason})`);
  }
}
for (const v of verdicts) if (!selected || selected.has(v.rule)) statsOf(v.rule);
for (const rule of selected ?? []) statsOf(rule);

let failed = false;
console.log('rule                          findings    TP    FP  precision  unlabelled  fixed FP back');
for (const [rule, s] of [...stats].sort(([a], [b]) => a.localeCompare(b))) {
  const total = s.tp + s.fp;
  const precision = total === 0 ? '   n/a' : (s.tp / total).toFixed(2).padStart(6);
  console.log(`${rule.padEnd(30)}${String(total + s.unlabelled.length + s.back.length).padStart(8)}${String(s.tp).padStart(6)}${String(s.fp).padStart(6)}     ${precision}${String(s.unlabelled.length).padStart(12)}${String(s.back.length).padStart(15)}`);
  if (!fixedOnly) for (const where of s.unlabelled) console.log(`  no verdict: ${where}`);
  for (const where of s.back) console.log(`  fixed false positive is back: ${where}`);
  if ((!fixedOnly && s.unlabelled.length > 0) || s.back.length > 0) failed = true;
}
process.exit(failed ? 1 : 0);

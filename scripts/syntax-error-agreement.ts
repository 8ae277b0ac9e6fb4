/**
 * How often `syntax-error` reports a broken file where Python 3 does: reads the cases written by
 * scripts/syntax-error-mutations.py (real files given one random syntax error each, with
 * `ast.parse`'s line and column) and prints, of N files, how many get their first finding on
 * Python's line, on its line and column, and none at all.
 *
 *   python3 scripts/syntax-error-mutations.py /tmp/audit-sw 1 400 > /tmp/cases.jsonl
 *   node --import tsx scripts/syntax-error-agreement.ts /tmp/cases.jsonl
 */
import * as fs from 'node:fs';
import { createEngine, RULES } from '../server/src/engine/index';

interface Case {
  file: string;
  text: string;
  line: number;
  col: number;
  kind: string;
}

async function main(file: string): Promise<void> {
  const engine = await createEngine();
  const rules = RULES.filter((rule) => rule.name === 'syntax-error');
  const cases = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Case);
  const byKind = new Map<string, { files: number; line: number; exact: number; none: number }>();
  for (const c of cases) {
    const counts = byKind.get(c.kind) ?? { files: 0, line: 0, exact: 0, none: 0 };
    byKind.set(c.kind, counts);
    counts.files++;
    const first = engine.analyze({ path: 'case.py', kind: 'script', text: c.text }, { rules }).findings.sort((a, b) => a.start - b.start)[0];
    if (!first) counts.none++;
    else if (first.range.start.line + 1 === c.line) {
      counts.line++;
      if (first.range.start.column + 1 === c.col) counts.exact++;
    }
  }
  const total = { files: 0, line: 0, exact: 0, none: 0 };
  for (const [kind, counts] of byKind) {
    console.log(`${kind}: ${counts.files} files, Python's line ${counts.line}, line and column ${counts.exact}, no finding ${counts.none}`);
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += counts[key];
  }
  console.log(`all: ${total.files} files, Python's line ${total.line}, line and column ${total.exact}, no finding ${total.none}`);
}

main(process.argv[2] ?? '').catch((error) => {
  console.error(error);
  process.exit(1);
});

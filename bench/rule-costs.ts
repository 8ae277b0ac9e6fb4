/**
 * What each rule costs on its own: the analysis with that one rule minus the analysis with no
 * rule (parse + semantic model), on the 1k/10k/50k-line files. A rule whose cost grows faster than
 * the file does is the one to look at first.
 *
 *   node --import tsx bench/rule-costs.ts [1k,10k,50k] [--runs N] [--rules a,b]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureCorpus } from './generate';
import { summarize } from './run';

const ROOT = path.resolve(__dirname, '..');

async function main(argv: string[]): Promise<void> {
  let sizes = ['1k', '10k', '50k'] as ('1k' | '10k' | '50k')[];
  let runs = 5;
  let only: Set<string> | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Number(argv[++i]);
    else if (argv[i] === '--rules') only = new Set(argv[++i].split(','));
    else sizes = argv[i].split(',') as typeof sizes;
  }
  const corpus = ensureCorpus(path.join(ROOT, '.bench'));
  const mod = await import('../server/src/engine/index');
  const engine = await mod.createEngine();
  const texts = sizes.map((size) => fs.readFileSync(corpus.single[size], 'utf8'));
  const time = (text: string, rules: readonly (typeof mod.RULES)[number][]): number => {
    const samples: number[] = [];
    engine.analyze({ path: 'bench.py', kind: 'script', text }, { rules });
    // CPU time of this thread's process, not wall time: on a shared machine it is far steadier.
    for (let i = 0; i < runs; i++) {
      const c = process.cpuUsage();
      engine.analyze({ path: 'bench.py', kind: 'script', text }, { rules });
      const used = process.cpuUsage(c);
      samples.push((used.user + used.system) / 1000);
    }
    return summarize(samples).median;
  };
  const base = texts.map((text) => time(text, []));
  const all = texts.map((text) => time(text, mod.RULES));
  const rows: string[][] = [['rule', ...sizes.map((s) => `${s} ms`), 'growth 1k→largest vs lines']];
  rows.push(['(parse + model, no rule)', ...base.map((v) => v.toFixed(1)), '']);
  const costs: { name: string; cost: number[] }[] = [];
  for (const rule of mod.RULES) {
    if (only && !only.has(rule.name)) continue;
    const cost = texts.map((text, i) => Math.max(0, time(text, [rule]) - base[i]));
    costs.push({ name: rule.name, cost });
  }
  costs.sort((a, b) => b.cost[b.cost.length - 1] - a.cost[a.cost.length - 1]);
  const lineRatio = Number(sizes[sizes.length - 1].replace('k', '')) / Number(sizes[0].replace('k', ''));
  for (const { name, cost } of costs) {
    const growth = cost[0] > 0.05 && sizes.length > 1 ? (cost[cost.length - 1] / cost[0] / lineRatio).toFixed(1) + 'x' : '';
    rows.push([name, ...cost.map((v) => v.toFixed(1)), growth]);
  }
  rows.push(['(all rules)', ...all.map((v, i) => (v - base[i]).toFixed(1)), '']);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  console.log(`\nCPU ms, median of ${runs} runs each; "growth" > 1x means the rule's cost grows faster than the file (1x = linear).`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`rule-costs failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

/**
 * What each rule costs on its own: the analysis with that one rule minus the analysis with no
 * rule (the semantic model alone), on the 1k/10k/50k-line files, both on the same copy of the
 * tree so the parse is out of the figure. A rule whose cost grows faster than the file does is
 * the one to look at first.
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
  const syntaxes = texts.map((text) => engine.parser.parseSyntax(text));
  const once = (i: number, rules: readonly (typeof mod.RULES)[number][]): number => {
    const started = performance.now();
    engine.analyze({ path: 'bench.py', kind: 'script', text: texts[i] }, { rules, syntaxTree: () => syntaxes[i] });
    return performance.now() - started;
  };
  /** Median over runs of (with `rules`) minus (with none), timed back to back in alternating order. */
  const costOf = (i: number, rules: readonly (typeof mod.RULES)[number][]): number => {
    once(i, rules);
    once(i, []);
    const differences: number[] = [];
    for (let run = 0; run < runs; run++) {
      if (run % 2 === 0) {
        const withRules = once(i, rules);
        differences.push(withRules - once(i, []));
      } else {
        const without = once(i, []);
        differences.push(once(i, rules) - without);
      }
    }
    return summarize(differences).median;
  };
  const time = (i: number, rules: readonly (typeof mod.RULES)[number][]): number => {
    once(i, rules);
    const samples: number[] = [];
    for (let run = 0; run < runs; run++) samples.push(once(i, rules));
    return summarize(samples).median;
  };
  const base = texts.map((_, i) => time(i, []));
  const all = texts.map((_, i) => costOf(i, mod.RULES));
  const rows: string[][] = [['rule', ...sizes.map((s) => `${s} ms`), 'growth 1k→largest vs lines']];
  rows.push(['(model, no rule)', ...base.map((v) => v.toFixed(1)), '']);
  const costs: { name: string; cost: number[] }[] = [];
  for (const rule of mod.RULES) {
    if (only && !only.has(rule.name)) continue;
    const cost = texts.map((_, i) => Math.max(0, costOf(i, [rule])));
    costs.push({ name: rule.name, cost });
  }
  costs.sort((a, b) => b.cost[b.cost.length - 1] - a.cost[a.cost.length - 1]);
  const lineRatio = Number(sizes[sizes.length - 1].replace('k', '')) / Number(sizes[0].replace('k', ''));
  for (const { name, cost } of costs) {
    const growth = cost[0] > 0.05 && sizes.length > 1 ? (cost[cost.length - 1] / cost[0] / lineRatio).toFixed(1) + 'x' : '';
    rows.push([name, ...cost.map((v) => v.toFixed(1)), growth]);
  }
  rows.push(['(all rules)', ...all.map((v) => v.toFixed(1)), '']);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  console.log(
    `\nms, median of ${runs} paired runs each (the copy of the tree made once, outside the figures); "growth" > 1x means the rule's cost grows faster than the file (1x = linear).`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`rule-costs failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

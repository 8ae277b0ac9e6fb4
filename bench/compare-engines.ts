/**
 * A first analysis (what `mlready check` does per file: no analysis cache) with this checkout's
 * engine against another checkout's, in one process, alternating, in CPU time: the paired ratio
 * says whether a change made cold analysis slower, robustly on a shared machine.
 *
 *   node --import tsx bench/compare-engines.ts <other checkout> [1k,10k,50k]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureCorpus } from './generate';

const ROOT = path.resolve(__dirname, '..');

async function main(argv: string[]): Promise<void> {
  const other = argv[0];
  if (!other || !fs.existsSync(path.join(other, 'server/src/engine/index.ts'))) throw new Error('usage: compare-engines.ts <other checkout> [1k,10k,50k]');
  const sizes = (argv[1] ?? '1k,10k,50k').split(',') as ('1k' | '10k' | '50k')[];
  const corpus = ensureCorpus(path.join(ROOT, '.bench'));
  const mine = await (await import('../server/src/engine/index')).createEngine();
  const theirs = await (await import(path.resolve(other, 'server/src/engine/index.ts'))).createEngine();
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  for (const size of sizes) {
    const text = fs.readFileSync(corpus.single[size], 'utf8');
    const pairs = size === '50k' ? 7 : size === '10k' ? 21 : 81;
    const time = (engine: typeof mine): number => {
      const start = process.cpuUsage();
      engine.analyze({ path: 'bench.py', kind: 'script', text });
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1000;
    };
    for (let i = 0; i < 2; i++) time(mine), time(theirs);
    const a: number[] = [];
    const b: number[] = [];
    const ratio: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const [x, y] = i % 2 ? [time(mine), time(theirs)] : [0, time(theirs)];
      const mineTime = i % 2 ? x : time(mine);
      a.push(mineTime);
      b.push(y);
      ratio.push(mineTime / y);
    }
    console.log(
      `${size}: this checkout ${median(a).toFixed(1)} ms CPU, ${other} ${median(b).toFixed(1)} ms CPU, paired ratio ${median(ratio).toFixed(2)} (${pairs} pairs)`,
    );
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

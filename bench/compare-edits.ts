/**
 * Edits analysed as the server analyses them (tree cache and analysis cache) by this checkout's
 * engine and by another checkout's, in one process, alternating which goes first, in CPU time:
 * one-character edits of the 2,000-line bench file (the edits of `bench/run.ts`'s `edit` row) and
 * one-cell edits of the 300-cell bench notebook (as `bench/incremental.ts` types them). The paired
 * ratio says whether a change made edits faster, robustly on a shared machine; the findings of
 * both engines are compared after every edit.
 *
 *   node --import tsx bench/compare-edits.ts <other checkout> [--edits N]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureCorpus } from './generate';
import { editSequence } from './run';
import type { AnalyzeInput } from '../server/src/engine/index';

const ROOT = path.resolve(__dirname, '..');

async function main(argv: string[]): Promise<void> {
  const other = argv[0];
  if (!other || !fs.existsSync(path.join(other, 'server/src/engine/index.ts'))) throw new Error('usage: compare-edits.ts <other checkout> [--edits N]');
  const edits = Number(argv[argv.indexOf('--edits') + 1]) || 200;
  const corpus = ensureCorpus(path.join(ROOT, '.bench'));
  const mod = await import('../server/src/engine/index');
  const mine = await mod.createEngine();
  const theirs = await (await import(path.resolve(other, 'server/src/engine/index.ts'))).createEngine();
  const cpu = (run: () => void): number => {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  const stats = (values: number[]): string => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return `median ${at(0.5).toFixed(2)}, p95 ${at(0.95).toFixed(2)}`;
  };

  const compare = (label: string, inputs: AnalyzeInput[]): void => {
    const key = `bench://compare-edits/${label}`;
    type Engine = typeof mine;
    const run = (engine: Engine) => (input: AnalyzeInput) =>
      engine.analyze(input, { syntaxTree: (t: string) => engine.trees.syntax(key, t), cache: engine.trees.analysisCache(key) });
    const a = run(mine);
    const b = run(theirs as Engine);
    // Warm-up: the first analysis fills the caches, then a few edits let the JIT settle.
    for (const input of inputs.slice(0, 6)) a(input), b(input);
    const times = { mine: [] as number[], theirs: [] as number[], ratio: [] as number[] };
    inputs.slice(6).forEach((input, i) => {
      let x: ReturnType<typeof a> | undefined;
      let y: ReturnType<typeof a> | undefined;
      let tx = 0;
      let ty = 0;
      if (i % 2 === 0) {
        tx = cpu(() => (x = a(input)));
        ty = cpu(() => (y = b(input)));
      } else {
        ty = cpu(() => (y = b(input)));
        tx = cpu(() => (x = a(input)));
      }
      times.mine.push(tx);
      times.theirs.push(ty);
      times.ratio.push(tx / ty);
      if (JSON.stringify(x!.findings) !== JSON.stringify(y!.findings)) throw new Error(`${label}: findings differ after edit ${i + 1}`);
    });
    mine.trees.drop(key);
    theirs.trees.drop(key);
    console.log(
      `${label} (${inputs.length - 6} edits): this checkout ${stats(times.mine)} ms CPU; ${other} ${stats(times.theirs)} ms CPU; paired ratio ${stats(times.ratio)}; findings identical`,
    );
  };

  const text = fs.readFileSync(corpus.edit, 'utf8');
  const scripts: AnalyzeInput[] = [{ path: 'bench/edit.py', kind: 'script', text }];
  let current = text;
  for (const edit of editSequence(text, edits, 1).slice(0, edits)) {
    current = current.slice(0, edit.offset) + edit.insert + current.slice(edit.offset + edit.remove);
    scripts.push({ path: 'bench/edit.py', kind: 'script', text: current });
  }
  compare('1-char edits of the 2,000-line file', scripts);

  const original = mod.parseNotebookJson(fs.readFileSync(corpus.notebook, 'utf8')).cells;
  const code = original.flatMap((cell, i) => ((cell.cellType ?? 'code') === 'code' ? [i] : []));
  let cells = [...original];
  const notebooks: AnalyzeInput[] = [{ path: 'bench/nb.ipynb', kind: 'notebook', cells }];
  const count = Math.min(edits, 120);
  for (let e = 0; e < count; e++) {
    const i = code[1 + Math.floor(((e + 0.5) / count) * (code.length - 1))];
    cells = [...cells];
    cells[i] = { ...cells[i], source: `${cells[i].source}\nbackup${e} = pd.read_csv("/home/alice/backup${e}.csv")` };
    notebooks.push({ path: 'bench/nb.ipynb', kind: 'notebook', cells });
  }
  compare('one-cell edits of the 300-cell notebook', notebooks);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/**
 * Edits analysed as the server analyses them (tree cache and analysis cache) by this checkout's
 * engine and by another checkout's, in one process, alternating which goes first, in CPU time:
 * one-character edits of the 2,000-line bench file (the edits of `bench/run.ts`'s `edit` row) and
 * one-cell edits of the 300-cell bench notebook (as `bench/incremental.ts` types them). The paired
 * ratio says whether a change made edits faster, robustly on a shared machine; the findings of
 * both engines are compared after every edit.
 *
 * The engine imported second runs 1.25-2.5x slower in the same process (measured with both orders
 * here), so the script runs twice, in two processes, once with each checkout imported first, and
 * reports the geometric mean of the two paired ratios, in which that bias cancels.
 *
 *   node --import tsx bench/compare-edits.ts <other checkout> [--edits N]
 */
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cpuMs, medianAndP95 } from './cpu-time';
import { ensureCorpus } from './generate';
import { editSequence } from './run';
import type { AnalyzeInput } from '../server/src/engine/index';

const ROOT = path.resolve(__dirname, '..');

async function main(argv: string[]): Promise<void> {
  const other = argv[0];
  if (!other || !fs.existsSync(path.join(other, 'server/src/engine/index.ts'))) throw new Error('usage: compare-edits.ts <other checkout> [--edits N]');
  const edits = Number(argv[argv.indexOf('--edits') + 1]) || 200;
  const order = argv.includes('--this-first') ? 'this-first' : argv.includes('--other-first') ? 'other-first' : undefined;
  if (!order) {
    // Both import orders, each in its own process; the ratio printed last is their geometric mean.
    const ratios = new Map<string, number[]>();
    for (const flag of ['--this-first', '--other-first']) {
      const run = cp.spawnSync(process.execPath, ['--import', 'tsx', __filename, other, '--edits', String(edits), flag], { cwd: ROOT, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`${flag} run failed: ${run.stderr}`);
      process.stdout.write(run.stdout);
      for (const match of run.stdout.matchAll(/^(.*?) \(\d+ edits\).*paired ratio median ([\d.]+)/gm)) {
        ratios.set(match[1], [...(ratios.get(match[1]) ?? []), Number(match[2])]);
      }
    }
    for (const [label, [a, b]] of ratios) console.log(`${label}: paired ratio, both import orders (geometric mean): ${Math.sqrt(a * b).toFixed(2)}`);
    return;
  }
  const corpus = ensureCorpus(path.join(ROOT, '.bench'));
  type EngineModule = typeof import('../server/src/engine/index');
  const importThis = (): Promise<EngineModule> => import('../server/src/engine/index');
  const importOther = (): Promise<EngineModule> => import(path.resolve(other, 'server/src/engine/index.ts'));
  // Imported and created in the order asked.
  let mod: EngineModule;
  let mine: Awaited<ReturnType<EngineModule['createEngine']>>;
  let theirs: typeof mine;
  if (order === 'other-first') {
    theirs = await (await importOther()).createEngine();
    mod = await importThis();
    mine = await mod.createEngine();
  } else {
    mod = await importThis();
    mine = await mod.createEngine();
    theirs = await (await importOther()).createEngine();
  }
  console.log(`(${order === 'other-first' ? `${other} imported first` : 'this checkout imported first'})`);

  const compare = (label: string, inputs: AnalyzeInput[]): void => {
    const key = `bench://compare-edits/${label}`;
    type Engine = typeof mine;
    const run = (engine: Engine) => (input: AnalyzeInput) => engine.analyze(input, engine.trees.document(key));
    const a = run(mine);
    const b = run(theirs as Engine);
    // Warm-up: the first analysis fills the caches, then a few edits let the JIT settle.
    for (const input of inputs.slice(0, 6)) {
      a(input);
      b(input);
    }
    const times = { mine: [] as number[], theirs: [] as number[], ratio: [] as number[] };
    inputs.slice(6).forEach((input, i) => {
      let x: ReturnType<typeof a> | undefined;
      let y: ReturnType<typeof a> | undefined;
      let tx = 0;
      let ty = 0;
      if (i % 2 === 0) {
        tx = cpuMs(() => (x = a(input)));
        ty = cpuMs(() => (y = b(input)));
      } else {
        ty = cpuMs(() => (y = b(input)));
        tx = cpuMs(() => (x = a(input)));
      }
      times.mine.push(tx);
      times.theirs.push(ty);
      times.ratio.push(tx / ty);
      if (JSON.stringify(x!.findings) !== JSON.stringify(y!.findings)) throw new Error(`${label}: findings differ after edit ${i + 1}`);
    });
    mine.trees.drop(key);
    theirs.trees.drop(key);
    console.log(
      `${label} (${inputs.length - 6} edits): this checkout ${medianAndP95(times.mine)} ms CPU; ${other} ${medianAndP95(times.theirs)} ms CPU; paired ratio ${medianAndP95(times.ratio)}; findings identical`,
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

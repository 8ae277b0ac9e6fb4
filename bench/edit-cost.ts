/**
 * The cost of edits as the server analyses them (tree cache and analysis cache), for one checkout's
 * engine alone in this process: 300 one-character edits of the 2,000-line bench file and 120
 * one-cell edits of the 300-cell bench notebook, CPU time per analysis. Run it for two checkouts
 * alternately (A, B, A, B, ...) to compare them without the import-order bias of two engines in one
 * process (see docs/performance.md, "The import-order bias").
 *
 *   node --import tsx bench/edit-cost.ts [checkout]     (default: this one)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cpuMs, medianAndP95 } from './cpu-time';
import { ensureCorpus } from './generate';
import { editSequence } from './run';

const ROOT = path.resolve(__dirname, '..');

async function main(argv: string[]): Promise<void> {
  const checkout = path.resolve(argv[0] ?? ROOT);
  const corpus = ensureCorpus(path.join(ROOT, '.bench'));
  const mod: typeof import('../server/src/engine/index') = await import(path.join(checkout, 'server/src/engine/index.ts'));
  const engine = await mod.createEngine();
  let text = fs.readFileSync(corpus.edit, 'utf8');
  const scriptTimes: number[] = [];
  editSequence(text, 300, 1).forEach((edit, i) => {
    text = text.slice(0, edit.offset) + edit.insert + text.slice(edit.offset + edit.remove);
    const input = { path: 'bench/edit.py', kind: 'script' as const, text };
    const used = cpuMs(() => engine.analyze(input, engine.trees.document('script')));
    if (i >= 10) scriptTimes.push(used);
  });
  const original = mod.parseNotebookJson(fs.readFileSync(corpus.notebook, 'utf8')).cells;
  const code = original.flatMap((cell, i) => ((cell.cellType ?? 'code') === 'code' ? [i] : []));
  let cells = [...original];
  const notebookTimes: number[] = [];
  for (let e = 0; e < 120; e++) {
    // As bench/incremental.ts types: a line with a new hard-coded path, in cells spread through the notebook.
    const i = code[1 + Math.floor(((e + 0.5) / 120) * (code.length - 1))];
    cells = [...cells];
    cells[i] = { ...cells[i], source: `${cells[i].source}\nbackup${e} = pd.read_csv("/home/alice/backup${e}.csv")` };
    const input = { path: 'bench/nb.ipynb', kind: 'notebook' as const, cells };
    const used = cpuMs(() => engine.analyze(input, engine.trees.document('notebook')));
    if (e >= 5) notebookTimes.push(used);
  }
  console.log(`${checkout}: 2,000-line file edit ${medianAndP95(scriptTimes)} ms CPU; 300-cell notebook cell edit ${medianAndP95(notebookTimes)} ms CPU`);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/**
 * The incremental path on real files: each file (a script, or a notebook by its cells) is edited
 * step by step as a person edits (a character typed or deleted, a line deleted, duplicated, moved or
 * pasted from another file, a cell inserted, deleted, moved or run, an undo), and after every step
 * the analysis through the document's caches, as the language server makes it, must give the
 * findings of a fresh analysis, as `mlready check` makes it. When it does not and the document's
 * tree is inexact (tree-sitter's incremental reparse recovered from a syntax error otherwise than a
 * parse from scratch), the tree is settled, as the server does once typing stops, and compared again.
 *
 *   find CHECKOUT -name '*.py' -o -name '*.ipynb' | sort > /tmp/files
 *   node --import tsx scripts/incremental-trial.ts /tmp/files [--steps 25] [--seed 1] [--settle-always]
 *
 * `--settle-always`: settle at every inexact step (the server after each pause), not only when the
 * findings differ. Prints each disagreement (and keeps its steps in a new folder of the system's temporary folder),
 * then one line of counts. Exits 1 if a disagreement is left after settling.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createEngine, type AnalyzeInput } from '../server/src/engine/index';
import { cellsOf, numberOption, pastedLines, personEditing, readText } from './trial-edits';

interface Counts {
  documents: number;
  steps: number;
  inexact: number;
  settled: number;
  freshTreeDiffered: number;
  correctedBySettling: number;
  disagreements: number;
}

async function main(argv: string[]): Promise<number> {
  const list = argv[0];
  if (!list) throw new Error('usage: incremental-trial.ts FILE_LIST [--steps N] [--seed N] [--settle-always]');
  const option = (name: string, fallback: number): number => numberOption(argv, name, fallback);
  const steps = option('--steps', 25);
  const settleAlways = argv.includes('--settle-always');
  const engine = await createEngine();
  const files = fs.readFileSync(list, 'utf8').split('\n').filter(Boolean);
  const { editText, editCells, random, pick } = personEditing(option('--seed', 1), pastedLines(files));

  const counts: Counts = { documents: 0, steps: 0, inexact: 0, settled: 0, freshTreeDiffered: 0, correctedBySettling: 0, disagreements: 0 };
  for (const file of files) {
    const text = readText(file);
    if (text === undefined || text.length > 300_000) continue;
    const notebook = file.endsWith('.ipynb');
    const cells = notebook ? cellsOf(text) : undefined;
    if (notebook && !cells) continue;
    counts.documents++;
    const key = `trial://${file}`;
    let input: AnalyzeInput = cells ? { path: file, kind: 'notebook', cells } : { path: file, kind: 'script', text };
    const history: AnalyzeInput[] = [];
    try {
      for (let step = 0; step <= steps; step++) {
        if (step > 0) {
          if (input.kind === 'script') {
            const texts = history.map((state) => (state.kind === 'script' ? state.text : ''));
            input = { ...input, text: editText(input.text, texts) };
          } else if (random() < 0.05 && history.length > 0)
            input = pick(history); // an undo
          else input = { ...input, cells: editCells(input.cells) };
        }
        history.push(input);
        counts.steps++;
        const fresh = engine.analyze(input);
        const same = (analysis: typeof fresh): boolean =>
          isDeepStrictEqual(analysis.findings, fresh.findings) && isDeepStrictEqual(analysis.failures, fresh.failures);
        let agrees = same(engine.analyze(input, engine.trees.document(key)));
        if (engine.trees.needsSettling(key)) {
          counts.inexact++;
          if (settleAlways || !agrees) {
            counts.settled++;
            if (engine.trees.settle(key)) {
              counts.freshTreeDiffered++;
              const settled = same(engine.analyze(input, engine.trees.document(key)));
              if (settled && !agrees) counts.correctedBySettling++;
              agrees = settled;
            }
          }
        }
        if (!agrees) {
          counts.disagreements++;
          const kept = fs.mkdtempSync(path.join(os.tmpdir(), 'incremental-trial-'));
          for (const [k, state] of history.entries()) fs.writeFileSync(path.join(kept, `step${String(k).padStart(3, '0')}.json`), JSON.stringify(state));
          console.log(`disagreement: ${file} at step ${step} (steps kept in ${kept})`);
          break;
        }
      }
    } finally {
      engine.trees.drop(key);
    }
  }
  console.log(
    `${counts.documents} documents, ${counts.steps} steps: ${counts.inexact} inexact trees, ${counts.settled} settled, ` +
      `the fresh tree differed ${counts.freshTreeDiffered} times, ${counts.correctedBySettling} findings corrected by settling, ` +
      `${counts.disagreements} disagreements left`,
  );
  return counts.disagreements === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);

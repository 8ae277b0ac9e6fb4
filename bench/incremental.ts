/**
 * Incremental analysis against a full re-analysis, in one process, alternately, in CPU time (robust
 * on a shared machine): one-character edits of the 2,000-line bench file (the edits of
 * `bench/run.ts`'s `edit` row), one-cell edits of the 300-cell bench notebook, and of the
 * 2,000-cell notebook `scripts/notebook-latency.ts` drives the server with. Both sides reparse
 * through the tree cache; only one passes the analysis cache. Findings are compared after every edit.
 *
 *   node --import tsx bench/incremental.ts [--edits N]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cpuMs, medianAndP95 } from './cpu-time';
import { ensureCorpus } from './generate';
import { editSequence } from './run';
import { createEngine, parseNotebookJson, type AnalysisCache, type AnalyzeInput, type CellInput } from '../server/src/engine/index';

const ROOT = path.resolve(__dirname, '..');

/** The 2,000-cell notebook of scripts/notebook-latency.ts, as engine input. */
function bigNotebook(count: number): CellInput[] {
  const code = [
    'df = pd.read_csv(DATA)\ndf = df.dropna()\nX = df.drop(columns=["label"])\ny = df["label"]',
    'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)',
    'model = RandomForestClassifier(n_estimators=100, random_state=0)\nmodel.fit(X_train, y_train)',
    'preds = model.predict(X_test)\nscore = f1_score(y_test, preds)\nlogger.info("f1 %s", score)',
    'def features(frame):\n    frame = frame.copy()\n    frame["ratio"] = frame["a"] / (frame["b"] + 1)\n    return frame',
  ];
  const header =
    'import logging\nimport pandas as pd\nfrom sklearn.model_selection import train_test_split\nfrom sklearn.ensemble import RandomForestClassifier\nfrom sklearn.metrics import f1_score\nlogger = logging.getLogger(__name__)\nDATA = "data.csv"';
  const cells: CellInput[] = [];
  for (let i = 0; cells.length < count; i++) {
    if (cells.length === 0) cells.push({ source: header, cellType: 'code' });
    else if (i % 4 === 3) cells.push({ source: `## Step ${i}\nWhat this part does.`, cellType: 'markdown' });
    else cells.push({ source: code[i % code.length], cellType: 'code' });
  }
  return cells;
}

async function main(argv: string[]): Promise<void> {
  const edits = Number(argv[argv.indexOf('--edits') + 1]) || 300;
  const corpus = ensureCorpus(path.join(ROOT, '.bench'));
  const engine = await createEngine();
  /** Times `inputs` analysed without and with the analysis cache, alternating which goes first. */
  const compare = (label: string, inputs: AnalyzeInput[]): void => {
    const keys = { full: `bench://${label}/full`, incremental: `bench://${label}/incremental` };
    const cache: AnalysisCache = engine.trees.analysisCache(keys.incremental);
    const full = (input: AnalyzeInput) => engine.analyze(input, { syntaxTree: engine.trees.document(keys.full).syntaxTree });
    const incremental = (input: AnalyzeInput) => engine.analyze(input, engine.trees.document(keys.incremental));
    full(inputs[0]);
    incremental(inputs[0]);
    const times = { full: [] as number[], incremental: [] as number[], ratio: [] as number[] };
    let analysed = 0;
    let statements = 0;
    inputs.slice(1).forEach((input, i) => {
      let a: ReturnType<typeof full> | undefined;
      let b: ReturnType<typeof full> | undefined;
      const first = i % 2 === 0 ? cpuMs(() => (a = full(input))) : cpuMs(() => (b = incremental(input)));
      const second = i % 2 === 0 ? cpuMs(() => (b = incremental(input))) : cpuMs(() => (a = full(input)));
      const [f, n] = i % 2 === 0 ? [first, second] : [second, first];
      times.full.push(f);
      times.incremental.push(n);
      times.ratio.push(n / f);
      analysed += cache.analysed;
      statements += cache.analysed + cache.reused;
      if (JSON.stringify(a!.findings) !== JSON.stringify(b!.findings)) throw new Error(`${label}: findings differ after edit ${i + 1}`);
    });
    engine.trees.drop(keys.full);
    engine.trees.drop(keys.incremental);
    console.log(
      `${label} (${inputs.length - 1} edits): CPU ms without the cache ${medianAndP95(times.full, 1)}; with it ${medianAndP95(times.incremental, 1)}; paired ratio ${medianAndP95(times.ratio, 1)}; statements re-analysed per edit ${(analysed / (inputs.length - 1)).toFixed(1)} of ${(statements / (inputs.length - 1)).toFixed(0)}; findings identical`,
    );
  };

  const text = fs.readFileSync(corpus.edit, 'utf8');
  const scripts: AnalyzeInput[] = [{ path: 'bench/edit.py', kind: 'script', text }];
  let current = text;
  for (const edit of editSequence(text, edits * 2, 1).slice(0, edits * 2)) {
    current = current.slice(0, edit.offset) + edit.insert + current.slice(edit.offset + edit.remove);
    scripts.push({ path: 'bench/edit.py', kind: 'script', text: current });
  }
  compare('1-char edits of the 2,000-line file', scripts);

  for (const [label, original, count] of [
    ['one-cell edits of the 300-cell notebook', parseNotebookJson(fs.readFileSync(corpus.notebook, 'utf8')).cells, Math.min(edits, 120)],
    ['one-cell edits of the 2,000-cell notebook', bigNotebook(2000), 40],
  ] as const) {
    const code = original.flatMap((cell, i) => ((cell.cellType ?? 'code') === 'code' ? [i] : []));
    let cells = [...original];
    const inputs: AnalyzeInput[] = [{ path: 'bench/nb.ipynb', kind: 'notebook', cells }];
    for (let e = 0; e < count; e++) {
      // As scripts/notebook-latency.ts types: a line with a new hard-coded path, in cells spread through the notebook.
      const i = code[1 + Math.floor(((e + 0.5) / count) * (code.length - 1))];
      cells = [...cells];
      cells[i] = { ...cells[i], source: `${cells[i].source}\nbackup${e} = pd.read_csv("/home/alice/backup${e}.csv")` };
      inputs.push({ path: 'bench/nb.ipynb', kind: 'notebook', cells });
    }
    compare(label, inputs);
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});

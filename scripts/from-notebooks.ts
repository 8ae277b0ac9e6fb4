/**
 * `scaffold --from` on real public notebooks: how many give a pipeline that parses, and how many
 * train. Usage:
 *
 *   node --import tsx scripts/from-notebooks.ts CORPUS [--list docs/from-notebooks.tsv] [--limit N] [--jobs 2]
 *   node --import tsx scripts/from-notebooks.ts --summary docs/from-notebooks.tsv   (the figures of a list)
 *
 * CORPUS holds one folder per repository, named `owner+name`, with the repository's files and a
 * `.commit` file holding the commit they were taken from (see docs/scaffolds.md for how the
 * corpus was fetched). For each `.ipynb`: the pipeline is scaffolded from it into a temporary
 * folder (`mlready scaffold pipeline --from NOTEBOOK`, run from the repository's root) with the
 * CSV the notebook reads when the repository has it, or else a synthetic CSV with the columns the
 * notebook names (the target: the column the notebook predicts, else the CSV's last column, else
 * a synthetic `target`); every generated `.py` file is compiled (`py_compile`), and
 * `/usr/bin/python3 -m pipeline.train` runs with a time limit. Notebooks that import torch,
 * tensorflow or keras are scaffolded and compiled but not counted as runnable here. The
 * per-notebook outcome goes to the list (a TSV: repository, commit, path, data, outcome, detail),
 * and the totals to stdout.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createEngine } from '../server/src/engine/index';
import { generateScaffoldWithReport, profileCsvFile, writeScaffold } from '../server/src/engine/scaffolds/index';
import { readNotebookSource } from '../server/src/engine/scaffolds/steps';
import { liftFacts } from '../server/src/engine/scaffolds/steps-review';
import { literalString } from '../server/src/engine/literals';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const TRAIN_SECONDS = 120;

interface Outcome {
  repo: string;
  commit: string;
  path: string;
  data: 'repository' | 'synthetic' | '-';
  outcome: 'runs' | 'train-fails' | 'timeout' | 'needs-deep-learning' | 'needs-package' | 'does-not-parse' | 'not-scaffolded';
  detail: string;
}

function args(): { corpus: string; list?: string; limit: number; jobs: number } {
  const argv = process.argv.slice(2);
  const corpus = argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  if (!corpus) throw new Error('usage: from-notebooks.ts CORPUS [--list FILE] [--limit N] [--jobs N]');
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return { corpus: path.resolve(corpus), list: value('--list'), limit: Number(value('--limit') ?? Infinity), jobs: Number(value('--jobs') ?? 2) };
}

function notebooks(repoDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile() && entry.name.endsWith('.ipynb') && fs.statSync(file).size > 0) found.push(file);
    }
  };
  walk(repoDir);
  return found.sort();
}

const DEEP_LEARNING = /^(?:torch|tensorflow|keras|jax|fastai|transformers)\b/;

/** Column names the notebook reads by string (`df["col"]`, `drop(columns=[...])`), for a synthetic CSV. */
async function namedColumns(file: string): Promise<{ columns: string[]; imports: string[]; regression: boolean }> {
  const engine = await createEngine();
  const analysis = engine.analyzeFile(file);
  if (!analysis.ok) return { columns: [], imports: [], regression: false };
  const columns = new Set<string>();
  const root = analysis.model.root;
  for (const subscript of root.descendantsOfType('subscript')) {
    const index = subscript.childForFieldName('subscript');
    const items = index?.type === 'list' ? index.namedChildren : [index];
    for (const item of items) {
      const value = item ? literalString(item) : undefined;
      if (value && /^[\w .()/-]{1,40}$/.test(value)) columns.add(value);
    }
  }
  const imports = analysis.model.imports.map((i) => i.qualified);
  const regression = analysis.model.calls.some((call) =>
    /(?:Regressor|(?<!Logistic)Regression|SVR|Lasso|Ridge|ElasticNet)$/.test(analysis.model.callee(call) ?? ''),
  );
  return { columns: [...columns].slice(0, 30), imports, regression };
}

function syntheticCsv(file: string, columns: string[], target: string, regression: boolean): void {
  let state = 42;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  // The columns the notebook names, and a few more so that there is always something to learn from.
  const header = [...new Set([...columns.filter((c) => c !== target), 'f1', 'f2', 'f3', target])];
  const quote = (c: string) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  const rows = [header.map(quote).join(',')];
  for (let i = 0; i < 200; i++) {
    rows.push(header.map((c) => (c === target ? (regression ? (random() * 100).toFixed(3) : String(i % 2)) : (random() * 10).toFixed(3))).join(','));
  }
  fs.writeFileSync(file, rows.join('\n') + '\n');
}

async function one(repo: string, commit: string, repoDir: string, file: string): Promise<Outcome> {
  const rel = path.relative(repoDir, file);
  const base: Omit<Outcome, 'outcome' | 'detail' | 'data'> = { repo: repo.replace('+', '/'), commit, path: rel };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-from-nb-'));
  try {
    let facts;
    try {
      facts = await liftFacts(readNotebookSource(file));
    } catch (error) {
      return { ...base, data: '-', outcome: 'not-scaffolded', detail: oneLine(error) };
    }
    const named = await namedColumns(file);
    let data: string | undefined;
    let kind: Outcome['data'] = 'synthetic';
    let target = facts.target;
    if (facts.dataPath && !/^[a-z]+:\/\//i.test(facts.dataPath)) {
      const candidate = path.resolve(path.dirname(file), facts.dataPath);
      if (candidate.startsWith(repoDir + path.sep) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
        data = candidate;
        kind = 'repository';
      }
    }
    if (!target && data) {
      // No column the notebook predicts (an analysis notebook): the CSV's last column, as a stand-in.
      try {
        target = profileCsvFile(data).columns.at(-1)?.name;
      } catch {
        target = undefined;
      }
    }
    if (!target) target = named.columns.find((c) => /^(?:target|label|y|class|survived|saleprice|price)$/i.test(c)) ?? 'target';
    if (!data) {
      data = path.join(work, 'synthetic.csv');
      syntheticCsv(data, named.columns, target, named.regression);
    }
    const out = path.join(work, 'out');
    let generated;
    try {
      generated = await generateScaffoldWithReport('pipeline', { from: file, data, target, out, cwd: repoDir, root: repoDir });
      writeScaffold(generated.files, out);
    } catch (error) {
      return { ...base, data: kind, outcome: 'not-scaffolded', detail: oneLine(error) };
    }
    const pyFiles = generated.files.filter((f) => f.path.endsWith('.py')).map((f) => path.join(out, f.path));
    try {
      await run(PYTHON, ['-m', 'py_compile', ...pyFiles], { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    } catch (error) {
      return { ...base, data: kind, outcome: 'does-not-parse', detail: oneLine((error as { stderr?: string }).stderr ?? error) };
    }
    const estimator = generated.steps?.estimator ?? 'default model';
    if (named.imports.some((i) => DEEP_LEARNING.test(i))) {
      return { ...base, data: kind, outcome: 'needs-deep-learning', detail: `parses; imports ${named.imports.find((i) => DEEP_LEARNING.test(i))}` };
    }
    try {
      await run(PYTHON, ['-m', 'pipeline.train'], {
        cwd: out,
        timeout: TRAIN_SECONDS * 1000,
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', MPLBACKEND: 'Agg' },
      });
      return { ...base, data: kind, outcome: 'runs', detail: `${estimator}; ${generated.steps?.features ?? 0} feature statement(s)` };
    } catch (error) {
      const failure = error as { killed?: boolean; signal?: string; stderr?: string };
      if (failure.killed || failure.signal === 'SIGTERM') return { ...base, data: kind, outcome: 'timeout', detail: `over ${TRAIN_SECONDS}s` };
      const stderr = failure.stderr ?? String(error);
      const missing = /ModuleNotFoundError: No module named '([\w.]+)'/.exec(stderr);
      if (missing) return { ...base, data: kind, outcome: 'needs-package', detail: `${missing[1]} (not installed here)` };
      return { ...base, data: kind, outcome: 'train-fails', detail: lastLines(stderr) };
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, 240);
}

function lastLines(stderr: string): string {
  const lines = stderr
    .trim()
    .split('\n')
    .filter((l) => l.trim() && !/^\d{4}-\d\d-\d\d .* INFO /.test(l));
  return oneLine(lines.slice(-1).join(' '));
}

/** The figures: parses, runs, and runs with the notebook's own model carried over. */
function summarize(results: Outcome[]): string[] {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const parses = results.filter((r) => !['does-not-parse', 'not-scaffolded'].includes(r.outcome)).length;
  const scaffolded = results.filter((r) => r.outcome !== 'not-scaffolded').length;
  const runnable = results.filter((r) => ['runs', 'train-fails', 'timeout'].includes(r.outcome));
  const carried = results.filter((r) => r.outcome === 'runs' && !r.detail.startsWith('default model'));
  const ratio = (part: number, whole: number) => `${part}/${whole}`;
  return [
    `notebooks: ${results.length} from ${new Set(results.map((r) => r.repo)).size} repositories`,
    `scaffolded: ${ratio(scaffolded, results.length)}`,
    `pipeline parses (py_compile of every generated .py): ${ratio(parses, results.length)}`,
    `runnable here (not deep learning, packages installed): ${runnable.length}; python -m pipeline.train runs within ${TRAIN_SECONDS}s: ${ratio(counts.get('runs') ?? 0, runnable.length)} (with the repository's data: ${ratio(runnable.filter((r) => r.outcome === 'runs' && r.data === 'repository').length, runnable.filter((r) => r.data === 'repository').length)}; with a synthetic CSV: ${ratio(runnable.filter((r) => r.outcome === 'runs' && r.data === 'synthetic').length, runnable.filter((r) => r.data === 'synthetic').length)})`,
    `runs with the notebook's own model carried into build_estimator(): ${carried.length} (the others train the default model: no estimator fitted in the notebook); with feature steps in features(): ${results.filter((r) => r.outcome === 'runs' && /; [1-9]\d* feature/.test(r.detail)).length}`,
    `not runnable here: ${counts.get('needs-deep-learning') ?? 0} import torch/tensorflow/keras, ${counts.get('needs-package') ?? 0} need another package`,
    `outcomes: ${[...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ];
}

function readList(file: string): Outcome[] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [repo, commit, rel, data, outcome, detail] = line.split('\t');
      return { repo: repo!, commit: commit!, path: rel!, data: data as Outcome['data'], outcome: outcome as Outcome['outcome'], detail: detail ?? '' };
    });
}

async function main(): Promise<void> {
  const summaryOnly = process.argv.indexOf('--summary');
  if (summaryOnly >= 0) {
    process.stdout.write(summarize(readList(process.argv[summaryOnly + 1]!)).join('\n') + '\n');
    return;
  }
  const { corpus, list, limit, jobs } = args();
  const tasks: Array<() => Promise<Outcome>> = [];
  for (const repo of fs.readdirSync(corpus).sort()) {
    const repoDir = path.join(corpus, repo);
    if (!fs.statSync(repoDir).isDirectory()) continue;
    const commitFile = path.join(repoDir, '.commit');
    const commit = fs.existsSync(commitFile) ? fs.readFileSync(commitFile, 'utf8').trim() : 'unknown';
    for (const file of notebooks(repoDir)) tasks.push(() => one(repo, commit, repoDir, file));
  }
  const selected = tasks.slice(0, limit);
  const results: Outcome[] = new Array(selected.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      while (next < selected.length) {
        const index = next++;
        results[index] = await selected[index]!();
        const r = results[index]!;
        process.stderr.write(`${index + 1}/${selected.length} ${r.outcome.padEnd(20)} ${r.repo}/${r.path}\n`);
      }
    }),
  );
  process.stdout.write(summarize(results).join('\n') + '\n');
  if (list) {
    const rows = [
      'repository\tcommit\tpath\tdata\toutcome\tdetail',
      ...results.map((r) => [r.repo, r.commit, r.path, r.data, r.outcome, r.detail.replace(/\t/g, ' ')].join('\t')),
    ];
    fs.writeFileSync(list, rows.join('\n') + '\n');
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createEngine } from '../../server/src/engine/index';
import { computeReadiness } from '../../server/src/engine/readiness/index';
import { run as scaffoldCli } from '../../server/src/cli/scaffold';
import type { CliIo } from '../../server/src/cli/io';

/**
 * The scaffolds on real data: for each public data set CI can reach offline (Debian's
 * python3-sklearn and python3-statsmodels, the vega-datasets npm package), `mlready scaffold
 * all`, then with Debian's Python: train twice (identical metrics), gate, promote, the
 * generated tests, real rows through the API (200), a wrong value of each field kind (422
 * naming the field), the fallback when the model is gone, drift on the training data (none)
 * and on a shifted copy (the shifted columns), and `mlready check` on the generated code.
 *
 *   npm run test:matrix                      # MLREADY_MATRIX_REPORT=FILE writes the table
 */

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const root = path.resolve(__dirname, '..', '..');
const STATSMODELS = '/usr/lib/python3/dist-packages/statsmodels/datasets';
const VEGA = path.join(root, 'node_modules', 'vega-datasets', 'data');

interface Dataset {
  name: string;
  source: string;
  kind: 'csv' | 'sklearn' | 'json';
  target: string;
  rows: number;
  path?: string;
  loader?: string;
  args?: Record<string, unknown>;
  labels?: boolean;
  /** What the data set exercises. */
  shape: string;
}

const DATASETS: Dataset[] = [
  {
    name: 'iris',
    source: 'python3-sklearn load_iris',
    kind: 'sklearn',
    loader: 'load_iris',
    labels: true,
    target: 'target',
    rows: 150,
    shape: 'numeric, 3 string classes',
  },
  {
    name: 'wine',
    source: 'python3-sklearn load_wine',
    kind: 'sklearn',
    loader: 'load_wine',
    labels: true,
    target: 'target',
    rows: 178,
    shape: '13 numeric, names with `/`',
  },
  {
    name: 'breast-cancer',
    source: 'python3-sklearn load_breast_cancer',
    kind: 'sklearn',
    loader: 'load_breast_cancer',
    target: 'target',
    rows: 300,
    shape: '30 numeric, 0/1 target',
  },
  {
    name: 'diabetes',
    source: 'python3-sklearn load_diabetes(scaled=False)',
    kind: 'sklearn',
    loader: 'load_diabetes',
    args: { scaled: false },
    target: 'target',
    rows: 300,
    shape: 'regression',
  },
  {
    name: 'anes96',
    source: 'statsmodels anes96/anes96.csv',
    kind: 'csv',
    path: `${STATSMODELS}/anes96/anes96.csv`,
    target: 'vote',
    rows: 400,
    shape: "tab-separated, ' quoted header, 0/1 target",
  },
  {
    name: 'spector',
    source: 'statsmodels spector/spector.csv',
    kind: 'csv',
    path: `${STATSMODELS}/spector/spector.csv`,
    target: 'GRADE',
    rows: 32,
    shape: "space-separated, ' quoted header, row-number column, 32 rows",
  },
  {
    name: 'modechoice',
    source: 'statsmodels modechoice/modechoice.csv',
    kind: 'csv',
    path: `${STATSMODELS}/modechoice/modechoice.csv`,
    target: 'choice',
    rows: 400,
    shape: '`;`-separated, 0/1 target',
  },
  {
    name: 'fair',
    source: 'statsmodels fair/fair.csv',
    kind: 'csv',
    path: `${STATSMODELS}/fair/fair.csv`,
    target: 'rate_marriage',
    rows: 600,
    shape: '`.0` decimals for whole numbers, 5 classes',
  },
  {
    name: 'grunfeld',
    source: 'statsmodels grunfeld/grunfeld.csv',
    kind: 'csv',
    path: `${STATSMODELS}/grunfeld/grunfeld.csv`,
    target: 'invest',
    rows: 220,
    shape: 'regression, categorical firm',
  },
  {
    name: 'statecrime',
    source: 'statsmodels statecrime/statecrime.csv',
    kind: 'csv',
    path: `${STATSMODELS}/statecrime/statecrime.csv`,
    target: 'murder',
    rows: 51,
    shape: 'regression, state-name identifier, 51 rows',
  },
  {
    name: 'randhie',
    source: 'statsmodels randhie/randhie.csv',
    kind: 'csv',
    path: `${STATSMODELS}/randhie/randhie.csv`,
    target: 'mdvis',
    rows: 600,
    shape: 'count regression, 0/1 columns',
  },
  {
    name: 'seattle-weather',
    source: 'vega-datasets seattle-weather.csv',
    kind: 'csv',
    path: `${VEGA}/seattle-weather.csv`,
    target: 'weather',
    rows: 600,
    shape: 'dates, a column named `date`',
  },
  {
    name: 'birdstrikes',
    source: 'vega-datasets birdstrikes.csv',
    kind: 'csv',
    path: `${VEGA}/birdstrikes.csv`,
    target: 'Wildlife Size',
    rows: 600,
    shape: 'names with spaces and `$`, dates, high-cardinality text, missing values',
  },
  {
    name: 'disasters',
    source: 'vega-datasets disasters.csv',
    kind: 'csv',
    path: `${VEGA}/disasters.csv`,
    target: 'Deaths',
    rows: 803,
    shape: 'regression, categorical entity',
  },
  {
    name: 'cars',
    source: 'vega-datasets cars.json',
    kind: 'json',
    path: `${VEGA}/cars.json`,
    target: 'Origin',
    rows: 406,
    shape: 'free-text names, missing values, dates',
  },
  {
    name: 'movies',
    source: 'vega-datasets movies.json',
    kind: 'json',
    path: `${VEGA}/movies.json`,
    target: 'MPAA Rating',
    rows: 600,
    shape: 'titles (free text), `Jun 12 1998` dates, many missing values',
  },
  {
    name: 'penguins',
    source: 'vega-datasets penguins.json',
    kind: 'json',
    path: `${VEGA}/penguins.json`,
    target: 'Species',
    rows: 344,
    shape: 'names with units, missing values',
  },
];

const ENV = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PIPELINE_N_ESTIMATORS: '50', MPLBACKEND: 'Agg' };

async function python(args: string[], cwd: string, allowed: number[] = [0]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(PYTHON, args, { cwd, timeout: 600_000, maxBuffer: 64 * 1024 * 1024, env: ENV });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code === 'number' && allowed.includes(e.code)) return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    throw new Error(`python ${args.join(' ')} failed in ${cwd} (exit ${String(e.code)}):\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

function metadataFiles(dir: string): Array<Record<string, any>> {
  const models = path.join(dir, 'models');
  return fs
    .readdirSync(models)
    .filter((f) => /^model-.*Z\.json$/.test(f))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(models, f), 'utf8')));
}

interface Row {
  name: string;
  source: string;
  shape: string;
  rows: number;
  task: string;
  roles: string;
  gate: string;
  promoted: boolean;
  tests: string;
  drift: string;
  readiness: number;
  seconds: number;
}

function missingPython(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import sklearn, fastapi, pandas, pytest, joblib, httpx, scipy, statsmodels'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} not found`;
  return probe.status === 0 ? undefined : probe.stderr.trim().split('\n').pop();
}

test('scaffold matrix: every scaffold on real public data sets', { timeout: 80 * 60_000 }, async (t) => {
  const missing = missingPython();
  if (missing) {
    if (process.env.MLREADY_SKIP_PYTHON === '1') return t.skip(`Python dependencies missing (${missing})`);
    assert.fail(
      `${missing}: apt-get install -y python3-fastapi python3-uvicorn python3-httpx python3-sklearn python3-pandas python3-pytest python3-joblib python3-statsmodels`,
    );
  }
  assert.ok(fs.existsSync(VEGA), 'the vega-datasets devDependency is installed (npm ci)');
  const only = process.env.MLREADY_MATRIX_ONLY?.split(',');
  const datasets = DATASETS.filter((d) => !only || only.includes(d.name));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-matrix-'));
  const files = path.join(work, 'files');
  await python([path.join(__dirname, 'prepare.py'), JSON.stringify(datasets), files], work);
  const engine = await createEngine();
  const table: Row[] = [];

  for (const dataset of datasets) {
    await t.test(dataset.name, async () => {
      const started = Date.now();
      const dir = path.join(work, dataset.name);
      fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
      fs.copyFileSync(path.join(files, `${dataset.name}.csv`), path.join(dir, 'data', `${dataset.name}.csv`));

      let out = '';
      let err = '';
      const io: CliIo = { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, cwd: dir };
      const code = await scaffoldCli(
        ['all', '--data', `data/${dataset.name}.csv`, '--target', dataset.target, '--out', '.', '--mlready-package', 'mlready@0.1.0'],
        io,
      );
      assert.equal(code, 0, err);

      // mlready check finds nothing in the generated code.
      const findings: string[] = [];
      for (const rel of listPython(dir)) {
        const text = fs.readFileSync(path.join(dir, rel), 'utf8');
        for (const f of engine.analyze({ path: rel, kind: 'script', text }).findings) findings.push(`${rel}:${f.range.start.line + 1} ${f.rule}`);
      }
      assert.deepEqual(findings, [], 'mlready check is clean on the generated project');

      // Train twice: identical metrics.
      await python(['-m', 'pipeline.train'], dir);
      await python(['-m', 'pipeline.train'], dir);
      const [first, second] = metadataFiles(dir);
      assert.deepEqual(first!.metrics, second!.metrics, 'seeded training gives identical metrics');
      assert.deepEqual(first!.split.test_index, second!.split.test_index);

      // The gate (on the recorded rows), then promotion only when it passed.
      const gate = await python(['-m', 'pipeline.evaluate'], dir, [0, 1]);
      const promote = await python(['-m', 'pipeline.promote'], dir, [0, 1]);
      assert.equal(promote.code, gate.code, `promotion follows the gate: ${promote.stderr}`);
      const verdict = JSON.parse(fs.readFileSync(path.join(dir, 'models', `model-${second!.version}.gate.json`), 'utf8'));
      assert.equal(verdict.passed, gate.code === 0);
      assert.deepEqual(verdict.metrics, second!.metrics, 'the gate scores the rows training scored');

      // The generated tests.
      const tests = await python(['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], dir);
      const summary = /(\d+) passed(?:, (\d+) skipped)?/.exec(tests.stdout);
      assert.ok(summary, tests.stdout);
      assert.doesNotMatch(tests.stdout, /\bfailed\b|\berror\b/);

      // Serving, validation, fallback and drift, driven on the real data.
      const answers = JSON.parse((await python([path.join(__dirname, 'check.py'), work], dir)).stdout);
      assert.ok(answers.real_rows.length > 0);
      assert.deepEqual(
        answers.real_rows,
        answers.real_rows.map(() => 200),
        `real rows are accepted: ${JSON.stringify(answers.real_row_errors ?? [])}`,
      );
      assert.equal(answers.fallback_used, false);
      assert.equal(answers.model_version, second!.version, 'the promoted (or pinned) model answers');
      for (const [kind, { column, results }] of Object.entries<any>(answers.rejected)) {
        for (const r of results) {
          assert.equal(r.status, 422, `${kind} field ${column} accepted ${r.value}`);
          assert.ok(r.names_field, `the 422 for ${column}=${r.value} names the field`);
        }
      }
      assert.deepEqual(answers.fallback, { fallback_used: true, model_version: 'fallback-prior', needs_review: true, confidence: null });
      assert.equal(answers.drift_same.exit, 0, `drift on the training data itself: ${answers.drift_same.drifted}`);
      assert.deepEqual(answers.drift_same.drifted, []);
      assert.equal(answers.drift_shifted.exit, answers.drift_shifted.shifted.length ? 1 : 0);
      assert.deepEqual(
        [...answers.drift_shifted.drifted].filter((c: string) => c !== 'prediction').sort(),
        [...answers.drift_shifted.shifted].sort(),
        'exactly the shifted columns drift',
      );

      const readiness = await computeReadiness(dir, engine);
      const roles = new Map<string, number>();
      for (const role of Object.values<string>(answers.features)) roles.set(role, (roles.get(role) ?? 0) + 1);
      for (const role of Object.values<string>(answers.excluded)) roles.set(`${role} (left out)`, (roles.get(`${role} (left out)`) ?? 0) + 1);
      const primary = second!.task === 'classification' ? 'f1_macro' : 'r2';
      table.push({
        name: dataset.name,
        source: dataset.source,
        shape: dataset.shape,
        rows: second!.data.rows,
        task: second!.task,
        roles: [...roles].map(([r, n]) => `${n} ${r}`).join(', '),
        gate: `${gate.code === 0 ? 'pass' : 'fail'} (${primary} ${second!.metrics[primary]} vs ${second!.baseline_metrics[primary]})`,
        promoted: answers.promoted,
        tests: `${summary[1]} passed${summary[2] ? `, ${summary[2]} skipped` : ''}`,
        drift: `none / ${answers.drift_shifted.drifted.join(', ') || 'none'}`,
        readiness: readiness.score,
        seconds: Math.round((Date.now() - started) / 1000),
      });
    });
  }

  const lines = [
    '| Data set | Source | Shape | Rows | Task | Columns | Gate | Promoted | Generated tests | Drift (same / shifted) | Readiness | s |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...table.map(
      (r) =>
        `| ${r.name} | ${r.source} | ${r.shape} | ${r.rows} | ${r.task} | ${r.roles} | ${r.gate} | ${r.promoted ? 'yes' : 'no (gate)'} | ${r.tests} | ${r.drift} | ${r.readiness} | ${r.seconds} |`,
    ),
  ];
  t.diagnostic(lines.join('\n'));
  if (process.env.MLREADY_MATRIX_REPORT) fs.writeFileSync(process.env.MLREADY_MATRIX_REPORT, lines.join('\n') + '\n');
  fs.rmSync(work, { recursive: true, force: true });
});

function listPython(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!['models', 'runs', 'logs', 'data', '__pycache__'].includes(entry.name)) out.push(...listPython(dir, rel));
    } else if (entry.name.endsWith('.py')) out.push(rel);
  }
  return out;
}

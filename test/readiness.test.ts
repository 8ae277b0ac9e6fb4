import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEngine, type Engine, type Evidence } from '../server/src/engine/index';
import {
  assess,
  assessInTurns,
  computeReadiness,
  parseAttestations,
  renderChecklistDoc,
  renderMarkdown,
  renderText,
  ReadinessConfigError,
  CATEGORIES,
  ITEMS,
  ITEM_IDS,
  type ReadinessReport,
  type ItemStatus,
} from '../server/src/engine/readiness/index';
import { run } from '../server/src/cli/readiness';
import { AbortedError, DEFAULT_MAX_FILES, scanWorkspace } from '../server/src/engine/readiness/workspace';
import { EngineFactsProvider } from '../server/src/engine/readiness/engine-facts';
import { readinessBenchmark } from '../scripts/gen-docs';
import { main } from '../server/src/cli';
import type { CliIo } from '../server/src/cli/io';
import { tempDir } from './helpers/temp-dir';

const FIXTURES = path.join(__dirname, 'fixtures', 'readiness');
const fixture = (name: string): string => path.join(FIXTURES, name);

let engine: Engine;
const reports = new Map<string, ReadinessReport>();

before(async () => {
  engine = await createEngine();
  for (const name of ['bare', 'halfway', 'production']) reports.set(name, await computeReadiness(fixture(name), engine));
});

function statuses(report: ReadinessReport): Record<string, ItemStatus> {
  return Object.fromEntries(report.categories.flatMap((category) => category.items.map((item) => [item.id, item.status])));
}

function item(report: ReadinessReport, id: string) {
  const found = report.categories.flatMap((category) => category.items).find((candidate) => candidate.id === id);
  assert.ok(found, `no item ${id}`);
  return found;
}

function fakeIo(cwd = process.cwd(), isTTY = false): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    isTTY,
    cwd,
    out: (s: string) => {
      io.stdout += s;
    },
    err: (s: string) => {
      io.stderr += s;
    },
  };
  return io;
}

function tempProject(files: Record<string, string>): string {
  const dir = tempDir('mlready-readiness-');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const NOTEBOOK = (cells: { source: string; count: number | null }[]): string =>
  JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: cells.map((cell) => ({ cell_type: 'code', execution_count: cell.count, metadata: {}, outputs: [], source: cell.source })),
  });

describe('checklist metadata', () => {
  test('every item has a unique id, prefixed by its category, with why, detection and action', () => {
    assert.equal(new Set(ITEM_IDS).size, ITEM_IDS.length);
    const prefixes: Record<string, string> = {
      problem: 'problem-',
      data: 'data-',
      reproducibility: 'repro-',
      serving: 'serving-',
      integration: 'integration-',
      operations: 'ops-',
      governance: 'gov-',
      genai: 'genai-',
    };
    for (const category of CATEGORIES) {
      for (const definition of category.items) {
        assert.equal(definition.category, category.id, definition.id);
        assert.ok(definition.id.startsWith(prefixes[category.id]), `${definition.id} should start with ${prefixes[category.id]}`);
        assert.ok(definition.why.length > 80, `${definition.id}: why is too short`);
        assert.ok(definition.detection.length > 30, `${definition.id}: detection is missing`);
        assert.ok(definition.action.title.length > 10, `${definition.id}: action is missing`);
        if (definition.action.command)
          assert.match(definition.action.command, /^mlready\.scaffold\.(pipeline|api|fallback|monitoring|ci|dvc|model-card|decision)$/);
      }
    }
    assert.ok(ITEMS.length >= 30);
    // The CLI names every scaffold the way `mlready scaffold` takes it, hyphens included.
    assert.match(renderChecklistDoc(), /run `mlready scaffold model-card`/);
  });

  test('docs/readiness.md is generated from the metadata and up to date', () => {
    const docs = fs.readFileSync(path.join(__dirname, '..', 'docs', 'readiness.md'), 'utf8');
    assert.equal(docs, renderChecklistDoc(readinessBenchmark()), 'docs/readiness.md is stale: regenerate it with `npm run docs`');
    for (const id of ITEM_IDS) assert.ok(docs.includes(`<a id="${id}"></a>`), id);
  });
});

describe('fixture projects', () => {
  test('bare: one notebook and an unpinned requirements.txt', () => {
    const report = reports.get('bare')!;
    assert.deepEqual(statuses(report), {
      'problem-success-metrics': 'fail',
      'problem-decision-stated': 'fail',
      'problem-iterative-expectations': 'fail',
      'data-versioned': 'fail',
      'data-schema-validated': 'fail',
      'data-pipeline-code': 'fail',
      'data-pii-access': 'partial',
      'repro-dependencies-pinned': 'fail',
      'repro-seeds': 'fail',
      'repro-experiment-tracking': 'fail',
      'repro-training-script': 'fail',
      'repro-notebooks-in-order': 'fail',
      'serving-entry-point': 'fail',
      'serving-typed-contract': 'fail',
      'serving-input-validation': 'fail',
      'serving-versioned': 'fail',
      'serving-container': 'fail',
      'serving-slo': 'fail',
      'serving-batch-vs-realtime': 'fail',
      'integration-fallback': 'fail',
      'integration-timeouts': 'not-applicable',
      'integration-errors-surfaced': 'not-applicable',
      'integration-safe-model-loading': 'pass',
      'ops-tests-in-ci': 'fail',
      'ops-quality-gate': 'fail',
      'ops-model-registry': 'fail',
      'ops-monitoring': 'fail',
      'ops-drift-detection': 'fail',
      'ops-retraining': 'fail',
      'ops-rollback': 'fail',
      'ops-canary': 'fail',
      'ops-structured-logging': 'fail',
      'gov-model-card': 'fail',
      'gov-explainability': 'fail',
      'gov-fairness': 'fail',
      'gov-prediction-audit': 'fail',
      'genai-llm-tracing': 'not-applicable',
      'genai-evaluation': 'not-applicable',
      'genai-output-validation': 'not-applicable',
      'genai-call-resilience': 'not-applicable',
      'genai-prompts-versioned': 'not-applicable',
      'genai-health-endpoints': 'not-applicable',
    });
    assert.ok(report.score < 30, `bare scored ${report.score}`);
    assert.equal(report.band, 'Research project');
    // Evidence points at the lines that decide.
    assert.deepEqual(
      item(report, 'repro-dependencies-pinned').evidence.map((e) => `${e.path}:${e.line}`),
      ['requirements.txt:1', 'requirements.txt:2', 'requirements.txt:3', 'requirements.txt:4'],
    );
    const seeds = item(report, 'repro-seeds').evidence;
    assert.ok(
      // `cell` is the code-cell index; `cellNumber` the cell as VS Code shows it (a markdown cell opens the notebook).
      seeds.some((e) => e.path === 'churn.ipynb' && e.cell === 2 && e.cellNumber === 4 && e.line === 1 && /train_test_split/.test(e.note)),
      JSON.stringify(seeds),
    );
    const order = item(report, 'repro-notebooks-in-order').evidence;
    assert.ok(order.length > 0 && order.every((e) => e.path === 'churn.ipynb' && /notebook-out-of-order/.test(e.note)));
    assert.deepEqual(
      item(report, 'repro-training-script').evidence.map((e) => [e.path, e.cell, e.cellNumber, e.line]),
      [['churn.ipynb', 2, 4, 3]],
    );
    assert.equal(item(report, 'data-pipeline-code').summary, 'Data is loaded and prepared only in notebooks.');
    assert.equal(item(report, 'serving-entry-point').action?.command, 'mlready.scaffold.api');
    assert.equal(item(report, 'repro-seeds').action?.rule, 'missing-seed');
  });

  test('halfway: scripts, tracking and a Flask app, but no CI, contract or monitoring', () => {
    const report = reports.get('halfway')!;
    const got = statuses(report);
    const expected: Record<string, ItemStatus> = {
      'problem-success-metrics': 'partial',
      'problem-decision-stated': 'pass',
      'data-versioned': 'fail',
      'data-pipeline-code': 'pass',
      'repro-dependencies-pinned': 'partial',
      'repro-seeds': 'pass',
      'repro-experiment-tracking': 'pass',
      'repro-training-script': 'pass',
      'repro-notebooks-in-order': 'pass',
      'serving-entry-point': 'pass',
      'serving-typed-contract': 'fail',
      'serving-container': 'partial',
      'integration-safe-model-loading': 'fail',
      'ops-tests-in-ci': 'partial',
      'ops-structured-logging': 'partial',
      'gov-prediction-audit': 'partial',
      'gov-model-card': 'fail',
    };
    for (const [id, status] of Object.entries(expected)) assert.equal(got[id], status, id);
    assert.deepEqual(
      item(report, 'repro-dependencies-pinned').evidence.map((e) => e.note),
      ['`mlflow` is not pinned', '`flask` is not pinned'],
    );
    assert.deepEqual(
      item(report, 'serving-container').evidence.map((e) => `${e.path}:${e.line}`),
      ['Dockerfile:1'],
    );
    assert.deepEqual(
      item(report, 'problem-decision-stated').evidence.map((e) => `${e.path}:${e.line}`),
      ['README.md:3'],
    );
    assert.ok(item(report, 'integration-safe-model-loading').evidence.some((e) => e.path === 'app.py' && e.line === 9));
  });

  test('production: every automated item passes and the attested ones are attested', () => {
    const report = reports.get('production')!;
    const got = statuses(report);
    const attested = ['problem-iterative-expectations', 'serving-batch-vs-realtime', 'data-pii-access'];
    for (const [id, status] of Object.entries(got)) {
      if (attested.includes(id)) assert.equal(status, 'attested', id);
      else if (id === 'repro-notebooks-in-order' || id.startsWith('genai-')) assert.equal(status, 'not-applicable', id);
      else assert.equal(status, 'pass', `${id}: ${item(report, id).summary}`);
    }
    assert.ok(report.score > 75, `production scored ${report.score}`);
    const evidenceOf = (id: string) => item(report, id).evidence.map((e) => `${e.path}:${e.line}`);
    assert.ok(evidenceOf('data-versioned').includes('dvc.yaml:2'));
    assert.ok(evidenceOf('data-versioned').includes('data/raw/customers.csv.dvc:1'));
    assert.ok(evidenceOf('ops-tests-in-ci').includes('.github/workflows/ci.yml:14'));
    assert.ok(evidenceOf('ops-quality-gate').includes('.github/workflows/ci.yml:18'));
    assert.ok(evidenceOf('ops-retraining').includes('.github/workflows/retrain.yml:4'));
    assert.ok(evidenceOf('problem-success-metrics').includes('params.yaml:5'));
    assert.ok(evidenceOf('ops-canary').includes('deploy/inference-service.yaml:7'));
    assert.ok(evidenceOf('serving-input-validation').includes('churn/serving/schemas.py:9'));
    assert.ok(evidenceOf('integration-fallback').includes('churn/serving/app.py:43'), evidenceOf('integration-fallback').join());
    const pii = item(report, 'data-pii-access');
    assert.equal(pii.points, 0.5);
    assert.equal(pii.attestation?.by, 'Lena Park (DPO)');
    assert.equal(pii.attestation?.date, '2025-03-20');
    assert.equal(item(report, 'problem-iterative-expectations').attestation?.date, '2025-03-14', 'a TOML date becomes YYYY-MM-DD');
    assert.equal(item(report, 'repro-notebooks-in-order').points, null);
  });

  test('scores order the fixtures and the report explains them', () => {
    const [bare, halfway, production] = ['bare', 'halfway', 'production'].map((name) => reports.get(name)!);
    assert.ok(bare.score < halfway.score && halfway.score < production.score, `${bare.score} < ${halfway.score} < ${production.score}`);
    for (const report of [bare, halfway, production]) {
      assert.match(report.scoring.join(' '), /ML Test Score/);
      assert.match(report.scoring.join(' '), new RegExp(`is ${report.score}\\.`));
      for (const category of report.categories) {
        const applicable = category.items.filter((i) => i.points !== null);
        assert.equal(category.possible, applicable.length);
        assert.equal(
          category.points,
          applicable.reduce((sum, i) => sum + (i.points ?? 0), 0),
        );
      }
      const mean =
        report.categories.filter((c) => c.possible > 0).reduce((sum, c) => sum + c.points / c.possible, 0) /
        report.categories.filter((c) => c.possible > 0).length;
      assert.equal(report.score, Math.round(mean * 100));
    }
  });

  test('the examples/churn demo scores as a demo', async () => {
    const examples = path.join(__dirname, '..', 'examples');
    if (!fs.existsSync(examples)) return;
    const report = await computeReadiness(examples, engine);
    assert.ok(report.score < 30, `examples scored ${report.score}`);
  });
});

describe('attestations', () => {
  test('a valid table is read, with a TOML date or a string date', () => {
    const { attestations, problems } = parseAttestations(
      {
        'ops-canary': { status: 'attested', by: 'Platform team', date: new Date('2025-01-02T00:00:00Z'), note: 'Istio canaries for every service' },
        'serving-slo': { status: 'not-applicable', by: 'Ana', date: '2025-01-03' },
      },
      'mlready.toml',
      '[readiness.ops-canary]\n[readiness.serving-slo]\n',
    );
    assert.deepEqual(problems, []);
    assert.equal(attestations.get('ops-canary')?.date, '2025-01-02');
    assert.equal(attestations.get('ops-canary')?.line, 1);
    assert.equal(attestations.get('serving-slo')?.status, 'not-applicable');
  });

  test('an unknown id is an error that names the valid ids', () => {
    const { problems } = parseAttestations({ 'ops-canaryy': { status: 'attested', by: 'A', date: '2025-01-01' } }, 'pyproject.toml');
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /unknown readiness item "ops-canaryy" \(did you mean "ops-canary"\?\)/);
    for (const id of ITEM_IDS) assert.ok(problems[0].message.includes(id), id);
  });

  test('a wrong type is an error that names the key', () => {
    const wrongBy = parseAttestations({ 'ops-canary': { status: 'attested', by: 42, date: '2025-01-01' } }, 'pyproject.toml').problems;
    assert.equal(wrongBy.length, 1);
    assert.match(wrongBy[0].message, /\[tool\.mlready\.readiness\]\.ops-canary\.by: Invalid input: expected string, received number$/);
    const wrongStatus = parseAttestations({ 'ops-canary': { status: 'done', by: 'A', date: '2025-01-01' } }, 'pyproject.toml').problems;
    assert.match(wrongStatus[0].message, /ops-canary\.status: must be "attested" or "not-applicable"/);
    const badDate = parseAttestations({ 'ops-canary': { status: 'attested', by: 'A', date: 'last week' } }, 'pyproject.toml').problems;
    assert.match(badDate[0].message, /ops-canary\.date: expected a date as YYYY-MM-DD/);
    const extra = parseAttestations({ 'ops-canary': { status: 'attested', by: 'A', date: '2025-01-01', reviewer: 'B' } }, 'pyproject.toml').problems;
    assert.match(extra[0].message, /unknown key "reviewer"/);
    const notTable = parseAttestations({ 'ops-canary': 'yes' }, 'pyproject.toml').problems;
    assert.match(notTable[0].message, /ops-canary must be a table/);
  });

  test('items decided by code cannot be attested, only marked not applicable', () => {
    const { problems, attestations } = parseAttestations(
      {
        'repro-seeds': { status: 'attested', by: 'A', date: '2025-01-01' },
        'integration-timeouts': { status: 'not-applicable', by: 'A', date: '2025-01-01' },
      },
      'pyproject.toml',
    );
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /"repro-seeds" cannot be attested.*missing-seed/);
    assert.ok(attestations.has('integration-timeouts'));
  });

  test('attestations in mlready.toml change statuses and raise the score by half points', async () => {
    const dir = tempProject({
      'requirements.txt': 'pandas\n',
      'eda.ipynb': NOTEBOOK([{ source: 'import pandas as pd\ndf = pd.read_csv("x.csv")', count: 1 }]),
      'mlready.toml':
        '[readiness.serving-batch-vs-realtime]\nstatus = "attested"\nby = "Ana"\ndate = 2025-02-01\n\n[readiness.serving-slo]\nstatus = "not-applicable"\nby = "Ana"\ndate = 2025-02-01\nnote = "nightly batch"\n',
    });
    const plain = await computeReadiness(dir, engine, {});
    fs.renameSync(path.join(dir, 'mlready.toml'), path.join(dir, 'mlready.off'));
    const without = await computeReadiness(dir, engine, {});
    assert.equal(item(plain, 'serving-batch-vs-realtime').status, 'attested');
    assert.equal(item(plain, 'serving-batch-vs-realtime').evidence[0].path, 'mlready.toml');
    assert.equal(item(plain, 'serving-slo').status, 'not-applicable');
    assert.equal(item(without, 'serving-batch-vs-realtime').status, 'fail');
    const serving = (r: ReadinessReport) => r.categories.find((c) => c.id === 'serving')!;
    assert.equal(serving(plain).possible, 6);
    assert.equal(serving(plain).points, 0.5);
    assert.ok(plain.score > without.score);
  });

  test('a hard-coded secret keeps data-pii-access failing despite an attestation', async () => {
    const dir = tempProject({
      'train.py': 'import requests\nAPI_KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD"\n',
      'pyproject.toml': '[tool.mlready.readiness.data-pii-access]\nstatus = "attested"\nby = "A"\ndate = "2025-01-01"\n',
    });
    const report = await computeReadiness(dir, engine);
    const pii = item(report, 'data-pii-access');
    assert.equal(pii.status, 'fail');
    assert.match(pii.summary, /does not count/);
    assert.ok(!JSON.stringify(report).includes('abcdefghijklmnopqrstuvwxyz0123456789'), 'the secret is never shown in full');
  });

  test('invalid attestations make computeReadiness throw ReadinessConfigError', async () => {
    const dir = tempProject({ 'pyproject.toml': '[tool.mlready.readiness.nope]\nstatus = "attested"\nby = "A"\ndate = "2025-01-01"\n' });
    await assert.rejects(
      computeReadiness(dir, engine),
      (error: unknown) => error instanceof ReadinessConfigError && /pyproject\.toml:1: .*unknown readiness item "nope"/.test(error.message),
    );
  });
});

describe('workspace scan', () => {
  test('honours .gitignore and skips virtual environments and node_modules', async () => {
    const secret = 'API_KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD"\n';
    const dir = tempProject({
      '.gitignore': 'scratch/\n',
      'scratch/leak.py': secret,
      'env/pyvenv.cfg': 'home = /usr/bin\n',
      'env/lib/site.py': secret,
      'node_modules/pkg/x.py': secret,
      'pkg/.gitignore': '*.tmp.py\n',
      'pkg/leak.tmp.py': secret,
      'pkg/ok.py': 'import numpy as np\nnp.random.seed(0)\n',
    });
    const report = await computeReadiness(dir, engine);
    assert.equal(item(report, 'data-pii-access').status, 'partial');
    assert.equal(report.stats.pythonFiles, 1);
  });

  test('is cancellable and reports progress', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(computeReadiness(fixture('production'), engine, { signal: controller.signal }), { name: 'AbortError' });
    const phases = new Set<string>();
    const midway = new AbortController();
    await assert.rejects(
      computeReadiness(fixture('production'), engine, {
        signal: midway.signal,
        onProgress: (progress) => {
          phases.add(progress.phase);
          if (progress.phase === 'analysing' && progress.done === 2) midway.abort();
        },
      }),
      { name: 'AbortError' },
    );
    assert.ok(phases.has('analysing'));
  });

  test('yields to the event loop between files', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await computeReadiness(fixture('production'), engine);
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks > 0, 'a timer ran while the scan was going on');
  });
});

describe('mlready readiness CLI', () => {
  test('--format json is the report contract', async () => {
    const io = fakeIo();
    const code = await run([fixture('halfway'), '--format', 'json'], io);
    assert.equal(code, 0);
    assert.equal(io.stderr, '');
    const json = JSON.parse(io.stdout);
    assert.equal(json.score, reports.get('halfway')!.score);
    assert.equal(typeof json.band, 'string');
    assert.deepEqual(
      json.categories.map((c: { id: string }) => c.id),
      ['problem', 'data', 'reproducibility', 'serving', 'integration', 'operations', 'governance', 'genai'],
    );
    const data = json.categories[1];
    assert.deepEqual(Object.keys(data).slice(0, 3), ['id', 'title', 'score']);
    const versioned = data.items.find((i: { id: string }) => i.id === 'data-versioned');
    assert.equal(versioned.status, 'fail');
    assert.equal(versioned.action.command, 'mlready.scaffold.dvc');
    for (const category of json.categories)
      for (const i of category.items)
        for (const e of i.evidence) {
          assert.equal(typeof e.path, 'string');
          assert.ok(Number.isInteger(e.line) && e.line >= 1);
          assert.equal(typeof e.note, 'string');
        }
  });

  test('--min-score gates: 1 below, 0 at or above', async () => {
    const low = fakeIo();
    assert.equal(await run([fixture('bare'), '--min-score', '50', '--format', 'json'], low), 1);
    assert.match(low.stderr, /below the minimum of 50/);
    assert.doesNotThrow(() => JSON.parse(low.stdout));
    assert.equal(await run([fixture('production'), '--min-score', '75'], fakeIo()), 0);
  });

  test('usage and configuration errors exit 2', async () => {
    assert.equal(await main(['readiness', fixture('bare'), '--format', 'yaml'], fakeIo()), 2);
    assert.equal(await main(['readiness', fixture('bare'), '--min-score', 'high'], fakeIo()), 2);
    assert.equal(await main(['readiness', path.join(FIXTURES, 'missing')], fakeIo()), 2);
    const dir = tempProject({ 'mlready.toml': '[readiness.ops-canary]\nstatus = "attested"\nby = 7\ndate = "2025-01-01"\n' });
    const io = fakeIo();
    assert.equal(await main(['readiness', dir], io), 2);
    assert.match(io.stderr, /mlready\.toml:3: \[readiness\]\.ops-canary\.by: Invalid input: expected string, received number\n/);
    assert.equal(io.stdout, '');
  });

  test('text and JSON: notebook evidence names the cell as VS Code shows it, next to the code-cell index', async () => {
    const text = fakeIo();
    await run([fixture('bare')], text);
    // churn.ipynb: a markdown cell, then code cells; the unseeded split is in code cell 2, VS Code's "Cell 4".
    assert.match(text.stdout, /churn\.ipynb, Cell 4, line 1 {2}/);
    assert.doesNotMatch(text.stdout, /#cell/);
    const json = fakeIo();
    await run([fixture('bare'), '--format', 'json'], json);
    const evidence = JSON.parse(json.stdout).categories.flatMap((c: { items: { evidence: Evidence[] }[] }) => c.items.flatMap((i) => i.evidence));
    const inCells = evidence.filter((e: Evidence) => e.cell !== undefined);
    assert.ok(inCells.length > 0);
    for (const e of inCells) assert.equal(e.cellNumber, (e.cell ?? 0) + 2, JSON.stringify(e));
  });

  test('text: plain without a terminal, coloured on one', async () => {
    const plain = fakeIo();
    await run([fixture('halfway')], plain);
    assert.match(plain.stdout, /^Production readiness: \d+\/100/);
    assert.match(plain.stdout, /✗ open {5}Data is versioned \(data-versioned\)/);
    assert.match(plain.stdout, /run `mlready scaffold dvc`/);
    assert.match(plain.stdout, /How the score was computed/);
    assert.ok(!plain.stdout.includes('\u001b['));
    const tty = fakeIo(process.cwd(), true);
    await run([fixture('halfway')], tty);
    assert.ok(tty.stdout.includes('\u001b[31m'));
    const noColor = fakeIo(process.cwd(), true);
    await run([fixture('halfway'), '--no-color'], noColor);
    assert.ok(!noColor.stdout.includes('\u001b['));
  });

  test('markdown for a pull request, and SARIF', async () => {
    const md = fakeIo();
    await run([fixture('halfway'), '--format', 'markdown'], md);
    assert.match(md.stdout, /^## Production readiness: \d+\/100 \(/);
    assert.match(md.stdout, /\| Data \| 38% \| 3 \|/);
    assert.match(md.stdout, /### Open items/);
    const sarif = fakeIo();
    await run([fixture('halfway'), '--format', 'sarif'], sarif);
    const log = JSON.parse(sarif.stdout);
    assert.equal(log.version, '2.1.0');
    const open = reports
      .get('halfway')!
      .categories.flatMap((c) => c.items)
      .filter((i) => i.status === 'fail' || i.status === 'partial');
    assert.equal(log.runs[0].results.length, open.length);
    assert.equal(log.runs[0].tool.driver.rules.length, ITEMS.length);
    const container = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'serving-container');
    assert.equal(container.level, 'note');
    assert.deepEqual(container.locations[0].physicalLocation, { artifactLocation: { uri: 'Dockerfile' }, region: { startLine: 1 } });
  });

  test('--help', async () => {
    const io = fakeIo();
    assert.equal(await run(['--help'], io), 0);
    assert.match(io.stdout, /--min-score N/);
  });
});

test('the scan awaits its pause before each Python file it analyses, after each slice of parsing and after each item is assessed, and the report is the same', async () => {
  let paused = 0;
  let analysing = 0;
  let parsingSlices = 0;
  const report = await computeReadiness(fixture('production'), engine, {
    pause: async () => {
      paused++;
      await new Promise((resolve) => setImmediate(resolve));
    },
    onProgress: (update) => {
      if (update.phase === 'analysing' && update.done < update.total) analysing++;
      if (update.phase === 'parsing') parsingSlices++;
    },
  });
  assert.ok(paused > 0);
  assert.equal(paused, analysing + parsingSlices + ITEMS.length);
  assert.deepEqual(statuses(report), statuses(reports.get('production')!));
});

test('the report assessed in turns lets timers run between items, equals the one assessed at once, and stops when aborted', async () => {
  const workspace = await scanWorkspace(fixture('production'), new EngineFactsProvider(engine, fixture('production')));
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  const inTurns = await assessInTurns(workspace);
  clearInterval(timer);
  assert.ok(ticks > 0, 'a timer ran while the items were assessed');
  assert.deepEqual(inTurns, assess(workspace));
  const controller = new AbortController();
  let items = 0;
  await assert.rejects(
    assessInTurns(workspace, new Map(), {
      signal: controller.signal,
      pause: async () => {
        if (++items === 3) controller.abort();
      },
    }),
    AbortedError,
  );
  assert.equal(items, 3);
});

test("Python files beyond the scan's limit are counted and said, and `mlready readiness` analyses every file listed", async () => {
  // 1,001 scripts; the last in listing order is the only one that tracks experiments.
  const files: Record<string, string> = {};
  for (let i = 0; i < 1000; i++) files[`src/step_${String(i).padStart(4, '0')}.py`] = `value_${i} = ${i}\n`;
  files['zz_train.py'] = 'import mlflow\n\nwith mlflow.start_run():\n    mlflow.log_metric("auc", 0.91)\n';
  const dir = tempProject(files);
  const status = (report: ReadinessReport): ItemStatus | undefined =>
    report.categories.flatMap((c) => c.items).find((item) => item.id === 'repro-experiment-tracking')?.status;

  // The language server's scan: the first 1,000.
  const capped = await computeReadiness(dir, engine);
  assert.equal(capped.stats.pythonFiles, 1000);
  assert.equal(capped.stats.pythonNotAnalysed, 1);
  assert.notEqual(status(capped), 'pass');
  assert.match(renderText(capped), /1 more Python file or notebook was listed but not analysed \(the scan's limit\)/);
  assert.match(renderMarkdown(capped), /1 more Python file or notebook was listed but not analysed/);

  // The CLI: all 1,001, and the tracking is seen.
  const io = fakeIo();
  assert.equal(await run([dir, '--format', 'json'], io), 0);
  const report = JSON.parse(io.stdout) as ReadinessReport;
  assert.equal(report.stats.pythonFiles, 1001);
  assert.equal(report.stats.pythonNotAnalysed, 0);
  assert.equal(status(report), 'pass');
});

test('`mlready readiness` and the editor list every file of a repository of 5,001 files; a scan that stops at its limit says so', async () => {
  // As in EleutherAI/lm-evaluation-harness: thousands of task YAML files, listed before the package
  // that tracks experiments (the walk goes in name order).
  const files: Record<string, string> = {};
  for (let i = 0; i < 5000; i++) files[`a_tasks/task_${String(i).padStart(4, '0')}.yaml`] = `task: t${i}\n`;
  files['zz_pkg/train.py'] = 'import mlflow\n\nwith mlflow.start_run():\n    mlflow.log_metric("auc", 0.91)\n';
  const dir = tempProject(files);
  const status = (report: ReadinessReport): ItemStatus | undefined =>
    report.categories.flatMap((c) => c.items).find((item) => item.id === 'repro-experiment-tracking')?.status;

  // A scan that lists 5,000 files never reaches the package, and says so.
  const capped = await computeReadiness(dir, engine, { maxFiles: 5000 });
  assert.equal(capped.stats.truncated, true);
  assert.equal(capped.stats.filesScanned, 5000);
  assert.equal(capped.stats.pythonFiles, 0);
  assert.notEqual(status(capped), 'pass');
  assert.match(renderText(capped), /the scan stopped at its limit of 5,000 files, so the files after them were not scanned/);
  assert.match(renderMarkdown(capped), /the scan stopped at its limit of 5,000 files/);

  // The language server's scan (up to DEFAULT_MAX_FILES) reaches it.
  assert.ok(DEFAULT_MAX_FILES > 5001);
  const editor = await computeReadiness(dir, engine);
  assert.equal(editor.stats.truncated, false);
  assert.equal(status(editor), 'pass');

  // The CLI: all 5,001 files, and the tracking is seen.
  const io = fakeIo();
  assert.equal(await run([dir, '--format', 'json'], io), 0);
  const report = JSON.parse(io.stdout) as ReadinessReport;
  assert.equal(report.stats.truncated, false);
  assert.equal(report.stats.filesScanned, 5001);
  assert.equal(report.stats.pythonFiles, 1);
  assert.equal(status(report), 'pass');
});

test("the editor's scan reads 64 MB of text at most, `mlready readiness` 256 MB", async () => {
  // The language server keeps what it reads while the editor runs: 400 documents of 1 MB took its scan to 442-453 MB.
  const files: Record<string, string> = {};
  const megabyte = `${'notes on the data, '.repeat(52_000)}\n`;
  for (let i = 0; i < 70; i++) files[`notes/part_${String(i).padStart(2, '0')}.txt`] = megabyte;
  const dir = tempProject(files);
  const editor = await computeReadiness(dir, engine);
  assert.ok(
    editor.problems.some((p) => /^2 text files were not read: the scan reached its limit of 64.0 MB of text$/.test(p.message)),
    JSON.stringify(editor.problems),
  );
  const io = fakeIo();
  assert.equal(await run([dir, '--format', 'json'], io), 0);
  const whole = JSON.parse(io.stdout) as ReadinessReport;
  assert.equal(
    whole.problems.some((p) => /not read/.test(p.message)),
    false,
  );
});

test('the text the scan reads has a total budget: files past it are not read, and the report says how many', async () => {
  // A crafted tree of many large text files must not fill the heap; a small budget stands in for the real one.
  const files: Record<string, string> = {};
  for (let i = 0; i < 10; i++) files[`docs/page_${i}.md`] = `# Page ${i}\n\n${'words '.repeat(2000)}\n`;
  const dir = tempProject(files);
  const report = await computeReadiness(dir, engine, { maxTextBytes: 30_000 });
  const problem = report.problems.find((p) => /text files? (was|were) not read/.test(p.message));
  assert.ok(problem, JSON.stringify(report.problems));
  assert.match(problem.message, /^7 text files were not read: the scan reached its limit of 30 KB of text$/);
  const whole = await computeReadiness(dir, engine);
  assert.equal(
    whole.problems.some((p) => /not read/.test(p.message)),
    false,
  );
});

test('the scan runs only the rules whose findings the items read, each of them registered, and nothing the items read is lost', async () => {
  const { RULES_READ } = await import('../server/src/engine/readiness/detect');
  const { RULE_NAMES } = await import('../server/src/engine/index');
  for (const rule of RULES_READ) assert.ok(RULE_NAMES.has(rule), `${rule} is a registered rule`);
  // Every rule the item files name through findingEvidence is in the list (the type says so; this says it of the text).
  const itemsDir = path.join(__dirname, '..', 'server', 'src', 'engine', 'readiness', 'items');
  const named = new Set<string>();
  for (const file of fs.readdirSync(itemsDir)) {
    for (const match of fs.readFileSync(path.join(itemsDir, file), 'utf8').matchAll(/findingEvidence\(ws, '([a-z-]+)'\)/g)) named.add(match[1]);
  }
  assert.deepEqual([...named].sort(), [...RULES_READ].sort());
  const text =
    'import pickle\nimport pandas as pd\ndf = pd.read_csv("/home/alice/data/churn.csv")\nprint(df.shape)\nmodel = pickle.load(open("m.pkl", "rb"))\n';
  const everyRule = new Set(engine.analyze({ path: 'train.py', kind: 'script', text }).findings.map((finding) => finding.rule));
  assert.ok(everyRule.has('hardcoded-path'), [...everyRule].join(', '));
  const facts = new EngineFactsProvider(engine, fixture('production')).analyse({ relPath: 'train.py', kind: 'script', text });
  assert.deepEqual(
    facts.findings.map((finding) => finding.rule).sort(),
    [...everyRule].filter((rule) => (RULES_READ as readonly string[]).includes(rule)).sort(),
  );
});

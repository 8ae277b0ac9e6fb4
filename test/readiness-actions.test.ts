/**
 * Every readiness item's action closes the item: on a project that fails the item, follow the
 * action (run its scaffold, apply its rule's fixes, or write its attestation), assess again, and
 * the item passes (or is attested). The project starts as a notebook that trains on real data
 * (scikit-learn's iris measurements, as Debian's python3-sklearn ships them) with an unpinned
 * requirements.txt.
 */
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createEngine, type Engine } from '../server/src/engine/index';
import { computeReadiness, ITEMS, type ReadinessItem, type ReadinessReport } from '../server/src/engine/readiness/index';
import { generateScaffold, writeScaffold, isScaffoldKind, type ScaffoldKind } from '../server/src/engine/scaffolds/index';
import { fixScriptText } from '../server/src/engine/fix-all';

const IRIS = '/usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv';
const SPECIES = ['setosa', 'versicolor', 'virginica'];

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

/** iris.csv as scikit-learn ships it (a count line, then rows ending in a class index), with a header and class names. */
function irisCsv(): string {
  assert.ok(fs.existsSync(IRIS), `${IRIS} is missing: install python3-sklearn (the CI installs it)`);
  const rows = fs
    .readFileSync(IRIS, 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(','));
  return (
    ['sepal_length,sepal_width,petal_length,petal_width,species', ...rows.map((r) => [...r.slice(0, 4), SPECIES[Number(r[4])]].join(','))].join('\n') + '\n'
  );
}

const NOTEBOOK = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    {
      cell_type: 'code',
      execution_count: 1,
      metadata: {},
      outputs: [],
      source: 'import pandas as pd\nfrom sklearn.ensemble import RandomForestClassifier\ndf = pd.read_csv("data/iris.csv")',
    },
    {
      cell_type: 'code',
      execution_count: 2,
      metadata: {},
      outputs: [],
      source: 'X, y = df.drop(columns=["species"]), df["species"]\nmodel = RandomForestClassifier(n_estimators=50, random_state=0)\nmodel.fit(X, y)',
    },
  ],
});

function startingProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-actions-'));
  fs.mkdirSync(path.join(dir, 'data'));
  fs.mkdirSync(path.join(dir, 'notebooks'));
  fs.writeFileSync(path.join(dir, 'data', 'iris.csv'), irisCsv());
  fs.writeFileSync(path.join(dir, 'notebooks', 'explore.ipynb'), NOTEBOOK);
  return dir;
}

/** An LLM application's module, for the items that apply only where the code calls an LLM. */
const ASSISTANT =
  'from openai import OpenAI\n\nclient = OpenAI(timeout=20.0)\n\n\ndef explain(species: str) -> str:\n    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": f"Describe {species}"}])\n    return reply.choices[0].message.content\n';

async function scaffold(dir: string, kind: ScaffoldKind): Promise<void> {
  const files = await generateScaffold(kind, { data: 'data/iris.csv', target: 'species', out: dir, cwd: dir });
  writeScaffold(files, dir);
}

function find(report: ReadinessReport, id: string): ReadinessItem {
  const item = report.categories.flatMap((category) => category.items).find((candidate) => candidate.id === id);
  assert.ok(item, `no item ${id}`);
  return item;
}

/**
 * Scaffolds already in place before the action, so that the project fails the item for the reason
 * the action addresses (the gate exists but CI does not run it; the service exists but has no fallback).
 */
const CONTEXT: Record<string, ScaffoldKind[]> = {
  'data-versioned': ['pipeline'],
  'integration-fallback': ['api'],
  'ops-tests-in-ci': ['pipeline'],
  'ops-quality-gate': ['pipeline'],
  'ops-retraining': ['pipeline'],
  'ops-monitoring': ['api'],
  'ops-drift-detection': ['api'],
  'ops-rollback': ['pipeline'],
  'gov-prediction-audit': ['api'],
};

const scaffoldItems = ITEMS.filter((item) => item.action.command?.startsWith('mlready.scaffold.'));

describe('each scaffold action closes its item', () => {
  test('the items with a scaffold action are the ones this table covers', () => {
    assert.ok(scaffoldItems.length >= 20, `only ${scaffoldItems.length} items have a scaffold action`);
  });

  for (const definition of scaffoldItems) {
    const kind = definition.action.command!.slice('mlready.scaffold.'.length);
    test(`${definition.id}: mlready scaffold ${kind}`, async () => {
      assert.ok(isScaffoldKind(kind), `${definition.id} points at an unknown scaffold ${kind}`);
      const dir = startingProject();
      try {
        if (definition.onlyFor === 'llm') fs.writeFileSync(path.join(dir, 'assistant.py'), ASSISTANT);
        for (const context of CONTEXT[definition.id] ?? []) await scaffold(dir, context);
        const before = find(await computeReadiness(dir, engine), definition.id);
        assert.notEqual(before.status, 'pass', `${definition.id} already passes before its action: ${before.summary}`);
        assert.equal(before.action?.command, definition.action.command);
        await scaffold(dir, kind);
        const after = find(await computeReadiness(dir, engine), definition.id);
        assert.equal(after.status, 'pass', `${definition.id} after \`mlready scaffold ${kind}\`: ${after.summary}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe("rule actions close their items when the rule's fixes are applied", () => {
  test('repro-seeds: the missing-seed fix seeds the split', async () => {
    const dir = startingProject();
    try {
      const file = path.join(dir, 'split.py');
      fs.writeFileSync(
        file,
        'import pandas as pd\nfrom sklearn.model_selection import train_test_split\ndf = pd.read_csv("data/iris.csv")\ntrain, test = train_test_split(df, test_size=0.2)\n',
      );
      assert.equal(find(await computeReadiness(dir, engine), 'repro-seeds').status, 'fail');
      const fixed = fixScriptText(engine, file, fs.readFileSync(file, 'utf8'));
      fs.writeFileSync(file, fixed.result);
      fs.rmSync(path.join(dir, 'notebooks'), { recursive: true }); // the notebook's model is seeded; the split was not
      assert.equal(find(await computeReadiness(dir, engine), 'repro-seeds').status, 'pass');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('integration-timeouts: the request-without-timeout fix bounds the call', async () => {
    const dir = startingProject();
    try {
      const file = path.join(dir, 'features.py');
      fs.writeFileSync(file, 'import requests\n\ndef features(customer_id):\n    return requests.get(f"https://features.internal/{customer_id}").json()\n');
      assert.equal(find(await computeReadiness(dir, engine), 'integration-timeouts').status, 'fail');
      fs.writeFileSync(file, fixScriptText(engine, file, fs.readFileSync(file, 'utf8')).result);
      assert.equal(find(await computeReadiness(dir, engine), 'integration-timeouts').status, 'pass');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('attestation actions close their items', () => {
  for (const definition of ITEMS.filter((item) => item.attestable === 'only')) {
    test(`${definition.id}: attested in pyproject.toml`, async () => {
      const dir = startingProject();
      try {
        assert.equal(find(await computeReadiness(dir, engine), definition.id).status, 'fail');
        fs.writeFileSync(
          path.join(dir, 'pyproject.toml'),
          `[tool.mlready.readiness.${definition.id}]\nstatus = "attested"\nby = "Ana Ruiz"\ndate = 2026-11-30\n`,
        );
        assert.equal(find(await computeReadiness(dir, engine), definition.id).status, 'attested');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe("the project's configuration", () => {
  test("readiness honours select/ignore: an ignored rule's findings decide nothing, and the item says so", async () => {
    const dir = startingProject();
    try {
      fs.writeFileSync(
        path.join(dir, 'split.py'),
        'import pandas as pd\nfrom sklearn.model_selection import train_test_split\ndf = pd.read_csv("data/iris.csv")\ntrain, test = train_test_split(df, test_size=0.2)\n',
      );
      assert.equal(find(await computeReadiness(dir, engine), 'repro-seeds').status, 'fail');
      fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.mlready]\nignore = ["missing-seed"]\n');
      const seeds = find(await computeReadiness(dir, engine), 'repro-seeds');
      assert.notEqual(seeds.status, 'fail', seeds.summary);
      assert.ok(
        seeds.evidence.every((e) => !/missing-seed/.test(e.note)),
        JSON.stringify(seeds.evidence),
      );
      assert.match(seeds.summary, /`missing-seed` is turned off by the project's select\/ignore/);
      // select works the same way: only the selected rules run.
      fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.mlready]\nselect = ["print-logging"]\n');
      assert.match(find(await computeReadiness(dir, engine), 'repro-seeds').summary, /turned off/);
      // per-file ignores match paths relative to the project.
      fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.mlready]\nper-file-ignores = { "split.py" = ["missing-seed"] }\n');
      assert.notEqual(find(await computeReadiness(dir, engine), 'repro-seeds').status, 'fail');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('who attests by default', () => {
  test('the git user of the project (name and email), read with git itself', async (t) => {
    const { gitUser } = await import('../server/src/engine/readiness/index');
    const { execFileSync } = await import('node:child_process');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-attester-'));
    try {
      try {
        execFileSync('git', ['init', '-q'], { cwd: dir });
      } catch {
        t.skip('git is not installed');
        return;
      }
      execFileSync('git', ['config', 'user.name', 'Ana Ruiz'], { cwd: dir });
      execFileSync('git', ['config', 'user.email', 'ana@example.org'], { cwd: dir });
      assert.equal(await gitUser(dir), 'Ana Ruiz <ana@example.org>');
      // Control characters in a hostile config do not reach the attestation.
      execFileSync('git', ['config', 'user.name', 'Eve\u001b[31m'], { cwd: dir });
      assert.equal(await gitUser(dir), 'Eve[31m <ana@example.org>');
      // Not a repository and no global user: undefined, and the person types a name.
      const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-attester-plain-'));
      const env = { ...process.env };
      process.env.HOME = plain;
      process.env.GIT_CONFIG_NOSYSTEM = '1';
      process.env.GIT_CEILING_DIRECTORIES = path.dirname(plain);
      try {
        assert.equal(await gitUser(plain), undefined);
      } finally {
        process.env.HOME = env.HOME;
        if (env.GIT_CONFIG_NOSYSTEM === undefined) delete process.env.GIT_CONFIG_NOSYSTEM;
        else process.env.GIT_CONFIG_NOSYSTEM = env.GIT_CONFIG_NOSYSTEM;
        if (env.GIT_CEILING_DIRECTORIES === undefined) delete process.env.GIT_CEILING_DIRECTORIES;
        else process.env.GIT_CEILING_DIRECTORIES = env.GIT_CEILING_DIRECTORIES;
        fs.rmSync(plain, { recursive: true, force: true });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('guide actions close their items when followed', () => {
  // What each action's title asks for, written the way a team would follow it.
  const FOLLOWED: Record<string, Record<string, string>> = {
    'serving-slo': { 'README.md': '# Churn service\n\nLatency target: p95 below 200 ms at 50 requests per second.\n' },
    'gov-explainability': { 'explain.py': 'import shap\n\ndef attributions(model, X):\n    return shap.TreeExplainer(model).shap_values(X)\n' },
    'gov-fairness': {
      'fairness.py':
        'from fairlearn.metrics import MetricFrame\nfrom sklearn.metrics import recall_score\n\ndef per_group(y, p, groups):\n    return MetricFrame(metrics=recall_score, y_true=y, y_pred=p, sensitive_features=groups).by_group\n',
    },
    'ops-canary': {
      'deploy/isvc.yaml':
        'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: iris\nspec:\n  predictor:\n    canaryTrafficPercent: 10\n    sklearn:\n      storageUri: gs://models/iris/2\n',
    },
    'ops-structured-logging': {
      'service_logging.py':
        'import structlog\n\nlog = structlog.get_logger()\n\ndef served(request_id, label):\n    log.info("prediction", request_id=request_id, label=label)\n',
    },
  };
  for (const [id, files] of Object.entries(FOLLOWED)) {
    test(`${id}: ${ITEMS.find((item) => item.id === id)!.action.title}`, async () => {
      const dir = startingProject();
      try {
        assert.notEqual(find(await computeReadiness(dir, engine), id).status, 'pass');
        for (const [rel, text] of Object.entries(files)) {
          fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
          fs.writeFileSync(path.join(dir, rel), text);
        }
        const after = find(await computeReadiness(dir, engine), id);
        assert.equal(after.status, 'pass', after.summary);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

/**
 * The readiness items judge behaviour and know the ecosystem: for each failure class found on
 * real repositories (docs/readiness-benchmark/), tables of project shapes as real teams write them,
 * with the status each item must get. Every case is a small project written to a temporary folder
 * and assessed end to end (scan, engine analysis, rules, the item's check).
 */
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, type Engine } from '../server/src/engine/index';
import type { ItemStatus, ReadinessReport } from '../server/src/engine/readiness/index';
import { assessProject } from './helpers/readiness-project';

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

type Files = Record<string, string>;

function assess(files: Files): Promise<ReadinessReport> {
  return assessProject(engine, files);
}

function status(report: ReadinessReport, id: string): { status: ItemStatus; summary: string } {
  const item = report.categories.flatMap((c) => c.items).find((i) => i.id === id);
  assert.ok(item, id);
  return { status: item.status, summary: `${item.summary} ${JSON.stringify(item.evidence.map((e) => `${e.path}:${e.line} ${e.note}`))}` };
}

function table(item: string, cases: { name: string; files: Files; expect: ItemStatus }[]): void {
  describe(item, () => {
    for (const c of cases) {
      test(`${c.expect}: ${c.name}`, async () => {
        const got = status(await assess(c.files), item);
        assert.equal(got.status, c.expect, got.summary);
      });
    }
  });
}

const TRAIN =
  'import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n\ndf = pd.read_csv("data.csv")\nmodel = LogisticRegression().fit(df[["x"]], df["y"])\n';
const WORKFLOW = (run: string): string =>
  `name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: ${run}\n`;
const TEST_FILE = { 'tests/test_features.py': 'def test_features():\n    assert 1 + 1 == 2\n' };

table('ops-quality-gate', [
  {
    name: 'a metric below its threshold exits non-zero, run by CI',
    files: {
      'train.py': TRAIN,
      'evaluate.py': 'import sys\nfrom sklearn.metrics import roc_auc_score\n\nauc = roc_auc_score([0, 1], [0.2, 0.8])\nif auc < 0.8:\n    sys.exit(1)\n',
      '.github/workflows/ci.yml': WORKFLOW('python evaluate.py'),
    },
    expect: 'pass',
  },
  {
    name: 'failures collected per metric, one exit when any failed, run through make',
    files: {
      'train.py': TRAIN,
      'gate.py':
        'import sys\nfrom sklearn.metrics import f1_score\n\nTHRESHOLDS = {"f1": 0.7}\nmetrics = {"f1": f1_score([0, 1], [0, 1])}\nfailures = [name for name, minimum in THRESHOLDS.items() if metrics[name] < minimum]\nfor name, minimum in THRESHOLDS.items():\n    if metrics[name] < minimum:\n        failures.append(name)\nif failures:\n    sys.exit(1)\n',
      Makefile: 'gate:\n\tpython gate.py\n',
      '.github/workflows/ci.yml': WORKFLOW('make gate'),
    },
    expect: 'pass',
  },
  {
    name: 'a test asserts the accuracy, tests run with uv run pytest',
    files: {
      'train.py': TRAIN,
      'tests/test_model.py': 'from sklearn.metrics import accuracy_score\n\ndef test_accuracy():\n    assert accuracy_score([1, 0], [1, 0]) >= 0.9\n',
      '.github/workflows/ci.yml': WORKFLOW('uv run pytest'),
    },
    expect: 'pass',
  },
  {
    name: 'mlflow.evaluate with validation thresholds, run with poetry run',
    files: {
      'train.py': TRAIN,
      'validate.py':
        'import mlflow\nfrom mlflow.models import MetricThreshold\n\nmlflow.evaluate("runs:/1/model", data=None, targets="y", model_type="classifier", validation_thresholds={"f1_score": MetricThreshold(threshold=0.8)})\n',
      '.github/workflows/ci.yml': WORKFLOW('poetry run python validate.py'),
    },
    expect: 'pass',
  },
  {
    name: 'an exit for wrong command-line arguments in a file that computes a metric is not a gate',
    files: {
      'train.py': TRAIN,
      'evaluate.py':
        'import sys\nfrom sklearn import metrics\n\nif len(sys.argv) != 3:\n    sys.stderr.write("usage")\n    sys.exit(1)\nauc = metrics.roc_auc_score([0, 1], [0.1, 0.9])\nprint(auc)\n',
      '.github/workflows/ci.yml': WORKFLOW('python evaluate.py model.pkl data'),
    },
    expect: 'fail',
  },
  {
    name: 'a loss compared with its own first value is a sanity test, not a threshold',
    files: {
      'train.py': TRAIN,
      'tests/test_train.py': 'def test_loss_decreases(history):\n    losses = history["loss"]\n    assert losses[0] > losses[-1]\n',
      '.github/workflows/ci.yml': WORKFLOW('pytest'),
    },
    expect: 'fail',
  },
  {
    // The name is matched literally: read as a pattern, `[` made the check fail ("Invalid regular expression").
    name: 'a gate whose file name holds pattern characters, run by CI from its folder',
    files: {
      'train.py': TRAIN,
      'scripts/evaluate[v2.py':
        'import sys\nfrom sklearn.metrics import roc_auc_score\n\nauc = roc_auc_score([0, 1], [0.2, 0.8])\nif auc < 0.8:\n    sys.exit(1)\n',
      '.github/workflows/ci.yml': WORKFLOW('cd scripts && python evaluate[v2.py'),
    },
    expect: 'pass',
  },
  {
    name: 'a gate nothing runs is partial',
    files: {
      'train.py': TRAIN,
      'evaluate.py':
        'import sys\nfrom sklearn.metrics import r2_score\n\nr2 = r2_score([1, 2], [1, 2])\nif r2 < 0.5:\n    raise SystemExit("model below target")\n',
    },
    expect: 'partial',
  },
  {
    name: 'a service around a model trained elsewhere has no gate to run',
    files: { 'app.py': 'import joblib\nfrom fastapi import FastAPI\n\napp = FastAPI()\nmodel = joblib.load("model.joblib")\n' },
    expect: 'not-applicable',
  },
]);

table('integration-fallback', [
  {
    name: 'the model call fails over to a default in except',
    files: {
      'app.py':
        'import joblib\nfrom fastapi import FastAPI\n\napp = FastAPI()\nmodel = joblib.load("m.joblib")\n\n@app.post("/score")\ndef score(x: float):\n    try:\n        return {"score": float(model.predict([[x]])[0])}\n    except Exception:\n        return {"score": 0.5, "degraded": True}\n',
    },
    expect: 'pass',
  },
  {
    name: 'a missing model answered with a prior',
    files: {
      'serve.py':
        'import joblib\n\nPRIOR = "no_churn"\nclf = None\n\ndef predict(row):\n    if clf is None:\n        return PRIOR\n    return clf.predict([row])[0]\n',
    },
    expect: 'pass',
  },
  {
    name: 'a low confidence replaces the answer (whatever the names)',
    files: {
      'api.py':
        'from flask import Flask\nimport joblib\n\napp = Flask(__name__)\nest = joblib.load("m.pkl")\n\n@app.post("/p")\ndef p():\n    proba = est.predict_proba([[1.0]])[0]\n    label = str(proba.argmax())\n    if proba.max() < 0.6:\n        label = "needs_review"\n    return {"label": label}\n',
    },
    expect: 'pass',
  },
  {
    name: 'an LLM chain with fallback models',
    files: {
      'chain.py':
        'from langchain_openai import ChatOpenAI\nfrom langchain_anthropic import ChatAnthropic\n\nllm = ChatOpenAI(timeout=20).with_fallbacks([ChatAnthropic(timeout=20)])\n',
    },
    expect: 'pass',
  },
  {
    name: 'an except that logs and re-raises is no fallback',
    files: {
      'app.py':
        'import logging\nimport joblib\n\nlog = logging.getLogger(__name__)\nmodel = joblib.load("m.joblib")\n\ndef score(x):\n    try:\n        return model.predict([[x]])\n    except Exception:\n        log.exception("model failed")\n        raise\n',
    },
    expect: 'fail',
  },
  {
    name: 'a name alone (fallback_handler) is not a fallback',
    files: {
      'app.py':
        'import joblib\n\nmodel = joblib.load("m.joblib")\nfallback_handler = None\n\ndef fallback_response():\n    pass\n\ndef score(x):\n    return model.predict([[x]])\n',
    },
    expect: 'fail',
  },
  {
    name: 'checking that a model is loaded before use is not a fallback',
    files: { 'app.py': 'import joblib\n\nmodel = joblib.load("m.joblib")\n\ndef ready():\n    if model is not None:\n        return {"status": "ready"}\n' },
    expect: 'fail',
  },
]);

table('ops-tests-in-ci', [
  {
    name: 'make test',
    files: { ...TEST_FILE, Makefile: '.PHONY: test\ntest:\n\tpython -m pytest -q\n', '.github/workflows/ci.yml': WORKFLOW('make test') },
    expect: 'pass',
  },
  { name: 'tox', files: { ...TEST_FILE, 'tox.ini': '[testenv]\ncommands = pytest\n', '.github/workflows/ci.yml': WORKFLOW('tox -e py311') }, expect: 'pass' },
  {
    name: 'nox',
    files: {
      ...TEST_FILE,
      'noxfile.py': 'import nox\n\n@nox.session\ndef tests(session):\n    session.run("pytest")\n',
      '.github/workflows/ci.yml': WORKFLOW('nox -s tests'),
    },
    expect: 'pass',
  },
  { name: 'just', files: { ...TEST_FILE, justfile: 'test:\n    pytest -q\n', '.github/workflows/ci.yml': WORKFLOW('just test') }, expect: 'pass' },
  {
    name: 'mise task with uv run',
    files: { ...TEST_FILE, 'mise.toml': '[tasks.test]\nrun = "uv run pytest"\n', '.github/workflows/ci.yml': WORKFLOW('mise run test') },
    expect: 'pass',
  },
  {
    name: 'poe task in pyproject',
    files: { ...TEST_FILE, 'pyproject.toml': '[tool.poe.tasks]\ntest = "pytest -q"\n', '.github/workflows/ci.yml': WORKFLOW('poe test') },
    expect: 'pass',
  },
  {
    name: 'a shell script',
    files: { ...TEST_FILE, 'scripts/ci.sh': '#!/bin/sh\nset -e\nruff check .\npython -m pytest\n', '.github/workflows/ci.yml': WORKFLOW('bash scripts/ci.sh') },
    expect: 'pass',
  },
  {
    name: 'a job submitted to a platform whose spec runs a script that runs pytest',
    files: {
      ...TEST_FILE,
      'deploy/job.yaml': 'name: workloads\nentrypoint: bash deploy/run.sh\n',
      'deploy/run.sh': 'pytest tests --verbose\n',
      '.github/workflows/ci.yml': WORKFLOW('anyscale jobs submit deploy/job.yaml --wait'),
    },
    expect: 'pass',
  },
  {
    name: 'GitLab CI through make',
    files: { ...TEST_FILE, Makefile: 'test:\n\tpytest\n', '.gitlab-ci.yml': 'test:\n  script:\n    - make test\n' },
    expect: 'pass',
  },
  {
    name: 'an action configured with pytest arguments',
    files: {
      ...TEST_FILE,
      '.github/workflows/ci.yml':
        'on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: streamlit/streamlit-app-action@v0.0.3\n        with:\n          app-path: app.py\n          pytest-args: -v\n',
    },
    expect: 'pass',
  },
  {
    name: 'CI that only lints through make is partial',
    files: { ...TEST_FILE, Makefile: 'lint:\n\truff check .\n', '.github/workflows/ci.yml': WORKFLOW('make lint') },
    expect: 'partial',
  },
]);

const SERVICE = { 'app.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n' };
table('serving-container', [
  { name: 'a compose file', files: { ...SERVICE, 'docker-compose.yml': 'services:\n  api:\n    image: python:3.11-slim\n' }, expect: 'pass' },
  {
    name: 'a Kubernetes Deployment',
    files: {
      ...SERVICE,
      'k8s/deploy.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1.2.0\n',
    },
    expect: 'pass',
  },
  {
    name: 'a KServe InferenceService',
    files: {
      ...SERVICE,
      'isvc.yaml':
        'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: churn\nspec:\n  predictor:\n    sklearn:\n      storageUri: gs://models/churn\n',
    },
    expect: 'pass',
  },
  {
    name: 'a bentofile with its Python pinned',
    files: {
      'service.py': 'import bentoml\n',
      'bentofile.yaml': 'service: "service:svc"\npython:\n  packages:\n    - scikit-learn==1.4.2\ndocker:\n  python_version: "3.11"\n',
    },
    expect: 'pass',
  },
  {
    name: 'cog.yaml builds the container',
    files: {
      'predict.py': 'from cog import BasePredictor\n\nclass Predictor(BasePredictor):\n    def predict(self, x: float) -> float:\n        return x\n',
      'cog.yaml': 'build:\n  python_version: "3.11"\n  python_packages:\n    - "torch==2.1.0"\npredict: "predict.py:Predictor"\n',
    },
    expect: 'pass',
  },
  {
    name: 'a cluster environment with a tagged base image',
    files: { ...SERVICE, 'deploy/cluster_env.yaml': 'base_image: anyscale/ray:2.7.0-py310\ndebian_packages:\n  - curl\npython:\n  pip_packages: []\n' },
    expect: 'pass',
  },
  { name: 'nothing but code', files: SERVICE, expect: 'fail' },
]);

const training = (extra: string): Files => ({ 'train.py': `import pandas as pd\n${extra}` });
table('repro-experiment-tracking', [
  {
    name: 'Ray Train with MLflowLoggerCallback',
    files: training(
      'from ray.air.integrations.mlflow import MLflowLoggerCallback\nfrom ray.train.torch import TorchTrainer\nfrom ray.train import RunConfig\n\ntrainer = TorchTrainer(lambda c: None, run_config=RunConfig(callbacks=[MLflowLoggerCallback(experiment_name="x")]))\ntrainer.fit()\n',
    ),
    expect: 'pass',
  },
  {
    name: 'Hugging Face Trainer reporting to W&B',
    files: training(
      'from transformers import Trainer, TrainingArguments\n\nargs = TrainingArguments(output_dir="out", report_to="wandb", seed=1)\nTrainer(model=None, args=args).train()\n',
    ),
    expect: 'pass',
  },
  {
    name: 'Keras with a TensorBoard callback',
    files: training(
      'import tensorflow as tf\n\nmodel = tf.keras.Sequential()\nmodel.fit([[1.0]], [1.0], callbacks=[tf.keras.callbacks.TensorBoard(log_dir="logs")])\n',
    ),
    expect: 'pass',
  },
  {
    name: 'Lightning with an MLflow logger',
    files: training(
      'import lightning as L\nfrom lightning.pytorch.loggers import MLFlowLogger\n\ntrainer = L.Trainer(logger=MLFlowLogger(experiment_name="x"))\ntrainer.fit(None)\n',
    ),
    expect: 'pass',
  },
  {
    name: 'mlflow.autolog() switched on in another module',
    files: {
      'tracking.py': 'import mlflow\n\ndef setup():\n    mlflow.autolog()\n',
      'train.py': 'from sklearn.linear_model import LinearRegression\nfrom tracking import setup\n\nsetup()\nLinearRegression().fit([[1.0]], [1.0])\n',
    },
    expect: 'pass',
  },
  {
    name: 'training that records nothing',
    files: training('from sklearn.linear_model import LinearRegression\n\nLinearRegression().fit([[1.0]], [1.0])\n'),
    expect: 'fail',
  },
]);

table('repro-seeds', [
  {
    name: 'a split with shuffle=False is deterministic',
    files: {
      'split.py':
        'import pandas as pd\nfrom sklearn.model_selection import train_test_split\n\ndf = pd.read_csv("d.csv")\ntrain, test = train_test_split(df, test_size=0.2, shuffle=False)\n',
    },
    expect: 'pass',
  },
  {
    name: 'a seeded split',
    files: {
      'split.py':
        'import pandas as pd\nfrom sklearn.model_selection import train_test_split\n\ndf = pd.read_csv("d.csv")\ntrain, test = train_test_split(df, random_state=42)\n',
    },
    expect: 'pass',
  },
  {
    name: 'an unseeded split',
    files: {
      'split.py':
        'import pandas as pd\nfrom sklearn.model_selection import train_test_split\n\ndf = pd.read_csv("d.csv")\ntrain, test = train_test_split(df)\n',
    },
    expect: 'fail',
  },
  {
    name: 'nothing random is called (numpy imported for arithmetic)',
    files: {
      'model.py':
        'import numpy as np\nimport pandas as pd\nfrom sklearn.linear_model import LinearRegression\n\ndf = pd.read_csv("d.csv")\nLinearRegression().fit(np.log1p(df[["x"]]), df["y"])\n',
    },
    expect: 'not-applicable',
  },
  {
    name: 'an estimator built from **params hides its seed: random behaviour with no seed in sight is partial',
    files: { 'train.py': 'from sklearn.linear_model import SGDRegressor\n\ndef estimator(params):\n    return SGDRegressor(**params)\n' },
    expect: 'partial',
  },
]);

table('data-schema-validated', [
  {
    name: 'a pandera DataFrameModel',
    files: {
      'pipeline/schema.py':
        'import pandera.pandas as pa\nfrom pandera.typing import Series\n\nclass Inputs(pa.DataFrameModel):\n    age: Series[int] = pa.Field(ge=0, le=120)\n',
      'pipeline/load.py': 'import pandas as pd\n\ndf = pd.read_csv("d.csv")\n',
    },
    expect: 'pass',
  },
  {
    name: 'Great Expectations',
    files: { 'validate.py': 'import great_expectations as gx\nimport pandas as pd\n\ndf = pd.read_csv("d.csv")\ncontext = gx.get_context()\n' },
    expect: 'pass',
  },
  {
    name: 'TFDV',
    files: {
      'validate.py':
        'import tensorflow_data_validation as tfdv\nimport pandas as pd\n\nstats = tfdv.generate_statistics_from_dataframe(pd.read_csv("d.csv"))\n',
    },
    expect: 'pass',
  },
  {
    name: 'pydantic models applied to rows',
    files: {
      'rows.py':
        'import pandas as pd\nfrom pydantic import BaseModel\n\nclass Row(BaseModel):\n    age: int\n\nrows = [Row(**r) for r in pd.read_csv("d.csv").to_dict("records")]\n',
    },
    expect: 'pass',
  },
  {
    name: 'checks written by hand that fail the load',
    files: {
      'data.py':
        'import pandas as pd\n\nclass SchemaError(ValueError):\n    pass\n\ndef load(path):\n    df = pd.read_csv(path)\n    bad = ~df["plan"].isin(["basic", "pro"])\n    missing = df["age"].isna()\n    if bad.any() or missing.any():\n        raise SchemaError("rows outside the schema")\n    return df\n',
    },
    expect: 'pass',
  },
  { name: 'reading data with no check', files: { 'data.py': 'import pandas as pd\n\ndf = pd.read_csv("d.csv").dropna()\n' }, expect: 'fail' },
]);

table('gov-model-card', [
  {
    name: 'a card written as a bullet list',
    files: {
      'MODEL_CARD.md':
        '# Churn model\n\n- **Intended use**: rank customers for retention calls.\n- **Training data**: 2023 CRM export, 48k rows.\n- **Metrics**: ROC AUC 0.86 on the 2024 hold-out.\n- **Limitations**: not validated for business accounts.\n',
    },
    expect: 'pass',
  },
  {
    name: 'a card with headings',
    files: {
      'model_card.md':
        '# Card\n\n## Intended use\n\nRetention calls.\n\n## Training data\n\nCRM 2023.\n\n## Metrics\n\nAUC 0.86.\n\n## Limitations\n\nConsumers only.\n',
    },
    expect: 'pass',
  },
  {
    name: 'a Hugging Face model card (README front matter)',
    files: {
      'README.md':
        '---\nlicense: mit\npipeline_tag: text-classification\n---\n\n# Model\n\n## Intended uses & limitations\n\nTriage of support tickets.\n\n## Training data\n\nTickets 2022-2024.\n\n## Evaluation results\n\nF1 0.91.\n',
    },
    expect: 'pass',
  },
  { name: 'a card that only has an overview', files: { 'MODEL_CARD.md': '# Card\n\n## Overview\n\nA model.\n' }, expect: 'partial' },
]);

table('repro-dependencies-pinned', [
  {
    name: 'httpx==0.23.3 and friends, with hashes, markers and a pinned VCS reference',
    files: {
      'requirements.txt':
        'httpx==0.23.3 \\\n    --hash=sha256:abc\nnumpy==1.26.4 ; python_version < "3.13"\nmylib @ git+https://github.com/org/mylib@0123456789abcdef0123456789abcdef01234567\n-r base.txt\n--index-url https://pypi.org/simple\n',
      'base.txt': 'pandas==2.2.2\n',
    },
    expect: 'pass',
  },
  { name: 'a range is not a pin', files: { 'requirements.txt': 'httpx==0.23.3\nnumpy>=1.26\n' }, expect: 'partial' },
  {
    name: 'Cog packages pinned',
    files: { 'cog.yaml': 'build:\n  python_version: "3.11"\n  python_packages:\n    - "torch==2.1.0"\n    - "diffusers==0.25.0"\npredict: "predict.py:P"\n' },
    expect: 'pass',
  },
]);

table('serving-entry-point', [
  {
    name: 'a batch scoring job: load, predict, write',
    files: {
      'jobs/score.py':
        'import joblib\nimport pandas as pd\n\nmodel = joblib.load("models/model.joblib")\nframe = pd.read_parquet("inputs.parquet")\nframe["score"] = model.predict(frame)\nframe.to_parquet("scores.parquet")\n',
    },
    expect: 'pass',
  },
  {
    name: 'a training script that predicts and saves is not an entry point',
    files: {
      'train.py':
        'import joblib\nimport pandas as pd\nfrom sklearn.linear_model import LinearRegression\n\ndf = pd.read_csv("d.csv")\nm = LinearRegression().fit(df[["x"]], df["y"])\ndf["p"] = m.predict(df[["x"]])\ndf.to_csv("pred.csv")\njoblib.dump(m, "m.joblib")\n',
    },
    expect: 'fail',
  },
  {
    name: 'an evaluation script is not an entry point',
    files: {
      'evaluate.py':
        'import pickle\nimport json\nfrom sklearn import metrics\n\nmodel = pickle.load(open("model.pkl", "rb"))\np = model.predict_proba([[1]])\njson.dump({"auc": metrics.roc_auc_score([1], [0.5])}, open("m.json", "w"))\n',
    },
    expect: 'fail',
  },
  { name: 'a Streamlit demo alone is partial', files: { 'app.py': 'import streamlit as st\n\nst.title("demo")\n' }, expect: 'partial' },
]);

describe('not applicable is earned', () => {
  test('a repository with no code does not outscore one notebook that trains', async () => {
    const links = await assess({
      'README.md': '# Awesome production ML\n\n- [DVC](https://dvc.org): data versioning\n- [MLflow](https://mlflow.org): tracking, accuracy above 90%\n',
    });
    const notebook = await assess({
      'train.ipynb': JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [
          {
            cell_type: 'code',
            execution_count: 1,
            metadata: {},
            outputs: [],
            source:
              'import pandas as pd\nfrom sklearn.linear_model import LinearRegression\ndf = pd.read_csv("d.csv")\nLinearRegression().fit(df[["x"]], df["y"])',
          },
        ],
      }),
    });
    assert.ok(links.score <= notebook.score, `no code scored ${links.score}, a notebook ${notebook.score}`);
    for (const id of [
      'repro-seeds',
      'repro-training-script',
      'integration-timeouts',
      'integration-errors-surfaced',
      'integration-safe-model-loading',
      'repro-notebooks-in-order',
    ]) {
      assert.equal(status(links, id).status, 'fail', id);
    }
    for (const category of links.categories.filter((c) => c.id === 'genai'))
      for (const item of category.items) assert.equal(item.status, 'not-applicable', item.id);
  });

  test('a service around a pretrained model has no training, tracking or data items to fail', async () => {
    const report = await assess({
      'predict.py':
        'from cog import BasePredictor, Input\nfrom transformers import AutoModelForSequenceClassification\n\nclass Predictor(BasePredictor):\n    def setup(self):\n        self.model = AutoModelForSequenceClassification.from_pretrained("./weights")\n\n    def predict(self, text: str = Input(description="text", max_length=512)) -> str:\n        return "ok"\n',
    });
    for (const id of ['repro-training-script', 'repro-experiment-tracking', 'ops-retraining', 'ops-quality-gate', 'data-versioned', 'data-pipeline-code'])
      assert.equal(status(report, id).status, 'not-applicable', id);
    for (const id of ['serving-entry-point', 'serving-typed-contract', 'serving-input-validation']) assert.equal(status(report, id).status, 'pass', id);
  });
});

const LLM_APP = 'from openai import OpenAI\nfrom fastapi import FastAPI\n\napp = FastAPI()\nclient = OpenAI(timeout=20.0)\n';
table('genai-llm-tracing', [
  { name: 'mlflow.openai.autolog()', files: { 'app.py': `${LLM_APP}import mlflow\nmlflow.openai.autolog()\n` }, expect: 'pass' },
  {
    name: 'Langfuse observe decorator',
    files: { 'app.py': `${LLM_APP}from langfuse.decorators import observe\n\n@observe()\ndef answer(q):\n    return q\n` },
    expect: 'pass',
  },
  {
    name: 'OpenTelemetry instrumentation of OpenAI',
    files: { 'app.py': `${LLM_APP}from opentelemetry.instrumentation.openai import OpenAIInstrumentor\nOpenAIInstrumentor().instrument()\n` },
    expect: 'pass',
  },
  { name: 'nothing traced', files: { 'app.py': LLM_APP }, expect: 'fail' },
  { name: 'not an LLM application', files: { 'app.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n' }, expect: 'not-applicable' },
  {
    name: 'an LLM called only from a notebook is not an LLM application',
    files: {
      'bench.ipynb': JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [{ cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source: 'from openai import OpenAI\nclient = OpenAI()' }],
      }),
    },
    expect: 'not-applicable',
  },
]);

table('genai-evaluation', [
  {
    name: 'promptfoo run in CI',
    files: {
      'app.py': LLM_APP,
      'promptfooconfig.yaml': 'prompts: [prompts/answer.txt]\nproviders: [openai:gpt-4o-mini]\ntests:\n  - vars: {q: hi}\n',
      '.github/workflows/evals.yml': WORKFLOW('npx promptfoo eval'),
    },
    expect: 'pass',
  },
  {
    name: 'deepeval tests run by pytest in CI',
    files: {
      'app.py': LLM_APP,
      'tests/test_answers.py':
        'from deepeval import assert_test\nfrom deepeval.test_case import LLMTestCase\n\ndef test_answer():\n    assert_test(LLMTestCase(input="q", actual_output="a"), [])\n',
      '.github/workflows/ci.yml': WORKFLOW('pytest'),
    },
    expect: 'pass',
  },
  {
    name: 'ragas evaluation nothing runs is partial',
    files: { 'app.py': LLM_APP, 'evals/run.py': 'from ragas import evaluate\n\nevaluate(None)\n' },
    expect: 'partial',
  },
  { name: 'no evaluation', files: { 'app.py': LLM_APP }, expect: 'fail' },
]);

table('genai-output-validation', [
  {
    name: 'structured output parsed into a pydantic model',
    files: {
      'app.py': `${LLM_APP}from pydantic import BaseModel\n\nclass Answer(BaseModel):\n    label: str\n\ndef classify(text):\n    return client.beta.chat.completions.parse(model="gpt-4o-mini", messages=[], response_format=Answer)\n`,
    },
    expect: 'pass',
  },
  {
    name: 'LangChain with_structured_output',
    files: {
      'chain.py':
        'from langchain_openai import ChatOpenAI\nfrom pydantic import BaseModel\n\nclass Out(BaseModel):\n    x: int\n\nllm = ChatOpenAI(timeout=10).with_structured_output(Out)\n',
    },
    expect: 'pass',
  },
  {
    name: 'the answer used as returned',
    files: {
      'app.py': `${LLM_APP}def answer(q):\n    r = client.chat.completions.create(model="m", messages=[{"role": "user", "content": q}])\n    return r.choices[0].message.content\n`,
    },
    expect: 'fail',
  },
]);

table('genai-call-resilience', [
  {
    name: 'a timeout and a graceful answer when the call fails',
    files: {
      'app.py': `${LLM_APP}def answer(q):\n    try:\n        r = client.chat.completions.create(model="m", messages=[])\n        return r.choices[0].message.content\n    except Exception:\n        return "The assistant is unavailable; try again shortly."\n`,
    },
    expect: 'pass',
  },
  {
    name: 'LiteLLM with fallback models',
    files: {
      'app.py': 'import litellm\n\ndef answer(q):\n    return litellm.completion(model="gpt-4o", messages=[], timeout=20, fallbacks=["claude-3-5-sonnet"])\n',
    },
    expect: 'pass',
  },
  {
    name: 'a timeout but nothing when the call fails is partial',
    files: { 'app.py': `${LLM_APP}def answer(q):\n    return client.chat.completions.create(model="m", messages=[])\n` },
    expect: 'partial',
  },
]);

table('genai-prompts-versioned', [
  { name: 'prompt files', files: { 'app.py': LLM_APP, 'prompts/answer.txt': 'Answer the question: {q}\n' }, expect: 'pass' },
  {
    name: 'a prompt registry',
    files: { 'app.py': `${LLM_APP}from langsmith import Client\nprompt = Client().pull_prompt("team/answer:3f2a")\n` },
    expect: 'pass',
  },
  { name: 'string literals in code', files: { 'app.py': `${LLM_APP}PROMPT = "Answer the question: {q}"\n` }, expect: 'fail' },
]);

table('genai-health-endpoints', [
  { name: 'a /healthz route', files: { 'app.py': `${LLM_APP}@app.get("/healthz")\ndef healthz():\n    return {"ok": True}\n` }, expect: 'pass' },
  {
    name: 'Kubernetes probes',
    files: {
      'app.py': LLM_APP,
      'deploy.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: a:1\n          readinessProbe:\n            httpGet: {path: /ready, port: 8000}\n',
    },
    expect: 'pass',
  },
  { name: 'none', files: { 'app.py': LLM_APP }, expect: 'fail' },
]);

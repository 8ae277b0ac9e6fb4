import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { createEngine, parseNotebookJson, RULES, type AnalyzeInput, type CellInput, type Engine } from '../server/src/engine/index';

/**
 * Incremental analysis (statement-scoped rules re-run only on the top-level statements an edit
 * touched, `engine/incremental.ts`) must end every edit with exactly the findings of a fresh
 * analysis: positions, cells, messages, severities, fixes, suppressions and redaction alike.
 * Random edit sequences over the corpus, compared after every edit.
 */

const corpus = path.join(__dirname, 'corpus');
const scripts = fs
  .readdirSync(corpus)
  .filter((f) => f.endsWith('.py'))
  .map((f) => fs.readFileSync(path.join(corpus, f), 'utf8'));
const notebooks = fs
  .readdirSync(corpus)
  .filter((f) => f.endsWith('.ipynb'))
  .map((f) => parseNotebookJson(fs.readFileSync(path.join(corpus, f), 'utf8')).cells);

/** Text an edit inserts: what changes file-level facts (imports, aliases, constants, defined names, suppressions) and what does not. */
const INSERTS = [
  '',
  'x',
  ' ',
  '\n',
  '(',
  '"',
  '#',
  '  # mlready: ignore\n',
  '  # mlready: ignore[hardcoded-path, print-logging]\n',
  '# mlready: ignore-file[hardcoded-secret]\n',
  '# mlready: ignore[unsafe-deserialisation]\n',
  'import os as path\n',
  'import numpy as np\n',
  'import numpy.random as npr\n',
  'from pickle import load as read\n',
  'import pickle\n',
  'import yaml\n',
  'np = None\n',
  'path = "/home/ada/data.csv"\n',
  'DATA = "/home/ada/train.csv"\n',
  'SEED = 1\n',
  'SHUFFLE = False\n',
  'SHUFFLE = True\n',
  'from sklearn.model_selection import KFold, train_test_split\n',
  'train_test_split(X, shuffle=SHUFFLE)\n',
  'KFold(3, shuffle=SHUFFLE)\n',
  'try:\n    f()\nexcept:\n    undo()\n    raise\n',
  'try:\n    f()\nexcept OSError:\n    print("no file yet")\n',
  'open = print\n',
  'def open(p):\n    return p\n',
  'def print(*a):\n    pass\n',
  'class print:\n    pass\n',
  'rng = np.random\n',
  'loader = pickle.load\n',
  'f = open("/tmp/x.pkl", "rb")\n',
  'pickle.load(f)\n',
  'read(f)\n',
  'print(path)\n',
  'np.random.seed(0)\n',
  'npr.rand(3)\n',
  'rng.rand(2)\n',
  'yaml.load(f)\n',
  'app.run(debug=True)\n',
  'df = pd.read_csv(DATA)\n',
  'password = "hunter2Secret!"\n',
  'df["a"][df.b > 0] = 1\n',
  'if True:\n    path = "C:/Users/ada/x.csv"\n',
  'def helper(x):\n    return open(x)\n',
  'pickle = np\n',
  'print = logging.info\n',
  'import logging\n',
  'DEBUG = True\n',
  'DEBUG = False\n',
  'app.run(debug=DEBUG)\n',
  'from flask import Flask\n',
  'app = Flask(__name__)\n',
  'MODEL = "bert-base-uncased"\n',
  'from transformers import AutoModel\n',
  'AutoModel.from_pretrained(MODEL)\n',
  'def load(fh):\n    return loader(fh)\n',
  'class Store:\n    def get(self):\n        return read(open(DATA))\n',
  'import joblib\n',
  'import requests\n',
  'import torch\n',
  'from fastapi import FastAPI\n',
  'from sklearn.linear_model import LogisticRegression\n',
  'model = LogisticRegression()\n',
  'model.fit(X, y)\n',
  'joblib.dump(model, "model.pkl")\n',
  'for _, row in df.iterrows():\n    model.predict(row)\n',
  'logger = logging.getLogger(__name__)\n',
  'try:\n    x = 1\nexcept:\n    pass\n',
  'app = FastAPI()\n',
  '@app.get("/x")\nasync def handler():\n    return requests.get("http://x")\n',
  'net = torch.nn.Linear(2, 2)\n',
  'for x in rows:\n    net(x)\n',
  'with open("/home/ada/out.pkl", "wb") as fh:\n    joblib.dump(model, fh)\n',
  // Round trips (a dump, then a load of the same place): a module-level load asks a file-level fact.
  'restored = joblib.load("model.pkl")\n',
  'with open("/home/ada/out.pkl", "rb") as fh:\n    again = joblib.load(fh)\n',
  'torch.save(net, PATH)\n',
  'net = torch.load(PATH)\n',
  'def roundtrip(p):\n    joblib.dump(model, p)\n    return joblib.load(p)\n',
  'with requests.Session() as s:\n    pass\n',
  's.get("http://x")\n',
  'from openai import OpenAI\n',
  'client = OpenAI()\n',
  'for r in df.to_dict("records"):\n    client.chat.completions.create(model="m", messages=[r])\n',
];

/**
 * Lines for the rules that collect candidates per statement and decide at `file:end`
 * (missing-eval-mode, missing-seed, hardcoded-device, model-load-per-request): the candidates, and
 * the file-level facts that decide over them (a seed anywhere, an availability check, a route, an
 * `.eval()`, `no_grad`, a backward pass, names that make a callable a model: `blk.parameters()`,
 * a module class, a model factory).
 */
const DECIDED_AT_END = [
  'import torch\n',
  'import numpy as np\n',
  'from sklearn.ensemble import RandomForestClassifier\n',
  'from sklearn.model_selection import train_test_split\n',
  'from fastapi import FastAPI\n',
  'app = FastAPI()\n',
  'net = torch.nn.Linear(2, 2)\n',
  'blk = make_block()\n',
  'blk.parameters()\n',
  'def build_model():\n    return None\n',
  'm2 = build_model()\n',
  'class Tower(torch.nn.Module):\n    pass\n',
  't = Tower()\n',
  'def evaluate(loader):\n    for xb in loader:\n        net(xb)\n        blk(xb)\n        t(xb)\n        m2(xb)\n',
  'for xb in test_loader:\n    net(xb)\n    blk.forward(xb)\n',
  'net.eval()\n',
  'blk.train(False)\n',
  'with torch.no_grad():\n    net(x)\n',
  'torch.set_grad_enabled(False)\n',
  'for xb in train_loader:\n    loss = net(xb)\n    loss.backward()\n    optimizer.step()\n',
  'optimizer = torch.optim.SGD(net.parameters(), lr=0.1)\n',
  'optimizer.step()\n',
  'def train_step(xb):\n    loss = net(xb)\n    loss.backward()\n    optimizer.step()\n',
  'for xb in train_loader:\n    optimizer.zero_grad()\n    train_step(xb)\n',
  'scaler = torch.cuda.amp.GradScaler()\n',
  'for xb in train_loader:\n    scaler.scale(net(xb)).backward()\n    scaler.step(optimizer)\n',
  'loss.backward()\n',
  'torch.manual_seed(0)\n',
  'np.random.seed(0)\n',
  'set_seed(1)\n',
  'loader = torch.utils.data.DataLoader(ds, shuffle=True, num_workers=4)\n',
  'def make_loader():\n    return torch.utils.data.DataLoader(ds, shuffle=True, num_workers=2)\n',
  'if __name__ == "__main__":\n    main()\n',
  'clf = RandomForestClassifier()\n',
  'clf = RandomForestClassifier(random_state=None)\n',
  'X_train, X_test = train_test_split(X)\n',
  'net.cuda()\n',
  'net.to("cuda")\n',
  'device = "cuda"\n',
  "exec(open('configurator.py').read())\n",
  'out_dir = "out"\n',
  'torch.save(net.state_dict(), out_dir + "/ckpt.pt")\n',
  'DEVICE = "cuda:0"\n',
  'net.to(DEVICE)\n',
  'GPU = "cuda"\n',
  'net.to(GPU)\n',
  'torch.zeros(3, device=GPU)\n',
  'x = torch.zeros(2, device="cuda")\n',
  'if torch.cuda.is_available():\n    net.cuda()\n',
  'use_cuda = torch.cuda.is_available()\n',
  'if use_cuda:\n    net.to(device)\n',
  '@app.post("/predict")\ndef predict(x):\n    return torch.load("m.pt")\n',
  'def helper():\n    return torch.load("m.pt")\n',
  '@app.get("/h")\ndef h():\n    return helper()\n',
  'MODEL = torch.load("m.pt")\n',
  'import functools\n',
  '@functools.lru_cache\ndef helper():\n    return torch.load("m.pt")\n',
  'import joblib\n',
  'import pandas as pd\n',
  'from sklearn.preprocessing import StandardScaler\n',
  'from sklearn.pipeline import make_pipeline\n',
  'scaler = StandardScaler()\n',
  'scaler.fit(X_train)\n',
  'scaler.fit_transform(X_test)\n',
  'enc = StandardScaler().fit(X)\n',
  'joblib.dump(clf, "m.joblib")\n',
  'joblib.dump({"model": clf, "scaler": scaler}, "all.joblib")\n',
  'save_artifacts(enc)\n',
  'clf.save_model("m.json")\n',
  'pipe = make_pipeline(scaler, clf)\n',
  'def predict(payload):\n    frame = pd.get_dummies(pd.DataFrame([payload]))\n    scaler.fit(frame)\n    return clf.predict(frame)\n',
  '@app.post("/score")\ndef route(payload):\n    return pd.get_dummies(payload)\n',
  'from sklearn.metrics import accuracy_score, f1_score\n',
  'from sklearn.model_selection import cross_val_score\n',
  'acc = accuracy_score(y_test, clf.predict(X_test))\n',
  'f1 = f1_score(y_test, preds)\n',
  'clf.score(X_test, y_test)\n',
  'cross_val_score(clf, X, y)\n',
  'cross_val_score(clf, X, y, scoring="f1")\n',
  'report = make_scorer(f1_score)\n',
];

type Edit = { kind: 'insert'; at: number; remove: number; text: string } | { kind: 'move'; from: number; to: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      remove: fc.nat({ max: 12 }),
      text: fc.constantFrom(...INSERTS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      from: fc.double({ min: 0, max: 1, noNaN: true }),
      to: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
);

/** Applies an edit at a line start (most inserts are whole lines) or anywhere (characters). */
function apply(text: string, e: Edit): string {
  const lines = text.split('\n');
  if (e.kind === 'move') {
    // A line moved elsewhere: a statement keeps its text at another place.
    if (lines.length < 2) return text;
    const [line] = lines.splice(Math.floor(e.from * lines.length), 1);
    lines.splice(Math.floor(e.to * lines.length), 0, line);
    return lines.join('\n');
  }
  let at = Math.floor(e.at * text.length);
  if (e.text.endsWith('\n')) at = text.lastIndexOf('\n', at - 1) + 1;
  const remove = e.text.endsWith('\n') ? 0 : e.remove;
  return text.slice(0, at) + e.text + text.slice(at + remove);
}

let reusedTotal = 0;

/** Analyses `input` through the document's caches (as the server does) and fresh; they must agree. */
function compare(engine: Engine, key: string, input: AnalyzeInput): void {
  const { cache } = engine.trees.document(key);
  const incremental = engine.analyze(input, engine.trees.document(key));
  const fresh = engine.analyze(input);
  reusedTotal += cache.reused;
  assert.deepEqual(incremental.failures, fresh.failures);
  assert.deepEqual(incremental.findings, fresh.findings);
}

/**
 * Edits a document step by step through its caches (`step` applies one edit, `input` makes the
 * document of a state); after each step the findings must be a fresh analysis's.
 */
function stepsAgree<State, Step>(
  engine: Engine,
  key: string,
  start: State,
  steps: readonly Step[],
  step: (state: State, edit: Step) => State,
  input: (state: State) => AnalyzeInput,
): void {
  let state = start;
  try {
    compare(engine, key, input(state));
    for (const edit of steps) {
      state = step(state, edit);
      compare(engine, key, input(state));
    }
  } finally {
    engine.trees.drop(key);
  }
}

/** `stepsAgree` for a script and text edits. */
function editsAgree(engine: Engine, key: string, script: string, edits: readonly Edit[]): void {
  stepsAgree(engine, key, script, edits, apply, (text) => ({ path: 'edited.py', kind: 'script', text }));
}

test('random edit sequences of scripts end every edit with the findings of a fresh analysis', async () => {
  assert.ok(scripts.length > 10);
  const engine = await createEngine();
  reusedTotal = 0;
  let run = 0;
  fc.assert(
    fc.property(fc.constantFrom(...scripts), fc.array(edit, { minLength: 1, maxLength: 8 }), (script, edits) => {
      editsAgree(engine, `test://incremental-${run++}.py`, script, edits);
    }),
    { numRuns: 60, seed: 20261201 },
  );
  assert.ok(reusedTotal > 1000, `the incremental path ran (${reusedTotal} statements reused)`);
});

test('random edit sequences of programs dense in aliases, constants and their uses agree with a fresh analysis', async () => {
  const engine = await createEngine();
  reusedTotal = 0;
  let run = 0;
  const program = fc.array(fc.constantFrom(...INSERTS.filter((line) => line.endsWith('\n'))), { minLength: 4, maxLength: 30 }).map((lines) => lines.join(''));
  fc.assert(
    fc.property(program, fc.array(edit, { minLength: 1, maxLength: 10 }), (start, edits) => {
      editsAgree(engine, `test://dense-${run++}.py`, start, edits);
    }),
    { numRuns: 400, seed: 20261201 },
  );
  assert.ok(reusedTotal > 500, `the incremental path ran (${reusedTotal} statements reused)`);
});

/** Random programs of `lines` under `header`, edited with those lines and the general edits, through the caches and fresh. */
async function decidedAtEnd(label: string, header: string, lines: readonly string[], numRuns: number): Promise<void> {
  const engine = await createEngine();
  reusedTotal = 0;
  let run = 0;
  const line = fc.constantFrom(...lines);
  const program = fc.array(line, { minLength: 4, maxLength: 30 }).map((chosen) => `${header}${chosen.join('')}`);
  const decidedEdit = fc.oneof(
    edit,
    fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.constant(0), text: line }),
  );
  fc.assert(
    fc.property(program, fc.array(decidedEdit, { minLength: 1, maxLength: 10 }), (start, edits) => {
      editsAgree(engine, `test://${label}-${run++}.py`, start, edits);
    }),
    { numRuns, seed: 20261201 },
  );
  assert.ok(reusedTotal > numRuns, `the incremental path ran (${reusedTotal} statements reused)`);
}

test('random edit sequences of programs dense in what whole-file rules decide over at file:end agree with a fresh analysis', async () => {
  await decidedAtEnd('decided', 'import torch\nfrom sklearn.svm import SVC\n', DECIDED_AT_END, 300);
});

/** accuracy-only: accuracy evaluations of classifiers, and the other metrics that silence it, in any order. */
const ACCURACY_LINES = [
  'from sklearn.linear_model import LogisticRegression\n',
  'from sklearn.metrics import accuracy_score, f1_score, roc_auc_score\n',
  'from sklearn.model_selection import cross_val_score\n',
  'clf = LogisticRegression().fit(X_train, y_train)\n',
  'acc = accuracy_score(y_test, clf.predict(X_test))\n',
  'print(clf.score(X_test, y_test))\n',
  'cross_val_score(clf, X, y)\n',
  'cross_val_score(clf, X, y, scoring="roc_auc")\n',
  'f1 = f1_score(y_test, clf.predict(X_test))\n',
  'scorer = make_scorer(roc_auc_score)\n',
  'def evaluate(model, X, y):\n    return accuracy_score(y, model.predict(X))\n',
  'x = 1\n',
];

test('random edit sequences of programs dense in accuracy evaluations and other metrics agree with a fresh analysis', async () => {
  await decidedAtEnd('accuracy', 'import sklearn\n', ACCURACY_LINES, 200);
});

/** syntax-error: blocks indented unlike their first statement (spaces, tabs), Python 2 statements, and well-indented code, in any order. */
const INDENTATION_LINES = [
  'def f():\n    a = 1\n      b = 2\n',
  'if x:\n    y = 1\n  z = 2\n',
  'for i in r:\n\tp = 1\n        q = 2\n',
  'for i in r:\n\tp = 1\n\tq = 2\n',
  'class A:\n    def m(self):\n        return 1\n         x = 2\n',
  'while y:\n    pass\n',
  'print "x"\n',
  'exec "code"\n',
  'if a: b = 1; c = 2\n',
  'x = 1\n',
  'def g():\n    if y:\n\treturn 1\n    return 2\n',
  'if ready:\n',
  'for b in batches:\n    # nothing yet\n',
  '\tz = 3\n',
  'return z\n',
  'for i in r:\n    break\nelse:\n    continue\n',
  'x = await y\n',
  'def h():\n    yield 1\n',
  'f(a=1, b)\n',
  'def k(a=1, b):\n    pass\n',
  'from __future__ import annotations\n',
];

test('random edit sequences of programs with misindented blocks and Python 2 statements agree with a fresh analysis', async () => {
  await decidedAtEnd('indentation', 'import os\n', INDENTATION_LINES, 200);
});

type CellEdit =
  | { kind: 'cell'; cell: number; edit: Edit }
  | { kind: 'insert-cell'; at: number; source: number }
  | { kind: 'delete-cell'; at: number }
  | { kind: 'move-cell'; from: number; to: number }
  | { kind: 'run'; cell: number; count: number };

const cellEdit: fc.Arbitrary<CellEdit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('cell' as const), cell: fc.double({ min: 0, max: 1, noNaN: true }), edit }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('insert-cell' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      source: fc.nat({ max: INSERTS.length - 1 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete-cell' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('move-cell' as const),
      from: fc.double({ min: 0, max: 1, noNaN: true }),
      to: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('run' as const), cell: fc.double({ min: 0, max: 1, noNaN: true }), count: fc.nat({ max: 30 }) }) },
);

function applyCells(cells: CellInput[], e: CellEdit): CellInput[] {
  const next = [...cells];
  const pick = (at: number) => Math.min(next.length - 1, Math.floor(at * next.length));
  switch (e.kind) {
    case 'cell': {
      if (next.length === 0) return next;
      const i = pick(e.cell);
      next[i] = { ...next[i], source: apply(next[i].source, e.edit) };
      return next;
    }
    case 'insert-cell':
      next.splice(Math.floor(e.at * (next.length + 1)), 0, { source: INSERTS[e.source], cellType: 'code', executionCount: null });
      return next;
    case 'delete-cell':
      if (next.length > 0) next.splice(pick(e.at), 1);
      return next;
    case 'move-cell': {
      if (next.length < 2) return next;
      const [cell] = next.splice(pick(e.from), 1);
      next.splice(Math.floor(e.to * (next.length + 1)), 0, cell);
      return next;
    }
    case 'run':
      if (next.length > 0) next[pick(e.cell)] = { ...next[pick(e.cell)], executionCount: e.count };
      return next;
  }
}

test('random edit sequences of notebooks (cell edits, inserts, deletes, moves, runs) end every edit with the findings of a fresh analysis', async () => {
  assert.ok(notebooks.length > 3);
  const engine = await createEngine();
  reusedTotal = 0;
  let run = 0;
  fc.assert(
    fc.property(fc.constantFrom(...notebooks), fc.array(cellEdit, { minLength: 1, maxLength: 8 }), (original, edits) => {
      stepsAgree(engine, `test://incremental-${run++}.ipynb`, original, edits, applyCells, (cells) => ({ path: 'edited.ipynb', kind: 'notebook', cells }));
    }),
    { numRuns: 100, seed: 20261201 },
  );
  assert.ok(reusedTotal > 500, `the incremental path ran (${reusedTotal} statements reused)`);
});

test('a one-character edit re-runs the statement-scoped rules on the edited statement only', async () => {
  const engine = await createEngine();
  const text = [
    'import pickle',
    'import numpy as np',
    '',
    'def load(p):',
    '    return pickle.load(open(p, "rb"))',
    '',
    'np.random.seed(0)',
    'x = np.random.rand(3)',
    'print(x)',
    '',
  ].join('\n');
  const key = 'test://one-edit.py';
  const options = engine.trees.document(key);
  const { cache } = options;
  engine.analyze({ path: 'one.py', kind: 'script', text }, options);
  assert.equal(cache.reused, 0);
  const edited = text.replace('print(x)', 'print(x )');
  const analysis = engine.analyze({ path: 'one.py', kind: 'script', text: edited }, options);
  assert.equal(cache.analysed, 1, 'only the edited statement');
  assert.ok(cache.reused >= 4);
  assert.deepEqual(analysis.findings, engine.analyze({ path: 'one.py', kind: 'script', text: edited }).findings);
  // A new import changes the file-level facts: everything is analysed again.
  engine.analyze({ path: 'one.py', kind: 'script', text: `import os\n${edited}` }, options);
  assert.equal(cache.reused, 0);
  engine.trees.drop(key);
});

test('a same-length edit of an assignment another statement resolves through is seen by that statement', async () => {
  const engine = await createEngine();
  const key = 'test://same-length.py';
  const options = engine.trees.document(key);
  const { cache } = options;
  const before = 'import pickle\nloader = pickle.load\nf = None\nloader(f)\n';
  // `xickle` resolves to nothing: the reader's look-up finds the same assignment, of another text.
  const after = before.replace('pickle.load', 'xickle.load');
  assert.equal(after.length, before.length);
  const first = engine.analyze({ path: 'same.py', kind: 'script', text: before }, options);
  assert.ok(first.findings.some((finding) => finding.rule === 'unsafe-deserialization'));
  const second = engine.analyze({ path: 'same.py', kind: 'script', text: after }, options);
  assert.ok(cache.reused >= 1, 'the unchanged statements are reused');
  assert.deepEqual(second.findings, engine.analyze({ path: 'same.py', kind: 'script', text: after }).findings);
  assert.ok(!second.findings.some((finding) => finding.rule === 'unsafe-deserialization'));
  engine.trees.drop(key);
});

test('a statement moved past a module-level assignment, or repeated around one, resolves afresh though no assignment changed', async () => {
  const engine = await createEngine();
  const key = 'test://moved.py';
  const options = engine.trees.document(key);
  const analyse = (text: string) => {
    const incremental = engine.analyze({ path: 'moved.py', kind: 'script', text }, options);
    assert.deepEqual(incremental.findings, engine.analyze({ path: 'moved.py', kind: 'script', text }).findings);
    return incremental.findings.filter((finding) => finding.rule === 'unsafe-deserialization').length;
  };
  // The module-level assignments are the same three, in the same order, in every version below:
  // only where the reader stands among them changes what `loader` is.
  const reader = 'loader(f)\n';
  const before = `import pickle\nloader = pickle.load\nf = None\n${reader}loader = print\n`;
  assert.equal(analyse(before), 1);
  assert.equal(analyse(before), 1);
  assert.ok(options.cache.reused >= 3);
  const moved = before.replace(reader, '') + reader;
  assert.equal(analyse(moved), 0, 'the reader now finds `loader = print`');
  const both = `import pickle\nloader = pickle.load\nf = None\n${reader}loader = print\n${reader}`;
  assert.equal(analyse(both), 1);
  // An edit elsewhere: the same text stands before and after the reassignment, and each keeps its answer.
  assert.equal(analyse(`${both}x = 1\n`), 1);
  assert.equal(analyse(`${both}x = 2\n`), 1);
  assert.equal(analyse(before), 1);
  engine.trees.drop(key);
});

test('a word a reused statement asked about (model.mentions) keeps its statement honest when it appears later', async () => {
  const engine = await createEngine();
  const key = 'test://mentions.py';
  const options = engine.trees.document(key);
  // The load asks whether the file mentions "dump" (no): a round trip is impossible, it is reported.
  const load = 'import joblib\nwith open("/tmp/m.pkl", "rb") as fh:\n    again = joblib.load(fh)\n';
  engine.analyze({ path: 'm.py', kind: 'script', text: load }, options);
  // Analysed again unchanged: the load's statement is reused and asks nothing.
  engine.analyze({ path: 'm.py', kind: 'script', text: load }, options);
  assert.ok(options.cache.reused >= 1);
  // A dump to the same file typed above: the load is now a round trip, as a fresh analysis says.
  const roundTrip = load.replace('import joblib\n', 'import joblib\nwith open("/tmp/m.pkl", "wb") as fh:\n    joblib.dump(model, fh)\n');
  const after = engine.analyze({ path: 'm.py', kind: 'script', text: roundTrip }, options);
  assert.deepEqual(after.findings, engine.analyze({ path: 'm.py', kind: 'script', text: roundTrip }).findings);
  assert.ok(!after.findings.some((finding) => finding.rule === 'unsafe-deserialization'));
  engine.trees.drop(key);
});

test('statement-scoped rules are declared, and the rest see the whole file', () => {
  const scoped = RULES.filter((rule) => rule.scope === 'statement').map((rule) => rule.name);
  assert.ok(scoped.length >= 8, scoped.join(', '));
  for (const rule of RULES) assert.ok(rule.scope === undefined || rule.scope === 'statement' || rule.scope === 'file', rule.name);
});

test('a character replaced anywhere (the text keeps its length) gives the findings of a fresh analysis', async () => {
  // Statements before and after an edit keep the last analysis's keys; a statement the edit
  // touches, even at its last character and with the same length, must be read again.
  const engine = await createEngine();
  const script = 'import pickle, requests\na = pickle.load(f)\nb = requests.get(u, timeout=5)\nc = "/home/user/data.csv"\nd = pickle.loads(x); e = 1\n';
  let changed = 0;
  for (let at = 0; at < script.length; at++) {
    if (script[at] === '\n') continue;
    const key = `test://replace-${at}.py`;
    try {
      compare(engine, key, { path: 'replaced.py', kind: 'script', text: script });
      const text = `${script.slice(0, at)}${script[at] === 'q' ? 'z' : 'q'}${script.slice(at + 1)}`;
      const before = engine.analyze({ path: 'replaced.py', kind: 'script', text: script }).findings.length;
      compare(engine, key, { path: 'replaced.py', kind: 'script', text });
      if (engine.analyze({ path: 'replaced.py', kind: 'script', text }).findings.length !== before) changed++;
    } finally {
      engine.trees.drop(key);
    }
  }
  assert.ok(changed > 10, `${changed} replacements changed the findings`);
});

/**
 * Tree-sitter's incremental reparse of text with a syntax error can recover otherwise than a parse
 * from scratch (found on real files by scripts/incremental-trial.ts: 5 trees in 19,055 edits that left an error). This
 * program, after `def _extract_rows` loses four characters, is one of them, reduced and renamed:
 * through the document's tree the first error is the `(` never closed on the last line, from
 * scratch it is reported at the first line. The tree is marked; `settle` parses it afresh.
 */
test('an incremental reparse that recovers from a syntax error otherwise than a fresh parse is settled to the fresh tree', async () => {
  const engine = await createEngine();
  const body = [
    '        flags = mask.copy()',
    '    def encode(',
    '        self,',
    '        count: int,,',
    '        size: int,',
    '    ) -> list:',
    '        size = int(size) // self.scale',
    '                out = self.net(',
  ];
  const before = ['if ready():', '    def _extract_rows(rows: list, mask: list) -> list:', ...body].join('\n');
  const after = ['if ready():', '    detract_rows(rows: list, mask: list) -> list:', ...body].join('\n');
  const key = 'test://settle.py';
  const input = (text: string): AnalyzeInput => ({ path: 'settle.py', kind: 'script', text });
  const starts = (analysis: { findings: { rule: string; start: number }[] }) => analysis.findings.map((f) => `${f.rule}@${f.start}`);
  try {
    // Parsed from scratch, a tree is exact even with an error (`count: int,,`).
    engine.analyze(input(before), engine.trees.document(key));
    assert.equal(engine.trees.needsSettling(key), false);
  } finally {
    engine.trees.drop(key);
  }
  try {
    engine.analyze(input(before), engine.trees.document(key));
    const incremental = engine.analyze(input(after), engine.trees.document(key));
    const fresh = engine.analyze(input(after));
    assert.notDeepEqual(starts(incremental), starts(fresh), "tree-sitter's two recoveries differ here");
    assert.equal(engine.trees.needsSettling(key), true);
    assert.equal(engine.trees.settle(key), true, 'the fresh tree differs: analyse again');
    assert.equal(engine.trees.needsSettling(key), false);
    assert.deepEqual(engine.analyze(input(after), engine.trees.document(key)).findings, fresh.findings);
    assert.equal(engine.trees.settle(key), false, 'an exact tree is left alone');
    // Later edits reparse from the fresh tree; one that leaves no error is exact again.
    const fixed = after.replace('detract_rows(', 'def _extract_rows(').replace('count: int,,', 'count: int,').replace('out = self.net(', 'out = self.net()');
    const clean = engine.analyze(input(fixed), engine.trees.document(key));
    assert.equal(engine.trees.needsSettling(key), false);
    assert.deepEqual(clean.findings, engine.analyze(input(fixed)).findings);
  } finally {
    engine.trees.drop(key);
  }
  try {
    // Most inexact trees are the fresh one: settled without analysing again, the kept findings stay.
    engine.analyze(input('print(1\n'), engine.trees.document(key));
    const typed = engine.analyze(input('print(12\n'), engine.trees.document(key));
    assert.equal(engine.trees.needsSettling(key), true);
    assert.equal(engine.trees.settle(key), false, 'the same tree: nothing to analyse again');
    assert.equal(engine.trees.needsSettling(key), false);
    assert.deepEqual(typed.findings, engine.analyze(input('print(12\n')).findings);
  } finally {
    engine.trees.drop(key);
  }
});

test('a script with lone carriage returns for line breaks (old Mac files) is read as Python reads it, fresh and through edits', async () => {
  const engine = await createEngine();
  const where = (analysis: { findings: { rule: string; start: number; end: number }[] }) => analysis.findings.map((f) => `${f.rule}@${f.start}-${f.end}`);
  const withBreaks = scripts.filter((script) => script.includes('\n')).slice(0, 12);
  for (const script of withBreaks) {
    // Python runs such a file (universal newlines); tree-sitter alone saw one line with a syntax error.
    const lf = engine.analyze({ path: 'mac.py', kind: 'script', text: script });
    const cr = engine.analyze({ path: 'mac.py', kind: 'script', text: script.replaceAll('\n', '\r') });
    assert.deepEqual(where(cr), where(lf));
  }
  let run = 0;
  fc.assert(
    fc.property(fc.constantFrom(...withBreaks), fc.array(edit, { minLength: 1, maxLength: 6 }), (script, edits) => {
      // Inserted lines end in `\n`: the text mixes `\r`, `\n` and, where one follows the other, `\r\n`.
      editsAgree(engine, `test://mac-${run++}.py`, script.replaceAll('\n', '\r'), edits);
    }),
    { numRuns: 30, seed: 20261206 },
  );
});

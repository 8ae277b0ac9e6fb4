import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createEngine } from '../server/src/engine/index';
import type { SemanticModel } from '../server/src/engine/semantic';
import type { SyntaxNode } from '../server/src/engine/parser';

async function modelOf(text: string): Promise<{ model: SemanticModel; calls: Map<string, SyntaxNode> }> {
  const engine = await createEngine();
  // The cache keeps the tree alive after analysis, so the model's nodes stay valid.
  const analysis = engine.analyze({ path: 'm.py', kind: 'script', text }, { rules: [], parseTree: (t) => engine.trees.parse('semantic-test', t) });
  const calls = new Map(analysis.model.calls.map((call) => [call.text, call]));
  return { model: analysis.model, calls };
}

test('imports and aliases resolve to qualified names', async () => {
  const { model, calls } = await modelOf(`import pandas as pd
import sklearn.model_selection
from sklearn.model_selection import train_test_split as tts
from sklearn import preprocessing as pp
import numpy
pd.read_csv("x.csv")
sklearn.model_selection.KFold(3)
tts(X, y)
pp.StandardScaler()
numpy.random.seed(0)
open("f")
`);
  assert.equal(model.callee(calls.get('pd.read_csv("x.csv")')!), 'pandas.read_csv');
  assert.equal(model.callee(calls.get('sklearn.model_selection.KFold(3)')!), 'sklearn.model_selection.KFold');
  assert.equal(model.callee(calls.get('tts(X, y)')!), 'sklearn.model_selection.train_test_split');
  assert.equal(model.callee(calls.get('pp.StandardScaler()')!), 'sklearn.preprocessing.StandardScaler');
  assert.equal(model.callee(calls.get('numpy.random.seed(0)')!), 'numpy.random.seed');
  assert.equal(model.callee(calls.get('open("f")')!), 'builtins.open');
  assert.ok(model.seenModule('sklearn'));
  assert.ok(model.seenModule('sklearn.model_selection'));
  assert.ok(!model.seenModule('torch'));
});

test('simple assignments are followed: module aliases and constructed types', async () => {
  const { model, calls } = await modelOf(`import numpy as np
from sklearn.preprocessing import StandardScaler
rnd = np.random
rnd.seed(1)
scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)
fitted = StandardScaler().fit(X)
fitted.transform(X)
`);
  assert.equal(model.callee(calls.get('rnd.seed(1)')!), 'numpy.random.seed');
  const fitTransform = calls.get('scaler.fit_transform(X)')!;
  assert.equal(model.constructedType(model.method(fitTransform)!.receiver), 'sklearn.preprocessing.StandardScaler');
  const transform = calls.get('fitted.transform(X)')!;
  assert.equal(model.constructedType(model.method(transform)!.receiver), 'sklearn.preprocessing.StandardScaler');
  const unpacked = model.assignmentsOf('X_scaled');
  assert.equal(unpacked.length, 1);
  assert.equal(unpacked[0].value.text, 'scaler.fit_transform(X)');
});

test('tuple targets record each name with its index; function scopes are kept apart', async () => {
  const { model, calls } = await modelOf(`X_train, X_test = split(X)
def f():
    X_train = other()
    use(X_train)
use(X_train)
`);
  const bindings = model.assignmentsOf('X_train');
  assert.deepEqual(
    bindings.map((b) => [b.index, b.value.text]),
    [
      [0, 'split(X)'],
      [undefined, 'other()'],
    ],
  );
  const inside = [...calls.entries()].filter(([text]) => text === 'use(X_train)');
  assert.equal(inside.length, 1, 'both calls have the same text; the map keeps the last');
  const moduleUse = model.calls.filter((c) => c.text === 'use(X_train)');
  const argument = (call: SyntaxNode) => call.childForFieldName('arguments')!.namedChild(0)!;
  assert.equal(model.valueOf('X_train', argument(moduleUse[0]))?.value.text, 'other()');
  assert.equal(model.valueOf('X_train', argument(moduleUse[1]))?.value.text, 'split(X)');
});

test('broken and Python 2 code is analysed as far as the tree allows', async () => {
  const { model, calls } = await modelOf(`import cPickle as pickle
print "loading"
obj = pickle.load(open("m.pkl"))
def broken(:
    pass
pickle.dumps(obj)
`);
  assert.equal(model.callee(calls.get('pickle.load(open("m.pkl"))')!), 'cPickle.load');
  assert.equal(model.callee(calls.get('pickle.dumps(obj)')!), 'cPickle.dumps');
});

test('functionsNamed: every function or method of a name, in document order; none for a class or an unknown name', async () => {
  const { model } = await modelOf(`
def predict(x):
    return x

class Model:
    def predict(self, x):
        return x

    def fit(self, X):
        def predict(row):
            return row
        return predict

class predict_proba:
    pass
`);
  const lines = (name: string): number[] => model.functionsNamed(name).map((fn) => fn.startPosition.row);
  assert.deepEqual(lines('predict'), [1, 5, 9]);
  assert.deepEqual(lines('fit'), [8]);
  assert.deepEqual(lines('predict_proba'), []);
  assert.deepEqual(lines('missing'), []);
});

test('methodName and callsOfName read the same names as method() and functionOf() for every call, in broken code too', async () => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const dir = path.join(__dirname, 'corpus');
  const sources = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.py'))
    .map((name) => fs.readFileSync(path.join(dir, name), 'utf8'));
  sources.push('model.eval(\nx = (a.b)(c).d(\nself.net.train(False)\nf()(g)\nobj. (1)\n');
  let methods = 0;
  for (const text of sources) {
    const { model } = await modelOf(text);
    for (const call of model.calls) {
      // Before and after `method` has filled its cache.
      const read = model.methodName(call);
      assert.equal(read, model.method(call)?.name, call.text);
      assert.equal(model.methodName(call), read);
      if (read !== undefined) methods++;
    }
    // `callsOfName` indexes exactly the calls of a plain name (read from the arrays too).
    const bare = model.calls.filter((call) => model.functionOf(call)?.type === 'identifier');
    const names = new Set(bare.map((call) => model.functionOf(call)!.text));
    assert.deepEqual(
      [...names].flatMap((name) => model.callsOfName(name).map((call) => call.id)).sort((a, b) => a - b),
      bare.map((call) => call.id).sort((a, b) => a - b),
    );
  }
  assert.ok(methods > 100, `${methods} method calls`);
});

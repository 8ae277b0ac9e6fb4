/**
 * One home for library knowledge: what the rules know, the readiness checklist knows. Each test
 * takes a list from engine/knowledge and checks that a rule and a readiness item read it alike,
 * so a library added to the list once changes both.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, knowledge, type Engine } from '../server/src/engine/index';
import type { ReadinessReport } from '../server/src/engine/readiness/index';
import { assessProject } from './helpers/readiness-project';

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

function assess(files: Record<string, string>): Promise<ReadinessReport> {
  return assessProject(engine, files);
}

function item(report: ReadinessReport, id: string) {
  const found = report.categories.flatMap((category) => category.items).find((candidate) => candidate.id === id);
  assert.ok(found, id);
  return found;
}

function rulesOn(code: string): string[] {
  return engine.analyze({ path: '/w/train.py', kind: 'script', text: code }).findings.map((finding) => finding.rule);
}

test('every random call the rules know makes the readiness seeds item apply', () => {
  const covered = (name: string) => knowledge.RANDOM_CALL_PREFIXES.some((prefix) => name.startsWith(prefix));
  for (const [name, when] of knowledge.SKLEARN_RANDOM) if (when === 'always') assert.ok(covered(name), name);
  for (const name of knowledge.SEED_FUNCTIONS.keys()) assert.ok(covered(name), name);
  for (const name of knowledge.SEEDED_GENERATORS) assert.ok(covered(name), name);
  for (const name of knowledge.TORCH_DATA_LOADERS) assert.ok(covered(name), name);
});

test('a random scikit-learn call that missing-seed reports fails the readiness seeds item', async () => {
  const code = 'from sklearn.inspection import permutation_importance\nresult = permutation_importance(model, X_val, y_val)\n';
  assert.ok(rulesOn(code).includes('missing-seed'));
  const report = await assess({ 'evaluate.py': code });
  assert.equal(item(report, 'repro-seeds').status, 'fail');
});

test('a model saved with any saver the rules know makes model loading apply in readiness', async () => {
  for (const [saver, code] of [
    ['keras', 'import tensorflow as tf\nmodel = build()\ntf.keras.models.save_model(model, "model.keras")\n'],
    ['safetensors', 'from safetensors.torch import save_file\nsave_file(model.state_dict(), "model.safetensors")\n'],
    ['skops', 'import skops.io as sio\nsio.dump(clf, "model.skops")\n'],
  ]) {
    assert.ok(rulesOn(code).includes('unversioned-artifact'), saver);
    const report = await assess({ 'train.py': code });
    assert.notEqual(item(report, 'integration-safe-model-loading').status, 'not-applicable', saver);
  }
});

test('fitting a transformation is not training for untracked-training, and a pipeline is', () => {
  for (const type of [
    'sklearn.preprocessing.StandardScaler',
    'feature_engine.imputation.MeanMedianImputer',
    'sklearn.compose.ColumnTransformer',
    'imblearn.over_sampling.SMOTE',
    'sklearn.manifold.TSNE',
  ]) {
    assert.ok(knowledge.isFittedTransformation(type), type);
  }
  for (const type of [
    'sklearn.pipeline.Pipeline',
    'imblearn.pipeline.Pipeline',
    'sklearn.ensemble.RandomForestClassifier',
    'imblearn.ensemble.BalancedRandomForestClassifier',
  ]) {
    assert.ok(!knowledge.isFittedTransformation(type), type);
  }
  // Everything the leakage and skew rules treat as preprocessing is a transformation here too.
  for (const prefix of knowledge.PREPROCESSING_MODULES) assert.ok(knowledge.isFittedTransformation(`${prefix}SomeScaler`), prefix);
});

test('library fallbacks count for both the fallback item and the LLM resilience item', async () => {
  const code =
    'from litellm import Router\nfrom fastapi import FastAPI\napp = FastAPI()\nrouter = Router(model_list=models, fallbacks=[{"gpt-4o": ["claude"]}], timeout=30)\n\n@app.post("/answer")\nasync def answer(q: Question):\n    return await router.acompletion(model="gpt-4o", messages=[{"role": "user", "content": q.text}])\n';
  const report = await assess({ 'app.py': code });
  assert.equal(item(report, 'integration-fallback').status, 'pass');
  assert.match(JSON.stringify(item(report, 'genai-call-resilience').evidence), /litellm\.Router/);
});

test('HTTP modules for request-without-timeout are the roots of the calls it knows', () => {
  for (const name of knowledge.HTTP_FUNCTIONS_WITHOUT_DEFAULT_TIMEOUT) {
    assert.ok(knowledge.HTTP_MODULES_WITHOUT_DEFAULT_TIMEOUT.includes(name.split('.')[0]), name);
  }
});

test("every saver's name holds one of SAVER_WORDS (unsafe-deserialization's guard before it looks for a dump)", () => {
  for (const saver of knowledge.MODEL_SAVERS.keys()) {
    assert.ok(
      knowledge.SAVER_WORDS.some((word) => saver.includes(word)),
      `${saver} holds none of ${knowledge.SAVER_WORDS.join(', ')}`,
    );
  }
});

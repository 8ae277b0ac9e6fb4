// The readiness scan's facts cache: a second scan of an unchanged project analyses nothing and
// gives the same report; a changed file, or a changed configuration, is analysed again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEngine } from '../server/src/engine/index';
import { computeReadiness, FactsCache } from '../server/src/engine/readiness/index';
import { copyOfHalfway, sent } from './helpers/readiness-project';

test('an unchanged project is assessed from the cache alone, with the same report', async () => {
  const root = copyOfHalfway('mlready-facts-cache-');
  const engine = await createEngine();
  const first = new FactsCache();
  const fresh = await computeReadiness(root, engine, { factsCache: first });
  assert.ok(first.analysed >= 5, `every Python file analysed (${first.analysed})`);
  assert.equal(first.reused, 0);

  const second = new FactsCache(first.entries());
  const again = await computeReadiness(root, engine, { factsCache: second });
  assert.equal(second.analysed, 0);
  assert.equal(second.reused, first.analysed);
  assert.deepEqual(sent(again), sent(fresh));
});

test('a changed file, a new one and a changed configuration are analysed again; a deleted file leaves the cache', async () => {
  const root = copyOfHalfway('mlready-facts-cache-');
  const engine = await createEngine();
  const first = new FactsCache();
  await computeReadiness(root, engine, { factsCache: first });
  const files = first.entries().map((entry) => entry.path);

  // One file changes (experiment tracking appears), one is added, one is deleted.
  const changed = files.find((file) => file.endsWith('.py')) as string;
  fs.appendFileSync(path.join(root, changed), '\nimport mlflow\nmlflow.log_metric("auc", 0.9)\n');
  fs.writeFileSync(path.join(root, 'extra.py'), 'import random\nrandom.seed(0)\n');
  const deleted = files.find((file) => file !== changed) as string;
  fs.rmSync(path.join(root, deleted));
  const second = new FactsCache(first.entries());
  const report = await computeReadiness(root, engine, { factsCache: second });
  assert.equal(second.analysed, 2, 'the changed file and the new one');
  assert.equal(second.reused, files.length - 2);
  assert.deepEqual(sent(report), sent(await computeReadiness(root, engine)), 'the report of a fresh scan');
  assert.ok(!second.entries().some((entry) => entry.path === deleted));

  // The project's configuration turns a rule off: every file's findings may change.
  fs.appendFileSync(path.join(root, 'pyproject.toml'), '\n[tool.mlready]\nignore = ["missing-seed"]\n');
  const third = new FactsCache(second.entries());
  const configured = await computeReadiness(root, engine, { factsCache: third });
  assert.equal(third.reused, 0);
  assert.equal(third.analysed, second.entries().length);
  assert.deepEqual(sent(configured), sent(await computeReadiness(root, engine)));
});

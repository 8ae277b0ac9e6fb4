// The readiness scan's analysis on worker threads (cli/facts-pool.ts): the report is the one the
// scan computes in its own thread, file problems included and in the same order; files the
// threads are asked about once they are stopped fail one by one; a stopped scan leaves no
// rejection behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEngine } from '../server/src/engine/index';
import { AbortedError, computeReadiness, FactsCache } from '../server/src/engine/readiness/index';
import { FactsPool } from '../server/src/cli/facts-pool';
import { tempProject } from './helpers/temp-dir';
import { copyOfHalfway, sent } from './helpers/readiness-project';

/** Enough modules that the scan hands its files to threads (a smaller one analyses them itself). */
const MODULES = Object.fromEntries(
  Array.from({ length: 20 }, (_, i) => [
    `src/steps/step_${i}.py`,
    i % 2 === 0
      ? `import pandas as pd\n\n\ndef load_${i}(path):\n    return pd.read_csv(path)\n`
      : `import requests\n\nAPI_KEY = "sk-live-${'x'.repeat(24)}"\n\n\ndef fetch_${i}(url):\n    return requests.get(url).json()\n`,
  ]),
);

/** The fixture project, with files that cannot be analysed or read and a per-file configuration. */
function project(): string {
  const root = copyOfHalfway('mlready-facts-pool-', {
    ...MODULES,
    'notebooks/broken.ipynb': '{"cells": [',
    'src/latin1.py': '',
    'src/more/deep.py': 'import torch\ntorch.manual_seed(0)\nmodel = torch.load("model.pt")\n',
    'src/more/pyproject.toml': '[tool.mlready]\nignore = ["missing-seed"]\n',
  });
  fs.writeFileSync(path.join(root, 'src', 'latin1.py'), Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x22, 0xe9, 0x22, 0x0a]));
  return root;
}

test('files analysed on two threads give the report of the scan that analyses them itself', async () => {
  const root = project();
  const engine = await createEngine();
  const pool = new FactsPool(root, 2);
  try {
    const here = await computeReadiness(root, engine);
    const threaded = await computeReadiness(root, pool);
    assert.ok(pool.answered >= 25, `the threads analysed the files (${pool.answered})`);
    assert.deepEqual(sent(threaded), sent(here));
    // The broken notebook's problem is there, from the thread, in its place.
    assert.ok(
      here.problems.some((problem) => problem.path === 'notebooks/broken.ipynb'),
      JSON.stringify(here.problems),
    );
    // And with the cache: the threads' facts are kept, the next scan takes them all.
    const cache = new FactsCache();
    assert.deepEqual(sent(await computeReadiness(root, pool, { factsCache: cache })), sent(here));
    const next = new FactsCache(cache.entries());
    assert.deepEqual(sent(await computeReadiness(root, pool, { factsCache: next })), sent(here));
    assert.equal(next.analysed, 0);
    assert.equal(next.reused, cache.analysed);
  } finally {
    await pool.close();
  }
});

test("the scan's progress counts the files the threads answered, not those handed out", async () => {
  const root = project();
  const pool = new FactsPool(root, 2);
  const counts: number[] = [];
  try {
    await computeReadiness(root, pool, {
      onProgress: (progress) => {
        if (progress.phase !== 'analysing') return;
        counts.push(progress.done);
        // src/latin1.py cannot be decoded: it is taken in without reaching a thread.
        assert.ok(progress.done <= pool.answered + 1, `${progress.done} files reported, ${pool.answered} answered`);
      },
    });
  } finally {
    await pool.close();
  }
  assert.deepEqual(
    counts,
    counts.map((_, index) => index),
    'one update per file taken in, from 0',
  );
  assert.ok(counts.length >= 25, String(counts.length));
});

test('a stopped pool fails each file it is asked about, with a reason', async () => {
  const root = project();
  const pool = new FactsPool(root, 1);
  await pool.close();
  await assert.rejects(pool.analyse({ relPath: 'a.py', kind: 'script', text: 'x = 1\n' }), /analysis threads were stopped/);
  const report = await computeReadiness(root, pool);
  const failed = report.problems.filter((problem) => problem.message === 'the analysis threads were stopped');
  assert.ok(failed.length >= 25, JSON.stringify(report.problems));
});

test('a scan stopped while files are in flight on the threads ends with AbortedError and leaves no unhandled rejection', async () => {
  const root = project();
  const pool = new FactsPool(root, 2);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on('unhandledRejection', onUnhandled);
  try {
    const controller = new AbortController();
    const scan = computeReadiness(root, pool, {
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.phase === 'analysing' && progress.done === 3) controller.abort();
      },
    });
    await assert.rejects(scan, AbortedError);
    await pool.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await pool.close();
  }
});

test('a project of a few files is analysed on one thread, under the per-file budget too', async () => {
  const root = tempProject('mlready-facts-pool-', { 'train.py': 'import torch\ntorch.manual_seed(0)\n', 'serve.py': 'import fastapi\n' });
  const pool = new FactsPool(root, 2);
  try {
    assert.equal(pool.concurrency, 64);
    assert.deepEqual(sent(await computeReadiness(root, pool)), sent(await computeReadiness(root, await createEngine())));
    assert.equal(pool.answered, 2);
    assert.equal(pool.concurrency, 32, 'two files are not worth a second thread');
  } finally {
    await pool.close();
  }
  // A file that outlasts the budget in a small project is stopped and reported, and the scan goes on.
  const strict = new FactsPool(root, 2, { budgetMs: 1 });
  try {
    const report = await computeReadiness(root, strict);
    assert.deepEqual(
      report.problems.map((problem) => `${problem.path}: ${problem.message}`),
      ['serve.py: analysis took longer than 0 s and was stopped', 'train.py: analysis took longer than 0 s and was stopped'],
    );
  } finally {
    await strict.close();
  }
});

test('a file that takes longer than the per-file budget is stopped and reported; the files after it are analysed by a new thread', async () => {
  const root = tempProject('mlready-facts-pool-', {});
  // A 1 ms budget stops every file (as MLREADY_FILE_BUDGET_MS=1 does for `mlready check`).
  const strict = new FactsPool(root, 1, { budgetMs: 1 });
  try {
    const files = ['a.py', 'b.py', 'c.py'].map((relPath) => strict.analyse({ relPath, kind: 'script', text: 'import numpy as np\nx = np.random.rand(3)\n' }));
    for (const file of files) await assert.rejects(file, /^Error: analysis took longer than 0 s and was stopped$/);
  } finally {
    await strict.close();
  }
  const pool = new FactsPool(root, 1);
  try {
    const facts = await pool.analyse({ relPath: 'a.py', kind: 'script', text: 'import numpy as np\nx = np.random.rand(3)\n' });
    assert.deepEqual(
      facts.imports.map((imp) => imp.module),
      ['numpy'],
    );
  } finally {
    await pool.close();
  }
});

import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { collectGarbage, collectYoungGeneration } from '../server/src/lsp/memory';

test('collectGarbage runs a full collection without any command-line flag', async () => {
  const ref = (() => new WeakRef({ payload: new Array(1000).fill('x') }))();
  // A WeakRef keeps its target alive until the current job ends.
  await nextTurn();
  collectGarbage();
  await nextTurn();
  assert.equal(ref.deref(), undefined, 'the unreachable object was collected');
});

test('collectYoungGeneration runs a scavenge (a minor collection), not a full one', async () => {
  const kinds: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) kinds.push((entry as unknown as { detail: { kind: number } }).detail.kind);
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    collectYoungGeneration();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    observer.disconnect();
  }
  assert.ok(kinds.includes(constants.NODE_PERFORMANCE_GC_MINOR), `a minor collection was observed (kinds: ${kinds.join(', ')})`);
  assert.ok(!kinds.includes(constants.NODE_PERFORMANCE_GC_MAJOR), 'no full collection');
});

/**
 * The JavaScript heap in use after a full collection: what is live. Measured after a pause: while V8
 * optimizes a hot function on a background thread, the job holds its closure's context, which for a
 * rule's handler is the last analysis's rule context and through it the whole analysis (seen in a
 * heap snapshot as one extra analysis retained from a handle scope, in about half the runs).
 */
async function heapAfterCollection(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

test('the engine memos keep no old version of the document alive (string literals, notebook cells)', async () => {
  const { createEngine } = await import('../server/src/engine/index');
  const engine = await createEngine();
  // A script of 300,000 characters, analysed in 40 versions that each hold a new string literal (as
  // typing into a literal does): a memo keyed by the literal's value, a slice of the document's text,
  // kept every version alive (12 MB here).
  const body = 'x = 1\n'.repeat(50_000);
  engine.analyze({ path: 'warm.py', kind: 'script', text: `${body}token = "help text for option 0, long"\n` });
  const scriptBefore = await heapAfterCollection();
  for (let i = 1; i <= 40; i++) engine.analyze({ path: 'edit.py', kind: 'script', text: `${body}token = "help text for option ${i}, long"\n` });
  const scriptGrowth = (await heapAfterCollection()) - scriptBefore;
  assert.ok(scriptGrowth < 6_000_000, `script versions retained: ${(scriptGrowth / 1e6).toFixed(1)} MB`);
  // A notebook cell of 500,000 characters edited 40 times: the masking memo kept every version of
  // the cell and its masked copy (40 MB) when it was bounded in entries only.
  const cell = 'y = 2\n'.repeat(83_000);
  const notebookBefore = await heapAfterCollection();
  for (let i = 0; i < 40; i++) engine.analyze({ path: 'nb.ipynb', kind: 'notebook', cells: [{ cellType: 'code', source: `${cell}z = ${i}\n` }] });
  const notebookGrowth = (await heapAfterCollection()) - notebookBefore;
  assert.ok(notebookGrowth < 20_000_000, `notebook cell versions retained: ${(notebookGrowth / 1e6).toFixed(1)} MB`);
});

test('the incremental caches keep few old versions of a document alive (statements edited one after another, notebook cells)', async () => {
  const { createEngine } = await import('../server/src/engine/index');
  const engine = await createEngine();
  // A script of about 500 KB, each of 40 edits in another statement. The statements the edit left
  // alone keep their entries, whose strings are cut from the text of the analysis that made them:
  // every version stayed alive (about 20 MB here, 58 MB for a 1 MB file over 60 edits).
  const lines = Array.from({ length: 2_000 }, (_, i) => `value_${i} = compute_something_long_named(argument_${i}, "${'x'.repeat(200)}")`);
  let text = `${lines.join('\n')}\n`;
  const document = engine.trees.document('memory-statements');
  engine.analyze({ path: 'edited.py', kind: 'script', text }, document);
  const scriptBefore = await heapAfterCollection();
  for (let i = 0; i < 40; i++) {
    const at = text.indexOf(`argument_${i * 50},`);
    text = `${text.slice(0, at)}y${text.slice(at)}`;
    engine.analyze({ path: 'edited.py', kind: 'script', text }, document);
  }
  const scriptGrowth = (await heapAfterCollection()) - scriptBefore;
  assert.ok(scriptGrowth < 9_000_000, `script versions retained: ${(scriptGrowth / 1e6).toFixed(1)} MB`);
  // A notebook of 40 cells of 12 KB, each edited once in turn: an unchanged cell's tree kept the
  // program's text of the version it was parsed in.
  let cells = Array.from({ length: 40 }, (_, i) => ({ cellType: 'code' as const, source: `cell_${i} = 1\n${'w = "' + 'v'.repeat(60) + '"\n'}`.repeat(180) }));
  const notebook = engine.trees.document('memory-cells');
  engine.analyze({ path: 'edited.ipynb', kind: 'notebook', cells }, notebook);
  const notebookBefore = await heapAfterCollection();
  for (let i = 0; i < 40; i++) {
    cells = cells.map((cell, j) => (j === i ? { ...cell, source: `${cell.source}edited = ${i}\n` } : cell));
    engine.analyze({ path: 'edited.ipynb', kind: 'notebook', cells }, notebook);
  }
  const notebookGrowth = (await heapAfterCollection()) - notebookBefore;
  assert.ok(notebookGrowth < 12_000_000, `notebook versions retained: ${(notebookGrowth / 1e6).toFixed(1)} MB`);
  engine.trees.drop('memory-statements');
  engine.trees.drop('memory-cells');
});

test('an incremental analysis leaves little for the next scavenge: the analysis itself is not kept alive', () => {
  // Measured in a child process (V8 flags of its own), with V8's pretenuring off as the server turns
  // it off: 0.77 MB when statement-scoped rules' contexts were object literals with getters, whose
  // closures V8's shared hidden classes kept (the whole semantic model with them); 0.40 MB with
  // pretenuring on; 0.15 MB with neither.
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-semi-space-size=8', '--import', 'tsx', path.join(__dirname, 'helpers', 'young-survivors.ts')],
    { encoding: 'utf8', cwd: path.join(__dirname, '..') },
  );
  assert.equal(run.status, 0, run.stderr);
  const { medianBytes, findings } = JSON.parse(run.stdout) as { medianBytes: number; findings: number };
  assert.ok(findings > 0, 'the generated script has findings');
  assert.ok(medianBytes < 250_000, `the young generation holds ${medianBytes} bytes after each scavenge (under 250,000 expected)`);
});

test("the readiness scan's facts keep no file's text alive and no room for items never added", async () => {
  const { createEngine, EngineFactsProvider } = await import('../server/src/engine/index');
  const provider = new EngineFactsProvider(await createEngine());
  // 200 files of 30 KB each, mostly a comment block, with calls that pass one keyword and one long
  // string literal each: facts cut from the text kept every file's 30 KB alive (a third of a
  // workspace's facts in the bench), and each call's one-item lists, grown by `push`, room for 17: 104 KB per file here, 31 KB compacted.
  const comment = `# ${'notes on the experiment, '.repeat(40)}\n`.repeat(30);
  const script = (i: number): string =>
    `${comment}import pandas as pd\n${Array.from({ length: 40 }, (_, k) => `frame_${k} = pd.read_csv("data/raw/table_${i}_${k}.csv", sep=";")\n`).join('')}`;
  const kept: unknown[] = [];
  const before = await heapAfterCollection();
  for (let i = 0; i < 200; i++) kept.push(provider.facts({ relPath: `job_${i}.py`, kind: 'script', text: script(i) }));
  const perFile = ((await heapAfterCollection()) - before) / kept.length;
  assert.equal(kept.length, 200);
  assert.ok(perFile < 50_000, `facts retained per file: ${(perFile / 1000).toFixed(1)} KB`);
});

test("the configuration scan keeps each YAML file's scalars, not its syntax tree or the parser's pieces of a multi-line value", async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const { scanWorkspace } = await import('../server/src/engine/readiness/workspace');
  const { configScalars } = await import('../server/src/engine/readiness/detect');
  // 1,500 task files shaped like EleutherAI/lm-evaluation-harness's: a few keys and a folded
  // description, which the YAML parser builds a line at a time (1.6 million joined pieces, 49 MB, there).
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-config-memory-'));
  try {
    const description = Array.from({ length: 24 }, (_, line) => `  line ${line} of the prompt that the task gives to the model before each question`).join(
      '\n',
    );
    for (let i = 0; i < 1500; i++)
      fs.writeFileSync(
        path.join(root, `task_${i}.yaml`),
        `task: task_${i}\ndataset_path: org/set_${i}\ndescription: >\n${description}\nmetric_list:\n  - metric: acc\n    aggregation: mean\n    higher_is_better: true\n`,
      );
    const workspace = await scanWorkspace(root, { facts: () => Promise.reject(new Error('no Python here')) });
    const before = await heapAfterCollection();
    const scalars = configScalars(workspace);
    const perFile = ((await heapAfterCollection()) - before) / 1500;
    assert.equal(scalars.length, 1500 * 6);
    assert.ok(perFile < 2_500, `configuration scalars retained per file: ${perFile.toFixed(0)} bytes`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

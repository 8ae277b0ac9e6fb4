import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, createEngine, fixAll, minimalEdit, type AnalyzeInput, type CellInput } from '../server/src/engine/index';

// Two safe fixes of two rules: missing-seed (random_state=42) and request-without-timeout (timeout=10).
const SCRIPT = [
  'import requests',
  'from sklearn.model_selection import train_test_split',
  'resp = requests.get(URL)',
  'X_train, X_test = train_test_split(X, test_size=0.2)',
  '',
].join('\n');
const SEEDED = 'X_train, X_test = train_test_split(X, test_size=0.2, random_state=42)';
const TIMED = 'resp = requests.get(URL, timeout=10)';

const script = (text: string): AnalyzeInput => ({ path: 'train.py', kind: 'script', text });
const textOf = (input: AnalyzeInput): string => (input.kind === 'script' ? input.text : '');
const cellsOf = (input: AnalyzeInput): readonly CellInput[] => (input.kind === 'notebook' ? input.cells : []);

test('fixAll applies every safe fix, reports one minimal change, and is idempotent', async () => {
  const engine = await createEngine();
  const outcome = fixAll(engine, script(SCRIPT));
  const fixed = textOf(outcome.result);
  assert.ok(fixed.includes(SEEDED) && fixed.includes(TIMED), fixed);
  assert.equal(outcome.applied, 2);
  assert.equal(outcome.changes.length, 1);
  assert.equal(outcome.changes[0].cell, undefined);
  assert.equal(applyEdits(SCRIPT, [outcome.changes[0].edit]), fixed, 'the minimal edit turns the input into the result');
  assert.ok(outcome.changes[0].edit.start > SCRIPT.indexOf('resp'), 'the common prefix is kept out of the edit');
  const again = fixAll(engine, outcome.result);
  assert.equal(again.applied, 0);
  assert.deepEqual(again.changes, []);
});

test('fixAll { rule }: only that rule is fixed', async () => {
  const engine = await createEngine();
  const fixed = textOf(fixAll(engine, script(SCRIPT), { rule: 'missing-seed' }).result);
  assert.ok(fixed.includes(SEEDED), fixed);
  assert.ok(!fixed.includes('timeout='), 'request-without-timeout is left alone');
  const none = fixAll(engine, script(SCRIPT), { rule: 'print-logging' });
  assert.equal(none.applied, 0);
  assert.equal(textOf(none.result), SCRIPT);
});

test('fixAll on a notebook: edits land in their cells, markdown and other cells untouched; { onlyCell } keeps one cell', async () => {
  const engine = await createEngine();
  const cells: CellInput[] = [
    { source: 'import requests\nfrom sklearn.model_selection import train_test_split', cellType: 'code' },
    { source: '# Notes\n', cellType: 'markdown' },
    { source: 'resp = requests.get(URL)', cellType: 'code' },
    { source: 'X_train, X_test = train_test_split(X, test_size=0.2)', cellType: 'code' },
  ];
  const input: AnalyzeInput = { path: 'train.ipynb', kind: 'notebook', cells };
  const all = fixAll(engine, input);
  const result = cellsOf(all.result);
  assert.equal(result[0].source, cells[0].source);
  assert.equal(result[1].source, cells[1].source);
  assert.equal(result[2].source, TIMED);
  assert.equal(result[3].source, SEEDED);
  assert.deepEqual(
    all.changes.map((change) => change.cell),
    [2, 3],
  );
  for (const change of all.changes) assert.equal(applyEdits(cells[change.cell!].source, [change.edit]), result[change.cell!].source);

  const one = fixAll(engine, input, { onlyCell: 3 });
  assert.deepEqual(
    cellsOf(one.result).map((cell) => cell.source),
    [cells[0].source, cells[1].source, cells[2].source, SEEDED],
  );
  assert.equal(one.applied, 1);
  assert.equal(fixAll(engine, input, { onlyCell: 1 }).applied, 0, 'a markdown cell has nothing to fix');
});

test('fixAll { onlyCell }: a fix whose edits reach another cell is left for the whole-notebook fix', async () => {
  const engine = await createEngine();
  // yaml.load in cell 1, imported by name in cell 0: the fix rewrites the call and adds `import yaml` to cell 0.
  const cells: CellInput[] = [
    { source: 'from yaml import load', cellType: 'code' },
    { source: 'cfg = load(open("c.yml"))', cellType: 'code' },
  ];
  const input: AnalyzeInput = { path: 'n.ipynb', kind: 'notebook', cells };
  assert.equal(fixAll(engine, input, { onlyCell: 1 }).applied, 0);
  assert.equal(fixAll(engine, input, { onlyCell: 0 }).applied, 0);
  const whole = cellsOf(fixAll(engine, input).result);
  assert.equal(whole[0].source, 'from yaml import load\nimport yaml');
  assert.equal(whole[1].source, 'cfg = yaml.safe_load(open("c.yml"))');
});

test('minimalEdit keeps the common prefix and suffix and never splits a CRLF pair', () => {
  assert.deepEqual(minimalEdit('a(x)\n', 'a(x, y)\n'), { start: 3, end: 3, text: ', y' });
  assert.deepEqual(minimalEdit('same', 'same'), { start: 4, end: 4, text: '' });
  const before = 'a\r\nb\r\n';
  const after = 'a\r\nc\r\nb\r\n';
  const edit = minimalEdit(before, after);
  assert.equal(applyEdits(before, [edit]), after);
  assert.notEqual(before.charCodeAt(edit.start), 10, 'the edit does not start between \\r and \\n');
  assert.notEqual(before.charCodeAt(edit.end), 10, 'the edit does not end between \\r and \\n');
});

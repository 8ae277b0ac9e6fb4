import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { addIgnores, applyEdits, createEngine, ignoreAllEdits, ignoreEdit, ignoreFileEdit } from '../server/src/engine/index';

test('ignoreEdit: each finding silenced on its line, or added to the directive already there', async () => {
  const engine = await createEngine();
  const text = 'from sklearn.model_selection import train_test_split\nparts = train_test_split(X, y)  # mlready: ignore[print-logging]\n';
  const analysis = engine.analyze({ path: 'a.py', kind: 'script', text });
  const finding = analysis.findings.find((f) => f.rule === 'missing-seed')!;
  const edit = ignoreEdit(analysis, finding)!;
  assert.equal(applyEdits(text, [edit]), text.replace('ignore[print-logging]', 'ignore[print-logging, missing-seed]'));
  assert.equal(edit.range.start.line, 1);
  assert.equal(engine.analyze({ path: 'a.py', kind: 'script', text: applyEdits(text, [edit]) }).findings.length, 0);
});

test('ignoreAllEdits: one directive per line naming each rule once; in a notebook, placed in its cell', async () => {
  const engine = await createEngine();
  const text = 'from sklearn.ensemble import RandomForestClassifier\nprint(RandomForestClassifier()); print(RandomForestClassifier())\n';
  const analysis = engine.analyze({ path: 'a.py', kind: 'script', text });
  const edits = ignoreAllEdits(analysis);
  assert.equal(edits.length, 1);
  assert.equal(edits[0].text, '  # mlready: ignore[missing-seed, print-logging]');
  const cells = [
    { source: 'import requests', cellType: 'code' as const },
    { source: '# Title', cellType: 'markdown' as const },
    { source: 'requests.get(URL)\nx = 1', cellType: 'code' as const },
  ];
  const outcome = addIgnores(engine, { path: 'n.ipynb', kind: 'notebook', cells });
  assert.equal(outcome.applied, 1);
  assert.ok(outcome.result.kind === 'notebook');
  assert.deepEqual(
    outcome.result.cells.map((cell) => cell.source),
    ['import requests', '# Title', 'requests.get(URL)  # mlready: ignore[request-without-timeout]\nx = 1'],
  );
  assert.equal(engine.analyze(outcome.result).findings.length, 0);
});

test('ignoreFileEdit: on the first line, below a shebang', () => {
  assert.equal(applyEdits('x = 1\n', [ignoreFileEdit('x = 1\n', 'print-logging')]), '# mlready: ignore-file[print-logging]\nx = 1\n');
  assert.equal(
    applyEdits('#!/usr/bin/env python\nx\n', [ignoreFileEdit('#!/usr/bin/env python\nx\n', 'r')]),
    '#!/usr/bin/env python\n# mlready: ignore-file[r]\nx\n',
  );
  assert.equal(applyEdits('#!/usr/bin/env python', [ignoreFileEdit('#!/usr/bin/env python', 'r')]), '#!/usr/bin/env python\n# mlready: ignore-file[r]\n');
});

test("no suppression on an IPython magic line (it would become the magic's arguments); a shell escape takes one", async () => {
  const engine = await createEngine();
  const cells = [
    { source: '%%capture\nimport requests\nrequests.get(URL)', cellType: 'code' as const, executionCount: 2 },
    { source: '%matplotlib inline\nx = 1', cellType: 'code' as const, executionCount: 1 },
    { source: '!pip install requests', cellType: 'code' as const, executionCount: 3 },
  ];
  const input = { path: 'n.ipynb', kind: 'notebook' as const, cells };
  const analysis = engine.analyze(input);
  const onMagic = analysis.findings.filter((f) => f.range.start.line === 0 && f.cell !== 2);
  assert.ok(onMagic.length > 0, `a finding on a magic line: ${analysis.findings.map((f) => `${f.rule}@${f.cell}:${f.range.start.line}`).join(' ')}`);
  for (const finding of onMagic) assert.equal(ignoreEdit(analysis, finding), undefined, finding.rule);
  const outcome = addIgnores(engine, input);
  assert.ok(outcome.result.kind === 'notebook');
  const [first, second, third] = outcome.result.cells.map((cell) => cell.source);
  assert.ok(first.startsWith('%%capture\n') && second.startsWith('%matplotlib inline\n'), `${first}\n---\n${second}`);
  assert.match(first, /requests\.get\(URL\)  # mlready: ignore\[request-without-timeout\]/);
  assert.match(third, /^!pip install requests  # mlready: ignore\[notebook-pip-install\]/);
});

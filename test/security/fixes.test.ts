import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { createEngine, applyEdits, type Finding } from '../../server/src/engine/index';
import { sandbox, cli, FIXABLE } from './helpers';
import { RawServer, isPublish } from './lsp-harness';

const KEY = 'sk-9fQ2xLm4Rt7Vb1Nc8Kd3Hs6Jw0Pz5Ya2Ge7Ui4Oq';

/** Applies a finding's fix to notebook cells (edits are placed per cell). */
function applyToCells(cells: string[], finding: Finding): string[] {
  const out = [...cells];
  const byCell = new Map<number, { start: number; end: number; text: string }[]>();
  for (const edit of finding.fix!.edits) {
    const cell = edit.cell ?? 0;
    const lines = out[cell].split('\n');
    const offset = (pos: { line: number; column: number }) => lines.slice(0, pos.line).reduce((n, l) => n + l.length + 1, 0) + pos.column;
    byCell.set(cell, [...(byCell.get(cell) ?? []), { start: offset(edit.range.start), end: offset(edit.range.end), text: edit.text }]);
  }
  for (const [cell, edits] of byCell) out[cell] = applyEdits(out[cell], edits);
  return out;
}

async function fixOf(cells: string[], rule: string): Promise<string[]> {
  const engine = await createEngine();
  const analysis = engine.analyze({ path: 'n.ipynb', kind: 'notebook', cells: cells.map((source, i) => ({ source, executionCount: i + 1 })) });
  const finding = analysis.findings.find((f) => f.rule === rule && f.fix);
  assert.ok(finding, `${rule} has a fix: ${JSON.stringify(analysis.findings.map((f) => f.rule))}`);
  return applyToCells(cells, finding);
}

test('fixes: an added import never goes before a cell magic (%%bash, %%capture)', async () => {
  const bash = await fixOf(['%%bash\necho hello', `KEY = "${KEY}"`], 'hardcoded-secret');
  assert.match(bash[0], /^%%bash\n/, 'the %%bash cell keeps its magic first');
  assert.doesNotMatch(bash[0], /import os/, 'no Python in the bash cell');
  assert.match(bash[1], /^import os\n/);
  const capture = await fixOf(['%%capture\nx = 1', `KEY = "${KEY}"`], 'hardcoded-secret');
  assert.match(capture[0], /^%%capture\n/, 'the %%capture cell keeps its magic first');
  assert.ok(capture.join('\n').includes('import os'));
});

test('fixes: an added import never goes above the !pip install that installs it', async () => {
  const cells = await fixOf(['import json', '!pip install pyyaml', 'from yaml import load\ncfg = load(open("c.yml"))'], 'unsafe-deserialization');
  const joined = cells.join('\n');
  assert.ok(joined.indexOf('import yaml') > joined.indexOf('!pip install pyyaml'), `import before install:\n${joined}`);
  assert.equal(cells[1], '!pip install pyyaml');
});

test('fixes: "Ignore … on this line" never lands after a backslash continuation or inside a multi-line string', { timeout: 120_000 }, async () => {
  const box = sandbox();
  const server = await RawServer.start(box.root);
  after(() => server.kill());
  try {
    const cases = [
      'from sklearn.model_selection import train_test_split\nparts = train_test_split(X, \\\n    y)\n',
      'from sklearn.model_selection import train_test_split\nparts = train_test_split(X, y, test_size=float("""0.2\n"""))\n',
    ];
    for (const [index, text] of cases.entries()) {
      const file = path.join(box.root, `case${index}.py`);
      fs.writeFileSync(file, text);
      const uri = pathToFileURL(file).href;
      server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
      const published = (await server.seen(isPublish(uri, (d) => d.some((x) => x.code === 'missing-seed')))) as unknown as {
        params: { diagnostics: { code: string; range: unknown; message: string }[] };
      };
      const diagnostic = published.params.diagnostics.find((d) => d.code === 'missing-seed')!;
      const actions = (
        await server.request('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })
      ).result as {
        title: string;
        edit?: {
          changes?: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]>;
          documentChanges?: { edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[] }[];
        };
      }[];
      const ignore = actions.find((a) => /^Ignore missing-seed/.test(a.title));
      assert.ok(ignore, `case ${index}: ${actions.map((a) => a.title).join(', ')}`);
      const edits = ignore.edit?.documentChanges?.flatMap((c) => c.edits) ?? Object.values(ignore.edit?.changes ?? {}).flat();
      const lines = text.split('\n');
      const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
      const fixed = applyEdits(
        text,
        edits.map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), text: e.newText })),
      );
      // Python reads it: it compiles, the string is unchanged, and the directive is a comment that mlready honours.
      execFileSync('/usr/bin/python3', ['-c', 'import sys; compile(sys.stdin.read(), "case", "exec")'], { input: fixed });
      if (index === 1) assert.ok(fixed.includes('"""0.2\n"""'), `the string is unchanged:\n${fixed}`);
      const engine = await createEngine();
      const again = engine.analyze({ path: file, kind: 'script', text: fixed });
      assert.ok(!again.findings.some((f) => f.rule === 'missing-seed'), `case ${index}: the directive suppresses the finding:\n${fixed}`);
    }
  } finally {
    box.done();
  }
});

test('fixes: the chained-assignment .loc rewrite is safe only for a known DataFrame and a column', async () => {
  const engine = await createEngine();
  const applicability = (text: string) =>
    engine.analyze({ path: 'x.py', kind: 'script', text }).findings.find((f) => f.rule === 'chained-assignment')?.fix?.applicability;
  assert.equal(applicability('import pandas as pd\ndf = pd.read_csv("x.csv")\ndf.price[df.price.isna()] = 0\n'), 'safe');
  assert.equal(applicability('import pandas as pd\ndf = pd.read_csv("x.csv")\ndf[df.price > 0]["price"] = 0\n'), 'safe');
  // A Series: `.array` is the Series' own array, not a column.
  const series = applicability('import pandas as pd\ns = pd.Series([1, -2, 3])\ns.array[s.isna()] = 3\n');
  assert.notEqual(series, 'safe');
  // A frame of unknown origin (a parameter) recognised only by its mask: not safe either.
  assert.notEqual(applicability('import pandas as pd\ndef clean(df):\n    df[df.x.isna()]["x"] = 0\n'), 'safe');
});

test('fixes: a notebook whose JSON repeats a key is rejected with a clear error and not edited', async () => {
  const box = sandbox();
  try {
    const file = path.join(box.root, 'dup.ipynb');
    const text =
      '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": "from sklearn.model_selection import train_test_split\\ntrain_test_split(X, y)", "source": "print(1)"}]}';
    fs.writeFileSync(file, text);
    fs.writeFileSync(path.join(box.root, 'ok.py'), FIXABLE);
    const { out } = await cli(['check', '--fix', '--exit-zero', '.'], box.root);
    assert.match(out, /dup\.ipynb: error: repeats the key "source" in one object at line 1, column \d+/);
    assert.equal(fs.readFileSync(file, 'utf8'), text, 'not edited');
  } finally {
    box.done();
  }
});

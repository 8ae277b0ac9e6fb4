import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../server/src/cli';
import type { CliIo } from '../server/src/cli/io';
import { createEngine, readSource } from '../server/src/engine/index';

/** Bad and strange inputs; each must give results or one clear per-file error, never a crash or a hang. */
function writeCorpus(dir: string): Map<string, RegExp | 'ok'> {
  const expected = new Map<string, RegExp | 'ok'>();
  const put = (name: string, content: string | Buffer, outcome: RegExp | 'ok') => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
    expected.set(name, outcome);
  };
  const seedCall = 'from sklearn.model_selection import train_test_split\ntrain_test_split(X, y)\n';
  put('binary.py', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0xff, 0xfe]), /looks binary: NUL byte at offset 7/);
  put('nul.py', `x = 1\n\0y = 2\n`, /looks binary: NUL byte at offset 6/);
  put('latin1.py', Buffer.concat([Buffer.from('name = "caf'), Buffer.from([0xe9]), Buffer.from('"\n')]), /not valid UTF-8 \(first bad byte near offset 11\)/);
  put('bom.py', `\ufeff${seedCall}`, 'ok');
  put('crlf.py', seedCall.replace(/\n/g, '\r\n'), 'ok');
  put('cr.py', seedCall.replace(/\n/g, '\r'), 'ok');
  put('tabs.py', 'def f():\n\tif True:\n        return 1\n\treturn 2\n' + seedCall, 'ok');
  put('python2.py', 'print "hello"\nexec "x = 1"\n' + seedCall, 'ok');
  put('syntax-error.py', 'def broken(:\n    return\n' + seedCall + 'x = [1, 2\n', 'ok');
  put('long-file.py', Array.from({ length: 100_000 }, (_, i) => `value_${i} = compute(${i})`).join('\n') + '\n', 'ok');
  put('one-long-line.py', `data = [${'1, '.repeat(350_000)}1]\n`, 'ok');
  put(
    'deep-nesting.py',
    `x = ${'('.repeat(1000)}1${')'.repeat(1000)}\n` +
      `y = ${'['.repeat(1000)}${']'.repeat(1000)}\n` +
      'if a:\n'.concat(Array.from({ length: 200 }, (_, i) => `${'    '.repeat(i + 1)}if a:\n`).join(''), `${'    '.repeat(201)}pass\n`),
    'ok',
  );
  put('empty.py', '', 'ok');
  put('nb/truncated.ipynb', '{"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "code", "sou', /^not valid JSON: .*line 1/);
  put('nb/v3.ipynb', JSON.stringify({ nbformat: 3, nbformat_minor: 0, worksheets: [{ cells: [] }] }), /nbformat 3 is not supported/);
  put('nb/v5.ipynb', JSON.stringify({ nbformat: 5, cells: [] }), /unsupported nbformat 5/);
  put(
    'nb/null-source.ipynb',
    JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', source: null, metadata: {}, outputs: [] }] }),
    /invalid notebook at cells\.0\.source/,
  );
  put(
    'nb/number-source.ipynb',
    JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', source: 3, metadata: {}, outputs: [] }] }),
    /cells\.0\.source/,
  );
  put(
    'nb/nested-source.ipynb',
    JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', source: [['x']], metadata: {}, outputs: [] }] }),
    /cells\.0\.source/,
  );
  put('nb/not-object.ipynb', '[1, 2, 3]', /top level is not a JSON object/);
  const cell = (source: string, count: number | null) => ({ cell_type: 'code', execution_count: count, metadata: {}, outputs: [], source });
  put(
    'nb/many-cells.ipynb',
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: Array.from({ length: 5000 }, (_, i) => cell(i % 7 === 0 ? '%matplotlib inline\nx = 1' : `y_${i} = f(${i})`, i + 1)),
    }),
    'ok',
  );
  const image = 'iVBORw0KGgo'.repeat(Math.ceil((10 * 1024 * 1024) / 11));
  put(
    'nb/big-outputs.ipynb',
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: Array.from({ length: 10 }, (_, i) => ({
        ...cell(i === 0 ? seedCall : 'plot()', i + 1),
        outputs: [{ output_type: 'display_data', data: { 'image/png': image }, metadata: {} }],
      })),
    }),
    'ok',
  );
  return expected;
}

async function checkJson(target: string): Promise<{ code: number; report: { files: { path: string; error?: string; findings?: unknown[] }[] }; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, cwd: target };
  const code = await main(['check', '--format', 'json', '.'], io);
  return { code, report: JSON.parse(out), err };
}

test('every bad input gets results or one clear error, and the other files are still checked', { timeout: 240_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-hard-'));
  try {
    const expected = writeCorpus(dir);
    fs.symlinkSync(dir, path.join(dir, 'loop'));
    fs.symlinkSync(path.join(dir, 'missing-target.py'), path.join(dir, 'dangling.py'));
    const { code, report, err } = await checkJson(dir);
    assert.equal(err, '');
    assert.equal(code, 1);
    const byPath = new Map(report.files.map((file) => [file.path, file]));
    for (const [name, outcome] of expected) {
      const file = byPath.get(name);
      assert.ok(file, `${name} is in the report`);
      if (outcome === 'ok') assert.equal(file.error, undefined, `${name}: ${file.error}`);
      else assert.match(file.error ?? '', outcome, name);
    }
    assert.match(byPath.get('dangling.py')?.error ?? '', /does not exist/);
    assert.ok(![...byPath.keys()].some((p) => p.startsWith('loop/')), 'a symbolic link loop is not followed');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('findings on files with BOM, CRLF and CR line endings land on the right lines', async () => {
  const engine = await createEngine();
  for (const lineBreak of ['\n', '\r\n', '\r']) {
    const text = [
      'import numpy as np',
      'from sklearn.model_selection import train_test_split',
      '',
      'train_test_split(X, y)',
      'if ready:',
      '    x = 1',
      'show(x)',
      '',
    ].join(lineBreak);
    const analysis = engine.analyze({ path: 'x.py', kind: 'script', text });
    const seed = analysis.findings.find((f) => f.rule === 'missing-seed');
    assert.ok(seed, JSON.stringify(lineBreak));
    assert.deepEqual(seed.range.start, { line: 3, column: 0 }, JSON.stringify(lineBreak));
    // Python runs all three (universal newlines); tree-sitter alone reads a lone `\r` as no line break.
    assert.deepEqual(
      analysis.findings.filter((f) => f.rule === 'syntax-error'),
      [],
      JSON.stringify(lineBreak),
    );
  }
});

test('a 100 MB notebook (embedded images) is read and analysed', { timeout: 240_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-huge-'));
  try {
    const file = path.join(dir, 'huge.ipynb');
    const image = 'A'.repeat(10 * 1024 * 1024);
    const cells = Array.from({ length: 10 }, (_, i) => ({
      cell_type: 'code',
      execution_count: i + 1,
      metadata: {},
      source: i === 0 ? 'from sklearn.cluster import KMeans\nKMeans()' : 'show()',
      outputs: [{ output_type: 'display_data', data: { 'image/png': image }, metadata: {} }],
    }));
    fs.writeFileSync(file, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
    assert.ok(fs.statSync(file).size > 100 * 1024 * 1024);
    const input = readSource(file);
    assert.equal(input.kind, 'notebook');
    const engine = await createEngine();
    const analysis = engine.analyze(input);
    assert.ok(analysis.findings.some((f) => f.rule === 'missing-seed' && f.cell === 0));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

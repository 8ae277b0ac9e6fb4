import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATALOG_RULES, MarkerError, parseMarkerLine, readCorpus, score } from '../scripts/eval';

const CORPUS = path.join(__dirname, 'corpus');
const corpus = readCorpus(CORPUS);

test('the corpus has enough files of each shape', () => {
  assert.ok(corpus.length >= 45, `${corpus.length} files`);
  assert.ok(corpus.filter((f) => f.kind === 'notebook').length >= 10, 'at least 10 notebooks');
  const clean = corpus.filter((f) => !f.markers.some((m) => m.kind === 'expect'));
  assert.ok(clean.length >= 8, `at least 8 clean files, got ${clean.map((f) => f.file).join(', ')}`);
  const python2 = corpus.filter((f) => f.kind === 'script' && /^\s*print\s+["'>]/m.test(fs.readFileSync(f.absPath, 'utf8')));
  assert.ok(python2.length >= 3, `at least 3 Python 2 files with print statements, got ${python2.length}`);
  assert.ok(fs.existsSync(path.join(CORPUS, 'README.md')), 'the corpus README explains the markers');
});

test('every notebook is valid JSON in nbformat 4', () => {
  for (const f of corpus.filter((c) => c.kind === 'notebook')) {
    const nb = JSON.parse(fs.readFileSync(f.absPath, 'utf8')) as Record<string, unknown>;
    assert.equal(nb.nbformat, 4, `${f.file}: nbformat`);
    assert.equal(typeof nb.nbformat_minor, 'number', `${f.file}: nbformat_minor`);
    assert.ok(Array.isArray(nb.cells) && nb.cells.length > 0, `${f.file}: cells`);
    for (const [i, cell] of (nb.cells as Record<string, unknown>[]).entries()) {
      const where = `${f.file}: cell ${i}`;
      assert.ok(['code', 'markdown', 'raw'].includes(cell.cell_type as string), `${where}: cell_type`);
      const source = cell.source;
      assert.ok(typeof source === 'string' || (Array.isArray(source) && source.every((s) => typeof s === 'string')), `${where}: source`);
      if (cell.cell_type === 'code') {
        assert.ok(cell.execution_count === null || Number.isInteger(cell.execution_count), `${where}: execution_count`);
        assert.ok(Array.isArray(cell.outputs), `${where}: outputs`);
      }
    }
  }
});

test('every catalog rule has at least 3 expected findings and look-alikes in at least 2 files', () => {
  for (const rule of CATALOG_RULES) {
    const positives = corpus.flatMap((f) => f.markers.filter((m) => m.kind === 'expect' && m.rule === rule));
    assert.ok(positives.length >= 3, `${rule}: ${positives.length} expected findings`);
    const negativeFiles = corpus.filter((f) => f.markers.some((m) => m.kind === 'ok' && m.rule === rule));
    assert.ok(negativeFiles.length >= 2, `${rule}: look-alikes in ${negativeFiles.length} files`);
  }
});

test('a line never both expects and clears the same rule', () => {
  for (const f of corpus) {
    const at = (m: { cell?: number; line: number }) => `${m.cell ?? ''}:${m.line}`;
    const oks = new Set(f.markers.filter((m) => m.kind === 'ok').map((m) => `${at(m)}:${m.rule}`));
    for (const m of f.markers.filter((x) => x.kind === 'expect')) {
      assert.ok(!oks.has(`${at(m)}:${m.rule}`), `${f.file}:${m.line + 1} both expects and clears ${m.rule}`);
    }
  }
});

test('once-per-file rules are expected at most once per file', () => {
  for (const rule of ['untracked-training', 'accuracy-only', 'notebook-out-of-order']) {
    for (const f of corpus) {
      const n = f.markers.filter((m) => m.kind === 'expect' && m.rule === rule).length;
      assert.ok(n <= 1, `${f.file}: ${rule} expected ${n} times`);
    }
  }
});

test('print-logging and notebook rules are expected only where they apply', () => {
  for (const f of corpus) {
    for (const m of f.markers.filter((x) => x.kind === 'expect')) {
      if (m.rule === 'print-logging') assert.equal(f.kind, 'script', `${f.file}: print-logging is for scripts only`);
      if (m.rule.startsWith('notebook-')) assert.equal(f.kind, 'notebook', `${f.file}: ${m.rule} is for notebooks only`);
    }
  }
});

test('marker parsing: lists, both kinds in one comment, unknown rules rejected', () => {
  assert.deepEqual(parseMarkerLine('x = 1  # expect: missing-seed, print-logging', 'f'), [
    { kind: 'expect', rule: 'missing-seed' },
    { kind: 'expect', rule: 'print-logging' },
  ]);
  assert.deepEqual(parseMarkerLine('m = load()  # expect: unsafe-deserialization; ok: model-load-per-request', 'f'), [
    { kind: 'expect', rule: 'unsafe-deserialization' },
    { kind: 'ok', rule: 'model-load-per-request' },
  ]);
  assert.deepEqual(parseMarkerLine('CHANNEL = "#ml-training"', 'f'), []);
  assert.throws(() => parseMarkerLine('x = 1  # expect: no-such-rule', 'f.py:3'), MarkerError);
});

test('scoring matches on rule, file, cell and line, counts duplicates, and ignores the line for cell-level rules', () => {
  const expected = [
    { rule: 'hardcoded-device', file: 'a.py', line: 3 },
    { rule: 'hardcoded-device', file: 'a.py', line: 3 },
    { rule: 'missing-seed', file: 'a.py', line: 5 },
    { rule: 'notebook-out-of-order', file: 'n.ipynb', cell: 2, line: 0 },
  ];
  const actual = [
    { rule: 'hardcoded-device', file: 'a.py', line: 3 },
    { rule: 'missing-seed', file: 'a.py', line: 6 },
    { rule: 'notebook-out-of-order', file: 'n.ipynb', cell: 2, line: 1 },
  ];
  const r = score(expected, actual, new Set(['hardcoded-device', 'missing-seed', 'notebook-out-of-order']), [
    'hardcoded-device',
    'missing-seed',
    'notebook-out-of-order',
  ]);
  const by = Object.fromEntries(r.rules.map((s) => [s.rule, s]));
  assert.deepEqual([by['hardcoded-device'].tp, by['hardcoded-device'].fp, by['hardcoded-device'].fn], [1, 0, 1]);
  assert.deepEqual([by['missing-seed'].tp, by['missing-seed'].fp, by['missing-seed'].fn], [0, 1, 1]);
  assert.deepEqual([by['notebook-out-of-order'].tp, by['notebook-out-of-order'].fp], [1, 0]);
  assert.equal(r.overall.tp, 2);
  assert.equal(r.falsePositives.length, 1);
  assert.equal(r.falseNegatives.length, 2);
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createEngine } from '../server/src/engine/index';
import { listTemplates, templatesDir } from '../server/src/engine/scaffolds/index';

/**
 * The scaffolds' static Python lives in real files (server/src/engine/scaffolds/templates/):
 * here they are checked as what they are. They compile with Debian's Python, mlready reports
 * nothing on them, and the build ships the same files beside the bundle. The generated tests
 * run on real data in test/scaffold-matrix.test.ts.
 */

const PYTHON = '/usr/bin/python3';
const root = path.resolve(__dirname, '..');

test('every Python template compiles with /usr/bin/python3', (t) => {
  if (!fs.existsSync(PYTHON)) {
    t.skip(`${PYTHON} not found`);
    return;
  }
  const files = listTemplates().filter((f) => f.endsWith('.py'));
  assert.ok(files.length >= 20, `only ${files.length} templates`);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-templates-'));
  try {
    // Compiled into a temporary folder: nothing is written beside the tracked templates.
    const script =
      'import py_compile, sys, os\nfor i, f in enumerate(sys.argv[2:]):\n    py_compile.compile(f, cfile=os.path.join(sys.argv[1], f"{i}.pyc"), doraise=True)\n';
    const result = spawnSync(PYTHON, ['-c', script, out, ...files.map((f) => path.join(templatesDir(), f))], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('mlready check finds nothing in the templates', async () => {
  const engine = await createEngine();
  const findings: string[] = [];
  for (const rel of listTemplates().filter((f) => f.endsWith('.py'))) {
    const text = fs.readFileSync(path.join(templatesDir(), rel), 'utf8');
    for (const f of engine.analyze({ path: rel, kind: 'script', text }).findings) findings.push(`${rel}:${f.range.start.line + 1} ${f.rule}: ${f.message}`);
  }
  assert.deepEqual(findings, []);
});

test('the build ships the templates beside the bundle, and the package includes them', () => {
  const shipped = path.join(root, 'dist', 'scaffold-templates');
  assert.ok(fs.existsSync(shipped), 'npm run build copies the templates to dist/scaffold-templates');
  assert.deepEqual(listTemplates(shipped), listTemplates());
  for (const rel of listTemplates()) {
    assert.equal(fs.readFileSync(path.join(shipped, rel), 'utf8'), fs.readFileSync(path.join(templatesDir(), rel), 'utf8'), rel);
  }
  assert.match(fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8'), /^!dist\/scaffold-templates\/\*\*$/m);
});

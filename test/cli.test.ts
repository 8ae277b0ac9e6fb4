import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../server/src/cli';
import type { CliIo } from '../server/src/cli/io';

const fixtures = path.join(__dirname, 'fixtures', 'cli');

async function cli(args: string[], cwd = fixtures): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, cwd };
  const code = await main(args, io);
  return { code, out, err };
}

test('check --format json follows the contract: 1-based positions, cells for notebooks, errors per file', async () => {
  const { code, out } = await cli(['check', '--format', 'json', '--select', 'missing-seed', 'project']);
  assert.equal(code, 1);
  const report = JSON.parse(out);
  assert.deepEqual(report.tool, { name: 'mlready', version: '0.1.0' });
  const byPath = Object.fromEntries(report.files.map((f: { path: string }) => [f.path, f]));
  assert.deepEqual(
    Object.keys(byPath).sort(),
    ['project/clean.py', 'project/notebooks/analysis.ipynb', 'project/notebooks/broken.ipynb', 'project/train.py'],
    '.gitignore is honoured',
  );
  assert.deepEqual(byPath['project/clean.py'].findings, []);
  const [split] = byPath['project/train.py'].findings;
  assert.equal(byPath['project/train.py'].findings.length, 1, 'the suppressed line reports nothing');
  assert.deepEqual(
    { rule: split.rule, line: split.line, column: split.column, endLine: split.endLine, fix: split.fix, kind: byPath['project/train.py'].kind },
    { rule: 'missing-seed', line: 6, column: 36, endLine: 6, fix: { title: 'Add random_state=42', applicability: 'safe' }, kind: 'script' },
  );
  assert.equal('cell' in split, false);
  const [cv] = byPath['project/notebooks/analysis.ipynb'].findings;
  // `cell` is the code-cell index (the contract); `cellNumber` the cell as VS Code shows it: the
  // notebook opens with a markdown cell, so the second code cell is "Cell 3".
  assert.deepEqual({ cell: cv.cell, cellNumber: cv.cellNumber, line: cv.line, column: cv.column }, { cell: 1, cellNumber: 3, line: 2, column: 6 });
  assert.match(byPath['project/notebooks/broken.ipynb'].error, /^not valid JSON: .*line 5/);
  assert.deepEqual(report.summary, { files: 4, findings: 2, errors: 1 });
});

test('check text output: path:line:col rule message, cell-qualified for notebooks (cells numbered as VS Code shows them)', async () => {
  const { code, out } = await cli(['check', '--select', 'missing-seed', 'project']);
  assert.equal(code, 1);
  // The notebook's cells: markdown, code, code. The finding is in the second code cell, VS Code's "Cell 3".
  assert.match(out, /^project\/notebooks\/analysis\.ipynb:cell 3:2:6: missing-seed \[\*\] `KFold` without `random_state`/m);
  assert.match(out, /^project\/train\.py:6:36: missing-seed \[\*\]/m);
  assert.match(out, /^project\/notebooks\/broken\.ipynb: error: not valid JSON/m);
  assert.doesNotMatch(out, /\x1b\[/, 'no colour when not on a terminal');
});

test('check exits 0 on clean code, 2 on usage errors and invalid config', async () => {
  assert.equal((await cli(['check', 'project/clean.py'])).code, 0);
  const unknown = await cli(['check', '--select', 'no-such-rule', 'project']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown rule or category "no-such-rule"/);
  const badFormat = await cli(['check', '--format', 'xml', 'project']);
  assert.equal(badFormat.code, 2);
  const badConfig = await cli(['check', 'badconfig']);
  assert.equal(badConfig.code, 2);
  assert.match(badConfig.err, /badconfig\/pyproject\.toml:2: tool\.mlready\.seed: expected a non-negative integer/);
});

test('check --format sarif is SARIF 2.1.0 with rules and help URIs', async () => {
  const { out } = await cli(['check', '--format', 'sarif', '--select', 'missing-seed', 'project']);
  const sarif = JSON.parse(out);
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  assert.ok(run.tool.driver.rules.every((rule: { helpUri: string }) => rule.helpUri.endsWith('.md')));
  const result = run.results.find(
    (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
      r.locations[0].physicalLocation.artifactLocation.uri === 'project/train.py',
  );
  assert.equal(result.ruleId, 'missing-seed');
  assert.equal(result.level, 'warning');
  assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'missing-seed');
  assert.equal(result.locations[0].physicalLocation.region.startLine, 6);
  assert.equal(run.invocations[0].toolExecutionNotifications.length, 1);
});

test('check --format github prints workflow annotations', async () => {
  const { out } = await cli(['check', '--format', 'github', '--select', 'missing-seed', 'project']);
  assert.match(out, /^::warning file=project\/train\.py,line=6,col=36,endLine=6,endColumn=\d+,title=mlready missing-seed::`train_test_split` without/m);
  assert.match(out, /^::error file=project\/notebooks\/broken\.ipynb,title=mlready%3A cannot check file::not valid JSON/m);
  // A notebook annotation names the cell as VS Code shows it (markdown counted): Cell 3, not the second code cell.
  assert.match(out, /^::warning file=project\/notebooks\/analysis\.ipynb,title=mlready missing-seed::`KFold` without .*\(Cell 3\)$/m);
});

test('check --format markdown names notebook cells as VS Code shows them', async () => {
  const { out } = await cli(['check', '--format', 'markdown', '--select', 'missing-seed', 'project']);
  assert.match(out, /\| `project\/notebooks\/analysis\.ipynb:cell 3:2:6` \| `missing-seed` \|/);
});

test('check --fix applies safe fixes atomically, keeps notebook outputs and metadata byte-for-byte, and is idempotent', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-fix-'));
  try {
    fs.cpSync(path.join(fixtures, 'project'), work, { recursive: true });
    const notebookBefore = fs.readFileSync(path.join(work, 'notebooks', 'analysis.ipynb'), 'utf8');
    const first = await cli(['check', '--fix', '--select', 'missing-seed', '.'], work);
    assert.match(first.out, /Fixed 2 findings/);
    const script = fs.readFileSync(path.join(work, 'train.py'), 'utf8');
    assert.match(script, /test_size=0\.2, random_state=42\)/);
    const notebookAfter = fs.readFileSync(path.join(work, 'notebooks', 'analysis.ipynb'), 'utf8');
    const before = JSON.parse(notebookBefore);
    const after = JSON.parse(notebookAfter);
    assert.deepEqual(after.cells[2].source, ['!pip install scikit-learn\n', 'cv = KFold(5, shuffle=True, random_state=42)']);
    assert.deepEqual(after.cells[2].outputs, before.cells[2].outputs);
    assert.deepEqual(after.cells[2].metadata, before.cells[2].metadata);
    const changedLines = notebookAfter.split('\n').filter((line, i) => line !== notebookBefore.split('\n')[i]);
    assert.deepEqual(changedLines, ['    "cv = KFold(5, shuffle=True, random_state=42)"'], 'only the fixed line changes');
    assert.deepEqual(
      fs.readdirSync(work).filter((f) => f.endsWith('.tmp')),
      [],
      'no temporary file is left',
    );
    const second = await cli(['check', '--fix', '--select', 'missing-seed', '.'], work);
    assert.match(second.out, /Fixed 0 findings/);
    assert.equal(fs.readFileSync(path.join(work, 'train.py'), 'utf8'), script, 'a second run changes nothing');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});

test('check --add-noqa silences every finding where it is, one directive per line, notebooks cell by cell, and is idempotent', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-noqa-'));
  try {
    fs.cpSync(path.join(fixtures, 'project'), work, { recursive: true });
    const before = await cli(['check', '--format', 'json', '.'], work);
    const count = (out: string) => (JSON.parse(out) as { files: { findings?: unknown[] }[] }).files.reduce((n, file) => n + (file.findings?.length ?? 0), 0);
    const findings = count(before.out);
    assert.ok(findings > 0, 'the fixture has findings to silence');
    const notebookBefore = JSON.parse(fs.readFileSync(path.join(work, 'notebooks', 'analysis.ipynb'), 'utf8'));
    const added = await cli(['check', '--add-noqa', '--format', 'json', '.'], work);
    assert.equal(count(added.out), 0, 'no finding is left');
    const directives = Number(/Added (\d+) suppression directives?/.exec(added.err)?.[1]);
    assert.ok(directives > 0 && directives <= findings, added.err);
    const script = fs.readFileSync(path.join(work, 'train.py'), 'utf8');
    assert.match(script, /test_size=0\.2\)\s+# mlready: ignore\[missing-seed\]\n/);
    const notebookAfter = JSON.parse(fs.readFileSync(path.join(work, 'notebooks', 'analysis.ipynb'), 'utf8'));
    notebookAfter.cells.forEach((cell: { outputs?: unknown; metadata: unknown }, index: number) => {
      assert.deepEqual(cell.outputs, notebookBefore.cells[index].outputs);
      assert.deepEqual(cell.metadata, notebookBefore.cells[index].metadata);
    });
    assert.match(notebookAfter.cells[2].source.join(''), /# mlready: ignore\[missing-seed\]/);
    const again = await cli(['check', '--add-noqa', '.'], work);
    assert.match(again.err, /Added 0 suppression directives/);
    assert.equal(fs.readFileSync(path.join(work, 'train.py'), 'utf8'), script, 'a second run changes nothing');
    const both = await cli(['check', '--fix', '--add-noqa', '.'], work);
    assert.equal(both.code, 2);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});

test('rules lists every rule by category with severity and fix; rule prints a page', async () => {
  const list = await cli(['rules']);
  assert.equal(list.code, 0);
  assert.match(list.out, /Reproducibility\n\s+missing-seed\s+warning\s+safe fix/);
  const page = await cli(['rule', 'missing-seed']);
  assert.match(page.out, /## What it does[\s\S]*## Why is this bad\?[\s\S]*## Example[\s\S]*Use instead:[\s\S]*## Fix safety/);
  assert.equal((await cli(['rule', 'nope'])).code, 2);
});

test('check: a file over its time budget is reported on its own, the rest of its batch is checked by a fresh worker, and every file is reported once', async () => {
  const { spawnSync } = await import('node:child_process');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-budget-'));
  try {
    // Eight files go to one worker two at a time; a 1 ms budget stops every file, so each batch is cut short.
    for (let i = 0; i < 8; i++) fs.writeFileSync(path.join(dir, `f${i}.py`), 'import numpy as np\nx = np.random.rand(3)\n');
    const cliPath = path.join(__dirname, '..', 'dist', 'cli.js');
    const run = spawnSync(process.execPath, [cliPath, 'check', '--format', 'json', '.'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, MLREADY_FILE_BUDGET_MS: '1' },
    });
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(
      report.files.map((f: { path: string }) => f.path),
      Array.from({ length: 8 }, (_, i) => `f${i}.py`),
    );
    for (const file of report.files) assert.equal(file.error, 'analysis took longer than 0 s and was stopped');

    // With the default budget, the same files are all analysed (batches of several files per message).
    for (let i = 8; i < 45; i++) fs.writeFileSync(path.join(dir, `f${i}.py`), 'import numpy as np\nx = np.random.rand(3)\n');
    const whole = spawnSync(process.execPath, [cliPath, 'check', '--format', 'json', '--select', 'legacy-numpy-random', '.'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const all = JSON.parse(whole.stdout);
    assert.equal(all.files.length, 45);
    for (const file of all.files)
      assert.deepEqual([file.error, file.findings.map((f: { rule: string }) => f.rule)], [undefined, ['legacy-numpy-random']], file.path);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the mlready program (dist/cli.js) starts a check worker (or readiness's first thread) before loading the CLI: it gets the command line's --select and --fix, and a command that checks nothing exits at once", async () => {
  const { spawnSync } = await import('node:child_process');
  const cliPath = path.join(__dirname, '..', 'dist', 'cli.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-prestart-'));
  const run = (args: string[]) => spawnSync(process.execPath, [cliPath, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  try {
    // A missing seed (a safe fix) and a print (another rule): --select and --fix must reach the worker.
    const source = 'from sklearn.model_selection import train_test_split\nX_train, X_test = train_test_split([1, 2, 3, 4])\nprint(X_train)\n';
    fs.writeFileSync(path.join(dir, 'train.py'), source);
    const fixed = run(['check', '--format', 'json', '--select', 'missing-seed', '--fix', '.']);
    assert.equal(fixed.status, 0, fixed.stderr);
    assert.deepEqual(JSON.parse(fixed.stdout).files, [{ path: 'train.py', kind: 'script', findings: [] }]);
    assert.equal(
      fs.readFileSync(path.join(dir, 'train.py'), 'utf8'),
      source.replace('train_test_split([1, 2, 3, 4])', 'train_test_split([1, 2, 3, 4], random_state=42)'),
    );
    const rest = run(['check', '--format', 'json', '.']);
    assert.deepEqual(
      JSON.parse(rest.stdout).files[0].findings.map((f: { rule: string }) => f.rule),
      ['print-logging'],
      'without --select the same program reports the other rule',
    );

    // `mlready readiness` starts its first analysis thread likewise: the project's one file is analysed there.
    const readiness = run(['readiness', '--format', 'json', '.']);
    assert.equal(readiness.status, 0, readiness.stderr);
    const report = JSON.parse(readiness.stdout);
    assert.equal(report.stats.pythonFiles, 1);
    assert.deepEqual(report.problems, []);

    // Nothing to check: the worker started ahead holds no reference on the event loop and is stopped.
    fs.mkdirSync(path.join(dir, 'empty'));
    for (const [args, status] of [
      [['check', '--help'], 0],
      [['check', 'no-such-folder'], 2],
      [['check', 'empty'], 0],
      [['readiness', '--help'], 0],
      [['readiness', 'no-such-folder'], 2],
      [['readiness', 'empty'], 0],
      [['readiness', '--format', 'yaml', '.'], 2],
      [['--version'], 0],
    ] as const) {
      const started = Date.now();
      const result = run([...args]);
      assert.equal(result.status, status, `${args.join(' ')}: ${result.stderr}`);
      assert.ok(Date.now() - started < 20_000, `${args.join(' ')} exited at once`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('PrestartedWorker: taken once; one whose bundle cannot start is never given to the pool; dispose stops one nobody took', async () => {
  const { PrestartedWorker, commandWithWorkers, startCheckWorker } = await import('../server/src/cli/prestart');
  assert.equal(commandWithWorkers(['check', '.']), 'check');
  assert.equal(commandWithWorkers(['check', '--help']), undefined);
  assert.equal(commandWithWorkers(['check', '-h']), undefined);
  assert.equal(commandWithWorkers(['readiness', '.']), 'readiness');
  assert.equal(commandWithWorkers(['readiness', '--help']), undefined);
  assert.equal(commandWithWorkers(['scaffold', 'api']), undefined);
  assert.equal(commandWithWorkers([]), undefined);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-prestart-'));
  try {
    const idle = path.join(dir, 'idle.js');
    fs.writeFileSync(idle, "require('node:worker_threads').parentPort.on('message', () => {});\n");
    const taken = new PrestartedWorker(() => startCheckWorker(idle));
    const first = taken.take();
    assert.ok(first, 'the worker is given once');
    assert.equal(taken.take(), undefined, 'and only once');
    await first.worker.terminate();

    // A bundle that cannot load: the worker ends, and is then no longer offered.
    const failing = new PrestartedWorker(() => startCheckWorker(path.join(dir, 'missing.js')));
    const until = Date.now() + 20_000;
    while (failing.available && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(failing.take(), undefined, 'a worker that failed to start is not handed on');

    const unused = new PrestartedWorker(() => startCheckWorker(idle));
    unused.dispose();
    assert.equal(unused.take(), undefined, 'dispose stops the worker and nothing can take it afterwards');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

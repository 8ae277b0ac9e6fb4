import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync, execFileSync } from 'node:child_process';
import { sandbox, FIXABLE } from './helpers';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');

/** Runs the built CLI in its own process: a hang is a kill after `timeoutMs`, reported as such. */
function run(args: string[], cwd: string, timeoutMs = 30_000): { code: number | null; out: string; err: string; hung: boolean } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, out: result.stdout ?? '', err: result.stderr ?? '', hung: result.error !== undefined || result.signal !== null };
}

function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

test('reads: a FIFO named pyproject.toml is one clear error, not a hang; analysis goes on with the defaults', () => {
  const box = sandbox();
  try {
    fs.writeFileSync(path.join(box.root, 'train.py'), FIXABLE);
    mkfifo(path.join(box.root, 'pyproject.toml'));
    const result = run(['check', '--format', 'json', '.'], box.root);
    assert.equal(result.hung, false, 'check hung on the FIFO');
    assert.equal(result.code, 2, 'a configuration error');
    assert.match(result.err, /pyproject\.toml not read: not a regular file \(a named pipe \(FIFO\)\); the defaults apply/);
    assert.match(result.out, /missing-seed/, 'the files are still checked');
  } finally {
    box.done();
  }
});

test('reads: pyproject.toml linked to /dev/zero and an over-cap pyproject.toml are refused, not read into memory', () => {
  const box = sandbox();
  try {
    fs.writeFileSync(path.join(box.root, 'train.py'), FIXABLE);
    fs.symlinkSync('/dev/zero', path.join(box.root, 'pyproject.toml'));
    const zero = run(['check', '--format', 'json', '.'], box.root);
    assert.equal(zero.hung, false);
    assert.match(zero.err, /pyproject\.toml not read: not a regular file \(a device\)/);
    assert.match(zero.out, /missing-seed/);
    fs.unlinkSync(path.join(box.root, 'pyproject.toml'));
    fs.writeFileSync(path.join(box.root, 'pyproject.toml'), `[tool.mlready]\nseed = 7\n# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    const big = run(['check', '--format', 'json', '.'], box.root);
    assert.match(big.err, /pyproject\.toml not read: too large/);
    assert.match(big.out, /missing-seed/);
  } finally {
    box.done();
  }
});

test('reads: FIFOs named mlready.toml, .gitignore and a notebook do not hang check or readiness', () => {
  const box = sandbox();
  try {
    fs.writeFileSync(path.join(box.root, 'train.py'), FIXABLE);
    mkfifo(path.join(box.root, 'mlready.toml'));
    mkfifo(path.join(box.root, '.gitignore'));
    mkfifo(path.join(box.root, 'analysis.ipynb'));
    fs.mkdirSync(path.join(box.root, 'docs'));
    mkfifo(path.join(box.root, 'docs', 'README.md'));
    const check = run(['check', '--format', 'json', '.'], box.root);
    assert.equal(check.hung, false, 'check hung');
    assert.match(check.out, /missing-seed/);
    const named = run(['check', 'analysis.ipynb'], box.root);
    assert.equal(named.hung, false, 'check of a FIFO named on the command line hung');
    assert.match(named.out, /analysis\.ipynb: error: not a regular file/);
    const readiness = run(['readiness', '--format', 'json', '.'], box.root);
    assert.equal(readiness.hung, false, 'readiness hung');
    assert.match(readiness.err + readiness.out, /"path": "mlready\.toml",\s*"message": "not read: not a regular file/);
  } finally {
    box.done();
  }
});

test('reads: a pathological glob in exclude or per-file-ignores is a config error naming the key, and check finishes fast', () => {
  const box = sandbox();
  try {
    const evil = `*${'a*'.repeat(30)}b`;
    fs.writeFileSync(
      path.join(box.root, 'pyproject.toml'),
      `[tool.mlready]\nexclude = ["${evil}"]\n\n[tool.mlready.per-file-ignores]\n"${evil}" = ["print-logging"]\n`,
    );
    const deep = path.join(box.root, ...Array.from({ length: 12 }, () => 'a'.repeat(200)));
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(deep, `${'a'.repeat(200)}.py`), FIXABLE);
    const started = Date.now();
    const result = run(['check', '--format', 'json', '.'], box.root, 60_000);
    assert.equal(result.hung, false, 'check hung on the glob');
    assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
    assert.equal(result.code, 2);
    assert.match(result.err, /tool\.mlready\.exclude\.0: glob "\*a\*a\*.*at most 2/);
    assert.match(result.err, /tool\.mlready\.per-file-ignores/);
    assert.match(result.out, /missing-seed/, 'the defaults apply and the file is checked');
  } finally {
    box.done();
  }
});

test('reads: the glob guard itself runs in linear time against long paths', async () => {
  const { globMatcher, unsafeGlobReason } = await import('../../server/src/engine/config');
  const started = Date.now();
  for (const pattern of [`*${'a*'.repeat(30)}b`, '*a*b', '**/*a*b/**', '**/tests/**/*_test.py']) {
    const match = globMatcher(pattern);
    match(`${'a/'.repeat(1000)}${'a'.repeat(255)}`);
    match('a'.repeat(100_000));
  }
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  assert.equal(unsafeGlobReason('**/tests/**/*_test.py'), undefined, 'ordinary globs are accepted');
  assert.equal(unsafeGlobReason('build/**'), undefined);
  assert.equal(unsafeGlobReason('*.generated.*'), undefined);
  assert.match(unsafeGlobReason('+(a|aa)+(a|aa)') ?? '', /extglob/);
});

test('reads: a FIFO given as scaffold data or --from is one clear error, not a hang', () => {
  const box = sandbox();
  try {
    mkfifo(path.join(box.root, 'data.csv'));
    mkfifo(path.join(box.root, 'analysis.ipynb'));
    const data = run(['scaffold', 'pipeline', '--data', 'data.csv', '--target', 'y', '--out', 'out'], box.root);
    assert.equal(data.hung, false, 'scaffold hung on a FIFO data file');
    assert.equal(data.code, 2);
    assert.match(data.err, /not a regular file/);
    const from = run(
      [
        'scaffold',
        'pipeline',
        '--from',
        'analysis.ipynb',
        '--data',
        path.join(__dirname, '..', '..', 'examples', 'churn', 'data', 'churn.csv'),
        '--target',
        'churn',
        '--out',
        'out',
      ],
      box.root,
    );
    assert.equal(from.hung, false, 'scaffold hung on a FIFO notebook');
    assert.equal(from.code, 2);
    assert.match(from.err, /not a regular file/);
  } finally {
    box.done();
  }
});

test('reads: a file read in place or across several buffers comes back byte for byte; one over the cap is refused', async () => {
  const { readRegularFile, SafeFsError } = await import('../../server/src/engine/safe-fs');
  const box = sandbox();
  try {
    for (const size of [0, 1, 4095, 4096, 4097, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 2.5 * (1 << 20)]) {
      const file = path.join(box.root, `f${size}.py`);
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i++) bytes[i] = 32 + ((i * 7919) % 90);
      fs.writeFileSync(file, bytes);
      const read = readRegularFile(file, 4 << 20);
      assert.equal(read.bytes.length, size);
      assert.ok(Buffer.compare(read.bytes, bytes) === 0, `${size} bytes read back`);
      assert.equal(read.stat.size, size);
    }
    fs.writeFileSync(path.join(box.root, 'big.py'), Buffer.alloc(5000, 120));
    assert.throws(
      () => readRegularFile(path.join(box.root, 'big.py'), 4999),
      (error: unknown) => error instanceof SafeFsError && /too large/.test(error.message),
    );
  } finally {
    box.done();
  }
});

test('reads: text is decoded as TextDecoder decodes UTF-8 (a leading BOM dropped, invalid bytes refused)', async () => {
  const fc = (await import('fast-check')).default;
  const { decodeText, FileReadError } = await import('../../server/src/engine/index');
  const reference = (bytes: Uint8Array): string | 'invalid' => {
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    } catch {
      return 'invalid';
    }
  };
  const pieces = fc.oneof(
    fc.uint8Array({ maxLength: 8 }),
    fc
      .constantFrom([0xef, 0xbb, 0xbf], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98, 0x80])
      .map((b) => Uint8Array.from(b)),
    fc.string({ unit: 'binary', maxLength: 6 }).map((s) => new TextEncoder().encode(s)),
  );
  fc.assert(
    fc.property(fc.array(pieces, { maxLength: 6 }), (parts) => {
      const bytes = Buffer.concat(parts.map((p) => Buffer.from(p)).concat(Buffer.from('x')));
      if (bytes.includes(0)) return;
      const expected = reference(bytes);
      if (expected === 'invalid') assert.throws(() => decodeText(bytes), FileReadError);
      else assert.equal(decodeText(bytes), expected);
    }),
    { numRuns: 2000 },
  );
});

test('reads: a pyproject.toml of 40,000 misspelt rules lists 50 problems and counts the rest, and check finishes fast', () => {
  // Each problem's line was looked up in the whole text: this file kept check busy for more than two minutes.
  const box = sandbox();
  try {
    fs.writeFileSync(
      path.join(box.root, 'pyproject.toml'),
      `[tool.mlready.severity]\n${Array.from({ length: 40_000 }, (_, i) => `rule-${i} = "bad"\n`).join('')}`,
    );
    fs.writeFileSync(path.join(box.root, 'train.py'), FIXABLE);
    const started = Date.now();
    const result = run(['check', '--format', 'json', '.'], box.root, 60_000);
    assert.equal(result.hung, false, 'check hung on the configuration');
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
    assert.equal(result.code, 2);
    assert.equal(result.err.match(/unknown rule `rule-\d+`/g)?.length, 50);
    assert.match(result.err, /39950 more problems in \[tool\.mlready\] are not listed/);
    assert.match(result.out, /missing-seed/, 'the file is still checked');
  } finally {
    box.done();
  }
});

test('reads: requirement files built to be slow (continued lines, 1 MB specifiers, 50,000 dependencies) get a report in seconds', () => {
  // Before: more than five minutes for the continued lines, 25 s for one long line, 4.6 s for the dependencies.
  const box = sandbox();
  try {
    fs.mkdirSync(path.join(box.root, 'a'));
    fs.writeFileSync(path.join(box.root, 'a', 'requirements.txt'), 'x \\\n'.repeat(200_000));
    fs.mkdirSync(path.join(box.root, 'b'));
    fs.writeFileSync(path.join(box.root, 'b', 'requirements.txt'), `torch[${Array.from({ length: 200_000 }, () => 'eee').join(',')}]\n`);
    fs.writeFileSync(
      path.join(box.root, 'pyproject.toml'),
      `[project]\nname = "x"\ndependencies = [\n${Array.from({ length: 50_000 }, (_, i) => `  "p${i}==1",\n`).join('')}]\n`,
    );
    const started = Date.now();
    const result = run(['readiness', '--format', 'json', '.'], box.root, 120_000);
    assert.equal(result.hung, false, 'readiness hung on the requirement files');
    assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
    const report = JSON.parse(result.out) as { problems: { path: string; message: string }[] };
    assert.ok(
      report.problems.some((p) => /dependency specifiers were not read: the scan reads 20,000 at most/.test(p.message)),
      JSON.stringify(report.problems),
    );
  } finally {
    box.done();
  }
});

test("reads: a file that runs the parser's WebAssembly out of memory fails alone, with a reason; check and readiness analyse the files after it in a new thread", () => {
  const box = sandbox();
  try {
    // 8 MB (the script limit) of one-name statements: 4.2 million of them fill the parser's 2 GB.
    fs.writeFileSync(path.join(box.root, 'a_dense.py'), 'a\n'.repeat(4 * 1024 * 1024 - 32));
    for (const name of ['b.py', 'c.py', 'd.py']) fs.writeFileSync(path.join(box.root, name), 'import numpy as np\nx = np.random.rand(3)\n');
    const reason = /^analysis failed: the parser ran out of memory on this file \(4,194,272 lines\): it is too large or too dense to analyse$/;

    const check = run(['check', '--format', 'json', '.'], box.root, 120_000);
    assert.equal(check.hung, false);
    const files = JSON.parse(check.out).files as { path: string; error?: string; findings: { rule: string }[] }[];
    assert.match(files[0].error ?? '', reason, files[0].path);
    assert.deepEqual(
      files.slice(1).map((file) => [file.path, file.error, file.findings.map((finding) => finding.rule)]),
      ['b.py', 'c.py', 'd.py'].map((name) => [name, undefined, ['legacy-numpy-random']]),
    );
    assert.doesNotMatch(check.err, /Aborted/, "Emscripten's own line is not printed");

    const readiness = run(['readiness', '--format', 'json', '.'], box.root, 120_000);
    assert.equal(readiness.code, 0, readiness.err);
    const report = JSON.parse(readiness.out) as { problems: { path: string; message: string }[]; stats: { pythonFiles: number } };
    assert.deepEqual(
      report.problems.map((problem) => problem.path),
      ['a_dense.py'],
    );
    assert.match(report.problems[0].message, reason);
    assert.equal(report.stats.pythonFiles, 4);
  } finally {
    box.done();
  }
});

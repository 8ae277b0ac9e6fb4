import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configFromPyproject, ConfigLoader, ruleSeverities, applyOverrides, DEFAULT_CONFIG, isExcludedPath, loadConfigFile } from '../server/src/engine/config';

test('a valid [tool.mlready] table is read', () => {
  const { config, issues } = configFromPyproject(
    '[tool.mlready]\nseed = 7\nignore = ["missing-seed"]\nexclude = ["build/**"]\n[tool.mlready.severity]\nmissing-seed = "error"\n[tool.mlready.per-file-ignores]\n"tests/**" = ["missing-seed"]\n',
    '/p/pyproject.toml',
  );
  assert.deepEqual(issues, []);
  assert.equal(config.seed, 7);
  assert.deepEqual(config.ignore, ['missing-seed']);
  assert.deepEqual(config.exclude, ['build/**']);
  assert.equal(config.severity['missing-seed'], 'error');
  assert.deepEqual(config.perFileIgnores, [{ pattern: 'tests/**', rules: ['missing-seed'] }]);
  assert.equal(config.root, '/p');
});

test('invalid keys name the key and the expected value, and fall back to the defaults', () => {
  const text = '[tool.mlready]\nseed = "abc"\nselct = ["x"]\nselect = ["missng-seed"]\n';
  const { config, issues } = configFromPyproject(text, '/p/pyproject.toml');
  assert.equal(config.seed, 42);
  assert.equal(config.select, undefined);
  const messages = issues.map((i) => i.message).join('\n');
  assert.match(messages, /tool\.mlready\.seed: expected a non-negative integer, e\.g\. 42, got "abc"/);
  assert.match(messages, /unknown key "selct"/);
  assert.match(messages, /tool\.mlready\.select\.0: unknown rule or category "missng-seed"/);
  assert.equal(issues.find((i) => i.key === 'tool.mlready.seed')?.line, 1);
});

test('one bad severity entry is reported on its own line with a did-you-mean, and the valid entries are kept', () => {
  const text =
    '[project]\nname = "x"\n\n[tool.mlready.severity]\nhardcoded-path = "error"\nmissing-sed = "error"\nprint-logging = "loud"\nswallowed-error = "off"\n';
  const { config, issues } = configFromPyproject(text, '/p/pyproject.toml');
  assert.deepEqual(config.severity, { 'hardcoded-path': 'error', 'swallowed-error': 'off' });
  assert.deepEqual(
    issues.map((i) => [i.line, i.message]),
    [
      [5, 'tool.mlready.severity: unknown rule `missing-sed`; did you mean `missing-seed`?'],
      [6, 'tool.mlready.severity.print-logging: expected "error", "warning", "info", "hint" or "off", got "loud"'],
    ],
  );
  // The inline-table form points at the `severity = { … }` line.
  const inline = configFromPyproject('[tool.mlready]\nseed = 1\nseverity = { missing-sed = "error", missing-seed = "hint" }\n', '/p/pyproject.toml');
  assert.deepEqual(inline.config.severity, { 'missing-seed': 'hint' });
  assert.equal(inline.issues[0]?.line, 2);
  // Nothing close: the message lists the rules instead of guessing.
  assert.match(
    configFromPyproject('[tool.mlready.severity]\nzzzzzzzzzzzzzz = "error"\n', '/p/pyproject.toml').issues[0].message,
    /unknown rule `zzzzzzzzzzzzzz` \(rules: /,
  );
});

test('a pyproject.toml that is not TOML is one issue, and the defaults apply', () => {
  const { config, issues } = configFromPyproject('[tool.mlready\nseed = 1', '/p/pyproject.toml');
  assert.equal(issues.length, 1);
  assert.match(issues[0].message, /pyproject\.toml is not valid TOML/);
  assert.equal(config.seed, DEFAULT_CONFIG.seed);
});

test('the nearest pyproject.toml applies; per-file-ignores and select/ignore decide the rules', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-config-'));
  try {
    fs.writeFileSync(path.join(root, 'pyproject.toml'), '[tool.mlready]\n[tool.mlready.per-file-ignores]\n"tests/**" = ["missing-seed"]\n');
    fs.mkdirSync(path.join(root, 'tests', 'deep'), { recursive: true });
    const loader = new ConfigLoader();
    const loaded = loader.forFile(path.join(root, 'tests', 'deep', 'test_x.py'));
    assert.equal(loaded.file, path.join(root, 'pyproject.toml'));
    assert.equal(ruleSeverities(loaded.config, path.join(root, 'tests', 'deep', 'test_x.py')).get('missing-seed'), 'off');
    assert.equal(ruleSeverities(loaded.config, path.join(root, 'src', 'train.py')).get('missing-seed'), 'warning');
    const selected = applyOverrides(loaded.config, { select: ['data'] });
    assert.equal(ruleSeverities(selected, path.join(root, 'src', 'train.py')).get('missing-seed'), 'off');
    const overridden = applyOverrides(loaded.config, { severity: { 'missing-seed': 'error' } });
    assert.equal(ruleSeverities(overridden, path.join(root, 'train.py')).get('missing-seed'), 'error');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('isExcludedPath: a glob matches the file or one of its folders, relative to its base', () => {
  assert.equal(isExcludedPath(['generated/**'], 'generated/a/train.py'), true);
  assert.equal(isExcludedPath(['vendor'], 'src/vendor/lib/x.py'), true, 'a pattern without a slash matches a folder at any depth');
  assert.equal(isExcludedPath(['build/'], 'build/x.py'), true, 'a folder pattern');
  assert.equal(isExcludedPath(['*.ipynb'], 'notebooks/eda.ipynb'), true);
  assert.equal(isExcludedPath(['generated/**'], 'src/generated.py'), false);
  assert.equal(isExcludedPath(['**'], '../outside.py'), false, 'a path outside the base is never matched');
  assert.equal(isExcludedPath([], 'x.py'), false);
});

test('loadConfigFile: pyproject.toml, an mlready TOML file with top-level keys, and the errors of a missing or bad file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-conf-'));
  try {
    fs.writeFileSync(
      path.join(dir, 'mlready.toml'),
      'seed = 7\nexclude = ["gen/**"]\n[severity]\nmissing-seed = "error"\n[readiness.ops-canary]\nstatus = "attested"\n',
    );
    const own = loadConfigFile(path.join(dir, 'mlready.toml'));
    assert.deepEqual(own.issues, []);
    assert.equal(own.config.seed, 7);
    assert.deepEqual(own.config.severity, { 'missing-seed': 'error' });
    assert.deepEqual(own.keys?.sort(), ['exclude', 'readiness', 'seed', 'severity']);
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "x"\n[tool.mlready]\nignore = ["print-logging"]\ntimeout = "soon"\n');
    const project = loadConfigFile(path.join(dir, 'pyproject.toml'));
    assert.deepEqual(project.config.ignore, ['print-logging']);
    assert.deepEqual(project.keys, ['ignore'], 'a refused value is not a key the file sets');
    assert.equal(project.issues.length, 1);
    assert.match(loadConfigFile(path.join(dir, 'none.toml')).issues[0].message, /none\.toml does not exist/);
    fs.writeFileSync(path.join(dir, 'bad.toml'), 'a = = 1\n');
    const bad = loadConfigFile(path.join(dir, 'bad.toml'));
    assert.match(bad.issues[0].message, /bad\.toml is not valid TOML/);
    assert.deepEqual(bad.config.severity, {});
    assert.match(loadConfigFile(dir).issues[0].message, /not read/, 'a folder is refused');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

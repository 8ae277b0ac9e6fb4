import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as jsonc from 'jsonc-parser';
import fc from 'fast-check';
import { createEngine } from '../server/src/engine/index';
import { computeReadiness } from '../server/src/engine/readiness/index';
import { scanWorkspace, type ScanProgress } from '../server/src/engine/readiness/workspace';
import { tempProject } from './helpers/temp-dir';
import { JSON_TOKENS, MAX_SCALAR_DEPTH, MAX_SCALARS_PER_FILE, jsonKeyLines, lineFinder } from '../server/src/engine/readiness/scalars';

const noPython = { facts: () => Promise.reject(new Error('no Python here')) };

test("the token kinds read from jsonc-parser's scanner are its SyntaxKind values", () => {
  const kinds = (jsonc as unknown as { SyntaxKind: Record<string, number> }).SyntaxKind;
  assert.deepEqual(JSON_TOKENS, { STRING_LITERAL: kinds.StringLiteral, COLON: kinds.ColonToken, END_OF_FILE: kinds.EOF });
});

test('each value of YAML, JSON and TOML files comes with its key path and line, in document order', async () => {
  const root = tempProject('mlready-scalars-', {
    'config.yaml': 'serving:\n  latency_p95_ms: 200\n  empty:\n  hosts:\n    - a\n    - b\nname: x\n',
    'settings.json': '{\n  "metrics": {\n    "auc": 0.9\n  },\n  "list": [1, {"deep": true}]\n}\n',
    'project.toml': '[tool.a]\nname = "first"\n\n[tool.b]\nname = "second"\n',
  });
  const ws = await scanWorkspace(root, noPython);
  const show = (rel: string) => ws.scalars(rel).map((s) => `${s.keys.join('.')}=${String(s.value)}@${s.line}`);
  assert.deepEqual(show('config.yaml'), ['serving.latency_p95_ms=200@2', 'serving.empty=null@3', 'serving.hosts.0=a@5', 'serving.hosts.1=b@6', 'name=x@7']);
  assert.deepEqual(show('settings.json'), ['metrics.auc=0.9@3', 'list.0=1@5', 'list.1.deep=true@5']);
  // Each `name` is placed at its own table, not both at the first line that mentions it.
  assert.deepEqual(show('project.toml'), ['tool.a.name=first@2', 'tool.b.name=second@5']);
  assert.deepEqual(ws.problems, []);
});

test('a crafted file nested 200,000 levels deep is read to a bound and said, and no check fails', async () => {
  const root = tempProject('mlready-scalars-', {
    'deep.json': `${'['.repeat(200_000)}1${']'.repeat(200_000)}`,
    'deep.yaml': `k:\n${Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`,
    'train.py': 'import mlflow\n',
  });
  const engine = await createEngine();
  const report = await computeReadiness(root, engine);
  const failed = report.categories.flatMap((c) => c.items).filter((item) => item.summary.startsWith('The check failed'));
  assert.deepEqual(
    failed.map((item) => `${item.id}: ${item.summary}`),
    [],
  );
  const messages = report.problems.map((p) => `${p.path}: ${p.message}`);
  assert.ok(messages.includes(`deep.json: values nested deeper than ${MAX_SCALAR_DEPTH} levels were not read`), messages.join('\n'));
  assert.ok(messages.includes(`deep.yaml: values nested deeper than ${MAX_SCALAR_DEPTH} levels were not read`), messages.join('\n'));
});

test('a JSON object of 45,000 keys is read to a bound, in linear time, and said', async () => {
  // A tokenizer's vocabulary has this shape; each value's line was found by searching every line for its key (25 s here).
  const keys = Array.from({ length: 45_000 }, (_, i) => `"token_${i}": ${i}`);
  const root = tempProject('mlready-scalars-', { 'vocab.json': `{\n${keys.join(',\n')}\n}\n` });
  const ws = await scanWorkspace(root, noPython);
  const scalars = ws.scalars('vocab.json');
  assert.equal(scalars.length, MAX_SCALARS_PER_FILE);
  assert.equal(scalars[12_345].line, 12_347);
  assert.deepEqual(ws.problems, [{ path: 'vocab.json', message: 'only the first 20,000 values were read' }]);
});

test('key lines: JSON keys are found as keys, not inside values; a TOML search is bounded however keys are ordered', () => {
  const lineOf = jsonKeyLines('{\n  "note": "the auc is high",\n  "auc": 0.9\n}');
  assert.equal(lineOf('auc'), 3);
  assert.equal(lineOf('missing'), 1);
  fc.assert(
    fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 60 }), (drawn) => {
      // Names none of which holds another, asked in the order written: each is found on its own line.
      const names = drawn.filter((name) => !drawn.some((other) => other !== name && other.includes(name)));
      const tomlLine = lineFinder(names.map((name, i) => `${name} = ${i}`).join('\n'));
      assert.deepEqual(
        names.map((name) => tomlLine(name)),
        names.map((_, i) => i + 1),
      );
    }),
  );
  // Every search missing after the cursor (the first key matched at the very end) stays bounded.
  const many = Array.from({ length: 30_000 }, (_, i) => `k${i} = ${i}`);
  const text = `${many.join('\n')}\nall = "${many.map((line) => line.split(' ')[0]).join(' ')}"\n`;
  const tomlLine = lineFinder(text);
  tomlLine('all');
  const started = performance.now();
  for (let i = 0; i < 30_000; i++) tomlLine(`k${i}`);
  assert.ok(performance.now() - started < 5_000, 'bounded search');
});

test('the scan parses configuration files and documents in slices, letting other work run between them', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 3000; i++)
    files[`tasks/task_${i}.yaml`] = `task: t${i}\ndescription: >\n  ${'a long line of prompt text '.repeat(8)}\n  more\nmetric_list:\n  - metric: acc\n`;
  for (let i = 0; i < 100; i++) files[`docs/page_${i}.md`] = `# Page ${i}\n\n## Metrics\n\nAUC above 0.8.\n`;
  const root = tempProject('mlready-scalars-', files);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const phases: ScanProgress[] = [];
  let ticksWhileParsing = 0;
  let firstParsingTicks: number | undefined;
  const ws = await scanWorkspace(root, noPython, {
    onProgress: (progress) => {
      phases.push(progress);
      if (progress.phase === 'parsing') {
        firstParsingTicks ??= ticks;
        ticksWhileParsing = ticks - firstParsingTicks;
      }
    },
  });
  clearInterval(timer);
  const parsing = phases.filter((p) => p.phase === 'parsing');
  assert.ok(parsing.length >= 2, `parsing reported in slices (${parsing.length})`);
  assert.equal(parsing[0].total, 3100);
  assert.ok(ticksWhileParsing > 0, 'timers ran while configuration files were parsed');
  // What the items read later is what the scan parsed: no second parse.
  assert.equal(ws.scalars('tasks/task_7.yaml'), ws.scalars('tasks/task_7.yaml'));
  assert.equal(ws.scalars('tasks/task_7.yaml').length, 3);
  assert.equal(ws.outline('docs/page_3.md')?.headings.length, 2);
});

test('the values read across a project are bounded, and the report says so once when the bound is passed mid-file', async () => {
  // 25 files of 19,999 values: the count passes the bound inside a file, never landing on it exactly.
  const files: Record<string, string> = {};
  for (let f = 0; f < 25; f++)
    files[`config_${String(f).padStart(2, '0')}.json`] = JSON.stringify(Object.fromEntries(Array.from({ length: 19_999 }, (_, i) => [`k${i}`, i])));
  const ws = await scanWorkspace(tempProject('mlready-scalars-', files), noPython);
  const said = ws.problems.filter((p) => /the scan reached its limit of 400,000 values/.test(p.message));
  assert.equal(said.length, 1, JSON.stringify(ws.problems));
  assert.equal(ws.scalars('config_24.json').length, 0);
});

test('an evidence note quoting a huge line is cut to 500 characters, and a secret across the cut is masked first', async () => {
  const { createEngine: create } = await import('../server/src/engine/index');
  const token = `ghp_${'A1b2C3d4E5F6'.repeat(3)}`;
  const spec = `${'a'.repeat(460)} ${token} ${'b'.repeat(200_000)}`;
  const report = await computeReadiness(tempProject('mlready-scalars-', { 'requirements.txt': `${spec}\n` }), await create());
  const notes = report.categories.flatMap((c) => c.items).flatMap((item) => item.evidence.map((e) => e.note));
  const quoted = notes.find((note) => note.startsWith('`aaaa'));
  assert.ok(quoted, JSON.stringify(notes.map((note) => note.slice(0, 40))));
  assert.ok(quoted.length <= 500, `note of ${quoted.length} characters`);
  assert.ok(!quoted.includes(token.slice(0, 10)), 'no more of the secret than its mask shows');
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../server/src/engine/index';
import { generatedDocs, withIndex } from '../scripts/gen-docs';

const rulesDir = path.join(__dirname, '..', 'server', 'src', 'engine', 'rules');
const ruleFiles = fs
  .readdirSync(rulesDir)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''));

test('every rule file is registered, and every registered rule has its own file', () => {
  assert.deepEqual([...RULES.map((r) => r.name)].sort(), [...ruleFiles].sort());
});

for (const rule of RULES) {
  test(`${rule.name}: named after its file, kebab-case`, async () => {
    const module = await import(path.join(rulesDir, `${rule.name}.ts`));
    assert.equal(module.default, rule, 'the file default-exports the rule registered under its name');
    assert.match(rule.name, /^[a-z]+(-[a-z0-9]+)*$/);
  });

  test(`${rule.name}: documented under every heading`, () => {
    for (const key of ['what', 'why', 'example', 'useInstead'] as const) {
      assert.ok(rule.docs[key].trim().length > 20, `docs.${key} is missing or too short`);
    }
    assert.ok(rule.summary.length > 10);
    if (rule.fix) assert.ok(rule.docs.fixSafety && rule.docs.fixSafety.length > 20, 'a rule with a fix documents its fix safety');
  });

  test(`${rule.name}: has a test file, and a fix output is tested when it has a fix`, () => {
    const testFile = path.join(__dirname, `rules.${rule.name}.test.ts`);
    assert.ok(fs.existsSync(testFile), `missing ${path.basename(testFile)}`);
    const text = fs.readFileSync(testFile, 'utf8');
    assert.ok(/valid:/.test(text) && /invalid:/.test(text), 'valid and invalid tables');
    if (rule.fix) assert.ok(/output:\s*['"`]/.test(text), 'at least one case shows the fix output');
  });

  test(`${rule.name}: its generated page in docs/rules is up to date`, () => {
    const file = path.join(__dirname, '..', 'docs', 'rules', `${rule.name}.md`);
    assert.ok(fs.existsSync(file), `run \`npm run docs\` to generate ${path.relative(process.cwd(), file)}`);
    assert.equal(fs.readFileSync(file, 'utf8'), generatedDocs().get(`${rule.name}.md`), 'run `npm run docs`');
  });
}

test('the rule tables in README.md and docs/rules/README.md are up to date', () => {
  const root = path.join(__dirname, '..');
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  assert.equal(readme, withIndex(readme, 'docs/rules/'), 'run `npm run docs`');
  const index = fs.readFileSync(path.join(root, 'docs', 'rules', 'README.md'), 'utf8');
  assert.equal(index, withIndex(index), 'run `npm run docs`');
});

test('rule handlers are typed by the grammar: node-types.ts matches tree-sitter-python', () => {
  const { renderNodeTypes, NODE_TYPES_FILE } = require('../scripts/gen-node-types') as typeof import('../scripts/gen-node-types');
  assert.equal(fs.readFileSync(NODE_TYPES_FILE, 'utf8'), renderNodeTypes(), 'run `node --import tsx scripts/gen-node-types.ts`');
});

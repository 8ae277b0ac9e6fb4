// The snippets contributed for Python: valid JSON with the fields VS Code reads, and, expanded
// with their default values, Python that parses cleanly and that mlready itself does not flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEngine } from '../server/src/engine';

const root = path.resolve(__dirname, '..');
const snippets = JSON.parse(fs.readFileSync(path.join(root, 'snippets/python.json'), 'utf8')) as Record<string, { prefix: string | string[]; body: string[]; description: string }>;

/** Expands a snippet body as VS Code does when the user accepts every default. */
function expand(body: string[]): string {
  let text = body.join('\n');
  const values = new Map<string, string>();
  // Innermost first: ${1:default}, ${1|a,b|} (first choice), then mirrors $1 and the final $0.
  for (let guard = 0; guard < 20 && /\$\{\d+[:|]/.test(text); guard++) {
    text = text.replace(/\$\{(\d+):([^${}]*)\}/g, (_, n: string, value: string) => (values.set(n, value), value));
    text = text.replace(/\$\{(\d+)\|([^|]*)\|\}/g, (_, n: string, choices: string) => {
      const value = choices.split(',')[0];
      values.set(n, value);
      return value;
    });
    text = text.replace(/\$(\d+)(?!\d)/g, (match, n: string) => values.get(n) ?? match);
  }
  return text.replace(/\$0/g, '').replace(/\$(\d+)/g, (_, n: string) => values.get(n) ?? '');
}

test('the snippets are contributed for python', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.contributes.snippets, [{ language: 'python', path: './snippets/python.json' }]);
  assert.ok(Object.keys(snippets).length >= 4);
});

for (const [name, snippet] of Object.entries(snippets)) {
  test(`snippet "${name}" expands to clean Python`, async () => {
    assert.ok(snippet.description.length > 0);
    assert.ok((Array.isArray(snippet.prefix) ? snippet.prefix : [snippet.prefix]).every((p) => p.length > 0));
    const code = expand(snippet.body);
    assert.doesNotMatch(code, /\$\{?\d/, `placeholders left in:\n${code}`);
    const engine = await createEngine();
    const tree = engine.parser.parse(code);
    try {
      assert.equal(tree.rootNode.hasError, false, `does not parse:\n${code}`);
    } finally {
      tree.delete();
    }
    const analysis = engine.analyze({ path: 'snippet.py', kind: 'script', text: code });
    assert.deepEqual(analysis.findings.map((f) => `${f.rule}: ${f.message}`), [], code);
  });
}

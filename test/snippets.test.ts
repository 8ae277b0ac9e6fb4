// snippets/python.json, the production patterns a user types by hand: each body, expanded the
// way VS Code expands it when every default is accepted, is Python that tree-sitter parses
// without errors and on which mlready reports nothing. (test/client.snippets.test.ts checks the
// manifest wiring; this file checks the snippet syntax, the catalogue and the expansion rules.)
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEngine } from '../server/src/engine/index';

interface Snippet {
  prefix: string | string[];
  description: string;
  body: string | string[];
}

const root = path.resolve(__dirname, '..');
const file = path.join(root, 'snippets', 'python.json');
const snippets = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Snippet>;

/**
 * Expands a TextMate/VS Code snippet body with its defaults: `${1:default}` → default (nested
 * placeholders and mirrors resolved), `${1|a,b|}` → the first choice, `$1`/`${1}` without a
 * default anywhere → a plain name, `$0` → nothing. `\$`, `\}` and `\\` are escapes.
 */
export function expandSnippet(body: string | string[]): string {
  const source = Array.isArray(body) ? body.join('\n') : body;
  const defaults = new Map<string, string>();
  let position = 0;

  // A small recursive-descent reader of the snippet grammar.
  const parse = (until: string | undefined): string => {
    let text = '';
    while (position < source.length) {
      const char = source[position]!;
      if (until !== undefined && char === until) return text;
      if (char === '\\' && position + 1 < source.length && '$}\\,|'.includes(source[position + 1]!)) {
        text += source[position + 1];
        position += 2;
        continue;
      }
      if (char === '$') {
        const bare = /^\$(\d+)/.exec(source.slice(position));
        if (bare) {
          position += bare[0].length;
          text += `\u0000${bare[1]}\u0000`;
          continue;
        }
        const braced = /^\$\{(\d+)([:|}])/.exec(source.slice(position));
        if (braced) {
          const n = braced[1]!;
          position += braced[0].length;
          if (braced[2] === '}') {
            text += `\u0000${n}\u0000`;
          } else if (braced[2] === ':') {
            const value = parse('}');
            assert.equal(source[position], '}', `unclosed placeholder \${${n}:... in ${JSON.stringify(source)}`);
            position++;
            if (!defaults.has(n)) defaults.set(n, value);
            text += `\u0000${n}\u0000`;
          } else {
            const end = source.indexOf('|}', position);
            assert.ok(end >= 0, `unclosed choice \${${n}|... in ${JSON.stringify(source)}`);
            const first = source
              .slice(position, end)
              .split(/(?<!\\),/)[0]!
              .replace(/\\(.)/g, '$1');
            position = end + 2;
            if (!defaults.has(n)) defaults.set(n, first);
            text += `\u0000${n}\u0000`;
          }
          continue;
        }
        assert.fail(`a "$" that is neither a tabstop nor escaped at ${position} in ${JSON.stringify(source)}`);
      }
      text += char;
      position++;
    }
    return text;
  };
  const skeleton = parse(undefined);
  const resolve = (text: string, depth: number): string =>
    text.replace(/\u0000(\d+)\u0000/g, (_, n: string) => {
      if (n === '0') return '';
      const value = defaults.get(n);
      if (value === undefined) return `value_${n}`;
      assert.ok(depth < 10, 'placeholders refer to each other in a cycle');
      return resolve(value, depth + 1);
    });
  return resolve(skeleton, 0);
}

test('the snippet expander follows VS Code: defaults, mirrors, nested placeholders, choices, bare tabstops, escapes', () => {
  assert.equal(expandSnippet(['${1:DATA_DIR} = os.environ.get("${2:$1}", "${3:data}")', '$0']), 'DATA_DIR = os.environ.get("DATA_DIR", "data")\n');
  assert.equal(expandSnippet('requests.${1|get,post|}(${2:url}, timeout=${3:10})'), 'requests.get(url, timeout=10)');
  assert.equal(expandSnippet('class ${1:Model}Request: ...\nx: ${1}Request'), 'class ModelRequest: ...\nx: ModelRequest');
  assert.equal(expandSnippet('f(${4}, $5)$0'), 'f(value_4, value_5)');
  assert.equal(expandSnippet('price = "\\$${1:10}"'), 'price = "$10"');
  assert.throws(() => expandSnippet('cost = $x'), /neither a tabstop nor escaped/);
  assert.throws(() => expandSnippet('f(${1:x)'), /unclosed placeholder/);
});

test('the snippets are contributed for python', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.contributes.snippets, [{ language: 'python', path: './snippets/python.json' }]);
});

test('python.json holds the editing snippets and the production patterns, with distinct prefixes', () => {
  assert.equal(fs.existsSync(path.join(root, 'snippets', 'python-scaffolds.json')), false, 'merged into python.json');
  for (const name of [
    'Seeded train/test split',
    'Path from the environment',
    'HTTP request with a timeout',
    'Logging setup',
    'MLflow run',
    'FastAPI endpoint with a pydantic model',
    'Fallback wrapper',
    'Seeded sklearn Pipeline',
    'PyTorch evaluation',
    'PyTorch training step',
  ]) {
    assert.ok(snippets[name], `snippet "${name}"`);
  }
  const seen = new Map<string, string>();
  for (const [name, snippet] of Object.entries(snippets)) {
    assert.ok(snippet.description.trim().length > 0, `${name}: description`);
    for (const prefix of Array.isArray(snippet.prefix) ? snippet.prefix : [snippet.prefix]) {
      assert.match(prefix, /^[a-z][a-z0-9_-]*$/, `${name}: prefix "${prefix}"`);
      assert.equal(seen.get(prefix), undefined, `prefix "${prefix}" of "${name}" is also "${seen.get(prefix)}"'s`);
      seen.set(prefix, name);
    }
  }
});

for (const [name, snippet] of Object.entries(snippets)) {
  test(`snippet "${name}": expanded with its defaults, it parses and mlready reports nothing`, async () => {
    const code = expandSnippet(snippet.body);
    assert.doesNotMatch(code, /\$\{?\d|\u0000/, `placeholders left in:\n${code}`);
    const engine = await createEngine();
    const tree = engine.parser.parse(code);
    try {
      assert.equal(tree.rootNode.hasError, false, `does not parse:\n${code}`);
    } finally {
      tree.delete();
    }
    const analysis = engine.analyze({ path: 'snippet.py', kind: 'script', text: code });
    assert.deepEqual(analysis.failures, []);
    assert.deepEqual(
      analysis.findings.map((f) => `${f.range.start.line + 1}: ${f.rule}: ${f.message}`),
      [],
      code,
    );
  });
}

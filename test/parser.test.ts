import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createEngine } from '../server/src/engine/index';
import { TreeCache, computeEdit } from '../server/src/engine/parser';

test('computeEdit finds the changed middle with rows and columns', () => {
  const edit = computeEdit('a = 1\nb = 2\n', 'a = 1\nb = 23\n');
  assert.equal(edit.startIndex, 11);
  assert.equal(edit.oldEndIndex, 11);
  assert.equal(edit.newEndIndex, 12);
  assert.deepEqual(edit.startPosition, { row: 1, column: 5 });
});

test('incremental reparse gives the same tree as a fresh parse, and old trees are freed', async () => {
  const engine = await createEngine();
  const cache = new TreeCache(engine.parser, 2);
  const lines = Array.from({ length: 200 }, (_, i) => `x${i} = f(${i})`);
  let text = lines.join('\n');
  cache.parse('doc', text);
  for (let i = 0; i < 20; i++) {
    const at = (i * 97) % text.length;
    text = text.slice(0, at) + (i % 2 ? '' : 'y') + text.slice(at + (i % 2 ? 1 : 0));
    const incremental = cache.parse('doc', text);
    const fresh = engine.parser.parse(text);
    try {
      assert.equal(incremental.rootNode.toString(), fresh.rootNode.toString());
    } finally {
      fresh.delete();
    }
  }
  cache.parse('b', 'b = 1');
  cache.parse('c', 'c = 1');
  assert.equal(cache.size, 2, 'the cache is bounded; evicted trees are deleted');
  cache.clear();
  assert.equal(cache.size, 0);
});

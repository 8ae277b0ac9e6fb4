import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createEngine } from '../server/src/engine/index';
import fc from 'fast-check';
import { TreeCache, computeEdit } from '../server/src/engine/parser';
import { changedSpan, LineIndex } from '../server/src/engine/text';
import { lineStartsByDefinition } from './helpers/line-starts';

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

test('the trees kept hold at most the cache budget of characters; the least recently used make room, and a document parsed again is exact', async () => {
  const engine = await createEngine();
  const cache = new TreeCache(engine.parser, 200, 100);
  const text = (name: string) => `${name} = f(1)\n`.repeat(5); // 45 characters: two fit in 100
  cache.parse('a', text('a'));
  cache.parse('b', text('b'));
  assert.equal(cache.chars, 90);
  cache.parse('a', text('a')); // a is now the most recently used
  cache.parse('c', text('c'));
  assert.equal(cache.chars, 90, 'b made room for c');
  assert.equal(cache.size, 2);
  // A document's own tree stays for its incremental reparse: it makes room from the others only.
  const grown = `${text('c')}d = 2\n`.repeat(2);
  const tree = cache.parse('c', grown);
  assert.equal(cache.size, 1, 'a made room for c, which grew');
  assert.equal(cache.chars, grown.length);
  const fresh = engine.parser.parse(grown);
  try {
    assert.equal(tree.rootNode.toString(), fresh.rootNode.toString());
  } finally {
    fresh.delete();
  }
  // b's tree was freed: b is parsed from scratch, and what it gives is the fresh parse's.
  const again = engine.analyze({ path: 'b.py', kind: 'script', text: `${text('b')}import pickle\npickle.load(open('m', 'rb'))\n` }, engine.trees.document('b'));
  const direct = engine.analyze({ path: 'b.py', kind: 'script', text: `${text('b')}import pickle\npickle.load(open('m', 'rb'))\n` });
  assert.deepEqual(again.findings, direct.findings);
  assert.ok(direct.findings.length > 0);
  cache.clear();
  assert.equal(cache.chars, 0);
});

test('changedSpan, computeEdit and LineIndex agree with character-by-character references on random texts', () => {
  // References: the loops these functions had before they searched natively and compared chunks.
  const spanReference = (before: string, after: string) => {
    let start = 0;
    const shortest = Math.min(before.length, after.length);
    while (start < shortest && before.charCodeAt(start) === after.charCodeAt(start)) start++;
    let endBefore = before.length;
    let endAfter = after.length;
    while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
      endBefore--;
      endAfter--;
    }
    return { start, endBefore, endAfter };
  };
  // Rows as tree-sitter counts them in the text it is given: a lone `\r` is read as `\n`, as Python does.
  const universal = (text: string) => [...text].map((char, i) => (char === '\r' && text[i + 1] !== '\n' ? '\n' : char)).join('');
  const pointReference = (text: string, offset: number) => {
    let row = 0;
    let column = 0;
    for (let i = 0; i < offset; i++) {
      if (text.charCodeAt(i) === 10) {
        row++;
        column = 0;
      } else column++;
    }
    return { row, column };
  };
  // Long texts of few distinct characters, so chunks match and differ at every place a chunk can.
  const text = fc.array(fc.constantFrom('a', 'b', '\n', '\r', ' ', 'é'), { maxLength: 1500 }).map((chars) => chars.join(''));
  fc.assert(
    fc.property(text, fc.nat(), fc.nat({ max: 600 }), text, (before, at, removed, inserted) => {
      const start = at % (before.length + 1);
      const after = before.slice(0, start) + inserted.slice(0, 300) + before.slice(Math.min(before.length, start + removed));
      const span = changedSpan(before, after);
      assert.deepEqual(span, spanReference(before, after));
      const edit = computeEdit(before, after);
      const [parsedBefore, parsedAfter] = [universal(before), universal(after)];
      const parsedSpan = spanReference(parsedBefore, parsedAfter);
      assert.equal(edit.startIndex, parsedSpan.start);
      assert.equal(edit.oldEndIndex, parsedSpan.endBefore);
      assert.equal(edit.newEndIndex, parsedSpan.endAfter);
      assert.deepEqual(edit.startPosition, pointReference(parsedBefore, parsedSpan.start));
      assert.deepEqual(edit.oldEndPosition, pointReference(parsedBefore, parsedSpan.endBefore));
      assert.deepEqual(edit.newEndPosition, pointReference(parsedAfter, parsedSpan.endAfter));
      const lines = new LineIndex(after);
      const starts = lineStartsByDefinition(after);
      assert.equal(lines.lineCount, starts.length);
      for (let line = 0; line < starts.length; line++) assert.equal(lines.lineStart(line), starts[line]);
    }),
    { numRuns: 500, seed: 20261201 },
  );
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineIndex, StringPool, WordOccurrences } from '../server/src/engine/text';
import { lineStartsByDefinition } from './helpers/line-starts';

function lineStarts(index: LineIndex): number[] {
  return Array.from({ length: index.lineCount }, (_, line) => index.lineStart(line));
}

test('LineIndex: line starts for \\n only (the indexOf path) and with \\r (the character scan) follow the definition', () => {
  for (const text of ['', '\n', 'x', 'a\nb', 'a\nb\n', '\n\n\n', '\r', '\r\n', 'a\r\nb\rc\n\r\n', 'x = 1\r\ny = 2\r\n']) {
    assert.deepEqual(lineStarts(new LineIndex(text)), lineStartsByDefinition(text), JSON.stringify(text));
  }
  const piece = fc.constantFrom('\n', '\r', '\r\n', 'a', 'bc', ' ', '\u00e9', '#');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
      const text = pieces.join('');
      const index = new LineIndex(text);
      assert.deepEqual(lineStarts(index), lineStartsByDefinition(text));
      for (let line = 0; line < index.lineCount; line++) {
        const end = index.lineEnd(line);
        assert.ok(end >= index.lineStart(line) && !/[\r\n]/.test(text.slice(index.lineStart(line), end)));
      }
    }),
    { numRuns: 500 },
  );
});

test('WordOccurrences: answered from the previous text and the edit, every first occurrence is the one indexOf finds', () => {
  const piece = fc.constantFrom('torch', 'to', 'rch', 'no_grad', 'grad', 'o', 'x', ' ', '\n', '.', 'tor');
  const words = ['torch', 'no_grad', 'grad', 'to', 'rch', 'ch', 'x', 'torchtorch', 'o_g', 'absent'];
  const text = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(''));
  fc.assert(
    fc.property(text, fc.array(fc.tuple(fc.nat(), fc.nat(6), text, fc.subarray(words)), { maxLength: 6 }), (first, edits) => {
      let current = first;
      let occurrences = new WordOccurrences(current);
      for (const word of words.slice(0, 5)) occurrences.indexOf(word);
      for (const [at, removed, inserted, asked] of edits) {
        const start = at % (current.length + 1);
        current = current.slice(0, start) + inserted + current.slice(Math.min(current.length, start + removed));
        const next = new WordOccurrences(current, occurrences);
        for (const word of asked) assert.equal(next.indexOf(word), current.indexOf(word), `${JSON.stringify(word)} in ${JSON.stringify(current)}`);
        next.forgetPrevious();
        occurrences = next;
      }
    }),
    { numRuns: 1000 },
  );
});

test('StringPool.compact: a new deep copy equal to the value at any depth (a key named __proto__ included)', () => {
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 5 }),
    object: fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 5, noNullPrototype: true }),
  })).value;
  fc.assert(
    fc.property(json, (value) => {
      const pool = new StringPool();
      const copy = pool.compact(value);
      assert.deepEqual(copy, value);
      if (value !== null && typeof value === 'object') assert.notEqual(copy, value, 'a new object or array');
    }),
    { numRuns: 500 },
  );
  const pool = new StringPool();
  const text = `model = load("${'checkpoints/run-1/model.pt'}")`;
  const start = text.indexOf('"') + 1;
  const a = pool.compact({ names: [text.slice(start, text.lastIndexOf('"'))] });
  const b = pool.compact({ names: [`checkpoints/run-1/${'model.pt'}`] });
  assert.equal(a.names[0], 'checkpoints/run-1/model.pt');
  assert.equal(a.names[0], b.names[0]);
  // Empty lists are one shared array, frozen so that no holder can change another's.
  const calls = pool.compact([
    { keywords: [], strings: [] },
    { keywords: [], strings: ['x'] },
  ]);
  assert.equal(calls[0].keywords, calls[1].keywords);
  assert.equal(calls[0].keywords, calls[0].strings);
  assert.ok(Object.isFrozen(calls[0].keywords));
  assert.throws(() => (calls[0].keywords as string[]).push('shuffle'), TypeError);
});

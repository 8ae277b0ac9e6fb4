import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineIndex } from '../server/src/engine/text';
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

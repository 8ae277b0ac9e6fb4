import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { collectGarbage, collectGarbageAbove } from '../server/src/lsp/memory';

test('collectGarbage runs a full collection without any command-line flag', async () => {
  const ref = (() => new WeakRef({ payload: new Array(1000).fill('x') }))();
  // A WeakRef keeps its target alive until the current job ends.
  await nextTurn();
  collectGarbage();
  await nextTurn();
  assert.equal(ref.deref(), undefined, 'the unreachable object was collected');
});

test('collectGarbageAbove collects once the garbage passes the budget and the user is not typing', async () => {
  const ref = (() => new WeakRef({ payload: new Array(1000).fill('y') }))();
  await nextTurn();
  // Any garbage at all passes a 1-byte budget; no edit was noted, so the user is not typing.
  collectGarbageAbove(1, 0);
  await nextTurn();
  assert.equal(ref.deref(), undefined, 'the unreachable object was collected');
});

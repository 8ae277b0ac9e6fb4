import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { collectGarbage } from '../server/src/lsp/memory';

test('collectGarbage runs a full collection without any command-line flag', async () => {
  const ref = (() => new WeakRef({ payload: new Array(1000).fill('x') }))();
  // A WeakRef keeps its target alive until the current job ends.
  await nextTurn();
  collectGarbage();
  await nextTurn();
  assert.equal(ref.deref(), undefined, 'the unreachable object was collected');
});

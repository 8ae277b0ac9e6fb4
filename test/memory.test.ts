import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { collectGarbage, collectGarbageAbove, collectYoungGeneration } from '../server/src/lsp/memory';

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

test('collectYoungGeneration runs a scavenge (a minor collection), not a full one', async () => {
  const kinds: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) kinds.push((entry as unknown as { detail: { kind: number } }).detail.kind);
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    collectYoungGeneration();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    observer.disconnect();
  }
  assert.ok(kinds.includes(constants.NODE_PERFORMANCE_GC_MINOR), `a minor collection was observed (kinds: ${kinds.join(', ')})`);
  assert.ok(!kinds.includes(constants.NODE_PERFORMANCE_GC_MAJOR), 'no full collection');
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analysisDelay, DEBOUNCE_MS, SETTLE_MS } from '../server/src/lsp/diagnostics';

const now = 10_000;

test('a document never analysed, or cheap to analyse, is analysed at once', () => {
  assert.equal(analysisDelay({ cost: undefined, now, lastRun: undefined, pending: undefined }), 0);
  assert.equal(analysisDelay({ cost: 3, now, lastRun: now - 5_000, pending: undefined }), 0);
  assert.equal(analysisDelay({ cost: 3, now, lastRun: now - 1, pending: now + 50 }), 0);
});

test('a costly document is analysed once its burst of changes settled, not after the first character', () => {
  // The user paused: the first change of a typed line waits SETTLE_MS, not the analysis's cost.
  assert.equal(analysisDelay({ cost: 90, now, lastRun: now - 5_000, pending: undefined }), SETTLE_MS);
  assert.equal(analysisDelay({ cost: 400, now, lastRun: now - 5_000, pending: undefined }), SETTLE_MS);
  // Each further change of the burst moves the start to SETTLE_MS after it.
  assert.equal(analysisDelay({ cost: 90, now, lastRun: now - 5_000, pending: now + 4 }), SETTLE_MS);
});

test('a pending start is never brought forward', () => {
  assert.equal(analysisDelay({ cost: 400, now, lastRun: now - 100, pending: now + 300 }), 300);
  assert.equal(analysisDelay({ cost: 90, now, lastRun: now - 5_000, pending: now + 40 }), 40);
});

test('a slow document whose change waited while it was analysed waits as long as that analysis took', () => {
  // Handled right after an analysis ended: the user types faster than the document analyses.
  assert.equal(analysisDelay({ cost: 400, now, lastRun: now - 2, pending: undefined }), 400);
  assert.equal(analysisDelay({ cost: 120, now, lastRun: now - 2, pending: undefined, delay: 200 }), 200);
  assert.equal(analysisDelay({ cost: 9_000, now, lastRun: now - 2, pending: undefined }), 2_000, 'at most two seconds');
  assert.equal(analysisDelay({ cost: 110, now, lastRun: now - 2, pending: undefined }), Math.max(DEBOUNCE_MS, 110));
  // Below FAST_ANALYSIS_MS the burst only settles.
  assert.equal(analysisDelay({ cost: 60, now, lastRun: now - 2, pending: undefined }), SETTLE_MS);
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { noteEdit, untilTypingPauses } from '../server/src/lsp/memory';

test('untilTypingPauses waits for a pause in typing, and no longer than its bound while typing goes on', async () => {
  // No edit yet: at once.
  let started = performance.now();
  await untilTypingPauses(200, 2_000);
  assert.ok(performance.now() - started < 100);

  // An edit just now: after `quietMs` of quiet.
  noteEdit();
  started = performance.now();
  await untilTypingPauses(150, 2_000);
  const waited = performance.now() - started;
  assert.ok(waited >= 140 && waited < 1_000, `waited ${waited} ms`);

  // Edits every 20 ms: the bound, not forever.
  noteEdit();
  const typing = setInterval(noteEdit, 20);
  try {
    started = performance.now();
    await untilTypingPauses(150, 400);
    const bounded = performance.now() - started;
    assert.ok(bounded >= 390 && bounded < 1_500, `waited ${bounded} ms`);
  } finally {
    clearInterval(typing);
  }
});

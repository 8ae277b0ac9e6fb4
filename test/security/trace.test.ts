import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { redactingChannel } from '../../client/src/redacting-channel';

test('the client protocol trace (mlready.trace.server) never carries a secret from the documents it sends', () => {
  const written: string[] = [];
  const record = (line: string) => void written.push(line);
  const channel = {
    name: 'mlready',
    logLevel: 1,
    trace: record,
    debug: record,
    info: record,
    warn: record,
    error: record,
    append: record,
    appendLine: record,
    replace: record,
    show: () => undefined,
  };
  const traced = redactingChannel(channel as unknown as vscode.LogOutputChannel);
  const key = 'sk-proj-' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6';
  traced.trace(`[Trace] Sending notification 'textDocument/didChange'.\nParams: {"text": "OPENAI_API_KEY = \\"${key}\\""}`);
  traced.appendLine(`postgres://admin:${'hunter2' + 'Secret'}@db.internal:5432/app`);
  assert.equal(written.length, 2);
  assert.ok(!written.join('\n').includes(key), written[0]);
  assert.ok(!written.join('\n').includes('hunter2Secret'), written[1]);
  assert.ok(written[0].includes('textDocument/didChange'), 'the rest of the trace line is kept');
  assert.equal(traced.logLevel, 1, "other members are the channel's own");
});

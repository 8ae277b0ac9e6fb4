import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { createProtocolConnection, type Message } from 'vscode-languageserver-protocol/node';
import { ParserFailedError } from '../server/src/engine/index';
import { Log } from '../server/src/lsp/log';

/** The server's Log over a real connection; what it sends is read back as a client reads it. */
function connectedLog(): { log: Log; received: Message[]; settle: () => Promise<void> } {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const connection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  connection.listen();
  const received: Message[] = [];
  const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.onUnhandledNotification((message) => void received.push(message as Message));
  client.onRequest('window/showMessageRequest', (params) => {
    received.push({ jsonrpc: '2.0', method: 'window/showMessageRequest', params } as Message);
    return null;
  });
  client.listen();
  const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 50));
  return { log: new Log(connection), received, settle };
}

test('a parser that stopped is said once, in words, and hands over to onParserStopped; other failures are logged as before', async () => {
  const { log, received, settle } = connectedLog();
  log.configure({ logLevel: 'info', showNotifications: 'onError' });
  let stopped = 0;
  log.onParserStopped = () => void stopped++;
  const reason = 'the parser ran out of memory on this file (4,194,272 lines): it is too large or too dense to analyse';
  const answer = await log.guardAsync('diagnostics for dense.py', 'fallback', async () => {
    throw new ParserFailedError(reason);
  });
  assert.equal(answer, 'fallback');
  log.guard('hover', null, () => {
    throw new ParserFailedError(`the parser stopped on an earlier file (${reason})`);
  });
  log.guard('hover', null, () => {
    throw new Error('a bug');
  });
  await settle();
  // A request whose error is its answer (the scaffold requests) still answers with the error.
  await assert.rejects(
    log.answering(async () => {
      throw new ParserFailedError(`the parser stopped on an earlier file (${reason})`);
    }),
    ParserFailedError,
  );
  assert.equal(stopped, 1, 'the handover happens once');
  const texts = received.map((m) => JSON.stringify((m as { params?: unknown }).params));
  const said = texts.filter((t) => t.includes('the Python parser stopped'));
  // The output channel, a pop-up and the status item; nothing for the second report.
  assert.equal(said.length, 3, texts.join('\n'));
  assert.ok(said.some((t) => t.includes(reason)));
  assert.ok(texts.some((t) => t.includes('hover failed: a bug')));
  assert.equal(received.filter((m) => (m as { method?: string }).method === 'mlready/status').length, 1);
});

test('a request answered through Log.answering hands a stopped parser over, and gives its error back', async () => {
  const { log, settle } = connectedLog();
  let stopped = 0;
  log.onParserStopped = () => void stopped++;
  await assert.rejects(
    log.answering(async () => {
      throw new ParserFailedError('the parser failed on this file (unreachable)');
    }),
    /the parser failed on this file/,
  );
  assert.equal(await log.answering(async () => 'answer'), 'answer');
  await assert.rejects(
    log.answering(async () => {
      throw new Error('no data file given');
    }),
    /no data file given/,
  );
  await settle();
  assert.equal(stopped, 1);
});

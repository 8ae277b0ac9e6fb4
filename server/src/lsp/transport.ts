import { format } from 'node:util';
import { z } from 'zod';
import { parse as parseTolerant } from 'jsonc-parser';
import {
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  createServerPipeTransport,
  createServerSocketTransport,
  ErrorCodes,
  Emitter,
  type Disposable,
  type DataCallback,
  type Message,
  type MessageReader,
  type MessageWriter,
  type PartialMessageInfo,
} from 'vscode-languageserver/node';
import { redact, escapeControl } from '../engine/index';

/**
 * The server's gate on its transport: what the client sends passes through here before any
 * handler sees it, and what the server sends passes through here before the client does.
 *
 * - A body that is not JSON gets `-32700` (Parse error) when its `id` can be read, and is logged.
 * - A request or notification whose params do not have the protocol's shape gets `InvalidParams`
 *   (requests) or is dropped and logged (notifications): no handler ever meets a `TypeError`.
 * - After `shutdown`, every request but `exit` gets `InvalidRequest` and nothing more is
 *   published (no diagnostics, logs or progress).
 * - A framing error (a bad `Content-Length`, random bytes between messages) is logged to stderr
 *   and the server exits with status 1: a stream that lost its framing cannot be trusted to find
 *   it again, and the client restarts the server.
 */

/** The method a rejected message is rewritten to; its handler answers with the error it carries. */
export const REJECT_METHOD = '$/mlready/reject';

export interface RejectParams {
  code: number;
  message: string;
}

const uri = z.string().max(65536);
const position = z.object({ line: z.number().int().min(0), character: z.number().int().min(0) });
const range = z.object({ start: position, end: position });
const textDocumentId = z.object({ uri });
const versioned = z.object({ uri, version: z.number().int().nullable() });
const textDocumentItem = z.object({ uri, languageId: z.string(), version: z.number().int(), text: z.string() });
const contentChange = z.union([z.object({ range, text: z.string() }).passthrough(), z.object({ text: z.string() })]);
const notebookCell = z.object({ kind: z.union([z.literal(1), z.literal(2)]), document: uri }).passthrough();

/** The shapes of the messages the server handles; anything else is the libraries' to judge. */
const PARAMS: Record<string, z.ZodType> = {
  initialize: z.object({ capabilities: z.object({}).passthrough(), processId: z.number().int().nullable().optional() }).passthrough(),
  'textDocument/hover': z.object({ textDocument: textDocumentId, position }).passthrough(),
  'textDocument/codeAction': z
    .object({
      textDocument: textDocumentId,
      range,
      context: z.object({ diagnostics: z.array(z.object({ range, message: z.string() }).passthrough()), only: z.array(z.string()).optional() }).passthrough(),
    })
    .passthrough(),
  'workspace/executeCommand': z.object({ command: z.string(), arguments: z.array(z.unknown()).optional() }).passthrough(),
  'mlready/readiness': z.union([z.null(), z.undefined(), z.object({ folder: z.string().optional(), refresh: z.boolean().optional() }).passthrough()]),
  'mlready/scaffoldPlan': z.object({ kind: z.string() }).passthrough(),
  'mlready/scaffoldColumns': z.object({ data: z.string() }).passthrough(),
  'textDocument/didOpen': z.object({ textDocument: textDocumentItem }).passthrough(),
  'textDocument/didChange': z.object({ textDocument: versioned, contentChanges: z.array(contentChange) }).passthrough(),
  'textDocument/didClose': z.object({ textDocument: textDocumentId }).passthrough(),
  'textDocument/didSave': z.object({ textDocument: textDocumentId }).passthrough(),
  'notebookDocument/didOpen': z
    .object({
      notebookDocument: z.object({ uri, notebookType: z.string(), version: z.number().int(), cells: z.array(notebookCell) }).passthrough(),
      cellTextDocuments: z.array(textDocumentItem),
    })
    .passthrough(),
  'notebookDocument/didChange': z
    .object({
      notebookDocument: versioned,
      change: z
        .object({
          cells: z
            .object({
              structure: z
                .object({
                  array: z.object({ start: z.number().int().min(0), deleteCount: z.number().int().min(0), cells: z.array(notebookCell).optional() }),
                  didOpen: z.array(textDocumentItem).optional(),
                  didClose: z.array(textDocumentId).optional(),
                })
                .optional(),
              data: z.array(notebookCell).optional(),
              textContent: z.array(z.object({ document: versioned, changes: z.array(contentChange) })).optional(),
            })
            .passthrough()
            .optional(),
        })
        .passthrough(),
    })
    .passthrough(),
  'notebookDocument/didSave': z.object({ notebookDocument: textDocumentId }).passthrough(),
  'notebookDocument/didClose': z.object({ notebookDocument: textDocumentId, cellTextDocuments: z.array(textDocumentId) }).passthrough(),
  'workspace/didChangeWatchedFiles': z.object({ changes: z.array(z.object({ uri, type: z.number().int() })) }).passthrough(),
  '$/cancelRequest': z.object({ id: z.union([z.number(), z.string()]) }).passthrough(),
};

/** What a message says about itself, read without trusting it. */
function describe(message: Message): { id?: number | string | null; method?: string; params?: unknown; isResponse: boolean } {
  const m = message as { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: unknown };
  const id = typeof m.id === 'number' || typeof m.id === 'string' || m.id === null ? m.id : undefined;
  const method = typeof m.method === 'string' ? m.method : undefined;
  return { id, method, params: m.params, isResponse: method === undefined && ('result' in m || 'error' in m) };
}

function reject(id: number | string, code: number, message: string): Message {
  return { jsonrpc: '2.0', id, method: REJECT_METHOD, params: { code, message } satisfies RejectParams } as Message;
}

/** Zod's first issue as one line: `textDocument.uri: expected string`. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.length > 0 ? issue.path.join('.') : 'params'}: ${issue.message}`;
}

/** Marks a body that was not JSON, with the id read from it (tolerantly) when there is one. */
const NOT_JSON = Symbol('mlready.notJson');

interface NotJson {
  [NOT_JSON]: true;
  id?: number | string;
  reason: string;
}

/** application/json, where a body that does not parse becomes a marker instead of a reader error. */
const tolerantJson = {
  name: 'application/json',
  decode(buffer: Uint8Array, options: { charset: string }): Promise<Message> {
    const text = new TextDecoder(options.charset).decode(buffer);
    try {
      return Promise.resolve(JSON.parse(text) as Message);
    } catch (error) {
      const partial = parseTolerant(text) as { id?: unknown } | undefined;
      const id = partial && typeof partial === 'object' && (typeof partial.id === 'number' || typeof partial.id === 'string') ? partial.id : undefined;
      const marker: NotJson = { [NOT_JSON]: true, id, reason: error instanceof Error ? error.message : String(error) };
      return Promise.resolve(marker as unknown as Message);
    }
  },
};

/** Shared state of the two sides of the gate. */
export class Gate {
  shutdown = false;

  constructor(private readonly logError: (line: string) => void) {}

  log(line: string): void {
    this.logError(escapeControl(redact(line)));
  }

  /** Incoming: the message to hand to the connection, or undefined to drop it. */
  incoming(message: Message): Message | undefined {
    if ((message as unknown as NotJson)[NOT_JSON]) {
      const marker = message as unknown as NotJson;
      this.log(`mlready: a message body is not valid JSON (${marker.reason})${marker.id !== undefined ? '; answered with -32700' : '; dropped'}`);
      return marker.id !== undefined ? reject(marker.id, ErrorCodes.ParseError, redact(`Parse error: ${marker.reason}`)) : undefined;
    }
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      this.log('mlready: a message is not a JSON object; dropped');
      return undefined;
    }
    const { id, method, params, isResponse } = describe(message);
    if (isResponse) return message;
    if (method === undefined) {
      this.log('mlready: a message has no method; dropped');
      return id !== undefined && id !== null ? reject(id, ErrorCodes.InvalidRequest, 'Invalid request: no method') : undefined;
    }
    const isRequest = id !== undefined && id !== null;
    if (this.shutdown && method !== 'exit') {
      if (isRequest) return reject(id, ErrorCodes.InvalidRequest, `Invalid request: the server is shutting down (${method} after shutdown)`);
      return undefined;
    }
    const schema = PARAMS[method];
    if (schema) {
      const parsed = schema.safeParse(params);
      if (!parsed.success) {
        const text = `Invalid params for ${method}: ${firstIssue(parsed.error)}`;
        if (isRequest) return reject(id, ErrorCodes.InvalidParams, text);
        this.log(`mlready: ${text}; notification dropped`);
        return undefined;
      }
    }
    if (method === 'shutdown' && isRequest) this.shutdown = true;
    return message;
  }

  /** Outgoing: responses always pass; after shutdown nothing else is published. */
  outgoing(message: Message): boolean {
    if (!this.shutdown) return true;
    return describe(message).method === undefined;
  }
}

class GatedReader implements MessageReader {
  private readonly errors = new Emitter<Error>();

  constructor(
    private readonly inner: MessageReader,
    private readonly gate: Gate,
    private readonly onFramingError: (error: Error) => void,
  ) {
    inner.onError((error) => {
      this.onFramingError(error);
      this.errors.fire(error);
    });
    // A body announced by Content-Length that stops arriving (10 s of silence mid-message): the
    // framing is lost, as with a bad header.
    inner.onPartialMessage((info) => this.onFramingError(new Error(`a message body stalled after ${Math.round(info.waitingTime / 1000)} s`)));
  }

  get onError() {
    return this.errors.event;
  }

  get onClose() {
    return this.inner.onClose;
  }

  get onPartialMessage(): MessageReader['onPartialMessage'] {
    return this.inner.onPartialMessage;
  }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((message) => {
      const passed = this.gate.incoming(message);
      if (passed) callback(passed);
    });
  }

  dispose(): void {
    this.inner.dispose();
    this.errors.dispose();
  }
}

class GatedWriter implements MessageWriter {
  constructor(
    private readonly inner: MessageWriter,
    private readonly gate: Gate,
  ) {}

  get onError() {
    return this.inner.onError;
  }

  get onClose() {
    return this.inner.onClose;
  }

  write(message: Message): Promise<void> {
    return this.gate.outgoing(message) ? this.inner.write(message) : Promise.resolve();
  }

  end(): void {
    this.inner.end();
  }

  dispose(): void {
    this.inner.dispose();
  }
}

export type PartialMessage = PartialMessageInfo;

/**
 * The reader and writer for the transport named on the command line (`--stdio`, `--node-ipc`,
 * `--socket=N`, `--pipe=NAME`, as vscode-languageserver reads them), behind the gate.
 * Undefined when none is named (the library then reports its own usage error).
 */
export function gatedTransport(argv: readonly string[] = process.argv.slice(2)): { reader: MessageReader; writer: MessageWriter; gate: Gate } | undefined {
  const gate = new Gate((line) => process.stderr.write(`${line}\n`));
  let pair: [MessageReader, MessageWriter] | undefined;
  let stdio = false;
  for (let i = 0; i < argv.length && !pair; i++) {
    const arg = argv[i];
    const [key, value] = arg.split('=');
    if (arg === '--node-ipc') pair = [new IPCMessageReader(process), new IPCMessageWriter(process)];
    else if (arg === '--stdio') {
      stdio = true;
      pair = [new StreamMessageReader(process.stdin, { contentTypeDecoder: tolerantJson }), new StreamMessageWriter(process.stdout)];
    } else if (key === '--socket') pair = createServerSocketTransport(Number(value ?? argv[i + 1]));
    else if (key === '--pipe') pair = createServerPipeTransport(value ?? argv[i + 1]);
  }
  if (!pair) return undefined;
  if (stdio) {
    // stdout carries the protocol: nothing else may write to it.
    const toStderr = (...args: unknown[]) => void process.stderr.write(`${format(...args)}\n`);
    console.log = toStderr;
    console.info = toStderr;
    console.debug = toStderr;
    // The client went away: as vscode-languageserver does for a stdio stream it owns.
    const end = () => process.exit(gate.shutdown ? 0 : 1);
    process.stdin.on('end', end);
    process.stdin.on('close', end);
  }
  const reader = new GatedReader(pair[0], gate, (error) => {
    gate.log(`mlready: framing error on the connection (${error.message.split('\n')[0]}); the server exits`);
    process.exit(1);
  });
  return { reader, writer: new GatedWriter(pair[1], gate), gate };
}

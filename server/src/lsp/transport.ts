import { format } from 'node:util';
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
import * as z from 'zod/mini';
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

const uri = z.string().check(z.maxLength(65536));
const nonNegativeInt = z.int().check(z.minimum(0));
const position = z.object({ line: nonNegativeInt, character: nonNegativeInt });
const range = z.object({ start: position, end: position });
const textDocumentId = z.object({ uri });
const versioned = z.object({ uri, version: z.nullable(z.int()) });
const textDocumentItem = z.object({ uri, languageId: z.string(), version: z.int(), text: z.string() });
const contentChange = z.union([z.looseObject({ range, text: z.string() }), z.object({ text: z.string() })]);
const notebookCell = z.looseObject({ kind: z.union([z.literal(1), z.literal(2)]), document: uri });

/** The shapes of the messages the server handles; anything else is the libraries' to judge. */
const PARAMS: Record<string, z.ZodMiniType> = {
  initialize: z.looseObject({ capabilities: z.looseObject({}), processId: z.optional(z.nullable(z.int())) }),
  'textDocument/hover': z.looseObject({ textDocument: textDocumentId, position }),
  'textDocument/codeAction': z.looseObject({
    textDocument: textDocumentId,
    range,
    context: z.looseObject({ diagnostics: z.array(z.looseObject({ range, message: z.string() })), only: z.optional(z.array(z.string())) }),
  }),
  'workspace/executeCommand': z.looseObject({ command: z.string(), arguments: z.optional(z.array(z.unknown())) }),
  'mlready/readiness': z.union([z.null(), z.undefined(), z.looseObject({ folder: z.optional(z.string()), refresh: z.optional(z.boolean()) })]),
  'mlready/scaffoldPlan': z.looseObject({ kind: z.string() }),
  'mlready/scaffoldColumns': z.looseObject({ data: z.string() }),
  'textDocument/didOpen': z.looseObject({ textDocument: textDocumentItem }),
  'textDocument/didChange': z.looseObject({ textDocument: versioned, contentChanges: z.array(contentChange) }),
  'textDocument/didClose': z.looseObject({ textDocument: textDocumentId }),
  'textDocument/didSave': z.looseObject({ textDocument: textDocumentId }),
  'notebookDocument/didOpen': z.looseObject({
    notebookDocument: z.looseObject({ uri, notebookType: z.string(), version: z.int(), cells: z.array(notebookCell) }),
    cellTextDocuments: z.array(textDocumentItem),
  }),
  'notebookDocument/didChange': z.looseObject({
    notebookDocument: versioned,
    change: z.looseObject({
      cells: z.optional(
        z.looseObject({
          structure: z.optional(
            z.object({
              array: z.object({ start: nonNegativeInt, deleteCount: nonNegativeInt, cells: z.optional(z.array(notebookCell)) }),
              didOpen: z.optional(z.array(textDocumentItem)),
              didClose: z.optional(z.array(textDocumentId)),
            }),
          ),
          data: z.optional(z.array(notebookCell)),
          textContent: z.optional(z.array(z.object({ document: versioned, changes: z.array(contentChange) }))),
        }),
      ),
    }),
  }),
  'notebookDocument/didSave': z.looseObject({ notebookDocument: textDocumentId }),
  'notebookDocument/didClose': z.looseObject({ notebookDocument: textDocumentId, cellTextDocuments: z.array(textDocumentId) }),
  'workspace/didChangeWatchedFiles': z.looseObject({ changes: z.array(z.object({ uri, type: z.int() })) }),
  '$/cancelRequest': z.looseObject({ id: z.union([z.number(), z.string()]) }),
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
function firstIssue(error: z.core.$ZodError): string {
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

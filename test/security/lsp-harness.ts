import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { StreamMessageReader, type Message } from 'vscode-languageserver-protocol/node';

const SERVER = path.join(__dirname, '..', '..', 'dist', 'server.js');

/**
 * The bundled server over stdio, driven with raw bytes (so framing and bodies can be broken on
 * purpose) and read with vscode-jsonrpc's own reader. Waits are on messages or on the process's
 * exit, never on timers.
 */
export class RawServer {
  readonly messages: Message[] = [];
  stderr = '';
  exitCode: number | null | undefined;
  private readonly waiters: { predicate: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  private readonly exited: Promise<number | null>;
  private nextId = 1000;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.on('data', (chunk) => (this.stderr += String(chunk)));
    child.stdin.on('error', () => undefined); // writes after the server exited
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.exitCode = code;
        resolve(code);
      }),
    );
    const reader = new StreamMessageReader(child.stdout);
    reader.listen((message) => {
      this.messages.push(message);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        if (this.waiters[i].predicate(message)) {
          this.waiters[i].resolve(message);
          this.waiters.splice(i, 1);
        }
      }
    });
  }

  static async start(root: string, options: { trusted?: boolean; answerServerRequests?: boolean } = {}): Promise<RawServer> {
    const server = new RawServer(spawn(process.execPath, [SERVER, '--stdio'], { cwd: root }));
    // The server's own requests (configuration, registration, progress) get a plain answer.
    server.onServerRequest();
    await server.request('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }],
      capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } },
      initializationOptions: { trusted: options.trusted !== false },
    });
    server.notify('initialized', {});
    return server;
  }

  private onServerRequest(): void {
    const answer = (message: Message) => {
      const m = message as { id?: number | string; method?: string; params?: { items?: unknown[] } };
      if (m.id === undefined || m.method === undefined) return;
      const result = m.method === 'workspace/configuration' ? (m.params?.items ?? []).map(() => ({ enable: true })) : null;
      this.raw(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }));
    };
    this.waiters.push({
      predicate: (m) => {
        answer(m);
        return false;
      },
      resolve: () => undefined,
    });
  }

  /** Writes one framed body (or, with `frame: false`, the bytes as they are). */
  raw(body: string | Buffer, frame = true): void {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (!frame) {
      this.child.stdin.write(bytes);
      return;
    }
    this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]));
  }

  notify(method: string, params: unknown): void {
    this.raw(JSON.stringify({ jsonrpc: '2.0', method, params }));
  }

  /** Sends a request; resolves with the whole response message. */
  request(method: string, params: unknown, id = this.nextId++): Promise<{ id: number; result?: unknown; error?: { code: number; message: string } }> {
    const response = this.next((m) => (m as { id?: number }).id === id && !('method' in m));
    this.raw(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    return response as never;
  }

  /** The next message (from now on) that satisfies `predicate`. */
  next(predicate: (m: Message) => boolean): Promise<Message> {
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  /** The first message, already received or to come, that satisfies `predicate`. */
  seen(predicate: (m: Message) => boolean): Promise<Message> {
    const found = this.messages.find(predicate);
    return found ? Promise.resolve(found) : this.next(predicate);
  }

  exit(): Promise<number | null> {
    return this.exited;
  }

  kill(): void {
    if (this.exitCode === undefined) this.child.kill();
  }
}

export function isPublish(uri: string, predicate: (diagnostics: { message: string; code?: unknown }[]) => boolean = () => true) {
  return (m: Message) => {
    const n = m as { method?: string; params?: { uri: string; diagnostics: { message: string; code?: unknown }[] } };
    return n.method === 'textDocument/publishDiagnostics' && n.params?.uri === uri && predicate(n.params.diagnostics);
  };
}

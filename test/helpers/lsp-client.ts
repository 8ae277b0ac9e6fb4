import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_NODE_OPTIONS } from '../../server/src/protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import {
  ConfigurationRequest,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  ExitNotification,
  ShowMessageNotification,
  ShowMessageRequest,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';

/** The bundled server over stdio with a real JSON-RPC client; waits are on messages, never timers. */
export class LspClient {
  readonly connection: ProtocolConnection;
  readonly latest = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: { predicate: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  stderr = '';
  readonly messages: string[] = [];
  /** How many publishDiagnostics notifications have arrived. */
  published = 0;
  /** The `mlready` settings this client answers with, per document (`workspace/configuration`). */
  settings: (scopeUri: string | undefined) => unknown = () => ({ enable: true });

  private constructor(readonly process: ChildProcessWithoutNullStreams) {
    this.connection = createProtocolConnection(new StreamMessageReader(process.stdout), new StreamMessageWriter(process.stdin));
    process.stderr.on('data', (chunk) => (this.stderr += String(chunk)));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published++;
      this.latest.set(params.uri, params);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        if (this.waiters[i].predicate(params)) {
          this.waiters[i].resolve(params);
          this.waiters.splice(i, 1);
        }
      }
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => this.settings(item.scopeUri)));
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    this.connection.onNotification(ShowMessageNotification.type, (params) => void this.messages.push(params.message));
    this.connection.onRequest(ShowMessageRequest.type, (params) => {
      this.messages.push(params.message);
      return null;
    });
    this.connection.listen();
  }

  static async start(
    rootDir: string,
    options: { settings?: (scopeUri: string | undefined) => unknown; trusted?: boolean; env?: NodeJS.ProcessEnv; workspaceFolders?: boolean } = {},
  ): Promise<LspClient> {
    const serverPath = path.resolve(__dirname, '..', '..', 'dist', 'server.js');
    // With the Node options the VS Code client starts it with: the tests see the server users run.
    const child = spawn(process.execPath, [...SERVER_NODE_OPTIONS, serverPath, '--stdio'], { stdio: 'pipe', env: options.env ?? process.env });
    const client = new LspClient(child);
    if (options.settings) client.settings = options.settings;
    await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(rootDir).href,
      workspaceFolders: [{ uri: pathToFileURL(rootDir).href, name: 'stress' }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: options.workspaceFolders ?? false },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
      initializationOptions: { trusted: options.trusted ?? true },
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** The first diagnostics (already received or to come) for `uri` that satisfy `predicate`. */
  diagnostics(uri: string, predicate: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
    const seen = this.latest.get(uri);
    if (seen && predicate(seen)) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ predicate: (p) => p.uri === uri && predicate(p), resolve }));
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    await exited;
    this.connection.dispose();
  }
}

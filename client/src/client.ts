import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { SERVER_NAME, SERVER_NODE_OPTIONS, StatusNotification, type InitializationOptions } from '../../server/src/protocol';
import { ServerStatus } from './status';
import { serverCommandMiddleware } from './commands';
import { notebookSyncMiddleware, speedUpNotebookSync } from './notebook-sync';
import { CellIndex } from './cell-index';
import { traceChannel } from './trace-channel';

/**
 * Python files on disk and unsaved, the python cells of Jupyter notebooks and of the Interactive
 * Window, and notebooks' markdown cells: VS Code asks for a notebook's code actions (fix all on
 * save) on its first cell, which is often markdown.
 */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
  { notebook: 'jupyter-notebook', language: 'python' },
  { notebook: 'jupyter-notebook', language: 'markdown' },
  { notebook: 'interactive', language: 'python' },
];

/** Crashes tolerated within `RESTART_WINDOW_MS` before the client stops restarting the server. */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

/**
 * Owns the language client: starts the bundled server over IPC, restarts it when it crashes
 * (a few times, then gives up and says so), and keeps the status item and the output channel.
 */
export class MlreadyClient implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private readonly status: ServerStatus;
  private client: LanguageClient | undefined;
  private readonly crashes: number[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  /** The output channel as the protocol trace sees it: redacted, and at Trace while `mlready.trace.server` is on. */
  private readonly trace: vscode.LogOutputChannel;
  private readonly started = new vscode.EventEmitter<LanguageClient>();
  /** The open notebooks' cells by document URI, for the notebook sync's lookups (kept across restarts). */
  private readonly cells = new CellIndex();
  /** Fires with the language client after each successful (re)start, for features that send it requests. */
  readonly onDidStart = this.started.event;

  /** The language client while it runs. */
  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  constructor(readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel(SERVER_NAME, { log: true });
    const trace = traceChannel(this.output);
    this.trace = trace.channel;
    this.status = new ServerStatus([{ language: 'python' }]); // scripts and notebook cells alike
    this.disposables.push(
      this.output,
      trace,
      this.status,
      this.started,
      // Trust changes what the server may read: restart it with the new setting.
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restart()),
      vscode.workspace.onDidOpenNotebookDocument((notebook) => this.cells.opened(notebook)),
      vscode.workspace.onDidChangeNotebookDocument((event) => this.cells.changed(event)),
      vscode.workspace.onDidCloseNotebookDocument((notebook) => this.cells.closed(notebook)),
    );
    for (const notebook of vscode.workspace.notebookDocuments) this.cells.opened(notebook);
  }

  async start(): Promise<void> {
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS] } },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS, '--nolazy', '--inspect=6010'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.output,
      // The trace holds the documents sent to the server: it is redacted like every other log.
      traceOutputChannel: this.trace,
      initializationOptions: (): InitializationOptions => ({ trusted: vscode.workspace.isTrusted, showsCommandResults: true }),
      errorHandler: this.errorHandler(),
      middleware: {
        executeCommand: serverCommandMiddleware(this),
        notebooks: notebookSyncMiddleware,
      },
      // Settings are pulled by the server (workspace/configuration); it registers for changes.
    };
    const client = new LanguageClient('mlready', 'mlready', serverOptions, clientOptions);
    this.client = client;
    this.status.starting();
    client.onDidChangeState((event) => {
      if (event.newState === State.Stopped && this.client === client) this.status.stopped('the language server stopped');
    });
    this.disposables.push(client.onNotification(StatusNotification, (params) => this.status.update(params)));
    if (!speedUpNotebookSync(client, this.cells)) this.output.warn('vscode-languageclient has changed: large notebooks sync at its own pace');
    try {
      await client.start();
      this.started.fire(client);
    } catch (error) {
      const message = `mlready: the language server did not start: ${error instanceof Error ? error.message : String(error)}`;
      this.output.appendLine(message);
      this.status.stopped(message);
      void vscode.window.showErrorMessage(message, 'Show Output').then((choice) => choice && this.output.show());
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client && client.needsStop()) await client.stop();
  }

  async restart(): Promise<void> {
    this.crashes.length = 0;
    await this.stop();
    await this.start();
  }

  private errorHandler(): ErrorHandler {
    return {
      error: (_error, _message, count): ErrorHandlerResult => ({ action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
      closed: (): CloseHandlerResult => {
        const now = Date.now();
        this.crashes.push(now);
        while (this.crashes.length > 0 && now - this.crashes[0] > RESTART_WINDOW_MS) this.crashes.shift();
        if (this.crashes.length <= MAX_RESTARTS) {
          this.output.appendLine(`mlready: the language server stopped unexpectedly; restarting (${this.crashes.length}/${MAX_RESTARTS}).`);
          return { action: CloseAction.Restart };
        }
        const message = `mlready: the language server crashed ${this.crashes.length} times in ${RESTART_WINDOW_MS / 60000} minutes and will not be restarted. See the mlready output; run "mlready: Restart Language Server" to try again.`;
        this.status.stopped('the language server crashed repeatedly');
        return { action: CloseAction.DoNotRestart, message };
      },
    };
  }

  dispose(): void {
    void this.stop();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  ResponseError,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { createEngine, RULES, type Engine } from '../engine';
import {
  ReadinessRequest,
  ScaffoldColumnsRequest,
  ScaffoldPlanRequest,
  ScaffoldSourceRequest,
  SERVER_NAME,
  type InitializationOptions,
  type ReadinessParams,
} from '../protocol';
import { onRequest } from './typed';
import { codeActions, CODE_ACTION_KINDS, type CodeActionDeps } from './code-actions';
import { CommandService } from './commands';
import { ConfigDiagnostics } from './config-diagnostics';
import { DiagnosticsPublisher } from './diagnostics';
import { DocumentStore, uriToPath } from './documents';
import { hover } from './hover';
import { ReadinessService } from './readiness';
import { ScaffoldService, SCAFFOLD_ACTION_KIND } from './scaffold';
import { Log } from './log';
import { gatedTransport, REJECT_METHOD, type RejectParams } from './transport';
import { ConfigResolver } from './settings';
import { noteEdit, stopPretenuring } from './memory';
import { version } from '../../../package.json';

/**
 * Starts the mlready language server on the transport named on the command line
 * (`--stdio`, `--node-ipc`, `--socket=N`, `--pipe=NAME`): the VS Code client uses IPC, other
 * editors stdio. Returns the connection; the process lives until the client sends `exit`.
 * Every request and notification handler the server answers is registered here; the services
 * (readiness, scaffolds, commands, diagnostics) expose what the handlers call.
 */
export function startServer(): Connection {
  stopPretenuring();
  // Behind the gate (lsp/transport.ts): malformed bodies, bad params and requests after shutdown are answered there.
  const transport = gatedTransport();
  const connection = transport ? createConnection(ProposedFeatures.all, transport.reader, transport.writer) : createConnection(ProposedFeatures.all);
  connection.onRequest(REJECT_METHOD, (params: RejectParams) => new ResponseError(params.code, params.message));
  const log = new Log(connection);
  // After the messages saying why have been written (the protocol writes on its own turn).
  log.onParserStopped = () => void setTimeout(() => process.exit(1), 200);
  const store = new DocumentStore();

  const engine: Promise<Engine> = createEngine();
  engine.catch(() => undefined); // reported once the client is ready (below); handlers await it
  const configDiagnostics = new ConfigDiagnostics(connection);
  const readiness = new ReadinessService(connection, log, configDiagnostics);
  const scaffold = new ScaffoldService(connection, log, (folder) => readiness.score(folder));
  let codeActionDeps: CodeActionDeps | undefined;
  const commands = new CommandService(connection, log, scaffold, () => codeActionDeps);

  // Set up at `initialize`, when the client's capabilities and options are known.
  let config: ConfigResolver | undefined;
  let diagnostics: DiagnosticsPublisher | undefined;
  let versionedEdits = false;
  let dynamicConfiguration = false;
  let dynamicWatchedFiles = false;
  let workspaceFolderEvents = false;

  let trustedWorkspace = true;
  const trustedText = (): string => (trustedWorkspace ? 'trusted' : 'untrusted (pyproject.toml ignored)');
  connection.onInitialize((params): InitializeResult => {
    const capabilities = params.capabilities;
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    const trusted = options.trusted !== false;
    trustedWorkspace = trusted;
    versionedEdits = capabilities.workspace?.workspaceEdit?.documentChanges === true;
    dynamicConfiguration = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    dynamicWatchedFiles = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    workspaceFolderEvents = capabilities.workspace?.workspaceFolders === true;
    // Workspace folders: `mlready.exclude` globs and a relative `mlready.configuration` are resolved against them.
    const folders = (params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []))
      .map((uri) => uriToPath(uri))
      .filter((folder): folder is string => folder !== undefined);
    config = new ConfigResolver(connection, log, { trusted, pullSettings: capabilities.workspace?.configuration === true, folders }, configDiagnostics);
    diagnostics = new DiagnosticsPublisher(connection, engine, store, config, log);
    const publisher = diagnostics;
    codeActionDeps = { engine, store, config, versionedEdits, published: (uri, rule) => publisher.safeFixCount(uri, rule) };
    readiness.initialize(params);
    scaffold.initialize(params);
    commands.initialize(params);
    if (!trusted) log.info('untrusted workspace: pyproject.toml configuration is ignored');
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        // Every cell is synced (markdown too): cell numbers then match the editor's, and a
        // notebook-wide code action asked on a first cell that is markdown reaches the server.
        // Only python code cells are analysed. `interactive` is VS Code's Interactive Window.
        notebookDocumentSync: {
          notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' } }, { notebook: { notebookType: 'interactive' } }],
        },
        codeActionProvider: { codeActionKinds: [...CODE_ACTION_KINDS, SCAFFOLD_ACTION_KIND], resolveProvider: false },
        executeCommandProvider: { commands: commands.commands },
        hoverProvider: true,
        // (Workspace folder changes are registered for once initialized: onDidChangeWorkspaceFolders.)
        workspace: { workspaceFolders: { supported: true } },
      },
      serverInfo: { name: SERVER_NAME, version },
    };
  });

  connection.onInitialized(() => {
    configureLog();
    log.info(`${SERVER_NAME} ${version} (Node ${process.versions.node}): ${RULES.length} rules; workspace ${trustedText()}`);
    engine.then(
      () => log.status({ state: 'running', message: `${SERVER_NAME} ${version}: ${RULES.length} rules` }),
      (error: unknown) => {
        const message = `mlready could not load its Python parser: ${error instanceof Error ? error.message : String(error)}`;
        log.error(message);
        log.status({ state: 'error', message });
        void connection.window.showErrorMessage(message);
      },
    );
    if (dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'mlready' });
    if (dynamicWatchedFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/pyproject.toml' }] });
    readiness.initialized();
    if (workspaceFolderEvents) watchFolders();
  });

  store.onDidChange((key) => {
    noteEdit();
    readiness.edited();
    log.guard('didChange', undefined, () => diagnostics?.schedule(key));
  });
  store.onDidClose((key) =>
    log.guard('didClose', undefined, () => {
      diagnostics?.close(key);
      config?.documentClosed(key);
    }),
  );
  // The readiness report reads the files on disk: an unsaved edit cannot change it, a save can.
  // (Rescanning on every keystroke re-analysed a large notebook from disk while the user typed.)
  store.texts.onDidSave((event) => {
    readiness.documentChanged(event.document.uri);
    log.guard('didSave', undefined, () => diagnostics?.saved(event.document.uri));
  });
  store.notebooks.onDidSave((notebook) => {
    readiness.documentChanged(notebook.uri);
    log.guard('didSave', undefined, () => diagnostics?.saved(notebook.uri));
  });
  store.listen(connection);

  /** mlready.logLevel and mlready.showNotifications apply to the whole server. */
  const configureLog = (): void => {
    void config?.globalSettings().then((settings) => log.configure(settings));
  };
  connection.onDidChangeConfiguration(() =>
    log.guard('didChangeConfiguration', undefined, () => {
      config?.settingsChanged();
      configureLog();
      diagnostics?.scheduleAll();
    }),
  );
  let foldersWatched = false;
  const watchFolders = (): void => {
    if (foldersWatched || !config) return;
    foldersWatched = true;
    connection.workspace.onDidChangeWorkspaceFolders((event) =>
      log.guard('didChangeWorkspaceFolders', undefined, () => {
        const paths = (folders: readonly { uri: string }[]) =>
          folders.map((folder) => uriToPath(folder.uri)).filter((folder): folder is string => folder !== undefined);
        config?.foldersChanged(paths(event.added), paths(event.removed));
        diagnostics?.scheduleAll();
      }),
    );
  };
  connection.onDidChangeWatchedFiles((params) =>
    log.guard('didChangeWatchedFiles', undefined, () => {
      readiness.filesChanged(params.changes);
      config?.filesChanged();
      diagnostics?.scheduleAll();
    }),
  );

  connection.onCodeAction((params) =>
    log.guardAsync('codeAction', [], async () =>
      codeActionDeps ? [...(await codeActions(params, codeActionDeps)), ...scaffold.codeActions(params, store)] : [],
    ),
  );
  connection.onHover((params) => log.guard('hover', null, () => (diagnostics ? hover(params, diagnostics, store) : null)));
  connection.onExecuteCommand((params) => log.guardAsync('executeCommand', null, () => commands.execute(params)));
  connection.onRequest(ReadinessRequest.method, (params: ReadinessParams | undefined, token: CancellationToken) => readiness.handleRequest(params, token));
  onRequest(connection, ScaffoldPlanRequest, (params) => log.answering(() => scaffold.plan(params.kind, params).then((planned) => planned.result)));
  onRequest(connection, ScaffoldColumnsRequest, (params) => log.answering(() => scaffold.columns(params.data)));
  onRequest(connection, ScaffoldSourceRequest, (params) => log.answering(() => scaffold.source(params.from)));
  connection.onShutdown(() => {
    readiness.dispose();
    void engine.then(
      (loaded) => loaded.trees.clear(),
      () => undefined,
    );
  });

  process.on('uncaughtException', (error) => log.error('unexpected error', error));
  process.on('unhandledRejection', (error) => log.error('unhandled rejection', error));

  connection.listen();
  return connection;
}

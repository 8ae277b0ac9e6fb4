import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Disposable,
  type Connection,
  type Diagnostic,
  type FileEvent,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { Worker } from 'node:worker_threads';
import { AbortedError, type ReadinessProblem, type ReadinessReport, type ScanProgress } from '../engine/index';
import { ReadinessChangedNotification, type ReadinessParams, type WorkspaceReadinessReport } from '../protocol';
import { uriToPath } from './documents';
import { sharedEditClock } from './memory';
import type { ReadinessJob, ReadinessWorkerMessage } from './readiness-worker';
import type { Log } from './log';
import type { ConfigDiagnostics } from './config-diagnostics';
import { sendNotification } from './typed';
import { redact, redactDeep } from '../engine/index';
import { readConfigTextAsync, readinessSkipsFolder } from '../engine/index';

/** Quiet time after the last change before the report is recomputed. */
export const READINESS_DEBOUNCE_MS = 1000;

/**
 * How much of a project the editor's scan reads. Every Python file and notebook of a real
 * repository, as `mlready readiness` does (the first 1,000 on the server's thread gave four of
 * huggingface/diffusers' verdicts wrong), up to 5,000; the files listed and the text read keep the
 * bounds the editor had (20,000 files, 64 MB of text), since the report stays in memory while the
 * editor runs.
 */
const EDITOR_SCAN = { maxPythonFiles: 5_000 } as const;

/**
 * The scan thread's heap limit (`MLREADY_READINESS_HEAP_MB` in the server's environment sets
 * another). The scan of huggingface/diffusers (2,092 Python files) takes the server's resident
 * memory to about 300 MB; a crafted tree that needs more than this stops the scan with a message,
 * not the language server.
 */
const READINESS_HEAP_MB = Number(process.env.MLREADY_READINESS_HEAP_MB) || 1024;

/** Starts the readiness thread: its bundle beside the server's (dist/readiness-worker.js), or, from source, the TypeScript through tsx. */
function startReadinessWorker(job: ReadinessJob): Worker {
  const options = { workerData: job, resourceLimits: { maxOldGenerationSizeMb: READINESS_HEAP_MB } };
  if (__filename.endsWith('.ts'))
    return new Worker(`require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'readiness-worker.ts'))});`, { ...options, eval: true });
  return new Worker(path.join(__dirname, 'readiness-worker.js'), options);
}

/** Runs `job` in its own thread: its progress as it comes, its report at the end; `signal` stops the thread. */
function runInWorker(
  job: ReadinessJob,
  signal: AbortSignal,
  onProgress: (progress: ScanProgress) => void,
): Promise<{ report: ReadinessReport; configProblems: ReadinessProblem[] }> {
  if (signal.aborted) return Promise.reject(new AbortedError());
  const worker = startReadinessWorker(job);
  let stop: () => void = () => undefined;
  return new Promise<{ report: ReadinessReport; configProblems: ReadinessProblem[] }>((resolve, reject) => {
    stop = () => reject(new AbortedError());
    signal.addEventListener('abort', stop, { once: true });
    worker.on('message', (message: ReadinessWorkerMessage) => {
      if (message.kind === 'progress') onProgress(message.progress);
      else if (message.kind === 'done') resolve(message);
      else reject(new Error(message.message));
    });
    worker.on('error', (error: Error & { code?: string }) =>
      reject(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new Error(`the readiness scan needed more than ${READINESS_HEAP_MB} MB and was stopped; \`mlready readiness\` assesses the project from a terminal`)
          : error,
      ),
    );
    worker.on('exit', (code) => reject(new Error(`the readiness scan stopped (exit code ${code}) before its report`)));
  }).finally(() => {
    signal.removeEventListener('abort', stop);
    void worker.terminate();
  });
}

interface Run {
  controller: AbortController;
  promise: Promise<WorkspaceReadinessReport>;
  /** Requests waiting for this run: when the last one is cancelled, the run is stopped. */
  waiting: number;
}

/** The request was cancelled with `$/cancelRequest`: answered with RequestCancelled. */
class CancelledError extends Error {}

interface FolderState {
  uri: string;
  root: string;
  report?: WorkspaceReadinessReport;
  /** Files changed since `report` was computed. */
  stale: boolean;
  running?: Run;
  timer?: NodeJS.Timeout;
  /** Config files that carry readiness diagnostics now. */
  diagnosed: Set<string>;
}

/**
 * The readiness report of each workspace folder, for the `mlready/readiness` request: computed
 * in the background on first request (the scan yields to the event loop between files, so
 * diagnostics keep flowing), cached, and recomputed ~1 s after the last change (an edit, a save,
 * a file created or deleted), cancelling a run in progress. Each fresh report is announced with
 * `mlready/readinessChanged`; invalid attestations become the report's problems and diagnostics
 * on the config file. Folders nobody asked about are never scanned.
 */
export class ReadinessService {
  private readonly folders = new Map<string, FolderState>();
  private defaultFolder: string | undefined;
  private dynamicWatchedFiles = false;

  constructor(
    private readonly connection: Connection,
    private readonly log: Log,
    private readonly configDiagnostics: ConfigDiagnostics,
    private readonly delay = READINESS_DEBOUNCE_MS,
  ) {}

  /** `mlready/readiness` (registered in start.ts with every other handler). */
  async handleRequest(params: ReadinessParams | undefined, token: CancellationToken): Promise<WorkspaceReadinessReport | ResponseError | null> {
    try {
      return await this.request(params ?? {}, token);
    } catch (error) {
      if (error instanceof CancelledError) return new ResponseError(LSPErrorCodes.RequestCancelled, 'the readiness request was cancelled');
      this.log.error('readiness failed', error);
      // Said to the client, which shows it where the report would be (a null answer left the view saying "Computing…").
      const reason = error instanceof Error ? error.message : String(error);
      return new ResponseError(ErrorCodes.InternalError, redact(`the readiness report could not be computed: ${reason.split('\n')[0]}`));
    }
  }

  /** False in an untrusted workspace (initialization option `trusted: false`): attestations are ignored. */
  private trusted = true;

  initialize(params: InitializeParams): void {
    this.trusted = (params.initializationOptions as { trusted?: boolean } | undefined)?.trusted !== false;
    this.dynamicWatchedFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.defaultFolder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? (params.rootPath ? pathToFileURL(params.rootPath).href : undefined);
  }

  /** After `initialized`: watch every file, since the checks read Dockerfiles, CI workflows, lock files and docs as well as Python. */
  initialized(): void {
    if (this.dynamicWatchedFiles) void this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
  }

  /** A document was edited or saved (by URI; a notebook cell counts for its notebook). */
  documentChanged(uri: string): void {
    this.invalidate(uriToPath(uri));
  }

  filesChanged(changes: readonly FileEvent[]): void {
    for (const change of changes) this.invalidate(uriToPath(change.uri));
  }

  /** The report of a folder: the cached one while nothing changed, else the run in progress (or a new one). */
  async request(params: ReadinessParams, token?: CancellationToken): Promise<WorkspaceReadinessReport | null> {
    const uri = params.folder ?? this.defaultFolder;
    const root = uri && uriToPath(uri);
    if (!uri || !root) return null;
    let state = this.folders.get(uri);
    if (!state) {
      state = { uri, root, stale: true, diagnosed: new Set() };
      this.folders.set(uri, state);
    }
    if (params.refresh) this.markStale(state);
    for (;;) {
      if (state.report && !state.stale) return state.report;
      if (token?.isCancellationRequested) throw new CancelledError();
      const run = state.running ?? this.start(state);
      run.waiting++;
      let cancel: Disposable | undefined;
      try {
        const cancelled = new Promise<never>((_, rejectCancelled) => {
          cancel = token?.onCancellationRequested(() => rejectCancelled(new CancelledError()));
        });
        return await Promise.race([run.promise, cancelled]);
      } catch (error) {
        if (error instanceof CancelledError) {
          // Nobody else waits for this run: stop the scan (it yields between files).
          if (run.waiting === 1 && state.running === run) this.markStale(state);
          throw error;
        }
        if (!(error instanceof AbortedError)) throw error;
        // Restarted by a change while we waited: wait for the newer run.
      } finally {
        run.waiting--;
        cancel?.dispose();
      }
    }
  }

  dispose(): void {
    for (const state of this.folders.values()) {
      clearTimeout(state.timer);
      state.running?.controller.abort();
    }
  }

  private invalidate(file: string | undefined): void {
    if (!file) return;
    for (const state of this.folders.values()) {
      const relative = path.relative(state.root, file);
      if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
      if (inSkippedFolder(relative)) continue;
      this.markStale(state);
      clearTimeout(state.timer);
      state.timer = setTimeout(() => {
        state.timer = undefined;
        if (!state.running) this.start(state);
      }, this.delay);
    }
  }

  private markStale(state: FolderState): void {
    state.stale = true;
    state.running?.controller.abort();
    state.running = undefined;
  }

  private start(state: FolderState): Run {
    clearTimeout(state.timer);
    state.timer = undefined;
    const controller = new AbortController();
    const run: Run = { controller, promise: this.compute(state, controller.signal), waiting: 0 };
    run.promise.catch(() => undefined); // a run nobody waits for any more may still end in an error
    state.running = run;
    state.stale = false;
    run.promise.then(
      (report) => {
        if (state.running !== run) return;
        state.running = undefined;
        state.report = report;
        void sendNotification(this.connection, ReadinessChangedNotification, { folder: state.uri, score: report.score, band: report.band });
      },
      (error: unknown) => {
        if (state.running === run) {
          state.running = undefined;
          state.stale = true;
        }
        if (!(error instanceof AbortedError)) this.log.error(`readiness of ${state.root} failed`, error);
      },
    );
    return run;
  }

  private async compute(state: FolderState, signal: AbortSignal): Promise<WorkspaceReadinessReport> {
    // A no-op reporter when the client does not support window/workDoneProgress.
    const progress = await this.connection.window.createWorkDoneProgress();
    progress.begin('mlready: readiness', 0, 'listing files', false);
    let reported = 0;
    const onProgress = (update: ScanProgress): void => {
      const now = Date.now();
      if (now - reported < 150) return;
      reported = now;
      const percentage = update.phase === 'analysing' && update.total > 0 ? Math.round((update.done / update.total) * 100) : 0;
      const counted = { parsing: 'configuration files and documents', analysing: 'Python files' } as const;
      progress.report(
        percentage,
        update.phase === 'analysing' || update.phase === 'parsing'
          ? `${update.phase} ${update.done}/${update.total} ${counted[update.phase]}`
          : `${update.phase} files`,
      );
    };
    try {
      const job: ReadinessJob = { mlreadyReadinessWorker: true, root: state.root, trusted: this.trusted, editClock: sharedEditClock(), limits: EDITOR_SCAN };
      const { report, configProblems } = await runInWorker(job, signal, onProgress);
      if (signal.aborted) throw new AbortedError();
      await this.publishConfigDiagnostics(state, configProblems);
      return redactDeep({ ...report, folder: state.uri });
    } finally {
      progress.done();
    }
  }

  private async publishConfigDiagnostics(state: FolderState, problems: readonly ReadinessProblem[]): Promise<void> {
    const byFile = new Map<string, Diagnostic[]>();
    for (const problem of problems) {
      const file = path.join(state.root, problem.path);
      const uri = pathToFileURL(file).href;
      const line = Math.max(0, (problem.line ?? 1) - 1);
      const text = (await readConfigTextAsync(file).catch(() => undefined)) ?? '';
      const length = text.split(/\r?\n/)[line]?.length ?? 0;
      const list = byFile.get(uri) ?? [];
      list.push({
        range: { start: { line, character: 0 }, end: { line, character: length } },
        severity: DiagnosticSeverity.Error,
        source: 'mlready',
        code: 'readiness-attestation',
        message: problem.message,
      });
      byFile.set(uri, list);
    }
    for (const uri of state.diagnosed) if (!byFile.has(uri)) this.configDiagnostics.set(uri, 'readiness-attestation', []);
    for (const [uri, diagnostics] of byFile) this.configDiagnostics.set(uri, 'readiness-attestation', diagnostics);
    state.diagnosed = new Set(byFile.keys());
  }
}

/** True when a changed file lies in a folder the readiness scan leaves out: its change cannot alter the report. */
function inSkippedFolder(relative: string): boolean {
  const folders = relative.split(path.sep).slice(0, -1);
  for (let i = 0; i < folders.length; i++) {
    if (readinessSkipsFolder(folders[i], folders.slice(0, i + 1).join('/'))) return true;
  }
  return false;
}

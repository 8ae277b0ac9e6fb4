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
import { fork, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import { AbortedError, type PackedFacts, type ReadinessProblem, type ScanProgress } from '../engine/index';
import { ReadinessChangedNotification, type ReadinessParams, type WorkspaceReadinessReport } from '../protocol';
import { uriToPath } from './documents';
import { SCAN_PROCESS_FLAG, type ReadinessJob, type ReadinessWorkerMessage, type ToScanProcess } from './readiness-protocol';
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
 * The scan process's heap limit (`MLREADY_READINESS_HEAP_MB` in the server's environment sets
 * another). The scan of huggingface/diffusers (2,092 Python files) peaks at about 250 MB; a
 * crafted tree that needs more than this stops the scan with a message, not the language server.
 */
const READINESS_HEAP_MB = Math.max(16, Math.round(Number(process.env.MLREADY_READINESS_HEAP_MB)) || 1024);

/** How often the scan process is told that the user is typing (it waits for a pause before each file). */
const EDIT_NOTICE_MS = 100;

/**
 * Starts the scan process: the bundle beside the server's (dist/readiness-worker.js), or, from
 * source, the TypeScript through tsx. Its stdout is not the server's: over `--stdio` that is the
 * LSP stream. It runs at a lower priority than the server, which answers keystrokes.
 */
function startScanProcess(): ChildProcess {
  const fromSource = __filename.endsWith('.ts');
  const child = fork(path.join(__dirname, fromSource ? 'readiness-worker.ts' : 'readiness-worker.js'), [SCAN_PROCESS_FLAG], {
    execArgv: [...(fromSource ? ['--import', 'tsx'] : []), `--max-old-space-size=${READINESS_HEAP_MB}`],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  try {
    if (child.pid !== undefined) os.setPriority(child.pid, Math.min(19, os.getPriority() + 5));
  } catch {
    // Not permitted here: it runs at the server's priority.
  }
  return child;
}

/**
 * Runs `job` in its own process (in `running` while it runs): its progress as it comes, its
 * report at the end; `signal` stops it. The process ends with the scan, so what the scan held goes back to the system: in a thread
 * of the server, the memory of each scan stayed with the server (resident 231-245 MB after the
 * second scan of huggingface/diffusers, 118-128 MB after the first).
 */
function runScan(
  job: ReadinessJob,
  signal: AbortSignal,
  onProgress: (progress: ScanProgress) => void,
  running: Set<ChildProcess>,
): Promise<Extract<ReadinessWorkerMessage, { kind: 'done' }>> {
  if (signal.aborted) return Promise.reject(new AbortedError());
  const child = startScanProcess();
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  let stop: () => void = () => undefined;
  return new Promise<Extract<ReadinessWorkerMessage, { kind: 'done' }>>((resolve, reject) => {
    stop = () => reject(new AbortedError());
    signal.addEventListener('abort', stop, { once: true });
    child.on('message', (message: ReadinessWorkerMessage) => {
      if (message.kind === 'progress') onProgress(message.progress);
      else if (message.kind === 'done') resolve(message);
      else reject(new Error(message.message));
    });
    child.on('error', reject);
    child.on('exit', (code, signalName) =>
      reject(
        /heap out of memory|Reached heap limit/.test(stderr)
          ? new Error(`the readiness scan needed more than ${READINESS_HEAP_MB} MB and was stopped; \`mlready readiness\` assesses the project from a terminal`)
          : new Error(
              `the readiness scan stopped (${signalName ?? `exit code ${code}`}) before its report${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`,
            ),
      ),
    );
    child.send({ kind: 'job', job } satisfies ToScanProcess);
  }).finally(() => {
    running.delete(child);
    signal.removeEventListener('abort', stop);
    if (child.exitCode === null && child.signalCode === null) child.kill();
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
  /** The facts of the last complete scan, packed (`FactsCache`): the next scan analyses only the files changed since. */
  facts: PackedFacts[];
  /** Scanned again after each change, for the panel; a folder asked about only for a score (`score`) is scanned when asked. */
  watched: boolean;
}

/**
 * The readiness report of each workspace folder, for the `mlready/readiness` request: computed
 * in a process of its own on first request (`runScan`), cached, and recomputed ~1 s after the
 * last change (a save, a file created or deleted), cancelling a run in progress; each scan starts
 * from the facts of the last (`FactsCache`), so only the files changed since are analysed. Each
 * fresh report is announced with `mlready/readinessChanged`; invalid attestations become the
 * report's problems and diagnostics on the config file. Folders nobody asked about are never
 * scanned.
 */
export class ReadinessService {
  private readonly folders = new Map<string, FolderState>();
  /** The scan processes running now: told when the user types. */
  private readonly scanning = new Set<ChildProcess>();
  private lastEditNotice = 0;
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

  /** The user typed (any document): a running scan waits for a pause before its next file. */
  edited(): void {
    const now = performance.now();
    if (this.scanning.size === 0 || now - this.lastEditNotice < EDIT_NOTICE_MS) return;
    this.lastEditNotice = now;
    for (const child of this.scanning) {
      try {
        child.send({ kind: 'edit' } satisfies ToScanProcess);
      } catch {
        // The process is ending: nothing to tell it.
      }
    }
  }

  /** A document was saved (by URI; a notebook cell counts for its notebook). */
  documentChanged(uri: string): void {
    this.invalidate(uriToPath(uri));
  }

  filesChanged(changes: readonly FileEvent[]): void {
    for (const change of changes) this.invalidate(uriToPath(change.uri));
  }

  /** The report of a folder: the cached one while nothing changed, else the run in progress (or a new one). */
  async request(params: ReadinessParams, token?: CancellationToken, watch = true): Promise<WorkspaceReadinessReport | null> {
    const uri = params.folder ?? this.defaultFolder;
    const root = uri && uriToPath(uri);
    if (!uri || !root) return null;
    let state = this.folders.get(uri);
    if (!state) {
      state = { uri, root, stale: true, diagnosed: new Set(), facts: [], watched: watch };
      this.folders.set(uri, state);
    }
    if (watch) state.watched = true;
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

  /**
   * The readiness score of a folder (undefined: the workspace's), for the CI scaffold's ratchet:
   * the current report when there is one, else a scan in the scan process. A folder the panel
   * does not show is not scanned again after each change.
   */
  async score(folder: string | undefined): Promise<number | undefined> {
    return (await this.request({ folder }, undefined, false))?.score;
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
      if (!state.watched) continue;
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
      const job: ReadinessJob = {
        root: state.root,
        trusted: this.trusted,
        limits: EDITOR_SCAN,
        facts: state.facts,
      };
      const { report, configProblems, facts, reused, analysed } = await runScan(job, signal, onProgress, this.scanning);
      if (signal.aborted) throw new AbortedError();
      state.facts = facts;
      this.log.info(`readiness of ${state.root}: ${analysed} Python files analysed, ${reused} unchanged since the last scan`);
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

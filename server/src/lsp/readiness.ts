import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Disposable,
  type Connection,
  type Diagnostic,
  type FileEvent,
  type InitializeParams,
} from 'vscode-languageserver/node';
import type { Engine } from '../engine/index';
import {
  AbortedError,
  assessInTurns,
  computeReadiness,
  EngineFactsProvider,
  readAttestations,
  ReadinessConfigError,
  scanWorkspace,
  type ReadinessProblem,
  type ReadinessReport,
  type ScanProgress,
} from '../engine/index';
import { ReadinessChangedNotification, type ReadinessParams, type WorkspaceReadinessReport } from '../protocol';
import { uriToPath } from './documents';
import { collectGarbageAbove, untilTypingPauses } from './memory';
import type { Log } from './log';
import type { ConfigDiagnostics } from './config-diagnostics';
import { sendNotification } from './typed';
import { redactDeep } from '../engine/index';
import { readConfigTextAsync, readinessSkipsFolder } from '../engine/index';

/** Quiet time after the last change before the report is recomputed. */
export const READINESS_DEBOUNCE_MS = 1000;

/** The scan collects its garbage when the heap holds this much more than is live (see `collectGarbageAbove`). */
const SCAN_GARBAGE_BYTES = 16 * 1024 * 1024;

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
    private readonly engine: Promise<Engine>,
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
      return null;
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
    const engine = await this.engine;
    // A no-op reporter when the client does not support window/workDoneProgress.
    const progress = await this.connection.window.createWorkDoneProgress();
    progress.begin('mlready: readiness', 0, 'listing files', false);
    let reported = 0;
    const onProgress = (update: ScanProgress): void => {
      if (update.phase === 'analysing' || update.phase === 'parsing') collectGarbageAbove(SCAN_GARBAGE_BYTES);
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
      let report: ReadinessReport;
      let configProblems: ReadinessProblem[] = [];
      try {
        report = await computeReadiness(state.root, engine, { signal, onProgress, pause: untilTypingPauses, attestations: this.trusted });
      } catch (error) {
        if (!(error instanceof ReadinessConfigError) || !this.trusted) throw error;
        // Invalid attestations: assess with the valid ones, and say what is wrong where.
        const lenient = await readAttestations(state.root);
        configProblems = lenient.problems.length > 0 ? lenient.problems : error.problems;
        const workspace = await scanWorkspace(state.root, new EngineFactsProvider(engine, state.root), { signal, onProgress, pause: untilTypingPauses });
        if (signal.aborted) throw new AbortedError();
        report = await assessInTurns(workspace, lenient.attestations, { signal, pause: untilTypingPauses });
        report.problems.unshift(...configProblems, ...lenient.unread);
      }
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

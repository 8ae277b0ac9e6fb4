import * as os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createEngine, applyOverrides, ConfigLoader, type ConfigOverrides, type ConfigIssue } from '../engine/index';
import type { CheckedFile } from './check-format';
import { rewriteFile, type Rewrite } from './write';

/** One file to check, and whether to fix it first. */
export interface CheckJob {
  absolute: string;
  shown: string;
  /** The real path of the checked folder the file was found in: fixes are never written outside it. */
  root: string;
}

export interface CheckJobResult {
  file: CheckedFile;
  fixed: number;
  configIssues: ConfigIssue[];
}

export interface PoolOptions {
  overrides: ConfigOverrides;
  fix: Rewrite | false;
  /** Per-file time budget in milliseconds: a file that takes longer is reported and skipped. */
  budgetMs: number;
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

interface WorkerInit {
  mlreadyCheckWorker: true;
  overrides: ConfigOverrides;
  fix: Rewrite | false;
}

/** Checks one file in this thread: what each worker does for each job. */
export async function checkOne(job: CheckJob, overrides: ConfigOverrides, fix: Rewrite | false, loader: ConfigLoader): Promise<CheckJobResult> {
  const engine = await createEngine();
  const loaded = loader.forFile(job.absolute);
  const config = applyOverrides(loaded.config, overrides);
  const kind = job.absolute.endsWith('.ipynb') ? 'notebook' : 'script';
  let fixed = 0;
  if (fix) {
    const outcome = rewriteFile(engine, job.absolute, job.shown, fix, { config }, job.root);
    if (outcome.error) return { file: { path: job.shown, kind, error: outcome.error, findings: [] }, fixed: 0, configIssues: loaded.issues };
    fixed = outcome.applied;
  }
  const result = engine.analyzeFile(job.absolute, { config, displayPath: job.shown });
  // Analyses hold tree nodes; only plain data crosses to the main thread.
  const file: CheckedFile = result.ok
    ? {
        path: job.shown,
        kind: result.kind,
        findings: result.findings.map(({ rule, severity, message, start, end, range, cell, cellNumber, fix: f }) => ({
          rule,
          severity,
          message,
          start,
          end,
          range,
          cell,
          cellNumber,
          fix: f,
        })),
        failures: result.failures,
      }
    : { path: job.shown, kind: result.kind, error: result.error, findings: [] };
  return { file, fixed, configIssues: loaded.issues };
}

/**
 * Checks files on worker threads (one per core, at most one per 20 files), one file at a time
 * per worker so a file that exceeds its time budget can be reported and its worker replaced,
 * while the other files go on.
 */
export async function checkInPool(jobs: readonly CheckJob[], options: PoolOptions): Promise<CheckJobResult[]> {
  const results: CheckJobResult[] = new Array(jobs.length);
  if (jobs.length === 0) return results;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const count = Math.max(1, Math.min(options.workers ?? cores, Math.ceil(jobs.length / 20)));
  let next = 0;
  let done = 0;
  const init: WorkerInit = { mlreadyCheckWorker: true, overrides: options.overrides, fix: options.fix };

  await new Promise<void>((resolve, reject) => {
    let live = 0;
    const startWorker = (): void => {
      // From source (tests), the worker needs the TypeScript loader too; the bundle is plain JavaScript.
      const worker = __filename.endsWith('.ts')
        ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, { eval: true, workerData: init })
        : new Worker(__filename, { workerData: init });
      live++;
      let current = -1;
      let timer: NodeJS.Timeout | undefined;
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        live--;
        if (timer) clearTimeout(timer);
        if (done === jobs.length && live === 0) resolve();
      };
      const give = (): void => {
        if (next >= jobs.length) {
          current = -1;
          void worker.terminate();
          return;
        }
        current = next++;
        timer = setTimeout(() => {
          const job = jobs[current];
          const kind = job.absolute.endsWith('.ipynb') ? 'notebook' : 'script';
          results[current] = {
            file: { path: job.shown, kind, error: `analysis took longer than ${Math.round(options.budgetMs / 1000)} s and was stopped`, findings: [] },
            fixed: 0,
            configIssues: [],
          };
          record();
          current = -1;
          void worker.terminate();
          // The rest of the queue goes to a fresh worker.
          if (next < jobs.length) startWorker();
        }, options.budgetMs);
        worker.postMessage(jobs[current]);
      };
      const record = (): void => {
        done++;
        options.onProgress?.(done, jobs.length);
      };
      worker.on('message', (message: CheckJobResult) => {
        if (current < 0) return;
        if (timer) clearTimeout(timer);
        results[current] = message;
        record();
        give();
      });
      worker.on('error', (error) => {
        if (current >= 0) {
          const job = jobs[current];
          results[current] = {
            file: { path: job.shown, kind: job.absolute.endsWith('.ipynb') ? 'notebook' : 'script', error: `analysis failed: ${error.message}`, findings: [] },
            fixed: 0,
            configIssues: [],
          };
          record();
          current = -1;
          if (next < jobs.length) startWorker();
        }
      });
      worker.on('exit', () => {
        finish();
        if (done === jobs.length && live === 0) resolve();
      });
      worker.once('online', give);
    };
    try {
      for (let i = 0; i < count; i++) startWorker();
    } catch (error) {
      reject(error);
    }
  });
  return results;
}

let workerStarted = false;

/** The worker side: answers each job with its result, one at a time. */
export function runWorker(): void {
  if (workerStarted || isMainThread || !parentPort) return;
  workerStarted = true;
  const init = workerData as WorkerInit;
  const loader = new ConfigLoader();
  const port = parentPort;
  port.on('message', (job: CheckJob) => {
    checkOne(job, init.overrides, init.fix, loader).then(
      (result) => port.postMessage(result),
      (error: unknown) => {
        const kind = job.absolute.endsWith('.ipynb') ? 'notebook' : 'script';
        port.postMessage({
          file: { path: job.shown, kind, error: `analysis failed: ${error instanceof Error ? error.message : String(error)}`, findings: [] },
          fixed: 0,
          configIssues: [],
        } satisfies CheckJobResult);
      },
    );
  });
}

export function isCheckWorker(): boolean {
  return !isMainThread && (workerData as WorkerInit | undefined)?.mlreadyCheckWorker === true;
}

// Started as a worker from source (tests), this module is the worker's entry point; in the
// bundle, cli.ts routes a worker here.
if (isCheckWorker()) runWorker();

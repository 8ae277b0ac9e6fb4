import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createEngine, applyOverrides, ConfigLoader, parserFailure, type ConfigOverrides, type ConfigIssue, type MlreadyConfig } from '../engine/index';
import type { CheckedFile } from './check-format';
import { rewriteFile, type Rewrite } from './write';
import { availableCores, startCheckWorker, workersFor, type PrestartedWorker, type WorkerInit } from './prestart';
import { budgetExceeded, endThread, watchInterval } from './file-budget';

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
  /** A worker started before the CLI loaded (bin.ts): the pool's first worker, if it started. */
  prestarted?: PrestartedWorker;
}

/** What a worker checks with: its first message, before any batch (a prestarted worker starts without it). */
interface WorkerSettings {
  overrides: ConfigOverrides;
  fix: Rewrite | false;
}

/**
 * The command line's overrides applied to each loaded configuration once, not once per file: the
 * engine computes rule severities once per configuration object, so a fresh object per file made
 * it recompute them for every file.
 */
const overridden = new WeakMap<MlreadyConfig, { overrides: ConfigOverrides; config: MlreadyConfig }>();

function withOverrides(config: MlreadyConfig, overrides: ConfigOverrides): MlreadyConfig {
  const cached = overridden.get(config);
  if (cached?.overrides === overrides) return cached.config;
  const result = applyOverrides(config, overrides);
  overridden.set(config, { overrides, config: result });
  return result;
}

/** Checks one file in this thread: what each worker does for each job. */
export async function checkOne(job: CheckJob, overrides: ConfigOverrides, fix: Rewrite | false, loader: ConfigLoader): Promise<CheckJobResult> {
  const engine = await createEngine();
  const loaded = loader.forFile(job.absolute);
  const config = withOverrides(loaded.config, overrides);
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
 * Checks files on worker threads (one per core, at most one per 20 files). Each worker is given a
 * few files at a time and answers with their results in one message: a message per file woke the
 * main thread for every file, which on a busy machine took the core from a worker (2.6 ms per file
 * lost inside postMessage, measured). Each worker says in shared memory which file it is analysing
 * and since when, so a file that exceeds its time budget is still reported on its own and its worker
 * replaced, while the other files of its batch go back to the queue.
 */
export async function checkInPool(jobs: readonly CheckJob[], options: PoolOptions): Promise<CheckJobResult[]> {
  const results: CheckJobResult[] = new Array(jobs.length);
  if (jobs.length === 0) return results;
  const count = workersFor(jobs.length, options.workers ?? availableCores());
  // Files not yet given to a worker, in order; a batch cut short goes back to the front.
  const queue: number[] = jobs.map((_, index) => index);
  let done = 0;
  const kindOf = (job: CheckJob): 'notebook' | 'script' => (job.absolute.endsWith('.ipynb') ? 'notebook' : 'script');
  const failed = (index: number, error: string): CheckJobResult => ({
    file: { path: jobs[index].shown, kind: kindOf(jobs[index]), error, findings: [] },
    fixed: 0,
    configIssues: [],
  });
  /** Batches shrink towards the end of the queue, so the workers finish together. */
  const batchSize = (): number => Math.max(1, Math.min(MAX_BATCH, Math.floor(queue.length / (count * 4))));

  await new Promise<void>((resolve, reject) => {
    let live = 0;
    const watched = new Set<{ check: () => void }>();
    const watchdog = setInterval(() => {
      for (const worker of watched) worker.check();
    }, watchInterval(options.budgetMs));
    const settle = (): void => {
      if (done === jobs.length && live === 0) {
        clearInterval(watchdog);
        resolve();
      }
    };
    const record = (index: number, result: CheckJobResult): void => {
      results[index] = result;
      done++;
      options.onProgress?.(done, jobs.length);
    };
    const startWorker = (): void => {
      // From source (tests), the worker needs the TypeScript loader too; the bundle is plain JavaScript.
      const { worker, progress } =
        options.prestarted?.take() ??
        (__filename.endsWith('.ts')
          ? startCheckWorker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, { eval: true })
          : startCheckWorker(workerEntry()));
      const current = new Int32Array(progress, 0, 1);
      const since = new Float64Array(progress, 8, 1);
      worker.postMessage({ settings: { overrides: options.overrides, fix: options.fix } } satisfies ToWorker);
      live++;
      let batch: number[] | undefined;
      let finished = false;
      let abandoned = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        live--;
        watched.delete(watch);
        settle();
      };
      /** Ends this worker's batch early: `index` gets `result`, the batch's other files are queued again. */
      const abandon = (index: number, result: CheckJobResult): void => {
        const rest = (batch ?? []).filter((other) => other !== index);
        batch = undefined;
        abandoned = true;
        watched.delete(watch);
        queue.unshift(...rest);
        record(index, result);
        void worker.terminate();
        // The rest of the queue goes to a fresh worker.
        if (queue.length > 0) startWorker();
      };
      const watch = {
        check: (): void => {
          if (!batch) return;
          const index = Atomics.load(current, 0);
          if (index < 0 || Date.now() - since[0] <= options.budgetMs) return;
          abandon(index, failed(index, budgetExceeded(options.budgetMs)));
        },
      };
      const give = (): void => {
        if (queue.length === 0) {
          batch = undefined;
          void worker.terminate();
          return;
        }
        batch = queue.splice(0, batchSize());
        watched.add(watch);
        worker.postMessage({ indices: batch, jobs: batch.map((index) => jobs[index]) } satisfies ToWorker);
      };
      worker.on('message', (message: CheckJobResult[]) => {
        if (abandoned || !batch) return;
        const answered = batch;
        batch = undefined;
        for (let k = 0; k < message.length; k++) record(answered[k], message[k]);
        give();
      });
      worker.on('error', (error) => {
        if (abandoned || !batch) return;
        // The file being analysed when it failed (or, failing outside a file, the batch's first).
        const running = Atomics.load(current, 0);
        const index = batch.includes(running) ? running : batch[0];
        abandon(index, failed(index, `analysis failed: ${error.message}`));
      });
      worker.on('exit', finish);
      // Messages wait in the worker's queue until it is ready (a prestarted worker may be already).
      give();
    };
    try {
      for (let i = 0; i < count; i++) startWorker();
    } catch (error) {
      clearInterval(watchdog);
      reject(error);
    }
  });
  return results;
}

/** The workers' own bundle beside this one (dist/check-worker.js), or this bundle when it is missing. */
function workerEntry(): string {
  const own = path.join(__dirname, 'check-worker.js');
  return __filename !== own && fs.existsSync(own) ? own : __filename;
}

/** Files sent to a worker in one message, with their indices in the pool's list. */
interface WorkerBatch {
  indices: number[];
  jobs: CheckJob[];
}

type ToWorker = { settings: WorkerSettings } | WorkerBatch;

/** At most this many files per message: enough to make messages rare, few enough to share the work evenly. */
const MAX_BATCH = 16;

let workerStarted = false;

/** The worker side: answers each batch of files with their results, in one message. */
export function runWorker(): void {
  if (workerStarted || isMainThread || !parentPort) return;
  workerStarted = true;
  const init = workerData as WorkerInit;
  const loader = new ConfigLoader();
  const port = parentPort;
  const current = new Int32Array(init.progress, 0, 1);
  const since = new Float64Array(init.progress, 8, 1);
  // One object for the worker's life: checkOne's configurations are memoised by its identity.
  let settings: WorkerSettings | undefined;
  const analyse = async (job: CheckJob): Promise<CheckJobResult> => {
    try {
      if (!settings) throw new Error('the worker was sent files before its settings');
      return await checkOne(job, settings.overrides, settings.fix, loader);
    } catch (error) {
      return {
        file: {
          path: job.shown,
          kind: job.absolute.endsWith('.ipynb') ? 'notebook' : 'script',
          error: `analysis failed: ${error instanceof Error ? error.message : String(error)}`,
          findings: [],
        },
        fixed: 0,
        configIssues: [],
      };
    }
  };
  port.on('message', (message: ToWorker) => {
    if ('settings' in message) {
      settings = message.settings;
      return;
    }
    void (async () => {
      const answers: CheckJobResult[] = [];
      for (let k = 0; k < message.jobs.length; k++) {
        since[0] = Date.now();
        Atomics.store(current, 0, message.indices[k]);
        answers.push(await analyse(message.jobs[k]));
        const failure = parserFailure();
        if (failure) {
          // The parser's WebAssembly aborted on this file and parses nothing more here: the worker
          // ends with the file's reason (still its current one), and the pool gives the batch's
          // other files to a new worker.
          endThread(failure);
          return;
        }
      }
      Atomics.store(current, 0, -1);
      port.postMessage(answers);
    })();
  });
}

export function isCheckWorker(): boolean {
  return !isMainThread && (workerData as WorkerInit | undefined)?.mlreadyCheckWorker === true;
}

// Started as a worker from source (tests), this module is the worker's entry point; in the
// bundle, cli.ts routes a worker here.
if (isCheckWorker()) runWorker();

// A `mlready check` worker, or the readiness scan's first analysis thread, started before the
// CLI's own bundle is loaded. dist/cli.js is a small entry (server/src/bin.ts) that starts the
// worker and then loads dist/cli-main.js: that bundle holds every command and takes about 70 ms to
// compile and 35 ms more to run its modules, and the worker (Node's start-up,
// dist/check-worker.js, the parser's WebAssembly) takes 150-190 ms to be ready. Started first, the
// two overlap: `mlready check` on one file went from 0.36 to 0.29 s (docs/performance.md, "A check
// worker started before the CLI loads").
//
// Only Node's own modules are imported here, so the entry stays small.
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';

/** The cores this process may use: one worker thread each (`mlready check`, the readiness scan). */
export function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/**
 * Files per worker below which another worker costs more than it saves: a worker takes 50-190 ms
 * to start, a file 5-10 ms to analyse.
 */
const FILES_PER_WORKER = 20;

/** How many workers `files` files are worth: one per `FILES_PER_WORKER` files, at least one, at most `cap`. */
export function workersFor(files: number, cap: number): number {
  return Math.max(1, Math.min(cap, Math.ceil(files / FILES_PER_WORKER)));
}

/** What a check worker is given when it starts: the settings come later, in its first message. */
export interface WorkerInit {
  mlreadyCheckWorker: true;
  /** The index of the file being analysed (-1 between batches) and when it started (Date.now()). */
  progress: SharedArrayBuffer;
}

/** A started worker and the shared memory it reports its progress in. */
export interface StartedWorker {
  worker: Worker;
  progress: SharedArrayBuffer;
}

/**
 * What a readiness analysis thread (cli/facts-pool.ts) is given when it starts: nothing of the
 * project, which comes in its first message, so the thread can start before the command line is read.
 */
export interface FactsWorkerInit {
  mlreadyFactsWorker: true;
}

/** Starts a readiness analysis thread from `entry` (a bundle, or a script for `eval`). */
export function startFactsWorker(entry: string, options: { eval?: boolean } = {}): { worker: Worker } {
  const init: FactsWorkerInit = { mlreadyFactsWorker: true };
  return { worker: new Worker(entry, { eval: options.eval ?? false, workerData: init }) };
}

/** Starts a check worker from `entry` (a bundle, or a script for `eval`). */
export function startCheckWorker(entry: string, options: { eval?: boolean } = {}): StartedWorker {
  const progress = new SharedArrayBuffer(16);
  new Int32Array(progress, 0, 1)[0] = -1;
  const init: WorkerInit = { mlreadyCheckWorker: true, progress };
  return { worker: new Worker(entry, { eval: options.eval ?? false, workerData: init }), progress };
}

/**
 * A worker started ahead of the pool that may use it. It holds no reference on the event loop
 * until the pool takes it, so a command that never checks a file (`check --help`, a usage error,
 * an empty folder) exits at once, and `dispose` stops it.
 */
export class PrestartedWorker<Started extends { worker: Worker } = StartedWorker> {
  private started: Started | undefined;

  /** `start` is `startCheckWorker` or `startFactsWorker` with the bundle's path. */
  constructor(start: () => Started) {
    try {
      this.started = start();
    } catch {
      return; // The pool starts its own.
    }
    const { worker } = this.started;
    worker.unref();
    // A worker that failed or ended before the pool took it is not given to the pool (whose exit
    // handler would never run), and is not the command's failure: the pool starts its own.
    const gone = (): void => {
      if (this.started?.worker === worker) this.started = undefined;
    };
    worker.on('error', gone);
    worker.on('exit', gone);
  }

  /** True while the worker can be taken: started, not taken, not failed or ended. */
  get available(): boolean {
    return this.started !== undefined;
  }

  /** The worker, once; afterwards (or if it failed) undefined. */
  take(): Started | undefined {
    const started = this.started;
    this.started = undefined;
    started?.worker.ref();
    return started;
  }

  /** Stops the worker if nothing took it. */
  dispose(): void {
    const started = this.take();
    if (started) void started.worker.terminate();
  }
}

/**
 * The command `argv` (after the program's name) runs that analyses files on worker threads: `check`
 * or `readiness`, not their help; otherwise undefined.
 */
export function commandWithWorkers(argv: readonly string[]): 'check' | 'readiness' | undefined {
  if (argv.some((arg) => arg === '--help' || arg === '-h')) return undefined;
  return argv[0] === 'check' || argv[0] === 'readiness' ? argv[0] : undefined;
}

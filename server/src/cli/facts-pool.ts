// The readiness scan's analysis on worker threads: `mlready readiness` and the editor's scan
// process (lsp/readiness-worker.ts) hand each Python file to a `FactsPool`, whose threads answer
// with its facts (engine/readiness/engine-facts.ts, `EngineFactsProvider.analyse`). In one thread,
// the analysis was 71% of `mlready readiness` on huggingface/diffusers; each file's is its own.
// The threads run the `mlready check` workers' bundle (dist/check-worker.js).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread, parentPort, type Worker, workerData } from 'node:worker_threads';
import { budgetExceeded, endThread, FILE_BUDGET_MS, watchInterval } from './file-budget';
import { availableCores, startFactsWorker, workersFor, type FactsWorkerInit, type PrestartedWorker } from './prestart';
import { createEngine, EngineFactsProvider, parserFailure, type FactsInput, type FactsWorkers, type PythonFacts } from '../engine/index';

/** A thread's first message: the project, whose configuration files it loads as the scan's own provider does. */
interface FactsProject {
  root: string;
}

interface FactsRequest {
  id: number;
  input: FactsInput;
}

type FactsReply = { id: number; facts: PythonFacts } | { id: number; error: string };

/**
 * Files in flight per thread: one being analysed, the next ones waiting in its queue. The scan
 * takes the answers in file order, so a slow file holds up the others' answers: with 8, each thread
 * of a diffusers scan idled behind the other's slow files (18.9 s against 16.7-17.5 with 32).
 */
const FILES_PER_THREAD = 32;

interface Pending {
  id: number;
  input: FactsInput;
  resolve: (facts: PythonFacts) => void;
  reject: (error: Error) => void;
}

/** One thread and the files it was sent, in the order it answers them. */
interface FactsThread {
  worker: Worker;
  pending: Pending[];
  /** When the thread began the first of `pending` (Date.now()). */
  since: number;
}

/**
 * Worker threads that analyse files for the readiness scan, started as the work comes: the first
 * with the first file, another whenever every thread has files waiting, up to the limit and to one
 * per 20 files the scan expects (a rescan that finds one changed file starts one). A thread that
 * fails (out of memory, a crash, its parser's WebAssembly aborted) fails the file it was
 * analysing, the one it answers next, and a new thread takes the files it had not begun; so does
 * a thread that spends longer than the per-file budget on a file (`MLREADY_FILE_BUDGET_MS`, as
 * `mlready check`), which is stopped. `close` ends the threads.
 */
export class FactsPool implements FactsWorkers {
  /** Files the threads answered. */
  answered = 0;
  private readonly threads: FactsThread[] = [];
  /** The most threads this pool starts; `expect` lowers it for a scan of a few files. */
  private maxThreads: number;
  private nextId = 0;
  private closed = false;
  private readonly watchdog: ReturnType<typeof setInterval>;

  private readonly prestarted: PrestartedWorker<{ worker: Worker }> | undefined;

  /**
   * Up to `maxThreads` threads (at least one) for the project at `root`. The first is `prestarted`
   * when that one is still available (`mlready readiness` starts it before the CLI loads).
   */
  constructor(
    private readonly root: string,
    maxThreads: number,
    options: { budgetMs?: number; prestarted?: PrestartedWorker<{ worker: Worker }> } = {},
  ) {
    const budgetMs = options.budgetMs ?? FILE_BUDGET_MS;
    this.prestarted = options.prestarted;
    this.maxThreads = Math.max(1, Math.floor(maxThreads));
    this.watchdog = setInterval(() => {
      for (const thread of [...this.threads]) {
        if (thread.pending.length === 0 || Date.now() - thread.since <= budgetMs) continue;
        this.replace(thread, budgetExceeded(budgetMs));
        void thread.worker.terminate();
      }
    }, watchInterval(budgetMs));
    this.watchdog.unref();
  }

  get concurrency(): number {
    return this.maxThreads * FILES_PER_THREAD;
  }

  /** A scan of `files` files: as many threads as they are worth (`workersFor`, as `mlready check`). */
  expect(files: number): void {
    this.maxThreads = Math.max(this.threads.length, workersFor(files, this.maxThreads));
  }

  /** The facts of one file; rejected when no thread can be started or the thread failed on it. */
  analyse(input: FactsInput): Promise<PythonFacts> {
    if (this.closed) return Promise.reject(new Error('the analysis threads were stopped'));
    let thread = this.threads.reduce<FactsThread | undefined>(
      (least, other) => (least && least.pending.length <= other.pending.length ? least : other),
      undefined,
    );
    if (!thread || (thread.pending.length > 0 && this.threads.length < this.maxThreads)) {
      try {
        thread = this.start();
      } catch (error) {
        return Promise.reject(error);
      }
      this.threads.push(thread);
    }
    const chosen = thread;
    return new Promise((resolve, reject) => this.send(chosen, { id: this.nextId++, input, resolve, reject }));
  }

  /** Ends every thread; files still in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    const threads = this.threads.splice(0);
    for (const thread of threads) for (const file of thread.pending.splice(0)) file.reject(new Error('the analysis threads were stopped'));
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
  }

  private send(thread: FactsThread, file: Pending): void {
    if (thread.pending.length === 0) thread.since = Date.now();
    thread.pending.push(file);
    thread.worker.postMessage({ id: file.id, input: file.input } satisfies FactsRequest);
  }

  private start(): FactsThread {
    const { worker } = this.prestarted?.take() ?? startFactsWorker(...factsWorkerEntry());
    worker.postMessage({ root: this.root } satisfies FactsProject);
    const thread: FactsThread = { worker, pending: [], since: Date.now() };
    worker.on('message', (reply: FactsReply) => {
      const index = thread.pending.findIndex((file) => file.id === reply.id);
      if (index < 0) return;
      const [file] = thread.pending.splice(index, 1);
      thread.since = Date.now();
      this.answered++;
      if ('facts' in reply) file.resolve(reply.facts);
      else file.reject(new Error(reply.error));
    });
    worker.on('error', (error) => this.replace(thread, `analysis failed: ${error.message}`));
    worker.on('exit', (code) => this.replace(thread, `the analysis thread ended (exit code ${code})`));
    return thread;
  }

  /**
   * Takes a failed or stopped thread out: the file it was analysing fails with `why`, a new thread
   * takes the others. Once only: the thread's later events find it gone.
   */
  private replace(thread: FactsThread, why: string): void {
    const slot = this.threads.indexOf(thread);
    if (slot < 0) return;
    // The thread answers in order: the first file it had not answered is the one it was analysing.
    const [running, ...rest] = thread.pending.splice(0);
    running?.reject(new Error(why));
    if (this.closed) return;
    let replacement: FactsThread;
    try {
      replacement = this.start();
    } catch (error) {
      this.threads.splice(slot, 1);
      for (const file of rest) file.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.threads[slot] = replacement;
    for (const file of rest) this.send(replacement, file);
  }
}

/** How many analysis threads a scan of this machine uses: one per core, at most `cap`. */
export function factsThreadCount(cap: number): number {
  return Math.max(1, Math.min(cap, availableCores()));
}

/**
 * The threads' code: the check workers' bundle beside this one (dist/check-worker.js), or, run
 * from source (the tests), this module through the TypeScript loader.
 */
function factsWorkerEntry(): [file: string, options: { eval: boolean }] {
  if (__filename.endsWith('.ts')) return [`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, { eval: true }];
  const bundle = path.join(__dirname, 'check-worker.js');
  if (!fs.existsSync(bundle)) throw new Error(`the analysis threads' code is missing (${bundle})`);
  return [bundle, { eval: false }];
}

let factsWorkerStarted = false;

/** The thread side: answers each file with its facts, one at a time, in the order they came. */
export function runFactsWorker(): void {
  if (factsWorkerStarted || isMainThread || !parentPort || (workerData as FactsWorkerInit | undefined)?.mlreadyFactsWorker !== true) return;
  factsWorkerStarted = true;
  const port = parentPort;
  // The parser loads at once; the project comes in the first message.
  const engine = createEngine();
  let provider: Promise<EngineFactsProvider> | undefined;
  const answer = async ({ id, input }: FactsRequest): Promise<void> => {
    try {
      if (!provider) throw new Error('the analysis thread was not told the project');
      port.postMessage({ id, facts: (await provider).analyse(input) } satisfies FactsReply);
    } catch (error) {
      const failure = parserFailure();
      // The parser's WebAssembly aborted on this file and parses nothing more here: the thread
      // ends with the file's reason unanswered, and the pool gives the files after it to a new one.
      if (failure) return endThread(failure);
      port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies FactsReply);
    }
  };
  // One file at a time, in the order they came: a file that arrives while the engine loads waits behind the others.
  let previous: Promise<void> = Promise.resolve();
  port.on('message', (message: FactsProject | FactsRequest) => {
    if ('root' in message) {
      const { root } = message;
      provider = engine.then((loaded) => new EngineFactsProvider(loaded, root));
      return;
    }
    previous = previous.then(() => answer(message));
  });
}

// Started from source (the tests), this module is the thread's entry point.
runFactsWorker();

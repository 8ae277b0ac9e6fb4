// The editor's readiness scan, in a thread of its own (dist/readiness-worker.js). The scan of a
// large project holds the facts of every Python file until the report is built: on
// huggingface/diffusers (2,092 Python files) about 100 MB. On the server's own thread that heap
// stayed in the process after the report (V8 does not give it back), so the editor analysed only
// the first 1,000 files and four of diffusers' verdicts differed from `mlready readiness`. Here
// the thread's heap goes when the thread ends, a crafted tree meets the thread's heap limit
// instead of the server's, and the server's thread is left to the user's keystrokes.
//
// Only the worker's code is here; readiness.ts starts it and reads its messages.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  assessInTurns,
  computeReadiness,
  createEngine,
  EngineFactsProvider,
  readAttestations,
  ReadinessConfigError,
  scanWorkspace,
  AbortedError,
  type ReadinessProblem,
  type ReadinessReport,
  type ReadinessOptions,
  type ScanProgress,
} from '../engine/index';
import { collectGarbageAbove, followEditClock, untilTypingPauses } from './memory';

/** What the worker is started with (its `workerData`). */
export interface ReadinessJob {
  mlreadyReadinessWorker: true;
  root: string;
  /** False in an untrusted workspace: attestations are not read. */
  trusted: boolean;
  /** The server's edit clock (memory.ts): the scan waits while the user types. */
  editClock: SharedArrayBuffer;
  /** How much the scan reads. */
  limits: Pick<ReadinessOptions, 'maxFiles' | 'maxPythonFiles' | 'maxTextBytes'>;
}

/** What the worker posts: progress while it scans, then its report or its failure. */
export type ReadinessWorkerMessage =
  | { kind: 'progress'; progress: ScanProgress }
  | { kind: 'done'; report: ReadinessReport; configProblems: ReadinessProblem[] }
  | { kind: 'failed'; message: string };

/** The scan collects its garbage when the heap holds this much more than is live (see `collectGarbageAbove`). */
const SCAN_GARBAGE_BYTES = 16 * 1024 * 1024;

/**
 * The report of `job.root`. Invalid attestations in a trusted workspace do not stop it: the
 * project is assessed with the valid ones and the report's first problems say what is wrong
 * where (`configProblems`, which the server also shows as diagnostics on the file).
 */
export async function assessProject(
  job: Pick<ReadinessJob, 'root' | 'trusted' | 'limits'>,
  onProgress: (progress: ScanProgress) => void,
): Promise<{ report: ReadinessReport; configProblems: ReadinessProblem[] }> {
  const engine = await createEngine();
  const scan = { onProgress, pause: untilTypingPauses, ...job.limits };
  try {
    return { report: await computeReadiness(job.root, engine, { ...scan, attestations: job.trusted }), configProblems: [] };
  } catch (error) {
    if (!(error instanceof ReadinessConfigError) || !job.trusted) throw error;
    const lenient = await readAttestations(job.root);
    const configProblems = lenient.problems.length > 0 ? lenient.problems : error.problems;
    const workspace = await scanWorkspace(job.root, new EngineFactsProvider(engine, job.root), scan);
    const report = await assessInTurns(workspace, lenient.attestations, { pause: untilTypingPauses });
    report.problems.unshift(...configProblems, ...lenient.unread);
    return { report, configProblems };
  }
}

function post(message: ReadinessWorkerMessage): void {
  parentPort?.postMessage(message);
}

if (!isMainThread && (workerData as Partial<ReadinessJob> | undefined)?.mlreadyReadinessWorker === true) {
  const job = workerData as ReadinessJob;
  followEditClock(job.editClock);
  const onProgress = (progress: ScanProgress): void => {
    if (progress.phase === 'analysing' || progress.phase === 'parsing') collectGarbageAbove(SCAN_GARBAGE_BYTES);
    post({ kind: 'progress', progress });
  };
  assessProject(job, onProgress).then(
    ({ report, configProblems }) => post({ kind: 'done', report, configProblems }),
    (error: unknown) =>
      post({ kind: 'failed', message: error instanceof AbortedError ? 'cancelled' : error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
}

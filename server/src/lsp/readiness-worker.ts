// The editor's readiness scan, in a process of its own (dist/readiness-worker.js), started by the
// language server for each scan (readiness.ts) and ended with it. The scan of a large project
// holds the facts of every Python file until the report is built: on huggingface/diffusers (2,092
// Python files) about 100 MB. On the server's own thread that heap stayed in the server after the
// report (V8 does not give it back), so the editor analysed only the first 1,000 files and four of
// diffusers' verdicts differed from `mlready readiness`; in a thread of the server, each scan's
// memory stayed with the server too (glibc keeps what a thread's allocator freed). A process gives
// all of it back when it exits, meets its own heap limit instead of the server's, and leaves the
// server's thread to the user's keystrokes.
import {
  assessInTurns,
  computeReadiness,
  EngineFactsProvider,
  FactsCache,
  readAttestations,
  ReadinessConfigError,
  scanWorkspace,
  type ReadinessProblem,
  type ReadinessReport,
  type ScanProgress,
} from '../engine/index';
import { FactsPool, factsThreadCount } from '../cli/facts-pool';
import { noteEdit, untilTypingPauses } from './memory';
import { SCAN_PROCESS_FLAG, type ReadinessJob, type ReadinessWorkerMessage, type ToScanProcess } from './readiness-protocol';

/**
 * The report of `job.root`, and the facts cache the next scan starts from. Invalid attestations
 * in a trusted workspace do not stop it: the project is assessed with the valid ones and the
 * report's first problems say what is wrong where (`configProblems`, which the server also shows
 * as diagnostics on the file).
 */
export async function assessProject(
  job: ReadinessJob,
  onProgress: (progress: ScanProgress) => void,
): Promise<{ report: ReadinessReport; configProblems: ReadinessProblem[]; cache: FactsCache }> {
  const cache = new FactsCache(job.facts);
  const scan = { onProgress, pause: untilTypingPauses, ...job.limits };
  // At most two threads: the scan shares the machine with the editor (its threads keep this
  // process's lower priority), and each holds an engine of its own; this process loads no parser.
  const factsWorkers = new FactsPool(job.root, factsThreadCount(SCAN_THREADS));
  try {
    const report = await computeReadiness(job.root, factsWorkers, { ...scan, attestations: job.trusted, factsCache: cache });
    return { report, configProblems: [], cache };
  } catch (error) {
    if (!(error instanceof ReadinessConfigError) || !job.trusted) throw error;
    const lenient = await readAttestations(job.root);
    const configProblems = lenient.problems.length > 0 ? lenient.problems : error.problems;
    const workspace = await scanWorkspace(job.root, new EngineFactsProvider(factsWorkers, job.root, cache), scan);
    const report = await assessInTurns(workspace, lenient.attestations, { pause: untilTypingPauses });
    report.problems.unshift(...configProblems, ...lenient.unread);
    return { report, configProblems, cache };
  } finally {
    await factsWorkers.close();
  }
}

/** The most analysis threads a scan in the editor starts. */
const SCAN_THREADS = 2;

function post(message: ReadinessWorkerMessage, then?: () => void): void {
  process.send?.(message, undefined, undefined, () => then?.());
}

if (process.send && process.argv.includes(SCAN_PROCESS_FLAG)) {
  // Ends with the server: a scan nobody waits for is not finished.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: ToScanProcess) => {
    if (message.kind === 'edit') {
      noteEdit();
      return;
    }
    // No collections forced here: the process and its heap end with the scan. A full collection
    // after every 16 MB of garbage (which kept the server's heap small when the scan ran there)
    // cost a rescan of huggingface/diffusers 0.5 s of its 5.3-5.4 (docs/performance.md).
    const onProgress = (progress: ScanProgress): void => post({ kind: 'progress', progress });
    assessProject(message.job, onProgress).then(
      ({ report, configProblems, cache }) =>
        post({ kind: 'done', report, configProblems, facts: cache.entries(), reused: cache.reused, analysed: cache.analysed }, () => process.exit(0)),
      (error: unknown) => post({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1)),
    );
  });
}

// What the language server and its readiness scan process (readiness-worker.ts) say to each other.
import type { PackedFacts, ReadinessOptions, ReadinessProblem, ReadinessReport, ScanProgress } from '../engine/index';

/** The argument the scan process is started with. */
export const SCAN_PROCESS_FLAG = '--mlready-readiness-scan';

/** What to assess. */
export interface ReadinessJob {
  root: string;
  /** False in an untrusted workspace: attestations are not read. */
  trusted: boolean;
  /** How much the scan reads. */
  limits: Pick<ReadinessOptions, 'maxFiles' | 'maxPythonFiles' | 'maxTextBytes'>;
  /** The facts of the folder's last scan (`FactsCache`): the files unchanged since are not analysed again. */
  facts: PackedFacts[];
}

/** Server → scan process: the job, then a notice each time the user types (the scan waits for a pause before each file). */
export type ToScanProcess = { kind: 'job'; job: ReadinessJob } | { kind: 'edit' };

/** Scan process → server: progress while it scans, then its report or its failure. */
export type ReadinessWorkerMessage =
  | { kind: 'progress'; progress: ScanProgress }
  | { kind: 'done'; report: ReadinessReport; configProblems: ReadinessProblem[]; facts: PackedFacts[]; reused: number; analysed: number }
  | { kind: 'failed'; message: string };

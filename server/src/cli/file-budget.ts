// What the check workers and the readiness threads share about a file they cannot finish: the
// per-file time budget, and the way a thread ends when its parser cannot go on.
/** A file whose analysis takes longer than this is reported and skipped (a hang must never block CI). */
export const FILE_BUDGET_MS = Number(process.env.MLREADY_FILE_BUDGET_MS) || 20_000;

/** What a file whose analysis exceeded `budgetMs` reports. */
export function budgetExceeded(budgetMs: number): string {
  return `analysis took longer than ${Math.round(budgetMs / 1000)} s and was stopped`;
}

/** How often a watchdog looks at the files being analysed, for a budget of `budgetMs`. */
export function watchInterval(budgetMs: number): number {
  return Math.max(10, Math.min(1000, Math.floor(budgetMs / 10)));
}

/**
 * Ends this worker thread with `reason` as its uncaught error, when the file it is analysing
 * leaves it unable to go on (the parser's WebAssembly aborted): its pool reports `reason` for that
 * file, as for a file over budget, and gives the files after it to a new thread.
 */
export function endThread(reason: string): void {
  setImmediate(() => {
    throw new Error(reason);
  });
}

/** CPU-time helpers shared by the in-process edit benchmarks (paired or alternated runs). */

/** The CPU time (user + system, ms) `run` took in this process. */
export function cpuMs(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** `median M, p95 P` of `values`, with `digits` decimals. */
export function medianAndP95(values: readonly number[], digits = 2): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(digits)}, p95 ${at(0.95).toFixed(digits)}`;
}

// The entry point of the `mlready check` workers (dist/check-worker.js): only what a worker runs
// (the engine and cli/pool.ts's worker side), so each worker compiles a third of the CLI's bundle.
// The readiness scan's analysis threads (cli/facts-pool.ts) run it too.
import { isCheckWorker, runWorker } from './pool';
import { runFactsWorker } from './facts-pool';

if (isCheckWorker()) runWorker();
else runFactsWorker();

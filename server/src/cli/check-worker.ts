// The entry point of the `mlready check` workers (dist/check-worker.js): only what a worker runs
// (the engine and cli/pool.ts's worker side), so each worker compiles a third of the CLI's bundle.
import { runWorker } from './pool';

runWorker();

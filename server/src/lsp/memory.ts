import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let collect: (() => void) | null | undefined;

/**
 * Runs a full garbage collection. `--expose-gc` is turned on here, once, so the server needs no
 * command-line flag; where that fails this does nothing.
 */
export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}

/** Heap in use right after the last collection: what is live. */
let liveAfterLastCollection = 0;
/** When the user last edited a document (`performance.now()`), so collections wait for a pause. */
let lastEditAt = -Infinity;

/** Called on every document change: a collection now would delay that change's diagnostics. */
export function noteEdit(): void {
  lastEditAt = performance.now();
}

/**
 * Collects garbage once the JavaScript heap holds `garbageBytes` more than was live after the
 * last collection, in a pause of the user's typing (no edit for `quietMs`), or at once when the
 * garbage has grown to twice that. The readiness scan asks after every file: it allocates
 * several times each file's text per file analysed, almost all of it short-lived, and V8 would
 * otherwise let the heap (and the process's resident memory, which never shrinks back) grow to
 * several times what the scan keeps.
 */
export function collectGarbageAbove(garbageBytes: number, quietMs = 250): void {
  const garbage = process.memoryUsage().heapUsed - liveAfterLastCollection;
  if (garbage < garbageBytes) return;
  if (garbage < 2 * garbageBytes && performance.now() - lastEditAt < quietMs) return;
  collectGarbage();
  liveAfterLastCollection = process.memoryUsage().heapUsed;
}

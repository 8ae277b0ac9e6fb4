import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let collect: (() => void) | null | undefined;

/**
 * Runs a full garbage collection. The readiness scan calls it every few hundred files: the scan
 * allocates about as much as the file's text per file analysed, almost all of it short-lived,
 * and V8 would otherwise grow the heap (and the process's resident memory, which never shrinks
 * back) to over twice what the scan keeps. `--expose-gc` is turned on here, once, so the server
 * needs no command-line flag; where that fails this does nothing.
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

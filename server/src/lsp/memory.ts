import * as v8 from 'node:v8';
import * as vm from 'node:vm';

type Collect = (options?: { type: 'minor' | 'major' }) => void;

let collect: Collect | null | undefined;

/** V8's `gc`. `--expose-gc` is turned on here, once, so the server needs no command-line flag; null where that fails. */
function collector(): Collect | null {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as Collect;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/**
 * Turns V8's allocation-site pretenuring off, for the whole process, before any document is
 * analysed. An analysis's objects die when the next edit's analysis replaces them, but V8 learnt
 * to allocate them in the old generation, where they outlived each scavenge and kept what they
 * point to alive (0.40 MB left in the young generation and 0.33 MB promoted per edit of the
 * 2,000-line bench file, against 0.14 and 0.07 without it): through the server, edit p95
 * 15.1-16.6 ms against 16.2-21.2, peak RSS 149-165 MB against 200-209 (file only) and 214-232
 * against 241-248 (2,000-file workspace open; docs/performance.md). Set here rather than on the
 * command line, so every way of starting the server gets it (`node dist/server.js --stdio` in any
 * editor, `mlready server --stdio`); V8 reads the flag at each allocation-site decision.
 */
export function stopPretenuring(): void {
  try {
    v8.setFlagsFromString('--no-allocation-site-pretenuring');
  } catch {
    // Collections work as before.
  }
}

/** Runs a full garbage collection (nothing where `gc` cannot be had). */
export function collectGarbage(): void {
  collector()?.();
}

/**
 * Empties the young generation (a scavenge) once an analysis has been published, while the
 * server waits for the next keystroke. An edit's analysis allocates about 3 MB that die when it
 * ends; collected here, nearly nothing survives and the scavenge is short, and the next analysis
 * starts with an empty young generation, so no collection interrupts it between the keystroke
 * and its diagnostics.
 */
export function collectYoungGeneration(): void {
  collector()?.({ type: 'minor' });
}

/** When the user last edited a document (`performance.now()`), so background work waits for a pause. */
let lastEditAt = -Infinity;

/** Called on every document change: a collection or a workspace file's analysis now would delay that change's diagnostics. */
export function noteEdit(): void {
  lastEditAt = performance.now();
}

/**
 * Resolves once no document has changed for `quietMs`, or after `longestWaitMs` of continuous
 * typing (the readiness scan then analyses one more file, so it never starves). The scan awaits
 * it before each file: an edit that arrived while a workspace file was being analysed waited for
 * that analysis (edit p95 21.8-30 ms with the 2,000-file workspace open against 10-15 without).
 */
export async function untilTypingPauses(quietMs = 300, longestWaitMs = 5_000): Promise<void> {
  const started = performance.now();
  for (;;) {
    const now = performance.now();
    const quiet = now - lastEditAt;
    if (quiet >= quietMs || now - started >= longestWaitMs) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(quietMs - quiet, longestWaitMs - (now - started)) + 1));
  }
}

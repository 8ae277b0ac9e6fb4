/**
 * Run by test/memory.test.ts in a child process with `--expose-gc --max-semi-space-size=8` (the
 * server's young generation): one-character edits of a generated 2,000-line script analysed through
 * the document's caches, as the language server analyses them, each followed by a scavenge (as the
 * server collects the young generation after publishing). Prints, as JSON, the median bytes the
 * young generation still holds after those scavenges: what an analysis leaves alive until the next
 * edit. V8's pretenuring is turned off as the server turns it off (`stopPretenuring`).
 */
import * as v8 from 'node:v8';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Rng, generateScript } from '../../bench/generate';
import { editSequence } from '../../bench/run';
import { createEngine } from '../../server/src/engine/index';
import { stopPretenuring } from '../../server/src/lsp/memory';

const collect = (globalThis as unknown as { gc: (options: { type: 'minor' }) => void }).gc;
const youngBytes = (): number => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_used_size ?? 0;

async function main(): Promise<void> {
  stopPretenuring();
  const engine = await createEngine();
  let text = generateScript(new Rng(7), 2000);
  const options = engine.trees.document('test://young.py');
  const after: number[] = [];
  let kept = 0;
  for (const [i, edit] of editSequence(text, 60, 3).entries()) {
    text = text.slice(0, edit.offset) + edit.insert + text.slice(edit.offset + edit.remove);
    // Only the findings' count outlives the analysis here, as only the diagnostics do in the server.
    kept += engine.analyze({ path: 'young.py', kind: 'script', text }, options).findings.length;
    await nextTurn();
    collect({ type: 'minor' });
    if (i >= 10) after.push(youngBytes());
  }
  after.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ medianBytes: after[after.length >> 1], findings: kept }));
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error));
  process.exit(1);
});

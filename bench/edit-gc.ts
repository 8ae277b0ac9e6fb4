/**
 * Edits of the 2,000-line bench file analysed in process as the language server runs them: through
 * the document's caches, the young generation emptied after each (`collectYoungGeneration`, as the
 * server does once diagnostics are written), a short pause between edits. Prints the wall time per
 * analysis (median, p95), the slowest analyses with the collections that ran inside them, and the
 * bytes allocated per edit (V8's sampling heap profiler, collected objects included).
 *
 *   node --max-semi-space-size=8 --import tsx bench/edit-gc.ts [checkout]     (default: this one)
 *
 * (`--max-semi-space-size=8` is the server's, `SERVER_NODE_OPTIONS`.) Alternate two checkouts to
 * compare them, as for bench/edit-cost.ts. `EDIT_PAUSE_MS` sets the pause between edits (5 ms).
 */
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { ensureCorpus } from './generate';
import { editSequence } from './run';

const ROOT = path.resolve(__dirname, '..');

function post<T>(session: inspector.Session, method: string, params: object = {}): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
}

interface HeapNode {
  selfSize: number;
  children: HeapNode[];
}

async function main(argv: string[]): Promise<void> {
  const checkout = path.resolve(argv[0] ?? ROOT);
  const corpus = ensureCorpus(path.join(ROOT, '.bench'));
  const mod: typeof import('../server/src/engine/index') = await import(path.join(checkout, 'server/src/engine/index.ts'));
  const memory: typeof import('../server/src/lsp/memory') = await import(path.join(checkout, 'server/src/lsp/memory.ts'));
  const engine = await mod.createEngine();
  let text = fs.readFileSync(corpus.edit, 'utf8');
  const collections: { kind: number; ms: number; at: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      collections.push({ kind: (entry as { detail?: { kind?: number } }).detail?.kind ?? 0, ms: entry.duration, at: entry.startTime });
  });
  observer.observe({ entryTypes: ['gc'] });
  const analyses: { ms: number; start: number; end: number }[] = [];
  const edits = editSequence(text, 200, 1);
  const analyse = (): void => {
    engine.analyze({ path: 'bench/edit.py', kind: 'script', text }, engine.trees.document('script'));
  };
  for (const edit of edits) {
    text = text.slice(0, edit.offset) + edit.insert + text.slice(edit.offset + edit.remove);
    const start = performance.now();
    analyse();
    const end = performance.now();
    analyses.push({ ms: end - start, start, end });
    memory.collectYoungGeneration();
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.EDIT_PAUSE_MS ?? 5)));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  const measured = analyses.slice(20);
  const sorted = measured.map((a) => a.ms).sort((a, b) => a - b);
  const at = (q: number): string => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))].toFixed(1);
  console.log(`${checkout}: ${measured.length} edits, analysis wall median ${at(0.5)} ms, p95 ${at(0.95)} ms`);
  const inside = (a: { start: number; end: number }): string =>
    collections
      .filter((c) => c.at >= a.start && c.at < a.end)
      .map(
        (c) => `${c.kind === 1 ? 'scavenge' : c.kind === 4 ? 'mark-compact' : c.kind === 8 ? 'incremental marking' : `kind ${c.kind}`} ${c.ms.toFixed(1)} ms`,
      )
      .join(', ');
  for (const a of [...measured].sort((x, y) => y.ms - x.ms).slice(0, 5))
    console.log(`  slowest: ${a.ms.toFixed(1)} ms${inside(a) ? ` (collections inside: ${inside(a)})` : ''}`);

  // Allocation per edit: 100 more edits under the sampling heap profiler.
  const session = new inspector.Session();
  session.connect();
  await post(session, 'HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  const more = editSequence(text, 50, 2);
  for (const edit of more) {
    text = text.slice(0, edit.offset) + edit.insert + text.slice(edit.offset + edit.remove);
    analyse();
  }
  const { profile } = await post<{ profile: { head: HeapNode } }>(session, 'HeapProfiler.stopSampling');
  session.disconnect();
  let bytes = 0;
  const walk = (node: HeapNode): void => {
    bytes += node.selfSize;
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  console.log(`  allocated per edit: ${(bytes / more.length / 1024 / 1024).toFixed(2)} MB (${more.length} edits)`);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});

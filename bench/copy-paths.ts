/**
 * The copy of a parsed tree three ways, on one file: from tree-sitter's memory (tree-memory.ts,
 * the default for error-free trees), through the cursor exports, and the bare parse for scale.
 * Medians over repeated copies of one parse, in process.
 *
 *   node --import tsx bench/copy-paths.ts [FILE] [--runs N]
 *
 * FILE defaults to the benchmark's generated 50,000-line file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEngine } from '../server/src/engine/index';
import { ensureCorpus } from './generate';
import { summarize } from './run';

async function main(argv: string[]): Promise<void> {
  let runs = 15;
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Number(argv[++i]);
    else file = argv[i];
  }
  file ??= ensureCorpus(path.resolve(__dirname, '..', '.bench')).single['50k'];
  const text = fs.readFileSync(file, 'utf8');
  const engine = await createEngine();
  const walking = engine.parser.withoutMemoryCopy();
  const time = (fn: () => void): number => {
    fn();
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      fn();
      samples.push(performance.now() - started);
    }
    return summarize(samples).median;
  };
  const tree = engine.parser.parse(text);
  try {
    if (tree.rootNode.hasError) console.log('note: the file has syntax errors, so both copies walk it with the cursor');
    const nodes = engine.parser.syntax(tree, text).count;
    const memory = time(() => engine.parser.syntax(tree, text));
    const cursor = time(() => walking.syntax(tree, text));
    const parse = time(() => engine.parser.parse(text).delete());
    console.log(`${path.basename(file)}: ${nodes.toLocaleString('en-US')} nodes; median of ${runs}`);
    console.log(`  copy from memory       ${memory.toFixed(1)} ms`);
    console.log(`  copy through exports   ${cursor.toFixed(1)} ms`);
    console.log(`  bare parse (and free)  ${parse.toFixed(1)} ms`);
  } finally {
    tree.delete();
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});

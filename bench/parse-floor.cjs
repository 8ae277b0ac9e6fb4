// The floor under `mlready check`'s per-line cost: tree-sitter's Python parse alone (web-tree-sitter,
// the WebAssembly build mlready uses), one process, every .py file under the given folders parsed
// once and its tree freed. The same shape as bench/ruff-peer.cjs, so the two whole-process times
// compare directly (scripts/peer-rounds.sh runs both). Plain JavaScript, no TypeScript loader.
// Prints one JSON line: { files, lines, ms, parseMs }.
'use strict';
const fs = require('node:fs');
const { collectPythonFiles } = require('./py-files.cjs');
const { Parser, Language } = require('web-tree-sitter');

async function main() {
  const started = performance.now();
  const files = [];
  for (const target of process.argv.slice(2)) collectPythonFiles(target, files);
  await Parser.init();
  const language = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
  const parser = new Parser();
  parser.setLanguage(language);
  let lines = 0;
  let parseMs = 0;
  for (const file of files) {
    const source = fs.readFileSync(file, 'utf8');
    for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lines++;
    const t = performance.now();
    const tree = parser.parse(source);
    tree.delete();
    parseMs += performance.now() - t;
  }
  process.stdout.write(JSON.stringify({ files: files.length, lines, ms: performance.now() - started, parseMs }) + '\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

// Ruff's WebAssembly build as a peer linter: one process checks every file it is given (or every
// .py file under a directory) with the rules closest to mlready's (S, NPY, PD, BLE, T20).
// Plain JavaScript on purpose, so its whole-process time is not charged for a TypeScript loader.
// Prints one JSON line: { files, lines, diagnostics, ms }.
'use strict';
const fs = require('node:fs');
const { collectPythonFiles } = require('./py-files.cjs');
const { Workspace, PositionEncoding } = require('@astral-sh/ruff-wasm-nodejs');

const started = performance.now();
const files = [];
for (const target of process.argv.slice(2)) collectPythonFiles(target, files);
const workspace = new Workspace(
  { ...Workspace.defaultSettings(), lint: { select: ['S', 'NPY', 'PD', 'BLE', 'T20'] } },
  PositionEncoding.Utf16,
);
let lines = 0;
let diagnostics = 0;
for (const file of files) {
  const source = fs.readFileSync(file, 'utf8');
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lines++;
  diagnostics += workspace.check(source).length;
}
process.stdout.write(JSON.stringify({ files: files.length, lines, diagnostics, ms: performance.now() - started }) + '\n');

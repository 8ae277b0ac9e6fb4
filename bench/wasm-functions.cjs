// Names the `wasm-function[N]` frames of a CPU profile of mlready: V8 names WebAssembly functions by
// index only. For web-tree-sitter's runtime the package ships a source map of its wasm, which gives
// each function's C source lines (the lines covering most of its code bytes are printed); the
// Python grammar has no map, so its functions are listed with their size and export name (the
// largest unexported one is the generated lexer, `ts_lex`).
//
//   node bench/wasm-functions.cjs runtime 271 91 25      (indices as the profile prints them)
//   node bench/wasm-functions.cjs grammar
//
// Plain JavaScript, no TypeScript loader. Reads only the two packages' own files.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { SourceMap } = require('node:module');

/** The module's imported function count, its function bodies' byte ranges and its exported function names. */
function readModule(file) {
  const bytes = fs.readFileSync(file);
  let at = 8; // after the magic number and version
  const leb = () => {
    let result = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[at++];
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return result >>> 0;
  };
  const skipLimits = () => {
    const flags = leb();
    leb();
    if (flags & 1) leb();
  };
  let imported = 0;
  const bodies = [];
  const exports = new Map();
  while (at < bytes.length) {
    const section = bytes[at++];
    const size = leb();
    const end = at + size;
    if (section === 2) {
      for (let count = leb(), i = 0; i < count; i++) {
        // (Not `at += leb()`: that adds the length to `at` as it was before the length was read.)
        const moduleNameLength = leb();
        at += moduleNameLength;
        const fieldNameLength = leb();
        at += fieldNameLength;
        const kind = bytes[at++];
        if (kind === 0) {
          leb();
          imported++;
        } else if (kind === 1) {
          at++;
          skipLimits();
        } else if (kind === 2) skipLimits();
        else if (kind === 3) at += 2;
        else if (kind === 4) {
          at++;
          leb();
        }
      }
    } else if (section === 7) {
      for (let count = leb(), i = 0; i < count; i++) {
        const length = leb();
        const name = bytes.subarray(at, at + length).toString('utf8');
        at += length;
        const kind = bytes[at++];
        const index = leb();
        if (kind === 0) exports.set(index, name);
      }
    } else if (section === 10) {
      for (let count = leb(), i = 0; i < count; i++) {
        const bodySize = leb();
        bodies.push([at, at + bodySize]);
        at += bodySize;
      }
    }
    at = end;
  }
  return { imported, bodies, exports };
}

function runtime(indices) {
  const dir = path.dirname(require.resolve('web-tree-sitter/web-tree-sitter.wasm'));
  const wasm = readModule(path.join(dir, 'web-tree-sitter.wasm'));
  const map = new SourceMap(JSON.parse(fs.readFileSync(path.join(dir, 'web-tree-sitter.wasm.map'), 'utf8')));
  for (const index of indices) {
    const body = wasm.bodies[index - wasm.imported];
    if (!body) {
      console.log(`${index}: no such function`);
      continue;
    }
    const lines = new Map();
    for (let offset = body[0]; offset < body[1]; offset++) {
      const entry = map.findEntry(0, offset);
      if (!entry || !entry.originalSource) continue;
      const key = `${entry.originalSource.split('/').slice(-2).join('/')}:${entry.originalLine + 1}`;
      lines.set(key, (lines.get(key) ?? 0) + 1);
    }
    const top = [...lines].sort((a, b) => b[1] - a[1]).slice(0, 6);
    console.log(`${index}: ${body[1] - body[0]} bytes; ${top.map(([line, n]) => `${line} (${n})`).join(', ')}`);
  }
}

function grammar() {
  const wasm = readModule(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
  wasm.bodies.forEach((body, i) => {
    const index = i + wasm.imported;
    console.log(`${index}: ${body[1] - body[0]} bytes${wasm.exports.has(index) ? ` (${wasm.exports.get(index)})` : ''}`);
  });
}

const [which, ...rest] = process.argv.slice(2);
if (which === 'runtime') runtime(rest.map(Number));
else if (which === 'grammar') grammar();
else {
  console.error('usage: node bench/wasm-functions.cjs runtime N... | grammar');
  process.exit(2);
}

// Where a `mlready check` worker's time goes, from its CPU profile (node --cpu-prof), by phase:
// tree-sitter's parse, the copy of the tree (flatten), freeing the tree, reading files, garbage
// collection, the rest (model, rules, messages). Each phase is given twice: as a count of samples
// and as the sum of the samples' time deltas. The two differ on a loaded machine: a thread that is
// descheduled gets one late sample whose delta covers the time it waited, so summed deltas charge
// the neighbours' load to whatever the thread was doing, while sample counts follow its CPU time.
//
//   node --cpu-prof --cpu-prof-dir=DIR dist/cli.js check --format json FOLDER > /dev/null
//   node bench/profile-phases.cjs DIR/*.cpuprofile
'use strict';
const fs = require('node:fs');

// web-tree-sitter's `parse` and `delete` are told from other functions of those names by calling
// into WebAssembly (in a bundle their URL is the bundle's).
const PHASES = [
  ['parse', (f, wasm) => f.functionName === 'parse' && wasm],
  ['flatten', (f) => f.functionName.startsWith('flatten')],
  ['tree.delete', (f, wasm) => f.functionName === 'delete' && wasm],
  ['read', (f) => /^(readSource|readSourceSnapshot|readRegularFile|decodeText)$/.test(f.functionName)],
];

for (const file of process.argv.slice(2)) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const isWasm = (id) => {
    const frame = byId.get(id).callFrame;
    return frame.url.startsWith('wasm://') || frame.functionName.includes('ToWasm');
  };
  const callsWasm = (node) => (node.children ?? []).some((child) => isWasm(child) || (byId.get(child).children ?? []).some(isWasm));
  const phaseOf = new Map();
  const phase = (id) => {
    if (phaseOf.has(id)) return phaseOf.get(id);
    const frame = byId.get(id).callFrame;
    let found;
    if (frame.functionName === '(garbage collector)') found = 'gc';
    else if (frame.functionName === '(idle)') found = 'idle';
    else {
      for (const [name, test] of PHASES) {
        if (test(frame, callsWasm(byId.get(id)))) {
          found = name;
          break;
        }
      }
      if (!found) found = parent.has(id) ? phase(parent.get(id)) : 'other';
    }
    phaseOf.set(id, found);
    return found;
  };
  const samples = {};
  const ms = {};
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const name = phase(profile.samples[i]);
    samples[name] = (samples[name] ?? 0) + 1;
    const delta = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    ms[name] = (ms[name] ?? 0) + delta;
    total++;
  }
  const busy = total - (samples.idle ?? 0);
  if (busy < 50) continue; // the main thread, or a worker that got no file
  const names = Object.keys(samples).filter((name) => name !== 'idle').sort((a, b) => samples[b] - samples[a]);
  console.log(file.split('/').pop());
  for (const name of names) {
    console.log(`  ${name.padEnd(12)} ${String(samples[name]).padStart(7)} samples (${((100 * samples[name]) / busy).toFixed(1).padStart(4)}%) ${ms[name].toFixed(0).padStart(7)} ms by time deltas`);
  }
}

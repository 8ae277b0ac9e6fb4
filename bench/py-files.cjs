// The .py files a whole-process peer run reads (bench/ruff-peer.cjs, bench/parse-floor.cjs): every
// file given, and every .py file under a folder given, in name order, `.git` skipped. Plain
// JavaScript, like the runners that require it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** Appends to `out` the .py files at or under `target`. */
function collectPythonFiles(target, out) {
  const stat = fs.statSync(target);
  if (stat.isFile()) {
    if (target.endsWith('.py')) out.push(target);
    return;
  }
  for (const entry of fs.readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === '.git') continue;
    collectPythonFiles(path.join(target, entry.name), out);
  }
}

module.exports = { collectPythonFiles };

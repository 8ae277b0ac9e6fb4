// A CPU profile of code-server's extension host (where mlready's language client runs, beside
// VS Code's built-in extensions), taken over the Node inspector while scenario 11 types. It tells
// how much of the extension host's time each extension took (`byExtension`), which scenario 11
// asserts for mlready; with MLREADY_E2E_PROFILE=DIR the profile is also written to
// DIR/<label>.cpuprofile (open it in Chrome DevTools or VS Code) with the functions that took the
// most time.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { CODE_SERVER_VERSION } from './code-server.mjs';

/** The extension host of the code-server that runs in `runDir` (its environment names the run's folders). */
function extensionHostPid(runDir) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!args.includes('extensionHost')) continue;
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (env.includes(`TMPDIR=${join(runDir, 't')}`)) return Number(entry);
    } catch {
      /* gone, or not ours */
    }
  }
  throw new Error(`no extension host process of the run in ${runDir}`);
}

/** Starts profiling; the returned function stops, writes `dir/label.cpuprofile` and returns a summary. */
export async function profileExtensionHost({ root, workspace, dir, label }) {
  const runDir = join(workspace, '..');
  const pid = extensionHostPid(runDir);
  process.kill(pid, 'SIGUSR1'); // Node opens its inspector on 127.0.0.1:9229
  const requireWs = createRequire(join(root, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'index.js'));
  const WebSocket = requireWs('ws');
  let target;
  for (let i = 0; i < 50 && !target; i++) {
    try {
      const list = await (await fetch('http://127.0.0.1:9229/json/list')).json();
      target = list[0]?.webSocketDebuggerUrl;
    } catch {
      await new Promise((r) => setTimeout(r, 100)); // the inspector is opening
    }
  }
  if (!target) throw new Error(`the extension host (pid ${pid}) opened no inspector on 127.0.0.1:9229`);
  const ws = new WebSocket(target);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let next = 0;
  const pending = new Map();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    if (message.error) p.reject(new Error(message.error.message));
    else p.resolve(message.result);
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 200 });
  await send('Profiler.start');
  return async () => {
    const { profile } = await send('Profiler.stop');
    await send('Profiler.disable');
    ws.close();
    let written = '';
    if (dir) {
      if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
      const file = join(dir, `${label}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      written = `${file}\n${summarise(profile)}\n`;
    }
    const owners = byExtension(profile);
    const busy = [...owners].sort((a, b) => b[1] - a[1]).map(([owner, ms]) => `${owner} ${ms.toFixed(0)} ms`);
    return { owners, text: `${written}busy: ${busy.join(', ')}` };
  };
}

/**
 * Busy time of the extension host by whom it worked for: each sample goes to the nearest caller
 * on its stack that belongs to an extension (its code under .../extensions/<id>/: mlready's
 * `mlready.mlready-<version>`, VS Code's built-in `markdown-language-features`, ...), else to
 * "extension host" (VS Code's own work: messages from the workbench, its port finder, ...).
 * Idle time is left out. (VS Code API functions an extension calls, such as `languages.match`,
 * count for that extension.)
 */
export function byExtension(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owners = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    if (['(idle)', '(program)', '(garbage collector)', '(root)'].includes(byId.get(id).callFrame.functionName)) continue;
    let owner = 'extension host';
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const m = /\/extensions\/([^/]+)\//.exec(byId.get(cur).callFrame.url);
      if (m) {
        owner = m[1].replace(/-\d+\.\d+\.\d+$/, '');
        break;
      }
    }
    owners.set(owner, (owners.get(owner) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  }
  return owners;
}

/** The functions with the most self time, and the busy (non-idle) time of the profile. */
function summarise(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = profile.timeDeltas;
  // A sample lasts until the next one.
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  }
  const byFunction = new Map();
  let busy = 0;
  for (const [id, ms] of self) {
    const { callFrame } = byId.get(id);
    const name = `${callFrame.functionName || '(anonymous)'} ${basename(callFrame.url || '')}:${callFrame.lineNumber + 1}`;
    if (!['(idle)', '(program)', '(garbage collector)'].includes(callFrame.functionName)) busy += ms;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  }
  const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 12);
  // Time including callees, for the functions of the sync path (a function met again below itself counts once).
  const names = /^(match|getCells|findNotebookDocumentAndCell|handles|didChangeNotebookCellTextDocument|didChangeNotebookDocument|callback|sendNotification)$/;
  const inclusive = new Map();
  const walk = (node, open) => {
    let total = self.get(node.id) ?? 0;
    const name = node.callFrame.functionName;
    const counted = names.test(name) && !open.has(name);
    if (counted) open.add(name);
    for (const child of node.children ?? []) total += walk(byId.get(child), open);
    if (counted) {
      open.delete(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + total);
    }
    return total;
  };
  walk(profile.nodes[0], new Set());
  return [
    `busy ${busy.toFixed(0)} ms; most self time:`,
    ...top.map(([name, ms]) => `  ${ms.toFixed(1)} ms ${name}`),
    'with callees:',
    ...[...inclusive].sort((a, b) => b[1] - a[1]).map(([name, ms]) => `  ${ms.toFixed(1)} ms ${name}`),
  ].join('\n');
}

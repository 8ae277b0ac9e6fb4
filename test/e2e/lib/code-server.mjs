// Starts code-server (VS Code's workbench and Node extension host) on 127.0.0.1 with a fresh
// profile inside the run's temporary folder, and stops it again. Everything it writes goes under
// `runDir`: user data, extensions, XDG folders, HOME, TMPDIR.
import { spawn, execFile } from 'node:child_process';
import { mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { once } from 'node:events';

const execFileAsync = promisify(execFile);

export const CODE_SERVER_VERSION = '4.100.3';

/** Path of the code-server launcher that scripts/e2e/setup.sh installs. */
export function codeServerBin(root) {
  return join(root, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');
}

/** The quiet settings of a test profile (see shared/E2E-VSCODE.md). */
const USER_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'chat.disableAIFeatures': true,
  'extensions.ignoreRecommendations': true,
  'workbench.tips.enabled': false,
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
  'workbench.editor.enablePreview': false,
  'notebook.output.textLineLimit': 10,
  // Saving a notebook applies mlready's safe fixes to all of it (scenario 8).
  'notebook.codeActionsOnSave': { 'notebook.source.fixAll.mlready': 'explicit' },
  // The tests type into editors; completions and auto-closing would change what is typed.
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.hover.delay': 300,
  // Tree rows' tooltips (scenario 32) wait for this delay, 1.5 s by default.
  'workbench.hover.delay': 300,
  // Local history copies each saved file; scenarios that remove their files right after saving
  // them left copy errors in the console that hid the failures' own messages.
  'workbench.localHistory.enabled': false,
  'files.autoSave': 'off',
  'problems.defaultViewMode': 'tree',
  // The Problems tree's sticky header (the file a row belongs to, pinned at the top while the list
  // scrolls) covers the row under it: a click on that row landed on the header in CI (scenario 25).
  'workbench.tree.enableStickyScroll': false,
  // code-server's extension host looks for ports to forward by listing every process's sockets
  // (`ls -l /proc/*/fd`, `ps`) every few seconds: on a shared machine that blocked it for hundreds
  // of milliseconds while scenario 11 typed (its CPU profile). A desktop VS Code does not.
  'remote.autoForwardPorts': false,
};

/** Environment for processes of this run: nothing lands in the real HOME or /tmp. */
export function isolatedEnv(runDir) {
  const env = { ...process.env };
  env.HOME = join(runDir, 'home');
  env.XDG_CONFIG_HOME = join(runDir, 'xdg', 'config');
  env.XDG_DATA_HOME = join(runDir, 'xdg', 'data');
  env.XDG_CACHE_HOME = join(runDir, 'xdg', 'cache');
  env.XDG_STATE_HOME = join(runDir, 'xdg', 'state');
  env.XDG_RUNTIME_DIR = join(runDir, 'xdg', 'run');
  // Short: unix socket paths are limited to 108 characters.
  env.TMPDIR = join(runDir, 't');
  for (const d of [env.HOME, env.XDG_CONFIG_HOME, env.XDG_DATA_HOME, env.XDG_CACHE_HOME, env.XDG_STATE_HOME, env.XDG_RUNTIME_DIR, env.TMPDIR]) {
    mkdirSync(d, { recursive: true, mode: 0o700 });
  }
  // Settings meant for the project's own processes must not leak into the editor under test.
  delete env.NODE_OPTIONS;
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

/** A port the kernel says is free right now on 127.0.0.1. */
export async function freePort() {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const addr = srv.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  srv.close();
  await once(srv, 'close');
  return port;
}

/**
 * Creates the profile folders, writes the quiet user settings and installs the .vsix.
 * @returns {{ userDataDir: string, extensionsDir: string }}
 */
export async function prepareProfile({ root, runDir, vsix, env, untrusted = false }) {
  const userDataDir = join(runDir, 'user-data');
  const extensionsDir = join(runDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  // An untrusted profile: workspace trust on, and a folder opened without the trust prompt is in Restricted Mode.
  const settings = untrusted
    ? {
        ...USER_SETTINGS,
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.banner': 'never',
      }
    : USER_SETTINGS;
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  if (vsix) {
    const { stdout, stderr } = await execFileAsync(
      codeServerBin(root),
      ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix],
      { env, timeout: 120_000 },
    );
    if (!/successfully installed/i.test(stdout + stderr)) {
      throw new Error(`installing ${vsix} into code-server did not report success:\n${stdout}\n${stderr}`);
    }
  }
  return { userDataDir, extensionsDir };
}

/**
 * Starts code-server and resolves once /healthz answers.
 * @returns {Promise<{ url: string, port: number, pid: number, logPath: string, stop: () => Promise<void> }>}
 */
export async function startCodeServer({ root, runDir, workspace, env, userDataDir, extensionsDir, untrusted = false }) {
  const logPath = join(runDir, 'code-server.log');
  const log = createWriteStream(logPath);
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(
      codeServerBin(root),
      [
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--auth',
        'none',
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        extensionsDir,
        '--disable-telemetry',
        '--disable-update-check',
        ...(untrusted ? [] : ['--disable-workspace-trust']),
        '--disable-getting-started-override',
        '--disable-file-downloads',
        '--ignore-last-opened',
        workspace,
      ],
      // Its own process group, so stopping it also stops the extension host and the language server.
      { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
    const url = `http://127.0.0.1:${port}`;
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }, 5_000);
        await exited;
        clearTimeout(timer);
      }
      // The group may outlive its leader for a moment (extension host, language server).
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* none left */
      }
      log.end();
    };
    const ready = await Promise.race([waitForHealth(url, 60_000).then(() => 'ready'), exited.then((e) => `exited (code ${e.code}, signal ${e.signal})`)]);
    if (ready === 'ready') return { url, port, pid: child.pid, logPath, stop };
    lastError = new Error(`code-server ${ready} before /healthz answered; see ${logPath}`);
    await stop();
  }
  throw lastError;
}

async function waitForHealth(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  // Polls an HTTP endpoint: each try is a real request that fails fast until the server listens.
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms`);
}

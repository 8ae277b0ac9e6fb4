#!/usr/bin/env node
// The second real client: mlready's bundled server (dist/server.js --stdio) under Neovim's
// built-in LSP client (Debian's neovim 0.7), headless, on a copy of the fixture script. Passes
// when Neovim receives mlready's diagnostics with the rule name as `code` and `mlready` as
// `source`, on the lines where the antipatterns are, and when a scaffold command that fails (its
// data file is missing) is told to the user with window/showMessage.
//
// Run on its own (after `npm run build`): node test/e2e/neovim.mjs
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** What the fixture script must produce, 0-based lines as Neovim reports them. */
const EXPECTED = [
  { code: 'hardcoded-path', lnum: 5 }, // df = pd.read_csv("/home/alice/data.csv")
  { code: 'missing-seed', lnum: 9 }, // train_test_split(X, y, test_size=0.2)
];

/**
 * @param {{ root: string, runDir: string, env: NodeJS.ProcessEnv, timeoutMs?: number }} o
 * @returns {Promise<string>} a detail line
 */
export async function runNeovimCheck({ root, runDir, env, timeoutMs = 30_000 }) {
  const server = join(root, 'dist', 'server.js');
  assert.ok(existsSync(server), `${server} is missing: run npm run build first`);
  mkdirSync(runDir, { recursive: true });
  const file = join(runDir, 'train.py');
  copyFileSync(join(HERE, 'workspace', 'train.py'), file);
  const out = join(runDir, 'result.json');
  const home = join(runDir, 'home'); // Neovim's LSP log goes to ~/.cache/nvim/lsp.log
  mkdirSync(home, { recursive: true });

  const child = spawn('nvim', ['--headless', '--cmd', 'filetype on', '-u', join(HERE, 'nvim-init.lua'), '-i', 'NONE', '-n', file], {
    cwd: runDir,
    detached: true, // its own process group: the language server goes with it
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_DATA_HOME: join(home, '.local', 'share'),
      XDG_STATE_HOME: join(home, '.local', 'state'),
      XDG_CACHE_HOME: join(home, '.cache'),
      MLREADY_SERVER: server,
      MLREADY_NVIM_OUT: out,
      MLREADY_EXPECT: EXPECTED.map((e) => e.code).join(','),
      MLREADY_NVIM_TIMEOUT_MS: String(timeoutMs),
    },
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  // Neovim quits by itself (expected diagnostics or its own deadline); this is the backstop.
  const killer = setTimeout(() => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, timeoutMs + 15_000);
  const [code, signal] = await once(child, 'exit');
  clearTimeout(killer);
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* nothing left of the group */
  }

  assert.ok(existsSync(out), `Neovim wrote no result (exit ${code ?? signal}); its output:\n${output}\nLSP log: ${join(home, '.cache', 'nvim', 'lsp.log')}`);
  const result = JSON.parse(readFileSync(out, 'utf8'));
  const got = (result.diagnostics ?? []).map(
    (/** @type {{ source?: string, code?: string, lnum: number, message: string }} */ d) => `${d.source}:${d.code}@${d.lnum} ${d.message}`,
  );
  assert.equal(result.status, 'ok', `Neovim: ${result.status}; diagnostics seen:\n${got.join('\n')}`);
  for (const e of EXPECTED) {
    const hit = result.diagnostics.find(
      (/** @type {{ source?: string, code?: string, lnum: number }} */ d) => d.source === 'mlready' && d.code === e.code && d.lnum === e.lnum,
    );
    assert.ok(hit, `no mlready ${e.code} diagnostic on line ${e.lnum + 1}; got:\n${got.join('\n')}`);
  }
  assert.deepEqual(result.clients, ['mlready']);
  // The failed command is told with window/showMessage, as an error naming the missing file.
  const told = (result.messages ?? []).find((/** @type {{ type: number, message: string }} */ m) => m.type === 1 && /missing\.csv/.test(m.message));
  assert.ok(
    told,
    `no window/showMessage error about data/missing.csv; messages: ${JSON.stringify(result.messages)}; command result: ${JSON.stringify(result.command_result)}`,
  );
  return `${result.diagnostics.length} diagnostics in Neovim after ${result.elapsed_ms} ms (${[...new Set(result.diagnostics.map((/** @type {{ code?: string }} */ d) => d.code))].join(', ')}); a failed scaffold command told with window/showMessage: "${told.message.slice(0, 100)}"`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(HERE, '..', '..');
  const runDir = mkdtempSync(join(tmpdir(), 'mlready-nvim-'));
  let ok = false;
  try {
    const detail = await runNeovimCheck({ root, runDir, env: process.env });
    console.log(`[nvim] PASS ${detail}`);
    ok = true;
  } catch (e) {
    console.error(`[nvim] FAIL ${e instanceof Error ? e.message : e}`);
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
  console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
  process.exit(ok ? 0 : 1);
}

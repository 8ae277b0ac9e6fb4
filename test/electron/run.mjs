#!/usr/bin/env node
// `npm run test:electron`: the end-to-end scenarios through the VS Code API, in a VS Code that
// @vscode/test-electron downloads from Microsoft's update server into .vscode-test/.
//
// For contributors with internet access and a display (on Linux without one:
// `xvfb-run -a npm run test:electron`). It is not run in CI: the CI machines reach only the
// package registries, so the download fails there; CI runs `npm run test:e2e` (code-server).
//
// Options: --version=1.100.3 (default: the version code-server 4.100.3 embeds, the lowest that
// `engines.vscode` allows), --version=stable for the newest; --code-server runs the same suite in
// code-server's extension host instead (no download; needs `bash scripts/e2e/setup.sh` once).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { isolatedEnv } from '../e2e/lib/code-server.mjs';
import { runApiSuiteInCodeServer } from './in-code-server.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const version = process.argv.find((a) => a.startsWith('--version='))?.slice('--version='.length) ?? '1.100.3';

const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const runDir = mkdtempSync(join(tmpdir(), 'mlready-electron-'));
const workspace = join(runDir, 'ws');
cpSync(join(ROOT, 'test', 'e2e', 'workspace'), workspace, { recursive: true });

let code = 1;
if (process.argv.includes('--code-server')) {
  try {
    const r = await runApiSuiteInCodeServer({ root: ROOT, runDir, env: isolatedEnv(runDir), log: (s) => console.log(s) });
    code = r.failed ? 1 : 0;
  } catch (e) {
    console.error(`test:electron --code-server: ${e instanceof Error ? e.message : e}`);
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
  process.exit(code);
}
try {
  code = await runTests({
    version,
    cachePath: join(ROOT, '.vscode-test'),
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(HERE, 'suite.cjs'),
    launchArgs: [
      workspace,
      '--disable-extensions', // other installed extensions; the one under development still loads
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir',
      join(runDir, 'user-data'),
      '--extensions-dir',
      join(runDir, 'extensions'),
    ],
  });
} catch (e) {
  console.error(`test:electron: ${e instanceof Error ? e.message : e}`);
  console.error('This suite downloads VS Code and needs internet access; without it use `npm run test:e2e`.');
} finally {
  rmSync(runDir, { recursive: true, force: true });
}
process.exit(code);

#!/usr/bin/env node
// `npm run test:e2e`: mlready as a user sees it, in a real VS Code.
//
//   1. scripts/e2e/setup.sh installs what is missing (Debian's chromium, ripgrep, neovim;
//      code-server into .vscode-test/).
//   2. `npm run package` builds mlready.vsix.
//   3. The Neovim check: the bundled server under Neovim's built-in LSP client.
//   4. code-server with a fresh profile (the .vsix installed) on a copy of test/e2e/workspace/,
//      driven by playwright-core in Debian's Chromium, through the scenarios in scenarios.mjs.
//   5. The same scenarios through the VS Code API (test/electron/suite.cjs), loaded into a second
//      code-server's extension host from the working tree (no VS Code download).
//
// Screenshots go to test-output/e2e/ (ignored by git); --update-docs-images copies those of
// passing scenarios to docs/images/ for the README.
// Everything else is written under one temporary folder, removed at the end (kept with --keep).
//
// Options: --skip-setup, --skip-package, --vsix=PATH (install that package instead of building
// one), --keep (keep the temporary folder), --only=1,3 (scenario numbers; "nvim" for the Neovim
// check, "api" for the API suite of test/electron run in code-server, "untrusted" for Restricted Mode in a code-server with workspace trust on), --smoke (no extension: open the workbench and take one screenshot).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedEnv, prepareProfile, startCodeServer } from './lib/code-server.mjs';
import { launchBrowser, Workbench } from './lib/workbench.mjs';
import { scenarios } from './scenarios.mjs';
import { runNeovimCheck } from './neovim.mjs';
import { runUntrustedCheck } from './untrusted.mjs';
import { runApiSuiteInCodeServer } from '../electron/in-code-server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'test-output', 'e2e');
const DOC_IMAGES = join(ROOT, 'docs', 'images');

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const selected = (id) => !only || only.includes(String(id));

/** @type {{ name: string, ok: boolean, skipped?: boolean, ms: number, detail?: string }[]} */
const results = [];
const cleanups = [];
let cleaning = false;

async function cleanup() {
  if (cleaning) return;
  cleaning = true;
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (e) {
      console.error(`cleanup: ${e instanceof Error ? e.message : e}`);
    }
  }
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    void cleanup().then(() => process.exit(130));
  });
}

function log(msg) {
  console.log(`[e2e] ${msg}`);
}

function runStep(title, cmd, cmdArgs, opts = {}) {
  log(`${title}: ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    throw new Error(`${title} failed (exit ${r.status ?? r.signal}): ${cmd} ${cmdArgs.join(' ')}`);
  }
}

/** The extension's contributed command ids, to tell which optional scenarios apply. */
function contributedCommands() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return new Map((pkg.contributes?.commands ?? []).map((c) => [c.command, c]));
}

/**
 * Runs one check and records it. A scenario whose first attempt fails runs once more, as
 * Playwright's runner does on CI: a real workbench on a shared machine drops a hover or a click
 * now and then. A pass on the second attempt is reported as flaky, with the first failure.
 */
async function record(name, fn, { retries = 0 } = {}) {
  const started = Date.now();
  const failures = [];
  for (let attempt = 0; attempt <= retries; attempt++) {
    try {
      const detail = await fn(attempt);
      const flaky = failures.length ? ` [flaky: passed on attempt ${attempt + 1}; first: ${firstLine(failures[0])}]` : '';
      const text = `${typeof detail === 'string' ? detail : ''}${flaky}`;
      results.push({ name, ok: true, flaky: failures.length > 0, ms: Date.now() - started, detail: text || undefined });
      log(`PASS ${name} (${Date.now() - started} ms)${text ? ` — ${text}` : ''}`);
      return;
    } catch (e) {
      const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
      failures.push(msg);
      log(`${attempt < retries ? 'FAILED ATTEMPT' : 'FAIL'} ${name} (${Date.now() - started} ms)\n${msg}`);
    }
  }
  results.push({ name, ok: false, ms: Date.now() - started, detail: failures.at(-1) });
}

/** The first line of an error's text, shortened: what the summary at the end shows. */
function firstLine(text, max = 300) {
  const line = String(text).split('\n')[0];
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });

  if (!flag('skip-setup')) runStep('setup', 'bash', [join(ROOT, 'scripts', 'e2e', 'setup.sh')]);
  const smoke = flag('smoke');
  const given = args.find((a) => a.startsWith('--vsix='))?.slice('--vsix='.length);
  const vsix = given ? resolve(given) : join(ROOT, 'mlready.vsix');
  if (!smoke) {
    if (!given && !flag('skip-package')) runStep('package', 'npm', ['run', '--silent', 'package']);
    if (!existsSync(vsix)) throw new Error(`npm run package did not produce ${vsix}`);
  }

  // Short base path: code-server's unix sockets live under TMPDIR (108-character limit).
  const runDir = mkdtempSync(join(tmpdir(), 'mlready-e2e-'));
  if (!flag('keep')) cleanups.push(() => rmSync(runDir, { recursive: true, force: true }));
  else log(`keeping ${runDir}`);
  const env = isolatedEnv(runDir);

  if (!smoke && selected('nvim')) {
    await record("neovim: diagnostics from the bundled server reach Neovim's LSP client", () =>
      runNeovimCheck({ root: ROOT, runDir: join(runDir, 'nvim'), env }),
    );
  }

  if (!smoke && selected('untrusted')) {
    await record("untrusted workspace: mlready lints in Restricted Mode, ignores the project's pyproject.toml and says so in its language status", () =>
      runUntrustedCheck({ root: ROOT, runDir: join(runDir, 'untrusted'), env, vsix, shotPath: join(OUT, 'untrusted-workspace.png') }),
    );
  }

  const workspace = join(runDir, 'ws');
  cpSync(join(ROOT, 'test', 'e2e', 'workspace'), workspace, { recursive: true });

  log('starting code-server');
  const profile = await prepareProfile({ root: ROOT, runDir, vsix: smoke ? undefined : vsix, env });
  const server = await startCodeServer({ root: ROOT, runDir, workspace, env, ...profile });
  cleanups.push(async () => {
    await server.stop();
    if (results.some((r) => !r.ok) && existsSync(server.logPath)) copyFileSync(server.logPath, join(OUT, 'code-server.log'));
  });
  log(`code-server ${server.url} (pid ${server.pid})`);

  const context = await launchBrowser(runDir, env);
  cleanups.push(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  const wb = new Workbench(page);
  await wb.open(server.url, workspace);

  if (smoke) {
    await record('smoke: the workbench opens the fixture workspace', async () => {
      await wb.openFromExplorer('train.py');
      await wb.showProblems();
      await wb.screenshot(join(OUT, '0-smoke-workbench.png'));
      return 'screenshot test-output/e2e/0-smoke-workbench.png';
    });
  } else {
    const commands = contributedCommands();
    const base = { wb, page, workspace, out: OUT, commands, root: ROOT };
    for (const sc of scenarios) {
      if (!selected(sc.id)) continue;
      const name = `scenario ${sc.id}: ${sc.title}`;
      const missing = (sc.requires ?? []).filter((c) => !commands.has(c));
      if (missing.length) {
        results.push({ name, ok: true, skipped: true, ms: 0, detail: `not contributed yet: ${missing.join(', ')}` });
        log(`SKIP ${name} — not contributed yet: ${missing.join(', ')}`);
        continue;
      }
      await record(
        name,
        async (attempt) => {
          // Start from a quiet workbench: no hover, menu or quick input left open.
          await page.keyboard.press('Escape');
          await page.keyboard.press('Escape');
          if (attempt > 0) await page.keyboard.press('Escape');
          const shotPath = join(OUT, `${sc.id}-${sc.slug}.png`);
          let shotTaken = false;
          const shot = async () => {
            await wb.screenshot(shotPath);
            shotTaken = true;
          };
          try {
            const detail = await sc.run({ ...base, shot });
            if (!shotTaken) await shot();
            return detail;
          } catch (e) {
            await wb.screenshot(join(OUT, `${sc.id}-${sc.slug}-FAILED${attempt ? `-${attempt + 1}` : ''}.png`)).catch(() => {});
            throw e;
          }
        },
        { retries: sc.retries ?? 1 },
      );
    }
  }
  if (!smoke && selected('api')) {
    await record("API scenarios (test/electron/suite.cjs) in code-server's extension host", async () => {
      const r = await runApiSuiteInCodeServer({ root: ROOT, runDir: join(runDir, 'api'), env, log: (s) => log(`  api: ${s}`) });
      if (r.failed || !r.passed) throw new Error(`API suite: ${r.passed} passed, ${r.failed} failed\n${r.lines.join('\n')}`);
      return `${r.passed} passed${r.skipped ? `, ${r.skipped} skipped` : ''}`;
    });
  }
  if (results.some((r) => !r.ok) && consoleErrors.length) {
    log(
      `browser console errors (${consoleErrors.length}), first ones:\n  ${consoleErrors
        .slice(0, 10)
        .map((m) => firstLine(m, 200))
        .join('\n  ')}`,
    );
  }
}

let fatal;
try {
  await main();
} catch (e) {
  fatal = e;
  console.error(`[e2e] ${e instanceof Error ? (e.stack ?? e.message) : e}`);
} finally {
  await cleanup();
}

// The README's pictures are tracked files: a run never rewrites them. `--update-docs-images`
// copies the screenshots of the passing scenarios into docs/images/, as a deliberate step.
if (flag('update-docs-images') && !fatal) {
  mkdirSync(DOC_IMAGES, { recursive: true });
  for (const sc of scenarios) {
    const r = results.find((x) => x.name.startsWith(`scenario ${sc.id}:`));
    if (!r?.ok || r.skipped) continue;
    for (const f of readdirSync(OUT)) {
      if (f.startsWith(`${sc.id}-`) && f.endsWith('.png') && !f.includes('FAILED')) copyFileSync(join(OUT, f), join(DOC_IMAGES, `e2e-${f}`));
    }
  }
}

const passed = results.filter((r) => r.ok && !r.skipped).length;
const skipped = results.filter((r) => r.skipped).length;
const failed = results.filter((r) => !r.ok).length + (fatal ? 1 : 0);
console.log(`screenshots: ${OUT}`);
// The summary comes last: CI shows the end of the output, and a failure's message must be in it.
for (const r of results.filter((x) => x.flaky)) console.log(`flaky: ${r.name.slice(0, 80)} — ${r.detail?.match(/\[flaky: .*\]$/)?.[0] ?? ''}`);
for (const r of results.filter((x) => !x.ok)) console.log(`FAILED: ${r.name.slice(0, 80)}\n  ${firstLine(r.detail ?? '')}`);
if (fatal) console.log(`FAILED (the run itself): ${firstLine(fatal instanceof Error ? fatal.message : fatal)}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);

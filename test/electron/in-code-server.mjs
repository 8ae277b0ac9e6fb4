// Runs the API scenarios of test/electron/suite.cjs without downloading VS Code: code-server's
// Node extension host loads the extension from the working tree (extensionDevelopmentPath) and the
// suite (extensionTestsPath), passed as the web workbench's `payload`; the suite's console lines
// reach the page's console, where this reads them. Used by `npm run test:e2e` and by
// `npm run test:electron -- --code-server`.
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareProfile, startCodeServer } from '../e2e/lib/code-server.mjs';
import { launchBrowser } from '../e2e/lib/workbench.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * @param {{ root: string, runDir: string, env: NodeJS.ProcessEnv, timeoutMs?: number, log?: (s: string) => void }} o
 * @returns {Promise<{ passed: number, failed: number, skipped: number, lines: string[] }>}
 */
export async function runApiSuiteInCodeServer({ root, runDir, env, timeoutMs = 180_000, log = () => {} }) {
  mkdirSync(runDir, { recursive: true });
  const workspace = join(runDir, 'ws');
  cpSync(join(root, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  const profile = await prepareProfile({ root, runDir, env });
  const server = await startCodeServer({ root, runDir, workspace, env, ...profile });
  const context = await launchBrowser(runDir, env);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const host = new URL(server.url).host;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${host}${root}`],
      ['extensionTestsPath', `vscode-remote://${host}${resolve(HERE, 'suite.cjs')}`],
    ];
    /** @type {string[]} */
    const lines = [];
    const summary = new Promise((resolveSummary, reject) => {
      const timer = setTimeout(() => reject(new Error(`no summary from the API suite within ${timeoutMs} ms; lines so far:\n${lines.join('\n')}`)), timeoutMs);
      page.on('console', (m) => {
        // Extension host output arrives with a styled prefix ("%c INFO color: ...").
        const text = m.text().replace(/^%c\s+\w+\s+color:\s*\S+\s*/, '');
        if (/^(PASS|FAIL|SKIP) /.test(text) || /^\d+ passed, \d+ failed/.test(text)) {
          lines.push(text);
          log(text.split('\n')[0]);
        }
        const s = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/.exec(text);
        if (s) {
          clearTimeout(timer);
          resolveSummary({ passed: +s[1], failed: +s[2], skipped: +(s[3] ?? 0) });
        }
      });
    });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const counts = /** @type {{ passed: number, failed: number, skipped: number }} */ (await summary);
    return { ...counts, lines };
  } finally {
    await context.close().catch(() => {});
    await server.stop();
  }
}

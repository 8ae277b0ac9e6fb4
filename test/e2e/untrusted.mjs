// mlready in an untrusted workspace (VS Code's Restricted Mode), in a code-server of its own with
// workspace trust on: the extension still lints (it declares limited support), ignores the
// project's pyproject.toml (a cloned repository must not change what mlready reports or reads),
// and its language status item says so.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareProfile, startCodeServer } from './lib/code-server.mjs';
import { launchBrowser, Workbench } from './lib/workbench.mjs';

/**
 * @param {{ root: string, runDir: string, env: NodeJS.ProcessEnv, vsix: string, shotPath: string }} o
 * @returns {Promise<string>} a detail line
 */
export async function runUntrustedCheck({ root, runDir, env, vsix, shotPath }) {
  mkdirSync(runDir, { recursive: true });
  const workspace = join(runDir, 'ws');
  cpSync(join(root, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  // Trusted, this would silence hardcoded-path; untrusted, mlready must not read it.
  writeFileSync(join(workspace, 'pyproject.toml'), '[tool.mlready]\nignore = ["hardcoded-path"]\n');
  const profile = await prepareProfile({ root, runDir, vsix, env, untrusted: true });
  const server = await startCodeServer({ root, runDir, workspace, env, ...profile, untrusted: true });
  const context = await launchBrowser(runDir, env);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const wb = new Workbench(page);
    await wb.open(server.url, workspace);
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
    await wb.openFromExplorer('train.py');
    await wb.showProblems();
    await wb.waitForProblems({ includes: ['hardcoded-path'], timeout: 60_000 });
    // The language status item ({} beside the language mode) lists mlready's state with the restriction.
    const languageStatus = page.locator('#status\\.languageStatus');
    await languageStatus.waitFor({ timeout: 30_000 });
    const hover = page
      .locator('.workbench-hover, .monaco-hover')
      .filter({ hasText: /mlready/ })
      .first();
    for (let attempt = 0; attempt < 5 && !(await hover.isVisible()); attempt++) {
      await languageStatus.hover();
      await hover.waitFor({ state: 'visible', timeout: 4_000 }).catch(() => {});
      if (!(await hover.isVisible())) await languageStatus.click();
    }
    await hover.waitFor({ state: 'visible', timeout: 5_000 });
    const text = (await hover.innerText()).replace(/\s+/g, ' ').trim();
    assert.match(text, /mlready \(restricted\).*Restricted Mode: pyproject\.toml and workspace settings are ignored/, `the language status says why: ${text}`);
    await wb.screenshot(shotPath);
    return `Restricted Mode: hardcoded-path reported despite the project's ignore; language status "${text.slice(0, 140)}"`;
  } finally {
    await context.close();
    await server.stop();
  }
}

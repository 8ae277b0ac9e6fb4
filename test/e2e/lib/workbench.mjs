// Playwright helpers over VS Code's workbench as code-server serves it. Every wait is on a DOM
// condition (Playwright's auto-waiting locators or `waitForFunction`), with a timeout; none sleeps.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium with a fresh profile in the run's folder; flags from shared/E2E-VSCODE.md. */
export async function launchBrowser(runDir, env) {
  const profile = join(runDir, 'chromium-profile');
  mkdirSync(profile, { recursive: true });
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    env,
    viewport: { width: 1400, height: 860 },
    deviceScaleFactor: 1,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export class Workbench {
  /** @param {import('playwright-core').Page} page */
  constructor(page) {
    this.page = page;
  }

  async open(url, folder) {
    await this.page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The explorer has listed the workspace once one of its rows is there.
    await this.explorerItem('train.py', { topLevel: true }).waitFor({ timeout: 60_000 });
  }

  explorerItem(name, { topLevel = false } = {}) {
    const rows = topLevel ? '.explorer-folders-view .monaco-list-row[aria-level="1"]' : '.explorer-folders-view .monaco-list-row';
    return this.page.locator(rows).filter({
      has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(name)}$`) }),
    });
  }

  /** Shows the explorer in the sidebar: another view (the readiness checklist) may have it. */
  async showExplorer() {
    if (!(await this.page.locator('.explorer-folders-view').isVisible())) await this.page.keyboard.press('Control+Shift+E');
    await this.page.locator('.explorer-folders-view').waitFor({ timeout: 10_000 });
  }

  /** Waits for the explorer to list a file or folder (shown first: a hidden explorer lists nothing). */
  async waitForExplorerItem(name, timeout = 30_000) {
    await this.showExplorer();
    await this.explorerItem(name).waitFor({ timeout });
  }

  /** Opens a file from the explorer as a user would, and waits for its editor tab to be active. */
  async openFromExplorer(name) {
    await this.showExplorer();
    const tab = this.page.locator('.tabs-container .tab.active', { hasText: name });
    // The explorer re-renders while files come and go (an earlier scenario's files being removed):
    // a click can land on the row that slid under the pointer (seen in a CI run: a folder was
    // selected instead). The row is found again and clicked again until its tab is active.
    // (Top-level rows: the scenarios open the workspace's own files, and a scaffold's expanded
    // `pipeline/train.py`, still listed a moment after an earlier attempt removed it, made `train.py`
    // match two rows in a CI run.)
    for (let attempt = 1; ; attempt++) {
      await this.explorerItem(name, { topLevel: true }).click();
      try {
        await tab.waitFor({ timeout: attempt < 3 ? 8_000 : 30_000 });
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    if (name.endsWith('.py')) {
      // The language mode comes from the built-in extensions, which register a moment after the
      // workbench shows; mlready activates on it.
      await this.page.locator('#status\\.editor\\.mode', { hasText: 'Python' }).waitFor({ timeout: 30_000 });
    }
  }

  /** The text editor of the active editor group (scripts). */
  activeEditor() {
    return this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  }

  /**
   * Runs a command from the command palette by its visible label (category: title). Right after
   * start-up the palette may open before the extensions' commands are registered, and it does not
   * refresh while open: then it is closed and opened again (a few times).
   */
  async runCommand(label) {
    const input = this.page.locator('.quick-input-widget input.input');
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: label }).first();
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      try {
        // The palette closes when the workbench takes the focus elsewhere (an editor still closing,
        // a large notebook's cells re-rendering): then it is opened again.
        await input.fill(`>${label}`, { timeout: 5_000 });
        await row.waitFor({ state: 'visible', timeout: 5_000 });
        await row.click({ timeout: 5_000 });
        break;
      } catch (e) {
        await this.page.keyboard.press('Escape');
        await input.waitFor({ state: 'hidden', timeout: 10_000 });
        if (attempt === 4) throw new Error(`the command palette does not list "${label}"`, { cause: e });
      }
    }
    await this.page
      .locator('.quick-input-widget')
      .waitFor({ state: 'hidden', timeout: 10_000 })
      .catch(() => {});
  }

  /** Shows the Problems panel (Ctrl+Shift+M) and waits for it. */
  async showProblems() {
    if (!(await this.page.locator('.markers-panel').isVisible())) {
      await this.page.keyboard.press('Control+Shift+M');
    }
    await this.page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 10_000 });
  }

  /** innerText of every row in the Problems panel (file rows and marker rows). */
  async problemRows() {
    return this.page
      .locator('.markers-panel .monaco-list-row')
      .evaluateAll((rows) => rows.map((r) => /** @type {HTMLElement} */ (r).innerText.replace(/\s+/g, ' ').trim()));
  }

  /**
   * Waits, on every animation frame in the page, until the number of Problems rows whose text
   * contains every string of `includes` is within [min, max]. Returns all rows' texts then.
   * @param {{ includes: string[], min?: number, max?: number, timeout?: number }} q
   * @returns {Promise<string[]>}
   */
  async waitForProblems({ includes, min = 1, max = Infinity, timeout = 30_000 }) {
    const handle = await this.page
      .waitForFunction(
        ({ includes, min, max }) => {
          const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')].map((r) =>
            /** @type {HTMLElement} */ (r).innerText.replace(/\s+/g, ' ').trim(),
          );
          const n = rows.filter((t) => includes.every((s) => t.includes(s))).length;
          return n >= min && n <= max ? rows : null;
        },
        { includes, min, max: max === Infinity ? Number.MAX_SAFE_INTEGER : max },
        { timeout, polling: 'raf' },
      )
      .catch(async (e) => {
        const rows = await this.problemRows().catch(() => []);
        const want = `${min}${max === Infinity ? '+' : max === min ? '' : `..${max}`}`;
        throw new Error(
          `Problems panel: waited ${timeout} ms for ${want} row(s) containing ${includes.map((i) => JSON.stringify(i)).join(' and ')}; ` +
            `it shows:\n  ${rows.join('\n  ') || '(no rows)'}`,
          { cause: e },
        );
      });
    return /** @type {string[]} */ (await handle.jsonValue());
  }

  async screenshot(path) {
    await this.page.screenshot({ path, type: 'png' });
  }
}

export function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// The end-to-end scenarios of issue 6, in order; each waits on what appears on screen.
// A scenario returns a short detail line for the log; the runner takes its screenshot after it,
// unless the scenario took it itself at a better moment (ctx.shot()).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { profileExtensionHost } from './lib/profile.mjs';

/**
 * @typedef {{ wb: import('./lib/workbench.mjs').Workbench, page: import('playwright-core').Page,
 *   workspace: string, out: string, commands: Map<string, { command: string, title: string, category?: string }>,
 *   root: string, shot: () => Promise<void> }} Ctx
 * @typedef {{ id: number, slug: string, title: string, requires?: string[], run: (ctx: Ctx) => Promise<string | void> }} Scenario
 */

const HOVER = '.monaco-hover:not(.hidden)';

/**
 * Focuses the editor at a problem's range: selects its row in the Problems panel and opens it with
 * Enter, which opens the problem with the keyboard focus in its editor (as a double-click does).
 * The Problems list re-renders its rows as diagnostics arrive (a large notebook open sends many):
 * a click or a double-click can land on a row being replaced, and the focus then stays in the
 * list. So each step waits for its effect (the list focused on the row, then an editor focused)
 * and the whole is tried again a few times.
 */
async function revealProblem(wb, rule, { cellIsEnough = false } = {}) {
  const page = wb.page;
  const row = page.locator('.markers-panel .monaco-list-row').filter({ hasText: rule }).first();
  const focusIn = (selector, timeout) =>
    page
      .waitForFunction((selector) => !!document.activeElement?.closest(selector), selector, { timeout, polling: 'raf' })
      .then(
        () => true,
        () => false,
      );
  for (let attempt = 1; attempt <= 4; attempt++) {
    // A click the list's re-rendering or an overlay intercepts is tried again, not waited on for 30 s.
    // (Each failed attempt is logged: which step fails on a slower machine says what to wait for.)
    const retry = (why) => console.log(`[e2e]   revealProblem(${rule}): attempt ${attempt}: ${why}; again`);
    // Near the row's start, on the message: the middle of a long row may be the rule's link, which opens its page.
    if (
      !(await row.click({ timeout: 5_000, position: { x: 80, y: 10 } }).then(
        () => true,
        () => false,
      ))
    ) {
      retry('the click on the row did not land');
      continue;
    }
    // Enter only once the Problems list has the focus on that row (elsewhere it would type into an editor).
    const selected = await page
      .waitForFunction(
        (rule) => {
          const list = document.activeElement?.closest('.markers-panel');
          const focused = list?.querySelector('.monaco-list-row.focused');
          return !!focused && /** @type {HTMLElement} */ (focused).innerText.includes(rule);
        },
        rule,
        { timeout: 5_000, polling: 'raf' },
      )
      .then(
        () => true,
        () => false,
      );
    if (!selected) {
      retry('the Problems list did not focus the row');
      continue;
    }
    await page.keyboard.press('Enter');
    // The editor (or the notebook cell's editor) that shows the finding takes the keyboard focus.
    // (A notebook's cell editors live in an overlay outside the editor group's element.) With
    // `cellIsEnough` (a caller that moves between cells, not one that types), the revealed cell
    // focused in the notebook's cell list will do: on a slower machine VS Code may focus the cell
    // before its editor exists (CI: twice in a row).
    if (await focusIn(cellIsEnough ? '.monaco-editor, .notebook-editor .cell-list-container' : '.monaco-editor', 10_000)) return;
    const where = await page.evaluate(() => {
      const a = document.activeElement;
      return a ? `${a.tagName}.${a.className}` : 'none';
    });
    retry(`no editor took the focus after Enter (focus: ${where})`);
  }
  const where = await page.evaluate(() => {
    const a = document.activeElement;
    return a ? `${a.tagName}.${a.className} in ${a.closest('[class]')?.parentElement?.className}` : 'none';
  });
  throw new Error(`no editor took the focus after opening the ${rule} problem, 4 times (focus: ${where})`);
}

/** Text of the active text editor's visible lines, with monaco's non-breaking spaces normalised. */
async function editorText(wb) {
  return (await wb.activeEditor().locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
}

/** Waits until the active editor's visible text satisfies `test` (checked on every frame). */
async function waitForEditorText(wb, includes, present = true, timeout = 10_000) {
  await wb.page.waitForFunction(
    ({ includes, present }) => {
      const el = document.querySelector('.editor-group-container.active .editor-instance .monaco-editor .view-lines');
      const text = el ? /** @type {HTMLElement} */ (el).innerText.replace(/\u00a0/g, ' ') : '';
      return text.includes(includes) === present;
    },
    { includes, present },
    { timeout, polling: 'raf' },
  );
}

/**
 * Shows the editor hover at the cursor (Ctrl+K Ctrl+I) and waits until one hover element holds
 * every one of `mustContain` (hover parts render as their providers answer).
 */
async function showHoverAtCursor(wb, ...mustContain) {
  await wb.page.keyboard.press('Control+K');
  await wb.page.keyboard.press('Control+I');
  let hover = wb.page.locator(HOVER);
  for (const m of mustContain) hover = hover.filter({ hasText: m });
  await hover.first().waitFor({ state: 'visible', timeout: 10_000 });
  return hover.first();
}

/**
 * Picks an entry of the open code action menu with the keyboard (as Ctrl+. then arrows and
 * Enter), moving down until the focused entry matches.
 */
async function pickCodeAction(page, re) {
  const rows = page.locator('.action-widget .monaco-list-row.action');
  await rows.filter({ hasText: re }).first().waitFor({ state: 'visible', timeout: 10_000 });
  const count = await rows.count();
  for (let i = 0; i <= count; i++) {
    const focused = page.locator('.action-widget .monaco-list-row.action.focused');
    if (re.test((await focused.innerText().catch(() => '')) ?? '')) {
      const title = (await focused.innerText()).trim();
      await page.keyboard.press('Enter');
      await page.locator('.action-widget').waitFor({ state: 'hidden', timeout: 10_000 });
      return title;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no code action matching ${re} could be focused`);
}

/**
 * mlready activates on Python files and notebooks; its server is up once a file's findings are
 * shown. Scenario 1 does that; a scenario run alone (--only) does it here.
 */
async function ensureServerUp(wb) {
  await wb.showProblems();
  if (!(await wb.problemRows()).some((r) => r.includes('hardcoded-path'))) {
    await wb.openFromExplorer('train.py');
    await wb.waitForProblems({ includes: ['hardcoded-path'] });
  }
}

/**
 * Makes one edit (a single insertion at the cursor, replacing the selection) and times, in the
 * page, from the moment the edited text is on screen to the moment the editor's squiggles and the
 * Problems panel show the new diagnostics. A MutationObserver notes each moment as the DOM
 * changes; the keystroke's own way through the browser (slow on a loaded machine) is reported
 * apart, as inputMs.
 */
async function timedEdit(page, { text, squiggles, problems }) {
  await page.evaluate(
    ({ text, squiggles, problems }) => {
      const t = { start: performance.now(), text: 0, editor: 0, problems: 0 };
      const check = () => {
        const now = performance.now();
        const lines = document.querySelector('.editor-group-container.active .editor-instance .view-lines');
        if (!t.text && lines && /** @type {HTMLElement} */ (lines).innerText.replace(/\u00a0/g, ' ').includes(text)) t.text = now;
        if (!t.text) return;
        const n = document.querySelectorAll('.editor-group-container.active .editor-instance .view-overlays [class*="squiggly-"]').length;
        if (!t.editor && n === squiggles) t.editor = now;
        const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')].map((r) => /** @type {HTMLElement} */ (r).innerText);
        const k = rows.filter((r) => problems.includes.every((s) => r.includes(s))).length;
        if (!t.problems && k >= problems.min && k <= problems.max) t.problems = now;
        if (t.editor && t.problems) observer.disconnect();
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      // @ts-expect-error a test hook on the page
      window.__mlreadyEdit = t;
    },
    { text, squiggles, problems },
  );
  await page.keyboard.insertText(text);
  const t = await page
    .waitForFunction(
      // @ts-expect-error
      () => {
        const t = window.__mlreadyEdit;
        return t.editor && t.problems ? t : null;
      },
      undefined,
      { timeout: 10_000, polling: 'raf' },
    )
    .then((h) => h.jsonValue());
  return {
    inputMs: Math.round(t.text - t.start),
    editorMs: Math.round(t.editor - t.text),
    problemsMs: Math.round(t.problems - t.text),
  };
}

/** @type {Scenario[]} */
export const scenarios = [
  {
    id: 1,
    slug: 'problems-and-hover',
    title: 'a script with antipatterns: Problems lists the findings by rule name; a short hover (why, fix, link)',
    async run({ wb, page }) {
      await wb.openFromExplorer('train.py');
      await wb.showProblems();
      const rows = await wb.waitForProblems({ includes: ['missing-seed'] });
      await wb.waitForProblems({ includes: ['hardcoded-path'] });
      const findings = rows.filter((r) => /mlready/.test(r));
      assert.ok(findings.length >= 2, `expected mlready rows in Problems, got:\n${rows.join('\n')}`);
      const seedRow = rows.find((r) => r.includes('mlready missing-seed'));
      assert.match(seedRow ?? '', /train_test_split/, 'the missing-seed finding names train_test_split');

      await revealProblem(wb, 'missing-seed');
      // The diagnostic's part names the rule; the server's short hover adds why, the fix and a link.
      const hover = await showHoverAtCursor(wb, 'missing-seed', /Rule page/);
      assert.doesNotMatch(await hover.innerText(), /What it does/, 'the hover on a finding is short');
      const text = await hover.innerText();
      // Quiet by default: the default settings raise no warning.
      assert.equal(
        await page
          .locator('.notifications-toasts')
          .filter({ hasText: /mlready|Invalid setting/ })
          .count(),
        0,
        'no notification from mlready',
      );
      return `${findings.length} mlready rows; hover ${text.length} chars`;
    },
  },
  {
    id: 2,
    slug: 'quick-fix',
    title: 'a quick fix through Ctrl+. adds random_state and the finding disappears',
    async run({ wb, out }) {
      const page = wb.page;
      await page.keyboard.press('Escape');
      await revealProblem(wb, 'missing-seed');
      assert.ok(!(await editorText(wb)).includes('random_state'), 'train.py starts without random_state');
      await page.keyboard.press('Control+.');
      await page
        .locator('.action-widget .monaco-list-row.action')
        .filter({ hasText: /random_state/ })
        .first()
        .waitFor({ state: 'visible', timeout: 10_000 });
      await wb.screenshot(join(out, '2-quick-fix-menu.png'));
      const title = await pickCodeAction(page, /random_state/);
      await waitForEditorText(wb, 'random_state=');
      const text = await editorText(wb);
      assert.match(text, /train_test_split\(X, y, test_size=0\.2, random_state=\d+\)/, `fixed call, got:\n${text}`);
      await wb.waitForProblems({ includes: ['missing-seed'], min: 0, max: 0 });
      await wb.waitForProblems({ includes: ['hardcoded-path'] });
      return `applied "${title}"`;
    },
  },
  {
    id: 3,
    slug: 'notebook',
    title: 'a notebook: findings on the right cells, including leakage across cells',
    async run({ wb, page }) {
      await wb.openFromExplorer('churn.ipynb');
      const cells = page.locator('.notebook-editor .cell-list-container .monaco-list-row');
      await cells.filter({ hasText: 'fit_transform' }).first().waitFor({ timeout: 30_000 });
      await wb.showProblems();
      const rows = await wb.waitForProblems({ includes: ['data-leakage'] });

      // Which cells carry a squiggle, by the cell's own text.
      const fitCell = cells.filter({ hasText: 'fit_transform' }).first();
      const splitCell = cells.filter({ hasText: 'train_test_split(X_scaled' }).first();
      const importCell = cells.filter({ hasText: 'from sklearn.preprocessing import StandardScaler' }).first();
      const squiggle = '[class*="squiggly-"]';
      await fitCell.locator(squiggle).first().waitFor({ timeout: 10_000 });
      assert.equal(await importCell.locator(squiggle).count(), 0, 'no finding on the imports cell');
      assert.equal(await splitCell.locator(squiggle).count(), 0, 'the leak is reported where the scaler is fitted, not on the split');

      // The squiggle in the fit cell is the cross-cell data-leakage finding: go to it from
      // Problems (which focuses that cell's editor at the finding) and hover it.
      await revealProblem(wb, 'data-leakage');
      await page.waitForFunction(() => document.activeElement?.closest('.monaco-list-row')?.textContent?.includes('fit_transform') ?? false, undefined, {
        timeout: 10_000,
        polling: 'raf',
      });
      const hover = await showHoverAtCursor(wb, 'data-leakage');
      const text = await hover.innerText();
      assert.match(text, /split/i, `the leakage finding names the later split, got:\n${text}`);
      return `${rows.filter((r) => r.includes('mlready')).length} mlready rows in the notebook`;
    },
  },
  {
    id: 4,
    slug: 'live-update',
    title: 'editing a file updates its diagnostics within a second',
    async run({ wb, page, shot }) {
      await ensureServerUp(wb);
      await wb.openFromExplorer('clean.py');
      const before = (await wb.problemRows()).filter((r) => r.includes('hardcoded-path')).length;
      assert.equal(await wb.activeEditor().locator('.view-overlays [class*="squiggly-"]').count(), 0, 'clean.py starts without findings');
      await wb.activeEditor().locator('.view-lines').click();
      // The file ends with a newline: Ctrl+End is the empty last line.
      await page.keyboard.press('Control+End');

      const add = await timedEdit(page, {
        text: 'BACKUP = pd.read_csv("/home/alice/backup.csv")',
        squiggles: 1,
        problems: { includes: ['hardcoded-path'], min: before + 1, max: Number.MAX_SAFE_INTEGER },
      });
      await shot(); // the picture shows the finding that the edit brought
      // Second edit: the user makes the path configurable; the finding goes away.
      await page.keyboard.press('Home');
      await page.keyboard.press('Shift+End');
      const fix = await timedEdit(page, {
        text: 'BACKUP = pd.read_csv(os.environ["BACKUP_PATH"])',
        squiggles: 0,
        problems: { includes: ['hardcoded-path'], min: 0, max: before },
      });
      for (const [what, t] of [
        ['new finding', add],
        ['cleared finding', fix],
      ]) {
        assert.ok(
          t.editorMs <= 1_000 && t.problemsMs <= 1_000,
          `${what}: ${t.editorMs} ms in the editor, ${t.problemsMs} ms in Problems after the edit showed (limit 1000)`,
        );
      }
      const fmt = (t) => `editor ${t.editorMs} ms, Problems ${t.problemsMs} ms (keystroke to edit on screen ${t.inputMs} ms)`;
      return `finding shown: ${fmt(add)}; cleared: ${fmt(fix)}`;
    },
  },
  {
    id: 5,
    slug: 'readiness',
    title: 'the readiness view shows categories and a score, the status bar shows it, the report opens',
    requires: ['mlready.showReadinessReport'],
    async run({ wb, page, out, commands }) {
      await ensureServerUp(wb);
      // The status bar item shows the score once the server has scanned the workspace.
      const statusItem = page
        .locator('.statusbar-item')
        .filter({ hasText: /Readiness \d+/ })
        .first();
      await statusItem.waitFor({ timeout: 60_000 });
      const statusText = (await statusItem.innerText()).trim();
      const score = /Readiness (\d+)/.exec(statusText)?.[1];
      // Clicking it opens the checklist: categories with their percentage.
      await statusItem.click();
      const sidebar = page.locator('#workbench\\.parts\\.sidebar');
      await sidebar.locator('.composite.title', { hasText: /readiness/i }).waitFor({ timeout: 10_000 });
      const categoryRows = sidebar.locator('.monaco-list-row').filter({ hasText: /\d+%|n\/a/ });
      await categoryRows.first().waitFor({ timeout: 30_000 });
      const categories = await categoryRows.count();
      assert.ok(categories >= 3, `expected readiness categories with a percentage, found ${categories}`);
      // The overall score heads the view, and counts read as English ("1 notebook", never "1 notebooks").
      const viewRows = await sidebar.locator('.monaco-list-row').allInnerTexts();
      assert.match(viewRows[0] ?? '', new RegExp(`Readiness ${score} / 100`), `the first row is the overall score:\n${viewRows.join('\n')}`);
      assert.ok(!viewRows.some((row) => /\b1 (notebooks|files|scripts|findings)\b/.test(row)), `no "1 notebooks":\n${viewRows.join('\n')}`);
      await wb.screenshot(join(out, '5-readiness-view.png'));

      await wb.runCommand(commandLabel('mlready.showReadinessReport', commands));
      await page
        .locator('.tabs-container .tab.active')
        .filter({ hasText: /readiness/i })
        .waitFor({ timeout: 20_000 });
      // The report is a webview: its document lives in nested iframes.
      const report = await waitForFrameText(page, /\/\s*100[\s\S]*Categories/, 20_000);
      assert.match(report, new RegExp(`(^|\\s)${score}\\s*/\\s*100`), `the report shows the status bar's score ${score}`);
      // Give the report the whole height for the picture.
      await page.keyboard.press('Control+J');
      await page.locator('.markers-panel').waitFor({ state: 'hidden', timeout: 10_000 });
      return `status bar "${statusText}", ${categories} categories in the view, report page open`;
    },
  },
  {
    id: 6,
    slug: 'scaffold',
    title: 'a scaffold command from the palette creates files that appear in the explorer',
    requires: ['mlready.scaffold.ci'],
    async run({ wb, page, workspace, commands }) {
      const before = new Set(readdirSync(workspace));
      await wb.runCommand(commandLabel('mlready.scaffold.ci', commands));
      // The extension lists what it will create and asks before writing anything.
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 30_000 });
      const listing = await dialog.innerText();
      assert.match(listing, /\.github\/workflows\/mlready\.yml/, `the dialog lists the workflow, got:\n${listing}`);
      await dialog.locator('.monaco-button', { hasText: /^Create$/ }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
      // The new files show in the explorer: the workflow revealed, the rest at the top level.
      await page.keyboard.press('Control+Shift+E');
      await page.locator('.explorer-folders-view').waitFor({ state: 'visible', timeout: 10_000 });
      await wb.waitForExplorerItem('mlready.yml', 30_000);
      // (The explorer compacts `.github/workflows` into one row.)
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^\s*\.github/ }).waitFor({ timeout: 10_000 });
      await wb.waitForExplorerItem('tests', 10_000);
      await wb.waitForExplorerItem('requirements.txt', 10_000);
      await page.locator('.tabs-container .tab.active', { hasText: 'mlready.yml' }).waitFor({ timeout: 10_000 });
      // Generated means written: the files are on disk with their content, not left in unsaved editors.
      const workflow = join(workspace, '.github', 'workflows', 'mlready.yml');
      assert.ok(existsSync(workflow), 'the workflow is on disk');
      const dirty = await page.locator('.tabs-container .tab.dirty').allInnerTexts();
      assert.match(
        readFileSync(workflow, 'utf8'),
        /jobs:/,
        `the workflow on disk has its content (unsaved editors: ${dirty.map((t) => t.trim()).join(', ') || 'none'})`,
      );
      const created = readdirSync(workspace)
        .filter((f) => !before.has(f))
        .sort();
      return `created ${created.join(', ')}`;
    },
  },
  {
    id: 7,
    slug: 'notebook-out-of-order',
    title: 'a notebook saved after re-running a cell: notebook-out-of-order appears in VS Code as in the CLI',
    async run({ wb, page }) {
      await ensureServerUp(wb);
      await wb.openFromExplorer('reruns.ipynb');
      const cells = page.locator('.notebook-editor .cell-list-container .monaco-list-row');
      await cells.filter({ hasText: 'value_counts' }).first().waitFor({ timeout: 30_000 });
      await wb.showProblems();
      // VS Code's ipynb loader gives the cells an execution order without `success`; the server
      // sees the order only when the client forwards it.
      const rows = await wb.waitForProblems({ includes: ['notebook-out-of-order'] });
      const row = rows.find((r) => r.includes('notebook-out-of-order')) ?? '';
      assert.match(row, /ran as \[2\].*\[3\]/, `the finding names the execution counts, got: ${row}`);
      await cells.filter({ hasText: 'value_counts' }).first().locator('[class*="squiggly-"]').first().waitFor({ timeout: 10_000 });
      return row;
    },
  },
  {
    id: 8,
    slug: 'notebook-fix-all',
    title: 'a notebook whose first cell is markdown: "Fix All Auto-Fixable Problems" fixes the whole notebook, and so does saving it',
    async run({ wb, page, workspace }) {
      await ensureServerUp(wb);
      await wb.openFromExplorer('split.ipynb');
      const cells = page.locator('.notebook-editor .cell-list-container .monaco-list-row');
      const splitCell = cells.filter({ hasText: 'train_test_split(df.drop' }).first();
      await splitCell.waitFor({ timeout: 30_000 });
      await wb.showProblems();
      // (train.py has its own missing-seed, on line 10.)
      const here = ['missing-seed', '[Ln 2, Col 36]'];
      await wb.waitForProblems({ includes: here });
      // The command: the whole notebook, whatever cell has the focus.
      await wb.runCommand('mlready: Fix All Auto-Fixable Problems');
      await splitCell.filter({ hasText: 'random_state=42' }).waitFor({ timeout: 15_000 });
      await wb.waitForProblems({ includes: here, min: 0, max: 0 });
      // Save: notebook.codeActionsOnSave asks for notebook.source.fixAll on the first cell, a
      // markdown cell; the fix is applied all the same. A second unseeded split to fix:
      await splitCell.locator('.monaco-editor .view-lines').click();
      await page.keyboard.press('Control+End');
      await page.keyboard.insertText('\nX_a, X_b = train_test_split(df, test_size=0.5)');
      await wb.waitForProblems({ includes: ['missing-seed', '[Ln 3, Col 12]'] });
      await page.keyboard.press('Control+S');
      await splitCell.filter({ hasText: 'test_size=0.5, random_state=42' }).waitFor({ timeout: 15_000 });
      await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: 15_000 });
      const saved = readFileSync(join(workspace, 'split.ipynb'), 'utf8');
      assert.match(saved, /test_size=0\.5, random_state=42/, 'the fix is in the saved notebook');
      await wb.waitForProblems({ includes: ['missing-seed', '[Ln 3, Col 12]'], min: 0, max: 0 });
      return 'fixed by the command, then again on save';
    },
  },
  {
    id: 9,
    slug: 'pyproject-diagnostics',
    title: 'pyproject.toml: the misspelt severity entry and the bad attestation are both shown, on their own lines, and stay',
    async run({ wb, page, workspace, root }) {
      await ensureServerUp(wb);
      await wb.showProblems();
      // The project gets a pyproject.toml with a misspelt severity entry and a bad attestation
      // (written into the run's copy of the workspace, removed at the end: it would stop the scaffolds).
      const pyproject = join(workspace, 'pyproject.toml');
      writeFileSync(pyproject, readFileSync(join(root, 'test', 'e2e', 'pyproject-invalid.toml'), 'utf8'));
      try {
        // Both parts of the server report on pyproject.toml; neither replaces the other.
        const rows = await wb.waitForProblems({ includes: ['did you mean `swallowed-error`'], timeout: 60_000 });
        await wb.waitForProblems({ includes: ['ops-monitorng'], timeout: 60_000 });
        const severityRow = rows.find((r) => r.includes('swallowed-eror')) ?? '';
        assert.match(severityRow, /unknown rule `swallowed-eror`; did you mean `swallowed-error`\?/, severityRow);
        assert.match(severityRow, /\[Ln 7,/, `reported on the entry's own line (7), got: ${severityRow}`);
        // The valid entries of the table still apply: no error about the whole table.
        assert.ok(!rows.some((r) => /expected a table/.test(r)), rows.join('\n'));
        // An edit makes the readiness report run again (it republishes its part): both stay.
        await wb.openFromExplorer('clean.py');
        await wb.activeEditor().locator('.view-lines').click();
        await page.keyboard.press('Control+End');
        await page.keyboard.insertText('# touched\n');
        const statusItem = page
          .locator('.statusbar-item')
          .filter({ hasText: /Readiness \d+/ })
          .first();
        await statusItem.waitFor({ timeout: 60_000 });
        await wb.waitForProblems({ includes: ['did you mean `swallowed-error`'] });
        await wb.waitForProblems({ includes: ['ops-monitorng'] });
        await page.keyboard.press('Control+Z');
        return severityRow;
      } finally {
        rmSync(pyproject, { force: true });
      }
    },
  },
  {
    id: 10,
    slug: 'large-notebook',
    title: 'a 2,000-cell notebook: an edit in one cell shows its finding in Problems',
    async run({ wb, page, workspace }) {
      await ensureServerUp(wb);
      writeFileSync(join(workspace, 'big.ipynb'), bigNotebook(2000));
      await wb.waitForExplorerItem('big.ipynb', 30_000);
      await wb.openFromExplorer('big.ipynb');
      await wb.showProblems();
      // The one finding of the notebook, near its end: going there focuses that cell's editor.
      await wb.waitForProblems({ includes: ['/srv/only-finding.csv'], timeout: 60_000 });
      await revealProblem(wb, 'only-finding');
      await page.keyboard.press('End');
      const shown = await page.evaluate(() => {
        const t = { start: performance.now(), problems: 0 };
        const observer = new MutationObserver(() => {
          const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')].map((r) => /** @type {HTMLElement} */ (r).innerText);
          if (rows.some((r) => r.includes('/srv/new-finding.csv'))) {
            t.problems = performance.now();
            observer.disconnect();
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        // @ts-expect-error a test hook on the page
        window.__mlreadyBig = t;
      });
      void shown;
      await page.keyboard.insertText('\nbackup = pd.read_csv("/srv/new-finding.csv")');
      const t = await page
        .waitForFunction(
          // @ts-expect-error
          () => (window.__mlreadyBig.problems ? window.__mlreadyBig : null),
          undefined,
          { timeout: 20_000, polling: 'raf' },
        )
        .then((h) => h.jsonValue());
      const ms = Math.round(t.problems - t.start);
      // A guard against the seconds-long delays of re-publishing every cell; the server's own figure
      // (edit to the cell's diagnostics) is measured apart by scripts/notebook-latency.ts.
      assert.ok(ms <= 10_000, `the new finding took ${ms} ms to reach Problems (limit 10000)`);
      // A second 2,000-cell notebook left open slows every later notebook edit (VS Code looks a
      // changed cell up across every open notebook) and matches the later scenarios' cell selectors.
      // (The notebook is active and dirty: reverting first means no "save changes?" dialog.)
      await wb.runCommand('View: Revert and Close Editor');
      await wb.runCommand('View: Close All Editors');
      return `keystroke to the finding in Problems: ${ms} ms`;
    },
  },
  {
    id: 21,
    slug: 'setting-exclude',
    title: 'mlready.exclude: a file the glob matches loses its diagnostics, other files keep theirs',
    async run({ wb, workspace }) {
      await ensureServerUp(wb);
      mkdirSync(join(workspace, 'generated'), { recursive: true });
      writeFileSync(join(workspace, 'generated', 'gen_features.py'), 'import pandas as pd\n\nfeatures = pd.read_csv("/srv/e2e-excluded.csv")\n');
      try {
        await openQuick(wb, 'generated/gen_features.py');
        await wb.showProblems();
        await wb.waitForProblems({ includes: ['/srv/e2e-excluded.csv'] });
        await writeSettings(workspace, { 'mlready.exclude': ['generated/**'] });
        await wb.waitForProblems({ includes: ['/srv/e2e-excluded.csv'], min: 0, max: 0 });
        // train.py (not excluded) keeps its findings.
        await wb.waitForProblems({ includes: ['/home/alice/data.csv'] });
        await writeSettings(workspace, {});
        await wb.waitForProblems({ includes: ['/srv/e2e-excluded.csv'] });
        return 'the finding went with the setting and came back without it';
      } finally {
        await writeSettings(workspace, {});
      }
    },
  },
  {
    id: 22,
    slug: 'setting-configuration',
    title: 'mlready.configuration names a config file (${workspaceFolder} expanded) whose severity applies',
    async run({ wb, workspace }) {
      await ensureServerUp(wb);
      mkdirSync(join(workspace, 'configs'), { recursive: true });
      writeFileSync(join(workspace, 'configs', 'e2e-mlready.toml'), '[severity]\nhardcoded-path = "error"\n');
      writeFileSync(join(workspace, 'severity_check.py'), 'import pandas as pd\n\nscores = pd.read_csv("/srv/e2e-severity.csv")\n');
      try {
        await openQuick(wb, 'severity_check.py');
        await wb.showProblems();
        await waitForProblemSeverity(wb, '/srv/e2e-severity.csv', 'warning');
        await writeSettings(workspace, { 'mlready.configuration': '${workspaceFolder}/configs/e2e-mlready.toml' });
        await waitForProblemSeverity(wb, '/srv/e2e-severity.csv', 'error');
        return 'hardcoded-path went from a warning to an error';
      } finally {
        await writeSettings(workspace, {});
      }
    },
  },
  {
    id: 23,
    slug: 'setting-configuration-preference',
    title: 'mlready.configurationPreference editorOnly: the ignore in pyproject.toml no longer applies',
    async run({ wb, workspace }) {
      await ensureServerUp(wb);
      const pyproject = join(workspace, 'pyproject.toml');
      writeFileSync(pyproject, '[tool.mlready]\nignore = ["hardcoded-path"]\n');
      writeFileSync(
        join(workspace, 'pref_check.py'),
        'import pandas as pd\nfrom sklearn.model_selection import KFold\n\nfolds = KFold(5, shuffle=True)\nraw = pd.read_csv("/srv/e2e-pref.csv")\n',
      );
      try {
        await openQuick(wb, 'pref_check.py');
        await wb.showProblems();
        // Analysed (its missing-seed is shown), and pyproject.toml's ignore holds the path back.
        await wb.waitForProblems({ includes: ['`KFold` without'] });
        await wb.waitForProblems({ includes: ['/srv/e2e-pref.csv'], min: 0, max: 0 });
        await writeSettings(workspace, { 'mlready.configurationPreference': 'editorOnly' });
        await wb.waitForProblems({ includes: ['/srv/e2e-pref.csv'] });
        await writeSettings(workspace, {});
        await wb.waitForProblems({ includes: ['/srv/e2e-pref.csv'], min: 0, max: 0 });
        return 'editorOnly showed the finding pyproject.toml ignores; editorFirst hid it again';
      } finally {
        rmSync(pyproject, { force: true });
        await writeSettings(workspace, {});
      }
    },
  },
  {
    id: 24,
    slug: 'setting-status-bar-score',
    title: 'mlready.showScoreInStatusBar: off hides the readiness score in the status bar, on shows it',
    requires: ['mlready.showReadinessReport'],
    async run({ wb, page, workspace }) {
      await ensureServerUp(wb);
      const item = page.locator('.statusbar-item').filter({ hasText: /Readiness \d+/ });
      await item.first().waitFor({ timeout: 60_000 });
      try {
        await writeSettings(workspace, { 'mlready.showScoreInStatusBar': false });
        await item.first().waitFor({ state: 'detached', timeout: 15_000 });
        await writeSettings(workspace, { 'mlready.showScoreInStatusBar': true });
        await item.first().waitFor({ timeout: 15_000 });
        return `hidden, then shown again: "${(await item.first().innerText()).trim()}"`;
      } finally {
        await writeSettings(workspace, {});
      }
    },
  },
  {
    id: 25,
    slug: 'cell-numbers',
    title: 'a notebook whose markdown cells shift the numbering: messages name cells as VS Code shows them ("Cell N")',
    async run({ wb, page, workspace }) {
      await ensureServerUp(wb);
      writeFileSync(join(workspace, 'numbered.ipynb'), numberedNotebook());
      await wb.waitForExplorerItem('numbered.ipynb', 30_000);
      await wb.openFromExplorer('numbered.ipynb');
      const cells = page.locator('.notebook-editor .cell-list-container .monaco-list-row');
      await cells.filter({ hasText: 'fit_transform' }).first().waitFor({ timeout: 30_000 });
      await wb.showProblems();
      // The split is the notebook's 6th cell (3 markdown cells above it, 2 code cells): "Cell 6",
      // where the code-cell index would have said 2 (0-based) or 3.
      const rows = await wb.waitForProblems({ includes: ['data-leakage', 'in Cell 6, line 1'] });
      const row = rows.find((r) => r.includes('data-leakage')) ?? '';
      // VS Code's own numbering: the notebook list numbers its rows (aria-posinset, of aria-setsize),
      // markdown included. The finding sits on the fit, the 4th cell; the cell it names, two
      // cells down, is the 6th and holds the split.
      const focused = page.locator('.notebook-editor .cell-list-container .monaco-list-row.focused');
      // (churn.ipynb, if open, has a data-leakage finding too.)
      await revealProblem(wb, 'in Cell 6, line 1', { cellIsEnough: true });
      // (Other notebooks of the run may be open: the rows are told apart by this notebook's text.)
      const fitRow = focused.filter({ hasText: 'X_scaled = StandardScaler().fit_transform(X)' });
      await fitRow.waitFor({ timeout: 10_000 });
      assert.equal(await fitRow.getAttribute('aria-posinset'), '4', "the finding is on VS Code's 4th cell");
      await page.keyboard.press('Escape'); // from the cell's editor to the cell list
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      const splitRow = focused.filter({ hasText: 'train_test_split(X_scaled, y, random_state=0)' });
      await splitRow.waitFor({ timeout: 10_000 });
      const position = await splitRow.getAttribute('aria-posinset');
      assert.equal(position, '6', 'the split is in the cell VS Code numbers 6, as the message says');
      return `${row} — VS Code numbers the split's cell ${position} of ${await splitRow.getAttribute('aria-setsize')}`;
    },
  },
  {
    id: 26,
    slug: 'readiness-cell-numbers',
    title: "the readiness view's notebook evidence names the cell as VS Code numbers it, and opens that cell",
    requires: ['mlready.showReadinessReport'],
    async run({ wb, page }) {
      const row = await openReadinessView(wb, page);
      // Expand Reproducibility, then its notebook item (a click on a collapsed row expands it).
      for (const [text, child] of [
        [/^\s*Reproducibility/, 'Notebooks run in order'],
        ['Notebooks run in order', 'reruns.ipynb'],
      ]) {
        await row(text).waitFor({ timeout: 30_000 });
        if ((await row(child).count()) === 0) await row(text).click();
        await row(child).waitFor({ timeout: 10_000 });
      }
      // reruns.ipynb: a markdown cell, then three code cells; the out-of-order one is the third
      // code cell, the notebook's 4th cell.
      const evidence = row('reruns.ipynb, Cell 4, line 1');
      await evidence.waitFor({ timeout: 10_000 });
      const label = (await evidence.innerText()).replace(/\s+/g, ' ').trim();
      // Opening it focuses the cell VS Code numbers 4 (aria-posinset of the notebook's list).
      await evidence.click();
      const focused = page.locator('.notebook-editor .cell-list-container .monaco-list-row.focused').filter({ hasText: 'value_counts' });
      await focused.waitFor({ timeout: 30_000 });
      assert.equal(await focused.getAttribute('aria-posinset'), '4', 'the evidence opens the cell VS Code numbers 4');
      return `"${label}" opens cell ${await focused.getAttribute('aria-posinset')} of ${await focused.getAttribute('aria-setsize')}`;
    },
  },
  {
    id: 27,
    slug: 'quiet-suppression-and-actions',
    title:
      'quiet by default: a misspelt rule in a suppression comment is a finding, the Problems row is the first sentence, hovering a suppressed rule shows its page, the light bulb offers "Disable", "Show documentation" and the pipeline only on the training call',
    run: leavesNoTrace(async ({ wb, page, workspace }) => {
      await ensureServerUp(wb);
      const lines = [
        'import pandas as pd',
        'from sklearn.linear_model import LogisticRegression',
        '',
        'raw = pd.read_csv("/srv/e2e-quiet-a.csv")  # mlready: ignore[hardcoded-pth]',
        'kept = pd.read_csv("/srv/e2e-quiet-b.csv")  # mlready: ignore[hardcoded-path]',
        'model = LogisticRegression()',
        'model.fit(raw.drop(columns=["y"]), raw["y"])',
        '',
      ];
      return withOwnFile(wb, workspace, 'quiet_check.py', lines, () => quietChecks(wb, page));
    }),
  },
  {
    id: 28,
    slug: 'trace-server',
    title:
      "mlready.trace.server: the protocol trace shows in the mlready output channel once the setting is read, without changing the channel's log level, and redacted",
    run: leavesNoTrace(async ({ wb, workspace }) => {
      await ensureServerUp(wb);
      const log = extensionLog(workspace);
      const key = 'sk-proj-e2eTRACE7f3kQ9zLm2Xv8Rb4Nw6Tc1Yp5Hd0Js';
      const traced = () =>
        readFileSync(log, 'utf8')
          .split('\n')
          .filter((line) => /Sending notification 'textDocument\/did(Open|Change)'/.test(line));
      const before = traced().length;
      const start = readFileSync(log, 'utf8').length;
      try {
        await writeSettings(workspace, { 'mlready.trace.server': 'verbose' });
        // The settings file reaches the client through a file watcher (slow on a loaded machine): the
        // trace is on once the client has traced a message of any kind.
        await waitUntil(
          () => /(Sending|Received) (notification|request|response) '/.test(readFileSync(log, 'utf8').slice(start)),
          30_000,
          'the client traced a message',
        );
        writeFileSync(join(workspace, 'trace_check.py'), `import pandas as pd\n\nOPENAI_API_KEY = "${key}"\nraw = pd.read_csv("/srv/e2e-trace.csv")\n`);
        await openQuick(wb, 'trace_check.py');
        await wb.showProblems();
        await wb.waitForProblems({ includes: ['/srv/e2e-trace.csv'] });
        const waitForTrace = async (ms) => {
          const deadline = Date.now() + ms;
          while (traced().length <= before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
          return traced().length > before;
        };
        // Should the didOpen have gone out before the trace came on, an edit is traced.
        if (!(await waitForTrace(8_000))) {
          await wb.activeEditor().locator('.view-lines').click();
          await wb.page.keyboard.press('Control+End');
          await wb.page.keyboard.type('# traced');
          await waitForTrace(10_000);
        }
        const lines = traced();
        assert.ok(lines.length > before, `the trace of the document reached the mlready output channel (${lines.length} trace lines, ${before} before)`);
        assert.ok(!readFileSync(log, 'utf8').includes(key), 'the key in the traced document is redacted');
        await wb.runCommand('View: Revert and Close Editor');
        return `${lines.length - before} traced didOpen/didChange notifications; the key redacted`;
      } finally {
        await writeSettings(workspace, {});
      }
    }),
  },
  {
    id: 29,
    slug: 'commands-and-lint-settings',
    title:
      'commands and lint settings: Show Debug Information and Show Server Logs, Fix All on a script, mlready.lint.ignore/select, and mlready.lint.run onSave analyses a file when saved',
    run: leavesNoTrace(async ({ wb, page, workspace }) => {
      await ensureServerUp(wb);
      // Only this scenario's file open (no webview to take the focus back when an editor closes).
      // An editor an earlier scenario left unsaved makes VS Code ask: its changes are not this scenario's to keep.
      await wb.runCommand('View: Close All Editors');
      const dontSave = page.locator('.monaco-dialog-box .monaco-button').filter({ hasText: /^Don't Save$/ });
      if (
        await dontSave.waitFor({ state: 'visible', timeout: 2_000 }).then(
          () => true,
          () => false,
        )
      )
        await dontSave.click();
      const name = 'lint_check.py';
      writeFileSync(join(workspace, name), twoSplits('/srv/e2e-lint.csv').join('\n'));
      try {
        await openQuick(wb, name);
        // Kept open (not a preview tab the next editor replaces): the steps below come back to it.
        await wb.activeEditor().locator('.view-lines').click();
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Enter');
        // Show Debug Information: what to paste into a bug report, with the running server.
        await wb.runCommand('mlready: Show Debug Information');
        await waitForEditorText(wb, 'language server: mlready');
        await wb.runCommand('View: Revert and Close Editor');
        // Show Server Logs: the mlready output channel, with the server's version line.
        await wb.runCommand('mlready: Show Server Logs');
        // The Output panel, on mlready's channel (its end is in view, which may be far from the first lines).
        await page.waitForFunction(
          () => {
            const select = /** @type {HTMLSelectElement | null} */ (document.querySelector('.part.panel .monaco-select-box'));
            return (
              !!select &&
              select.selectedOptions[0]?.textContent?.trim() === 'mlready' &&
              !!document.querySelector('.part.panel .output-view, .part.panel [id="workbench.panel.output"]')
            );
          },
          undefined,
          { timeout: 15_000, polling: 'raf' },
        );
        // What the channel says at info level: the server's version and rule count, and per
        // configuration its sources, settings and the rules it enables.
        const channel = readFileSync(extensionLog(workspace), 'utf8');
        assert.match(channel, /mlready \S+ \(Node [\d.]+\): \d+ rules/, 'the version line');
        assert.match(channel, /configuration for \S+: .*\(configurationPreference \w+\); select .*\d+ rules enabled: [a-z-]+/, 'a configuration line');

        await wb.showProblems();
        // Only this file's rows (Problems renders the rows in view; earlier scenarios leave files open).
        await problemsFilter(page).fill(`**/${name}`);
        await wb.waitForProblems({ includes: ['/srv/e2e-lint.csv'] });
        // mlready.lint.ignore drops a rule; mlready.lint.select keeps only the rules it names.
        await writeSettings(workspace, { 'mlready.lint.ignore': ['hardcoded-path'] });
        await wb.waitForProblems({ includes: ['/srv/e2e-lint.csv'], min: 0, max: 0 });
        await writeSettings(workspace, { 'mlready.lint.select': ['hardcoded-path'] });
        await wb.waitForProblems({ includes: ['/srv/e2e-lint.csv'] });
        await wb.waitForProblems({ includes: ['missing-seed'], min: 0, max: 0 });
        await writeSettings(workspace, {});
        // Fix All on a script: both splits get random_state, their findings go.
        await wb.waitForProblems({ includes: ['missing-seed'], min: 2 });
        await openQuick(wb, name);
        await wb.runCommand('mlready: Fix All Auto-Fixable Problems');
        await waitForEditorText(wb, 'test_size=0.3, random_state=');
        const text = await editorText(wb);
        assert.match(text, /test_size=0\.2, random_state=\d+\)/, `both splits fixed:\n${text}`);
        await page.keyboard.press('Control+S');
        // mlready.lint.run onSave: a typed finding waits for the save.
        await writeSettings(workspace, { 'mlready.lint.run': 'onSave' });
        // The server logs each document's configuration when it changes: onSave is in effect once it says so.
        const log = extensionLog(workspace);
        await waitUntil(() => readFileSync(log, 'utf8').includes('lint.run onSave'), 15_000, 'the server logged lint.run onSave');
        // The keyboard into the editor (a file opened from the explorer leaves the focus there).
        await wb.activeEditor().locator('.view-lines').click();
        await page.keyboard.press('Control+End');
        await page.keyboard.type('later = pd.read_csv("/srv/e2e-onsave.csv")');
        await waitForEditorText(wb, '/srv/e2e-onsave.csv');
        // (An absence: the one wait of fixed length, three times what an analysis of this file takes here.)
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        assert.ok(!(await wb.problemRows()).some((r) => r.includes('/srv/e2e-onsave.csv')), 'not analysed while typing with lint.run onSave');
        await page.keyboard.press('Control+S');
        await wb.waitForProblems({ includes: ['/srv/e2e-onsave.csv'] });
        return 'debug information and logs shown; ignore/select applied; both splits fixed; onSave analysed on save only';
      } finally {
        await writeSettings(workspace, {});
        await clearProblemsFilter(wb);
        await wb.runCommand('View: Revert and Close Editor').catch(() => undefined);
      }
    }),
  },
  {
    id: 11,
    slug: 'large-notebook-latency',
    title: 'a 2,000-cell notebook: each edit reaches the cell and Problems, timed step by step (keystroke, server analysis, squiggle, Problems row)',
    run: leavesNoTrace(async ({ wb, page, workspace }) => {
      await ensureServerUp(wb);
      // Every analysis's timing in the log (debug level), not only the slow ones; removed at the end.
      const settings = join(workspace, '.vscode', 'settings.json');
      mkdirSync(dirname(settings), { recursive: true });
      writeFileSync(settings, JSON.stringify({ 'mlready.logLevel': 'debug' }));
      const name = 'latency.ipynb';
      writeFileSync(join(workspace, name), bigNotebook(2000, '/srv/lat-finding.csv'));
      await wb.waitForExplorerItem(name, 30_000);
      await wb.openFromExplorer(name);
      await wb.showProblems();
      // Problems lists rows virtually: with many files, a new row may be out of view. The filter
      // keeps this notebook's rows (every path here starts with /srv/lat-) at the top.
      const filter = page.getByPlaceholder(/^Filter \(e\.g\. text/);
      await filter.fill('/srv/lat-');
      await wb.waitForProblems({ includes: ['/srv/lat-finding.csv'], timeout: 60_000 });
      // (Right after a 2,000-cell notebook opens, its cells may not take the focus yet: revealProblem tries again.)
      await revealProblem(wb, 'lat-finding');
      await page.keyboard.press('End');
      const log = extensionLog(workspace);
      // Alone, then with a second 2,000-cell notebook open: VS Code and the language client look a
      // changed cell up among the cells of every open notebook, and the second must not slow the first.
      const alone = await timedCellEdits({ page, workspace, log, name, prefix: '/srv/lat-edit-', label: 'one-notebook' });
      const other = 'latency-other.ipynb';
      writeFileSync(join(workspace, other), bigNotebook(2000, '/srv/lat-other.csv'));
      await wb.waitForExplorerItem(other, 30_000);
      await wb.openFromExplorer(other);
      await wb.waitForProblems({ includes: ['/srv/lat-other.csv'], timeout: 60_000 });
      // Back to the first notebook, at the end of the line typed last. The Problems panel shows
      // about ten rows: the filter now keeps only the rows of the edits to come.
      const last = `/srv/lat-edit-${EDITS}.csv`;
      await filter.fill(last);
      await revealProblem(wb, last);
      await filter.fill('/srv/lat2-');
      await page.locator('.notebook-editor .view-line', { hasText: last }).click();
      await page.keyboard.press('End');
      const two = await timedCellEdits({ page, workspace, log, name, prefix: '/srv/lat2-edit-', label: 'two-notebooks' });
      console.log(`[e2e] large-notebook latency, keystroke to:\n  one notebook open:\n${alone.rows}\n  a second 2,000-cell notebook open:\n${two.rows}`);
      const summary = `one notebook open: ${alone.summary}; with a second open: ${two.summary}`;
      for (const [what, phase] of [
        ['alone', alone],
        ['with a second notebook open', two],
      ]) {
        assert.ok(phase.synced.length >= 3, `the server logged the analyses of the edits (${what}): ${summary}`);
      }
      // The line-to-server figure is reported, not asserted: it waits for whatever else the
      // extension host does, and once VS Code's built-in Markdown extension is active (scenarios 3
      // and 8 activate it) its own language client (the same library) walks every cell of every
      // open notebook on each change: 150-700 ms of the extension host per typed line in these runs
      // (microsoft/vscode-jupyter#14459: large notebooks with markdown cells are slow). What is
      // mlready's is measured apart, from the profile:
      // mlready's client in the extension host, both cases together (a lone pause of the process
      // on this shared machine lands in whatever function it interrupts): with vscode-languageclient's
      // own notebook sync a typed line cost 40-90 ms of the extension host here (VS Code's
      // languages.match walks every open notebook's cells, three times a change); with
      // client/src/notebook-sync.ts a change's way is a few map lookups: 7-13 ms a line, sending included.
      const clientMs = (alone.clientMs + two.clientMs) / 2;
      assert.ok(clientMs <= 25, `mlready's client took ${clientMs.toFixed(0)} ms of the extension host per typed line (limit 25): ${summary}`);
      // The large notebooks open in this run are closed (unsaved edits reverted, so no dialog).
      await wb.runCommand('View: Revert and Close Editor');
      await wb.openFromExplorer(other);
      await wb.runCommand('View: Revert and Close Editor');
      rmSync(settings, { force: true });
      await filter.fill('');
      return summary;
    }),
  },
  {
    id: 12,
    slug: 'scaffold-from-notebook',
    title:
      'Generate Production Scaffolds… from a notebook: its data file is proposed first and its target preselected; only the main file (train.py) is opened',
    requires: ['mlready.scaffold.generate'],
    run: leavesNoTrace(async ({ wb, page, workspace, commands, shot }) => {
      await ensureServerUp(wb);
      await wb.openFromExplorer('churn.ipynb');
      // The notebook shows its cells (any: an earlier scenario may have left it scrolled past the
      // read_csv cell, and the list renders only the rows in view; a run failed waiting for it).
      const cellRow = page.locator('.notebook-editor .cell-list-container .monaco-list-row:visible').first();
      // Two clean-clone CI runs showed no cell for 30 s on the first attempt (after scenario 11's
      // 2,000-cell notebooks) and passed on the retry: the notebook is opened once more before failing.
      await cellRow.waitFor({ timeout: 20_000 }).catch(async () => {
        await shot();
        await wb.openFromExplorer('churn.ipynb');
        await cellRow.waitFor({ timeout: 30_000 });
      });
      const tabsBefore = await openTabs(page);
      await wb.runCommand(commandLabel('mlready.scaffold.generate', commands));
      await pickKinds(page, ['Training pipeline', 'Prediction API']);
      const asked = await answerScaffoldFlow(wb, {
        target: 'churn',
        onData: async (rows) => {
          await shot();
          return rows;
        },
        done: () => existsSync(join(workspace, 'serving', 'app.py')) && existsSync(join(workspace, 'pipeline', 'train.py')),
      });
      // The data question proposed the notebook's own file first: no file dialog.
      const data = asked.find((a) => a.kind === 'data');
      assert.ok(data, `the notebook's data file was proposed (asked: ${asked.map((a) => a.kind).join(', ')})`);
      assert.match(data.rows[0] ?? '', /^data\/churn\.csv\s*read by churn\.ipynb/, `the first proposal is the notebook's file, got: ${data.rows.join(' | ')}`);
      const target = asked.find((a) => a.kind === 'target');
      if (target) assert.equal(target.active, 'churn', "the notebook's target column is preselected");
      assert.match(readFileSync(join(workspace, 'data_schema.py'), 'utf8'), /churn\.csv/, "the pipeline reads the notebook's data file");
      // Only the main file is opened: train.py, active; the API's app is not.
      // (30 s: a clean-clone CI run on a loaded host took longer than 15 s to show it.)
      await page.locator('.tabs-container .tab.active', { hasText: 'train.py' }).filter({ hasText: 'pipeline' }).waitFor({ timeout: 30_000 });
      const tabsAfter = await openTabs(page);
      // (A tab's label gains its folder when another tab has the same name: compare counts and names.)
      const opened = tabsAfter.length - tabsBefore.length;
      const generated = tabsAfter.filter((t) => /app\.py|config\.py|data_schema|contract|Dockerfile|requirements|README|evaluate|promote/.test(t));
      assert.ok(opened === 1 && generated.length === 0, `only the main file is opened; tabs before: ${tabsBefore.join(', ')}; after: ${tabsAfter.join(', ')}`);
      return `asked: ${asked.map((a) => a.kind).join(', ')}; data proposals: ${data.rows.join(' | ')}; tabs: ${tabsAfter.join(', ')}`;
    }),
  },
  {
    id: 13,
    slug: 'scaffold-diff',
    title: 'a scaffold over existing files: a diff per file, "Keep mine" leaves it byte for byte, "Overwrite" replaces it, "Write beside" adds .new',
    requires: ['mlready.scaffold.generate'],
    run: leavesNoTrace(async ({ wb, page, workspace, commands, root, shot }) => {
      await ensureServerUp(wb);
      // The user's own files where the API scaffold writes.
      const mine = {
        'serving/app.py': '# my own app, with my changes\nimport os\nPORT = int(os.environ.get("PORT", "8000"))\n',
        'serving/base.py': '# my old base, to be replaced\n',
        Dockerfile: 'FROM python:3.11-slim\n# my own image\n',
      };
      for (const [file, text] of Object.entries(mine)) {
        mkdirSync(dirname(join(workspace, file)), { recursive: true });
        writeFileSync(join(workspace, file), text);
      }
      await wb.openFromExplorer('churn.ipynb');
      await wb.runCommand(commandLabel('mlready.scaffold.generate', commands));
      await pickKinds(page, ['Prediction API']);
      const choices = { 'serving/app.py': 'Keep mine', 'serving/base.py': 'Overwrite', Dockerfile: 'Write beside as Dockerfile.new' };
      const diffs = [];
      const asked = await answerScaffoldFlow(wb, {
        target: 'churn',
        // (Proposed from the notebook; scenario 12 checks that. A file dialog is answered too.)
        dataFile: join(workspace, 'data', 'churn.csv'),
        onConflict: async (file) => {
          if (file in mine) {
            // The diff editor shows the user's file on the left and the generated one on the right.
            const diff = page.locator('.editor-group-container.active .monaco-diff-editor');
            await page
              .locator('.tabs-container .tab.active', { hasText: `${file.split('/').pop()}: yours ↔ generated by mlready` })
              .waitFor({ timeout: 15_000 });
            await diff
              .locator('.editor.original .view-lines')
              .filter({ hasText: mine[file].split('\n')[0] })
              .waitFor({ timeout: 15_000 });
            await diff.locator('.editor.modified .view-lines').filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
            const generated = (await diff.locator('.editor.modified .view-lines').innerText()).replace(/\u00a0/g, ' ');
            assert.ok(!generated.includes(mine[file].split('\n')[0]), `${file}: the right side is the generated file`);
            diffs.push(file);
            if (file === 'serving/app.py') await shot();
          }
          return choices[file] ?? 'Keep mine';
        },
        done: () => existsSync(join(workspace, 'Dockerfile.new')) && existsSync(join(workspace, 'serving', 'contract.py')),
      });
      assert.deepEqual(diffs.sort(), Object.keys(mine).sort(), `a diff for each existing file (asked: ${asked.map((a) => a.file ?? a.kind).join(', ')})`);
      assert.equal(readFileSync(join(workspace, 'serving', 'app.py'), 'utf8'), mine['serving/app.py'], '"Keep mine" leaves the file byte for byte');
      assert.equal(readFileSync(join(workspace, 'Dockerfile'), 'utf8'), mine.Dockerfile, '"Write beside" leaves the file as it was');
      const template = (f) => readFileSync(join(root, 'server', 'src', 'engine', 'scaffolds', 'templates', f), 'utf8');
      await waitForFile(join(workspace, 'serving', 'base.py'), template('serving/base.py'));
      assert.equal(readFileSync(join(workspace, 'Dockerfile.new'), 'utf8'), template('Dockerfile'), 'the generated Dockerfile is written beside');
      // The review's diff editors are closed again.
      assert.equal(await page.locator('.tabs-container .tab', { hasText: 'generated by mlready' }).count(), 0, 'the diff editors are closed');
      // The command has finished (it says what it wrote) before this scenario's files are removed.
      await page
        .locator('.notifications-toasts .notification-toast')
        .filter({ hasText: /mlready: (?!generating)/ })
        .first()
        .waitFor({ timeout: 30_000 });
      await wb.runCommand('Notifications: Clear All Notifications');
      return `diffs for ${diffs.join(', ')}; kept app.py, overwrote base.py, Dockerfile.new beside`;
    }),
  },
  {
    id: 30,
    slug: 'scaffold-answers',
    title:
      "Generate Production Scaffolds… never preselects an ID column as the target, and remembers its answers for the workspace: a second run preselects last time's kinds and asks neither the data nor the target",
    requires: ['mlready.scaffold.generate'],
    run: leavesNoTrace(async ({ wb, page, workspace, commands }) => {
      await ensureServerUp(wb);
      writeFileSync(
        join(workspace, 'data', 'accounts.csv'),
        'customer_id,tenure,monthly_charges,churned\n1001,1,29.85,0\n1002,34,56.95,0\n1003,2,53.85,1\n1004,45,42.30,0\n1005,2,70.70,1\n1006,8,99.65,1\n',
      );
      writeFileSync(join(workspace, 'accounts.py'), 'import pandas as pd\n\naccounts = pd.read_csv("data/accounts.csv")\nprint(accounts.describe())\n');
      await openQuick(wb, 'accounts.py');
      const before = readTree(workspace);
      const generated = () => existsSync(join(workspace, 'pipeline', 'train.py'));
      await wb.runCommand(commandLabel('mlready.scaffold.generate', commands));
      await pickKinds(page, ['Training pipeline']);
      const first = await answerScaffoldFlow(wb, { target: 'churned', done: generated });
      const target = first.find((a) => a.kind === 'target');
      assert.ok(target, `the script names no target, so the target is asked (asked: ${JSON.stringify(first)})`);
      assert.notEqual(target.active, 'customer_id', 'an ID column is never the preselected target');
      // (The files are written one after another: the schema may land just after train.py.)
      const schema = join(workspace, 'data_schema.py');
      await waitUntil(
        () => existsSync(schema) && readFileSync(schema, 'utf8').includes('accounts.csv'),
        15_000,
        'the pipeline reads the file the script reads',
      );

      // A second run, for the prediction API: the kinds picked last time are preselected, and the API
      // is generated from the remembered data file and target without asking for them again.
      await openQuick(wb, 'accounts.py');
      await wb.runCommand(commandLabel('mlready.scaffold.generate', commands));
      const widget = page.locator('.quick-input-widget');
      await widget.filter({ hasText: 'generate production scaffolds' }).waitFor({ state: 'visible', timeout: 15_000 });
      const rows = widget.locator('.quick-input-list .monaco-list-row');
      await rows.first().waitFor({ timeout: 10_000 });
      const checked = await rows.evaluateAll((list) =>
        list.filter((row) => row.getAttribute('aria-checked') === 'true').map((row) => row.querySelector('.label-name')?.textContent?.trim() ?? ''),
      );
      assert.deepEqual(checked, ['Training pipeline'], "last time's choice is preselected");
      await pickKinds(page, ['Prediction API']);
      const second = await answerScaffoldFlow(wb, { target: 'churned', done: () => existsSync(join(workspace, 'serving', 'app.py')) });
      assert.ok(
        !second.some((a) => a.kind === 'data' || a.kind === 'target'),
        `the data file and the target are remembered (asked: ${JSON.stringify(second)})`,
      );
      // (A question still open once the API's app is written is one about an existing file: left as it is.)
      if (await widget.isVisible()) await page.keyboard.press('Escape');
      return `first run asked: ${first.map((a) => (a.kind === 'target' ? `target (${a.active} preselected)` : a.kind)).join(', ')}; second: ${second.map((a) => a.kind).join(', ') || 'nothing'}`;
    }),
  },
  {
    id: 31,
    slug: 'show-notifications',
    title:
      'mlready.showNotifications: "off" keeps the "too large to analyse" warning in the output channel; the default ("onWarning") also shows it as a notification',
    run: leavesNoTrace(async ({ wb, page, workspace, shot }) => {
      await ensureServerUp(wb);
      const log = extensionLog(workspace);
      // Past the server's 4,000,000-character limit for analysis as you type.
      const big = `# generated\n${'value = 1\n'.repeat(420_000)}`;
      const warned = (name) => readFileSync(log, 'utf8').includes(`${name} is too large to analyse`);
      const toast = (name) => page.locator('.notifications-toasts .notification-toast').filter({ hasText: `${name} is too large to analyse` });
      /** Writes the settings and waits until the server has analysed a file under them (it logs each new configuration once). */
      const applySettings = async (settings) => {
        const start = readFileSync(log, 'utf8').length;
        await writeSettings(workspace, settings);
        await waitUntil(() => /configuration for /.test(readFileSync(log, 'utf8').slice(start)), 30_000, 'the server applied the new settings');
      };
      const openBig = async (name) => {
        writeFileSync(join(workspace, name), big);
        await openQuick(wb, name);
        await waitUntil(() => warned(name), 60_000, `the output channel says ${name} is too large`);
      };

      await applySettings({ 'mlready.showNotifications': 'off', 'mlready.lint.select': ['hardcoded-path', 'missing-seed'] });
      await openBig('big_quiet.py');
      // The warning and its pop-up are sent together: give a pop-up time to appear, then check none did.
      await page.waitForTimeout(3_000);
      assert.equal(await toast('big_quiet.py').count(), 0, 'showNotifications "off": no notification');
      await wb.runCommand('View: Revert and Close Editor');

      await applySettings({ 'mlready.lint.select': ['hardcoded-path', 'missing-seed'] });
      await openBig('big_loud.py');
      await toast('big_loud.py').first().waitFor({ state: 'visible', timeout: 30_000 });
      await shot();
      const text = (await toast('big_loud.py').first().innerText()).replace(/\s+/g, ' ');
      assert.match(text, /run `?mlready check`? on it instead/, 'the notification says what to do');
      await wb.runCommand('Notifications: Clear All Notifications');
      await wb.runCommand('View: Revert and Close Editor');
      return `"off": logged, no pop-up; default: "${text.slice(0, 90)}…"`;
    }),
  },
  {
    id: 32,
    slug: 'readiness-tooltips',
    title:
      "the readiness view's rows carry their full text in a tooltip: a category's points, an item's full title with its status, why it matters and how to close it",
    requires: ['mlready.showReadinessReport'],
    async run({ wb, page }) {
      const row = await openReadinessView(wb, page);
      /** Hovers `target` (after moving away, so a hover shown before closes) and returns the tooltip's text. */
      const tooltipOf = async (target, expected) => {
        // Close any hover an earlier scenario left open (an editor hover with a rule's page can lie
        // over the tree, and a pinned one stays until Escape), then move away from everything.
        await page.mouse.move(5, 5);
        for (const hover of ['.workbench-hover', '.monaco-hover:not(.hidden)']) {
          if (await page.locator(hover).first().isVisible()) await page.keyboard.press('Escape');
          await page
            .locator(hover)
            .first()
            .waitFor({ state: 'hidden', timeout: 5_000 })
            .catch(() => {});
        }
        const hover = page.locator('.workbench-hover').filter({ hasText: expected }).first();
        // A pointer coming onto the label from outside, in steps as a hand moves, then resting
        // there. Each attempt leaves the row first: a row the tree renders again while the
        // pointer rests on it (the readiness view refreshes after the earlier scenarios' file
        // changes) gets no new mouseover, and so no tooltip, until the pointer enters it anew.
        for (let attempt = 0; attempt < 5 && !(await hover.isVisible()); attempt++) {
          const box = await target.boundingBox();
          if (!box) {
            await page.waitForTimeout(500);
            continue;
          }
          await page.mouse.move(5, 5);
          await page.waitForTimeout(200);
          await page.mouse.move(box.x + 60 + attempt * 8, box.y + Math.min(10, box.height / 2), { steps: 6 });
          await hover.waitFor({ state: 'visible', timeout: 4_000 }).catch(() => {});
        }
        await hover.waitFor({ state: 'visible', timeout: 2_000 }).catch(async (e) => {
          const shown = await page
            .locator('.workbench-hover, .monaco-hover, [role="tooltip"]')
            .evaluateAll((all) => all.map((h) => `${h.className}: ${h.textContent}`));
          throw new Error(
            `no tooltip matching ${expected}; shown: ${JSON.stringify(shown)}; title attributes: ${JSON.stringify(await target.evaluate((row) => [...row.querySelectorAll('[title],[aria-label]')].map((el) => el.getAttribute('title') ?? el.getAttribute('aria-label'))))}`,
            { cause: e },
          );
        });
        return (await hover.innerText()).replace(/\s+/g, ' ').trim();
      };
      await row(/^\s*Reproducibility/).waitFor({ timeout: 30_000 });
      // The expected tooltip names its row: another row's ("Operations: 2 of 6 points"), shown when
      // the tree re-renders under the pointer and another row lands there, is waited out, not read.
      const category = await tooltipOf(row(/^\s*Reproducibility/), /Reproducibility:\s[\s\S]*(points|no\sitem\sapplies)/);
      // (A partial or attested item counts half a point: "2.5 of 5 points".)
      assert.match(category, /^Reproducibility: (\d+(\.5)? of \d+ points \(\d+%\)|no item applies)$/, `the category's tooltip: ${category}`);
      if ((await row('Notebooks run in order').count()) === 0) await row(/^\s*Reproducibility/).click();
      const item = row('Notebooks run in order');
      await item.waitFor({ timeout: 10_000 });
      // (VS Code writes a tooltip's spaces as no-break spaces: \s matches both.)
      const text = await tooltipOf(item, /Notebooks\srun\sin\sorder[\s\S]*Why\sit\smatters/);
      assert.match(text, /^Notebooks run in order \((open|partial|passes|attested|not applicable)\)/, `the item's full title and status: ${text}`);
      assert.match(text, /Why it matters: \S/, 'why it matters');
      assert.match(text, /To close it: \S/, 'how to close it');
      await page.mouse.move(5, 5);
      return `category: "${category}"; item: "${text.slice(0, 120)}…"`;
    },
  },
  {
    id: 33,
    slug: 'severity-settings-ui',
    title:
      'per-rule severity in the Settings editor: mlready.severity lists every rule as a key with its severities; choosing missing-seed → error writes the workspace settings and Problems shows it as an error',
    run: leavesNoTrace(async ({ wb, page, workspace, shot }) => {
      await ensureServerUp(wb);
      await wb.runCommand('Preferences: Open Workspace Settings');
      const editor = page.locator('.settings-editor');
      await editor.waitFor({ timeout: 20_000 });
      // The search box has the focus when the Settings editor opens.
      await editor.locator('.settings-header .suggest-input-container').click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('mlready.severity');
      const setting = editor
        .locator('.setting-item-contents')
        .filter({ hasText: /Per-rule severity overrides/ })
        .first();
      await setting.waitFor({ timeout: 20_000 });
      await setting.hover();
      await setting.getByRole('button', { name: /Add Item/ }).click();
      const row = setting.locator('.setting-list-edit-row').first();
      await row.waitFor({ timeout: 10_000 });
      /** Picks `option` in the select box at `index` of the edit row (VS Code's own drop-down, not a native one). */
      const choose = async (index, option) => {
        const box = row.locator('.monaco-select-box').nth(index);
        const keys = await box.evaluate((el) => (el.tagName === 'SELECT' ? [...el.options].map((o) => o.text) : []));
        await box.click();
        const list = page.locator('.select-box-dropdown-list-container .monaco-list-row');
        await list.first().waitFor({ timeout: 10_000 });
        const all = await list.allInnerTexts();
        await page.keyboard.type(option.slice(0, 6));
        await list
          .filter({ hasText: new RegExp(`^\\s*${option}\\s*$`) })
          .first()
          .click();
        return all.length || keys.length;
      };
      const rulesOffered = await choose(0, 'missing-seed');
      await choose(1, 'error');
      await shot();
      await row.getByRole('button', { name: /^OK$/ }).click();
      const settingsFile = join(workspace, '.vscode', 'settings.json');
      await waitUntil(
        () => existsSync(settingsFile) && /"missing-seed":\s*"error"/.test(readFileSync(settingsFile, 'utf8')),
        15_000,
        'the workspace settings hold missing-seed: error',
      );
      await wb.runCommand('View: Close Editor');
      await wb.showProblems();
      await waitForProblemSeverity(wb, 'missing-seed', 'error');
      return `${rulesOffered} keys offered; settings.json: ${readFileSync(settingsFile, 'utf8').replace(/\s+/g, ' ')}`;
    }),
  },
  {
    id: 34,
    slug: 'fix-all-of-a-rule',
    title: 'the light bulb\'s "Fix all missing-seed problems" fixes every missing-seed finding of the file in one step and leaves the other rules\' findings',
    run: leavesNoTrace(async ({ wb, page, workspace, shot }) => {
      await ensureServerUp(wb);
      try {
        return await withOwnFile(wb, workspace, 'seeds_check.py', twoSplits('/srv/e2e-seeds.csv'), async () => {
          await wb.waitForProblems({ includes: ['missing-seed'], min: 2, max: 2 });
          await revealProblem(wb, 'missing-seed');
          await page.keyboard.press('Control+.');
          const title = await pickCodeAction(page, /Fix all missing-seed problems/);
          await waitForEditorText(wb, 'test_size=0.2, random_state=');
          await waitForEditorText(wb, 'test_size=0.3, random_state=');
          await wb.waitForProblems({ includes: ['missing-seed'], min: 0, max: 0 });
          await wb.waitForProblems({ includes: ['/srv/e2e-seeds.csv'], min: 1, max: 1 });
          await shot();
          return `applied "${title}": both calls seeded, the hard-coded path still reported`;
        });
      } finally {
        // The fix is an unsaved edit: close without saving (a later "save?" dialog would block the next scenario).
        await wb.runCommand('View: Revert and Close Editor').catch(() => undefined);
      }
    }),
  },
];

/** Scenario 27's checks on quiet_check.py, with the Problems panel filtered to that file. */
async function quietChecks(wb, page) {
  // The misspelt name suppresses nothing and says so; the well-spelt one suppresses its line.
  const rows = await wb.waitForProblems({ includes: ['hardcoded-pth'] });
  assert.ok(
    rows.some((r) => /unknown rule `?hardcoded-pth`? in a suppression comment/.test(r) && r.includes('unknown-suppression')),
    `unknown-suppression names the misspelt rule:\n${rows.join('\n')}`,
  );
  const pathRows = await wb.waitForProblems({ includes: ['/srv/e2e-quiet-a.csv'] });
  assert.ok(!(await wb.problemRows()).some((r) => r.includes('/srv/e2e-quiet-b.csv')), 'the suppressed line has no finding');
  // The Problems row says what is wrong; why and what to do stay in the hover.
  const pathRow = pathRows.find((r) => r.includes('/srv/e2e-quiet-a.csv')) ?? '';
  assert.doesNotMatch(pathRow, /read it from configuration/, `the row is the first sentence: ${pathRow}`);

  // Hovering the rule's name in the suppression comment of line 5 shows the rule's whole page.
  await revealProblem(wb, '/srv/e2e-quiet-a.csv');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
  const pageHover = await showHoverAtCursor(wb, 'What it does');
  assert.match(await pageHover.innerText(), /hardcoded-path/);
  await page.keyboard.press('Escape');

  // On the path's finding: "Disable … for this file" and "Show documentation for …", no pipeline.
  await revealProblem(wb, '/srv/e2e-quiet-a.csv');
  await page.keyboard.press('Control+.');
  const menu = page.locator('.action-widget .monaco-list-row.action');
  await menu
    .filter({ hasText: /Disable hardcoded-path for this file/ })
    .first()
    .waitFor({ state: 'visible', timeout: 10_000 });
  const titles = await menu.allInnerTexts();
  assert.ok(
    titles.some((t) => /Show documentation for hardcoded-path/.test(t)),
    `"Show documentation" offered:\n${titles.join('\n')}`,
  );
  assert.ok(!titles.some((t) => /training pipeline/i.test(t)), `no pipeline action off the training call:\n${titles.join('\n')}`);
  // The page opens from the extension's own files, in the Markdown preview.
  await pickCodeAction(page, /Show documentation for hardcoded-path/);
  const preview = page
    .locator('.tabs-container .tab')
    .filter({ hasText: /hardcoded-path\.md/ })
    .first();
  await preview.waitFor({ timeout: 15_000 });
  // Closed with its tab's button: the keyboard is inside the preview's webview, where F1 does not reach the workbench.
  await preview.locator('.tab-actions .action-label').first().click();
  await preview.waitFor({ state: 'detached', timeout: 10_000 });

  // On the training call (the untracked-training finding): the pipeline is offered.
  await wb.waitForProblems({ includes: ['untracked-training'] });
  await revealProblem(wb, 'Model trained with no experiment tracking');
  await page.keyboard.press('Control+.');
  await menu
    .filter({ hasText: /Generate a training pipeline from this script/ })
    .first()
    .waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Escape');

  // "Disable hardcoded-path for this file" writes the directive on the first line and the finding goes.
  await revealProblem(wb, '/srv/e2e-quiet-a.csv');
  await page.keyboard.press('Control+.');
  await pickCodeAction(page, /Disable hardcoded-path for this file/);
  await waitForEditorText(wb, '# mlready: ignore-file[hardcoded-path]');
  await wb.waitForProblems({ includes: ['/srv/e2e-quiet-a.csv'], min: 0, max: 0 });
  await wb.runCommand('View: Revert and Close Editor');
  return `rows: unknown-suppression and hardcoded-path; actions: ${titles.length} on the path's line; page opened; directive written`;
}

/** Polls `check` until it holds, or fails with `what` after `timeout` ms. */
async function waitUntil(check, timeout, what) {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// The Problems panel's filter box: text, or a glob for one file (two stars, a slash, the name) that keeps its rows.
function problemsFilter(page) {
  return page.getByPlaceholder(/^Filter \(e\.g\. text/);
}

/**
 * Writes `lines` to `name` in the workspace, opens it, and keeps only its rows in the Problems
 * panel while `check` runs (Problems renders the rows in view, and earlier scenarios leave many
 * files open); the filter is emptied afterwards, also after a failed step.
 */
async function withOwnFile(wb, workspace, name, lines, check) {
  writeFileSync(join(workspace, name), lines.join('\n'));
  await openQuick(wb, name);
  await wb.showProblems();
  await problemsFilter(wb.page).fill(`**/${name}`);
  try {
    return await check();
  } finally {
    await clearProblemsFilter(wb);
  }
}

/** A script with a hard-coded data path and two unseeded splits: two missing-seed findings with a safe fix each. */
function twoSplits(csv) {
  return [
    'import pandas as pd',
    'from sklearn.model_selection import train_test_split',
    '',
    `df = pd.read_csv("${csv}")`,
    'a_train, a_test = train_test_split(df, test_size=0.2)',
    'b_train, b_test = train_test_split(df, test_size=0.3)',
    '',
  ];
}

/** Empties the Problems panel's filter, also after a failed step (the next scenarios read every row). */
async function clearProblemsFilter(wb) {
  await wb.showProblems().catch(() => undefined);
  await problemsFilter(wb.page)
    .fill('', { timeout: 5_000 })
    .catch(() => undefined);
}

/**
 * A scenario that leaves the workspace's files as it found them (its generated files, notebooks
 * and settings removed, changed files restored). Its editors stay open: these scenarios run last.
 */
function leavesNoTrace(run) {
  return async (ctx) => {
    const before = readTree(ctx.workspace);
    try {
      return await run(ctx);
    } finally {
      const after = readTree(ctx.workspace);
      for (const [file] of after) if (!before.has(file)) rmSync(join(ctx.workspace, file), { force: true });
      for (const [file, bytes] of before) if (!after.get(file)?.equals(bytes)) writeFileSync(join(ctx.workspace, file), bytes);
      removeEmptyFolders(ctx.workspace);
    }
  };
}

/** Every file under `root` (relative path → bytes). */
function readTree(root, dir = '', files = new Map()) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) readTree(root, rel, files);
    else if (entry.isFile()) files.set(rel, readFileSync(join(root, rel)));
  }
  return files;
}

/** Removes the folders under `dir` that hold no file (what a scenario's generated files leave behind). */
function removeEmptyFolders(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const sub = join(dir, entry.name);
    removeEmptyFolders(sub);
    if (readdirSync(sub).length === 0) rmSync(sub, { recursive: true, force: true });
  }
}

/** The open editor tabs, as the path VS Code shows for each (its `title`, or its name and folder). */
async function openTabs(page) {
  return page
    .locator('.tabs-container .tab')
    .evaluateAll((tabs) =>
      tabs.map(
        (t) => t.getAttribute('title') || /** @type {HTMLElement} */ (t.querySelector('.monaco-icon-label'))?.innerText.replace(/\s+/g, ' ').trim() || '',
      ),
    );
}

/** In the open multi-select of scaffold kinds, checks exactly `labels` and accepts. */
async function pickKinds(page, labels) {
  const widget = page.locator('.quick-input-widget');
  await widget.filter({ hasText: 'generate production scaffolds' }).waitFor({ state: 'visible', timeout: 15_000 });
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor({ timeout: 10_000 });
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    const label = (await row.locator('.label-name').first().innerText()).trim();
    const checked = (await row.getAttribute('aria-checked')) === 'true';
    if (checked !== labels.includes(label)) {
      const box = row.locator('.quick-input-list-checkbox, .monaco-checkbox, input[type=checkbox]').first();
      if (await box.count()) await box.click();
      else await row.click();
    }
  }
  for (const label of labels) {
    await rows
      .filter({ hasText: label })
      .and(page.locator('[aria-checked="true"]'))
      .first()
      .waitFor({ timeout: 5_000 })
      .catch(async (e) => {
        throw new Error(`"${label}" is not checked; the rows: ${await rows.evaluateAll((r) => r.map((x) => x.outerHTML.slice(0, 600)).join('\n'))}`, {
          cause: e,
        });
      });
  }
  await page.keyboard.press('Enter');
}

/**
 * Answers the questions of a scaffold run until `done()`: the data file (the first proposal, or
 * `dataFile` typed into a file dialog), the
 * target column (`target`), the output folder (the workspace), the "Create" dialog, and each
 * existing file (`onConflict(file)` returns the label to pick). Returns what was asked, in order.
 */
async function answerScaffoldFlow(wb, { target, done, dataFile, onConflict = async () => 'Keep mine', onData = async (rows) => rows, timeout = 90_000 }) {
  const page = wb.page;
  const widget = page.locator('.quick-input-widget');
  const dialog = page.locator('.monaco-dialog-box');
  const asked = [];
  const deadline = Date.now() + timeout;
  const rowTexts = () =>
    widget
      .locator('.quick-input-list .monaco-list-row')
      .evaluateAll((rows) => rows.map((r) => /** @type {HTMLElement} */ (r).innerText.replace(/\s+/g, ' ').trim()));
  const pickRow = async (label) => {
    const row = widget.locator('.quick-input-list .monaco-list-row').filter({ hasText: label }).first();
    await row.click();
    await widget.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
  };
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`the scaffold run did not finish within ${timeout} ms (asked: ${JSON.stringify(asked)})`);
    const which = await Promise.any([
      dialog.waitFor({ state: 'visible', timeout: 2_000 }).then(() => 'dialog'),
      widget
        .filter({ hasText: /the training data/ })
        .waitFor({ state: 'visible', timeout: 2_000 })
        .then(() => 'data'),
      widget
        .filter({ hasText: /the column to predict/ })
        .waitFor({ state: 'visible', timeout: 2_000 })
        .then(() => 'target'),
      widget
        .filter({ hasText: /where to generate the code/ })
        .waitFor({ state: 'visible', timeout: 2_000 })
        .then(() => 'out'),
      widget
        .filter({ hasText: / exists \(\d+ of \d+\)/ })
        .waitFor({ state: 'visible', timeout: 2_000 })
        .then(() => 'conflict'),
    ]).catch(() => undefined);
    if (!which) continue;
    if (which === 'dialog') {
      const text = await dialog.innerText();
      asked.push({ kind: 'dialog', text });
      await dialog.locator('.monaco-button', { hasText: /^Create$/ }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    } else if (which === 'data') {
      await widget.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 10_000 });
      const rows = await onData(await rowTexts());
      asked.push({ kind: 'data', rows });
      if (/read by/.test(rows[0] ?? '')) await page.keyboard.press('Enter');
      else if (dataFile) {
        // A file dialog (VS Code's simple one in code-server): the path typed into its box.
        await widget.locator('input.input').fill(dataFile);
        await widget.locator('.monaco-button', { hasText: 'Use this data' }).click();
      } else throw new Error(`the data question offers no file read by the notebook: ${rows.join(' | ')}`);
      await widget.filter({ hasText: /the training data/ }).waitFor({ state: 'hidden', timeout: 10_000 });
    } else if (which === 'target') {
      await widget.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 10_000 });
      const active = (
        await widget
          .locator('.quick-input-list .monaco-list-row.focused .label-name')
          .first()
          .innerText()
          .catch(() => '')
      ).trim();
      asked.push({ kind: 'target', active });
      await pickRow(target);
    } else if (which === 'out') {
      asked.push({ kind: 'out' });
      await widget.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      await widget.filter({ hasText: /where to generate the code/ }).waitFor({ state: 'hidden', timeout: 10_000 });
    } else {
      const title = await widget.locator('.quick-input-title').innerText();
      const file = / ?mlready: (.+) exists \(/.exec(title)?.[1] ?? title;
      const choice = await onConflict(file);
      asked.push({ kind: 'conflict', file, choice });
      await pickRow(choice);
      await widget.filter({ hasText: `${file} exists` }).waitFor({ state: 'hidden', timeout: 10_000 });
    }
  }
  return asked;
}

/** Waits until a file holds `text` (the save lands a moment after the edit): checked on each change in its folder. */
async function waitForFile(file, text, timeout = 15_000) {
  const read = () => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
  if (read() === text) return;
  await new Promise((resolve, reject) => {
    const watcher = watch(dirname(file), () => {
      if (read() !== text) return;
      clearTimeout(timer);
      watcher.close();
      resolve(undefined);
    });
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`${file} does not hold the expected text after ${timeout} ms; it holds:\n${read()}`));
    }, timeout);
    if (read() === text) {
      clearTimeout(timer);
      watcher.close();
      resolve(undefined);
    }
  });
}

/** Edits timed by scenario 11 in each case (its Problems panel shows about ten rows). */
const EDITS = 7;

/**
 * Scenario 11's timed edits: EDITS lines typed into the focused cell of notebook `name`, each
 * adding a new finding (a path that starts with `prefix`), timed from the keystroke (timedCellEdit) and on the server (its log).
 * The extension host is profiled meanwhile (test/e2e/lib/profile.mjs; MLREADY_E2E_PROFILE=DIR
 * keeps the profiles), to tell mlready's own time there from VS Code's and other extensions'.
 */
async function timedCellEdits({ page, workspace, log, name, prefix, label }) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const stop = await profileExtensionHost({ root, workspace, dir: process.env.MLREADY_E2E_PROFILE, label });
  const edits = [];
  for (let i = 1; i <= EDITS; i++) {
    // Each edit adds a line with a new finding (one change: a paste, or the last key of a line).
    const marker = `${prefix}${i}.csv`;
    const t = await timedCellEdit(page, `\nb${i} = pd.read_csv("${marker}")`, marker);
    edits.push({ ...t, server: serverAnalysis(log, name, t.wallStart) });
  }
  const profile = await stop();
  console.log(`[e2e] extension host profile (${label}): ${profile.text}`);
  // mlready's own time in the extension host (its client), per typed line.
  const clientMs = (profile.owners.get('mlready.mlready') ?? 0) / EDITS;
  const fmt = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return `median ${s[Math.floor(s.length / 2)]} ms, max ${s[s.length - 1]} ms`;
  };
  // Each edit's way, from the keystroke: the typed line on screen (VS Code's renderer), the
  // first analysis of the edit starting on the server (the editor's sync of the changes: the
  // extension host and the language client), the analysis itself, the squiggle, the Problems row.
  const timed = edits.map((e) => {
    const start = e.server ? e.server.endedAt - e.server.ms - e.wallStart : undefined;
    return { ...e, syncMs: start === undefined ? undefined : Math.max(0, start - e.textMs), analysisStart: start };
  });
  const rows = timed
    .map(
      (e, i) =>
        `    edit ${i + 1}: on screen ${e.textMs} ms, analysis starts ${e.analysisStart ?? '?'} ms (sync ${e.syncMs ?? '?'} ms), takes ${e.server?.ms ?? '?'} ms, squiggle ${e.squiggleMs} ms, Problems ${e.problemsMs} ms`,
    )
    .join('\n');
  const synced = timed.filter((e) => e.syncMs !== undefined).map((e) => e.syncMs);
  const squiggles = timed.map((e) => e.squiggleMs);
  const summary = `squiggle ${fmt(squiggles)}; Problems ${fmt(timed.map((e) => e.problemsMs))}; text on screen ${fmt(
    timed.map((e) => e.textMs),
  )}; sync to the server ${fmt(synced)}; server analysis ${fmt(timed.filter((e) => e.server).map((e) => e.server.ms))}`;
  const busy = [...profile.owners].sort((a, b) => b[1] - a[1]).map(([owner, ms]) => `${owner} ${(ms / EDITS).toFixed(0)} ms`);
  return {
    rows,
    summary: `${summary}; extension host busy per typed line: ${busy.join(', ')}`,
    synced,
    squiggles,
    clientMs,
  };
}

/**
 * Types `text` into the focused notebook cell and times, in the page, from the keystroke to the
 * text on screen, to a squiggle in the edited cell, and to the Problems row that holds `marker`.
 */
async function timedCellEdit(page, text, marker) {
  await page.evaluate(
    ({ text, marker }) => {
      const t = { start: performance.now(), wallStart: Date.now(), text: 0, squiggle: 0, problems: 0 };
      const squiggles = (cell) => cell?.querySelectorAll('.view-overlays [class*="squiggly-"]').length ?? 0;
      const before = squiggles(document.activeElement?.closest('.monaco-list-row'));
      const check = () => {
        const now = performance.now();
        const cell = document.activeElement?.closest('.monaco-list-row');
        const shown = cell?.querySelector('.view-lines');
        const visible = shown ? /** @type {HTMLElement} */ (shown).innerText.replace(/\u00a0/g, ' ') : '';
        if (!t.text && visible.includes(marker)) t.text = now;
        if (!t.squiggle && t.text && cell) {
          // The squiggle under the new line: the cell's squiggles grow by one.
          if (squiggles(cell) > before) t.squiggle = now;
        }
        if (!t.problems) {
          const rows = document.querySelectorAll('.markers-panel .monaco-list-row');
          for (const r of rows) if (/** @type {HTMLElement} */ (r).innerText.includes(marker)) t.problems = now;
        }
        if (t.squiggle && t.problems) observer.disconnect();
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      // @ts-expect-error a test hook on the page
      window.__mlreadyCellEdit = t;
    },
    { text, marker },
  );
  await page.keyboard.insertText(text);
  const t = await page
    .waitForFunction(
      // @ts-expect-error
      () => (window.__mlreadyCellEdit.squiggle && window.__mlreadyCellEdit.problems ? window.__mlreadyCellEdit : null),
      undefined,
      { timeout: 30_000, polling: 'raf' },
    )
    .then((h) => h.jsonValue());
  return {
    wallStart: t.wallStart,
    textMs: Math.round(t.text - t.start),
    squiggleMs: Math.round(t.squiggle - t.start),
    problemsMs: Math.round(t.problems - t.start),
  };
}

/** The mlready output channel's log file (code-server writes every output channel to disk). */
function extensionLog(workspace) {
  const logs = join(dirname(workspace), 'user-data', 'logs');
  for (const session of readdirSync(logs).sort().reverse()) {
    for (const host of readdirSync(join(logs, session))) {
      const file = join(logs, session, host, 'mlready.mlready', 'mlready.log');
      if (existsSync(file)) return file;
    }
  }
  throw new Error(`no mlready.log under ${logs}`);
}

/** The server's "analysed <name> in N ms" line logged after `since` (epoch ms): when it ended and how long it took. */
function serverAnalysis(log, name, since) {
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) \[info\] analysed \S*?([^/\s]+) in (\d+) ms/.exec(line);
    if (!m || m[3] !== name) continue;
    const endedAt = new Date(`${m[1]}T${m[2]}`).getTime();
    if (endedAt >= since) return { endedAt, ms: Number(m[4]) };
  }
  return undefined;
}

/** Opens a file as a user would: from the explorer at the top of the workspace, else with Quick Open (Ctrl+P). */
async function openQuick(wb, name) {
  if (!name.includes('/')) {
    // The explorer lists a new top-level file as soon as it is written (Quick Open's file index may not have it yet).
    await wb.waitForExplorerItem(name, 30_000);
    await wb.openFromExplorer(name);
    return;
  }
  const base = name.split('/').pop();
  const input = wb.page.locator('.quick-input-widget input.input');
  await wb.page.keyboard.press('Control+P');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(base);
  await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: base }).first().waitFor({ timeout: 15_000 });
  await wb.page.keyboard.press('Enter');
  await wb.page.locator('.tabs-container .tab.active', { hasText: base }).waitFor({ timeout: 30_000 });
  await wb.page.locator('#status\\.editor\\.mode', { hasText: 'Python' }).waitFor({ timeout: 30_000 });
}

/**
 * Opens the readiness view as a user would, from the score in the status bar (shown once the
 * server has scanned the workspace); returns a finder for the view's rows by their text.
 */
async function openReadinessView(wb, page) {
  await ensureServerUp(wb);
  const statusItem = page
    .locator('.statusbar-item')
    .filter({ hasText: /Readiness \d+/ })
    .first();
  await statusItem.waitFor({ timeout: 60_000 });
  await statusItem.click();
  const sidebar = page.locator('#workbench\\.parts\\.sidebar');
  return (text) => sidebar.locator('.monaco-list-row').filter({ hasText: text }).first();
}

/**
 * Writes the workspace folder's .vscode/settings.json, as a user editing the settings would;
 * VS Code reads it again and tells the extension (and the server) what changed.
 */
async function writeSettings(workspace, settings) {
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Waits until a Problems row holding `text` shows the severity icon `severity` ('error' or 'warning'). */
async function waitForProblemSeverity(wb, text, severity, timeout = 30_000) {
  await wb.page
    .waitForFunction(
      ({ text, severity }) =>
        [...document.querySelectorAll('.markers-panel .monaco-list-row')].some(
          (row) => /** @type {HTMLElement} */ (row).innerText.includes(text) && row.querySelector(`.codicon-${severity}, .marker-icon.${severity}`) !== null,
        ),
      { text, severity },
      { timeout, polling: 'raf' },
    )
    .catch(async (e) => {
      const rows = await wb.page
        .locator('.markers-panel .monaco-list-row')
        .evaluateAll((all) =>
          all.map((r) => `${r.querySelector('[class*="codicon-"]')?.className ?? ''} | ${/** @type {HTMLElement} */ (r).innerText.replace(/\s+/g, ' ')}`),
        );
      throw new Error(`no Problems row with "${text}" shows a ${severity} icon:\n  ${rows.join('\n  ')}`, { cause: e });
    });
}

/** A notebook with markdown cells between the code cells: markdown, code, markdown, code, markdown, code. */
function numberedNotebook() {
  const md = (id, source) => ({ cell_type: 'markdown', id, metadata: {}, source });
  const code = (id, source, count) => ({ cell_type: 'code', id, metadata: {}, source, execution_count: count, outputs: [] });
  const cells = [
    md('m1', '# Numbered cells\nMarkdown cells count in VS Code\'s "Cell N".'),
    code(
      'c1',
      'import pandas as pd\nfrom sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler\ndf = pd.read_csv("data/churn.csv")\nX, y = df.drop(columns=["churn"]), df["churn"]',
      1,
    ),
    md('m2', '## Scale'),
    code('c2', 'X_scaled = StandardScaler().fit_transform(X)', 2),
    md('m3', '## Split'),
    code('c3', 'X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, random_state=0)', 3),
  ];
  return JSON.stringify({ cells, metadata: { language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

/** A notebook of `count` cells (every fourth markdown) of ordinary code, with one finding near the end. */
function bigNotebook(count, finding = '/srv/only-finding.csv') {
  const code = [
    'df = pd.read_csv(DATA)\ndf = df.dropna()\nX = df.drop(columns=["label"])\ny = df["label"]',
    'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)',
    'def features(frame):\n    frame = frame.copy()\n    frame["ratio"] = frame["a"] / (frame["b"] + 1)\n    return frame',
  ];
  const cells = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 4 === 3 ? 'markdown' : 'code';
    let source =
      i === 0
        ? 'import pandas as pd\nfrom sklearn.model_selection import train_test_split\nDATA = "data/churn.csv"'
        : kind === 'markdown'
          ? `## Step ${i}`
          : code[i % code.length];
    if (i === count - 10) source = `extra = pd.read_csv("${finding}")`;
    cells.push(
      kind === 'code'
        ? { cell_type: 'code', id: `c${i}`, metadata: {}, source, execution_count: null, outputs: [] }
        : { cell_type: 'markdown', id: `c${i}`, metadata: {}, source },
    );
  }
  return JSON.stringify({ cells, metadata: { language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 });
}

function commandLabel(id, commands) {
  const c = commands.get(id);
  if (!c) throw new Error(`${id} is not contributed`);
  return c.category ? `${c.category}: ${c.title}` : c.title;
}

async function waitForFrameText(page, re, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const f of page.frames()) {
      const text = await f
        .locator('body')
        .innerText({ timeout: 500 })
        .catch(() => '');
      if (re.test(text)) return text;
    }
    if (Date.now() > deadline) throw new Error(`no frame shows ${re} within ${timeout} ms`);
    await page.waitForEvent('framenavigated', { timeout: 1_000 }).catch(() => {});
  }
}

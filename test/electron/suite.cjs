// The end-to-end scenarios of test/e2e/scenarios.mjs, through the VS Code API instead of the
// screen. @vscode/test-electron loads this file in the extension host of a downloaded VS Code
// and calls run(); a rejected promise fails the run. Every wait is on an event
// (onDidChangeDiagnostics, onDidChangeTextDocument) with a deadline, never a fixed sleep.
// For contributors with internet access: `npm run test:electron`. CI uses `npm run test:e2e`.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const EXTENSION_ID = 'mlready.mlready';

/**
 * Resolves with `check()`'s value once it is truthy: checked now and whenever `event` fires.
 * @template T
 * @param {vscode.Event<unknown>} event
 * @param {() => T | undefined | false | null} check
 * @param {number} timeoutMs
 * @param {string} what
 * @returns {Promise<T>}
 */
function when(event, check, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const first = check();
    if (first) return resolve(first);
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)); }, timeoutMs);
    const sub = event(() => {
      const v = check();
      if (v) { clearTimeout(timer); sub.dispose(); resolve(v); }
    });
  });
}

/** mlready's diagnostics on a document. */
function findings(uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'mlready');
}

function ruleOf(d) {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
}

function waitForRules(uri, rules, timeoutMs = 30_000) {
  return when(
    vscode.languages.onDidChangeDiagnostics,
    () => { const f = findings(uri); return rules.every((r) => f.some((d) => ruleOf(d) === r)) && f; },
    timeoutMs,
    `${rules.join(', ')} on ${path.basename(uri.fsPath)}`,
  );
}

function hoverText(hovers) {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

const scenarios = [
  ['1: a script with antipatterns: findings by rule name, hover shows the rule documentation', async (ws) => {
    const uri = vscode.Uri.file(path.join(ws, 'train.py'));
    await vscode.window.showTextDocument(uri);
    const f = await waitForRules(uri, ['missing-seed', 'hardcoded-path']);
    const seed = f.find((d) => ruleOf(d) === 'missing-seed');
    assert.match(seed.message, /train_test_split/);
    assert.ok(seed.code.target, 'the diagnostic links to the rule page (codeDescription.href)');
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, seed.range.start);
    assert.match(hoverText(hovers), /Rule page/);
  }],
  ['2: the quick fix adds random_state and the finding disappears', async (ws) => {
    const uri = vscode.Uri.file(path.join(ws, 'train.py'));
    const seed = (await waitForRules(uri, ['missing-seed'])).find((d) => ruleOf(d) === 'missing-seed');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, seed.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => /random_state/.test(a.title));
    assert.ok(fix, `a quick fix with random_state among: ${actions.map((a) => a.title).join(' | ')}`);
    if (fix.edit) assert.ok(await vscode.workspace.applyEdit(fix.edit));
    if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(), /train_test_split\(X, y, test_size=0\.2, random_state=\d+\)/);
    await when(vscode.languages.onDidChangeDiagnostics, () => !findings(uri).some((d) => ruleOf(d) === 'missing-seed'), 10_000, 'missing-seed to clear');
  }],
  ['3: a notebook: leakage reported on the cell that fits the scaler, split in a later cell', async (ws) => {
    const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.file(path.join(ws, 'churn.ipynb')));
    await vscode.window.showNotebookDocument(nb);
    const cells = nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
    const fitCell = cells.find((c) => c.document.getText().includes('fit_transform'));
    const splitCell = cells.find((c) => c.document.getText().includes('train_test_split(X_scaled'));
    assert.ok(fitCell && splitCell && fitCell.index < splitCell.index);
    const f = await waitForRules(fitCell.document.uri, ['data-leakage']);
    const leak = f.find((d) => ruleOf(d) === 'data-leakage');
    assert.match(fitCell.document.getText(leak.range), /fit_transform/);
    assert.ok(!findings(splitCell.document.uri).some((d) => ruleOf(d) === 'data-leakage'), 'not reported on the split cell');
  }],
  ['4: editing a file updates its diagnostics within a second', async (ws) => {
    const uri = vscode.Uri.file(path.join(ws, 'clean.py'));
    const editor = await vscode.window.showTextDocument(uri);
    // The server answers for this file once its (empty) diagnostics were published or a moment passed.
    assert.equal(findings(uri).length, 0, 'clean.py starts without findings');
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    let t0 = Date.now();
    await editor.edit((b) => b.insert(end, 'BACKUP = pd.read_csv("/home/alice/backup.csv")\n'));
    await waitForRules(uri, ['hardcoded-path'], 5_000);
    const shown = Date.now() - t0;
    const line = editor.document.lineAt(editor.document.lineCount - 2);
    t0 = Date.now();
    await editor.edit((b) => b.replace(line.range, 'BACKUP = pd.read_csv(os.environ["BACKUP_PATH"])'));
    await when(vscode.languages.onDidChangeDiagnostics, () => findings(uri).length === 0, 5_000, 'hardcoded-path to clear');
    const cleared = Date.now() - t0;
    assert.ok(shown <= 1_000 && cleared <= 1_000, `diagnostics after ${shown} ms and ${cleared} ms (limit 1000)`);
  }],
  ['5: the readiness report opens', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID).packageJSON;
    if (!(pkg.contributes.commands ?? []).some((c) => c.command === 'mlready.showReadinessReport')) return 'skipped';
    await vscode.commands.executeCommand('mlready.showReadinessReport');
    await when(
      vscode.window.tabGroups.onDidChangeTabs,
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputWebview && /readiness/i.test(t.label)),
      20_000,
      'the readiness report tab',
    );
  }],
  ['7: the Interactive Window: cells appended to an interactive notebook are analysed as one program, each finding on its own cell', async () => {
    // VS Code opens an Interactive Window for a kernel; a kernel of our own (it runs nothing)
    // stands in for Jupyter's, which cannot be installed here.
    const controller = vscode.notebooks.createNotebookController('mlready-e2e-kernel', 'interactive', 'mlready e2e kernel');
    controller.supportedLanguages = ['python'];
    controller.executeHandler = (cells) => {
      for (const cell of cells) {
        const execution = controller.createNotebookCellExecution(cell);
        execution.start(Date.now());
        execution.end(true, Date.now());
      }
    };
    try {
      const opened = await vscode.commands.executeCommand('interactive.open', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, undefined, `mlready.mlready/mlready-e2e-kernel`, 'mlready e2e');
      const notebookUri = opened?.notebookUri;
      assert.ok(notebookUri, 'interactive.open returns the notebook');
      const notebook = await when(
        vscode.workspace.onDidOpenNotebookDocument,
        () => vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === notebookUri.toString()),
        20_000,
        'the interactive notebook',
      );
      assert.equal(notebook.notebookType, 'interactive');
      // Two cells as a user runs them: the import in the first, its use in the second.
      const edit = new vscode.WorkspaceEdit();
      edit.set(notebookUri, [
        vscode.NotebookEdit.insertCells(0, [
          new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'import pandas as pd\nfrom sklearn.model_selection import train_test_split\ndf = pd.read_csv("/home/alice/interactive.csv")', 'python'),
          new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'train, test = train_test_split(df, test_size=0.2)', 'python'),
        ]),
      ]);
      assert.ok(await vscode.workspace.applyEdit(edit), 'the cells are appended');
      const [first, second] = notebook.getCells().map((cell) => cell.document.uri);
      const onFirst = await waitForRules(first, ['hardcoded-path']);
      // The second cell's train_test_split resolves through the first cell's import.
      const onSecond = await waitForRules(second, ['missing-seed']);
      assert.ok(!onFirst.some((d) => ruleOf(d) === 'missing-seed'), 'missing-seed is on the cell that calls train_test_split');
      assert.ok(!onSecond.some((d) => ruleOf(d) === 'hardcoded-path'), 'hardcoded-path stays on its cell');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      controller.dispose();
    }
  }],
  ['6: every command package.json contributes is registered (the client table, and the server commands once it runs)', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID).packageJSON;
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = (pkg.contributes.commands ?? []).map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'contributed but not registered');
  }],
];

async function run() {
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!ws || !vscode.extensions.getExtension(EXTENSION_ID)) {
    console.log(`FAIL setup: ${ws ? `${EXTENSION_ID} is not loaded` : 'no workspace folder open'}`);
    console.log('0 passed, 1 failed');
    throw new Error('suite setup failed');
  }
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const [name, fn] of scenarios) {
    try {
      const r = await fn(ws);
      if (r === 'skipped') { skipped++; console.log(`SKIP ${name}`); } else { passed++; console.log(`PASS ${name}`); }
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}\n${e && e.stack ? e.stack : e}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  if (failed) throw new Error(`${failed} scenario(s) failed`);
}

module.exports = { run };

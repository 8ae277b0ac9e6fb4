// Starts the bundled language server over stdio and talks to it as an editor would, with a real
// JSON-RPC client. Every wait is on a message from the server, never on a timer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import {
  CodeActionRequest,
  ConfigurationRequest,
  DidChangeNotebookDocumentNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidCloseNotebookDocumentNotification,
  DidOpenNotebookDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  type CodeAction,
  type Diagnostic,
  type PublishDiagnosticsParams,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { StatusNotification, type StatusParams } from '../server/src/protocol';
import { RULE_NAMES } from '../server/src/engine';
import { TextDocument } from 'vscode-languageserver-textdocument';

const root = path.resolve(__dirname, '..');
const serverPath = path.join(root, 'dist', 'server.js');

let server: ChildProcessWithoutNullStreams;
let connection: ProtocolConnection;
let workspace: string;
let stderr = '';

/** Every publishDiagnostics, and the waiters for the next one that matches. */
const received: PublishDiagnosticsParams[] = [];
const waiters: { predicate: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void; reject: (e: Error) => void }[] = [];
let status: Promise<StatusParams>;

/** Resolves with the first diagnostics for `uri` (from now on) that satisfy `predicate`. */
function nextDiagnostics(uri: string, predicate: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
  return new Promise((resolve, reject) => waiters.push({ predicate: (p) => p.uri === uri && predicate(p), resolve, reject }));
}

/** Resolves with diagnostics for `uri` already received or still to come that satisfy `predicate`. */
function diagnosticsFor(uri: string, predicate: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
  const seen = [...received].reverse().find((p) => p.uri === uri);
  if (seen && predicate(seen)) return Promise.resolve(seen);
  return nextDiagnostics(uri, predicate);
}

const settings = { enable: true, severity: { 'missing-seed': 'error' } };

function write(relative: string, text: string): string {
  const file = path.join(workspace, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return pathToFileURL(file).href;
}

/** Applies edits as the editor does (LSP positions: `\n`, `\r\n` and a lone `\r` end a line). */
function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///edited.py', 'python', 0, text), [...edits]);
}

/** The code actions the server offers on one diagnostic, as the light bulb asks for them. */
async function actionsOn(uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
  return (await connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: diagnostic.range,
    context: { diagnostics: [diagnostic] },
  })) as CodeAction[];
}

/** The edits of a workspace edit for one document, with the version they were computed for. */
function editsFor(edit: WorkspaceEdit | undefined, uri: string): { version: number | null; edits: TextEdit[] } {
  for (const change of edit?.documentChanges ?? []) {
    if ('textDocument' in change && change.textDocument.uri === uri) return { version: change.textDocument.version, edits: change.edits as TextEdit[] };
  }
  return { version: null, edits: edit?.changes?.[uri] ?? [] };
}

/** A safety net so a missing message fails the test instead of hanging the run (no test waits on it). */
const LIMIT = { timeout: 30_000 };

const seeded = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.code === 'missing-seed');

before(async () => {
  if (!fs.existsSync(serverPath)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-lsp-'));
  server = spawn(process.execPath, [serverPath, '--stdio'], { cwd: workspace });
  server.stderr.on('data', (chunk) => (stderr += chunk));
  // A server that dies fails the waits at once, with what it said.
  server.on('exit', (code) => {
    for (const waiter of waiters.splice(0)) waiter.reject(new Error(`the server exited (${code}): ${stderr}`));
  });
  connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    received.push(params);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(params)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(params);
      }
    }
  });
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => (item.section === 'mlready' ? settings : null)));
  connection.onRequest(RegistrationRequest.type, () => undefined);
  status = new Promise((resolve) => connection.onNotification(StatusNotification.method, (params: StatusParams) => resolve(params)));
  connection.listen();

  const result = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(workspace).href,
    workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'ws' }],
    capabilities: {
      workspace: { configuration: true, workspaceEdit: { documentChanges: true }, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: {
        publishDiagnostics: { versionSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } },
      },
      notebookDocument: { synchronization: { dynamicRegistration: false } },
    },
    initializationOptions: { trusted: true },
  });
  assert.equal(result.serverInfo?.name, 'mlready');
  assert.ok(result.capabilities.notebookDocumentSync, 'declares notebook document sync');
  assert.ok(result.capabilities.hoverProvider);
  await connection.sendNotification(InitializedNotification.type, {});
}, LIMIT);

after(async () => {
  if (server.exitCode === null) server.kill();
  connection?.dispose();
  fs.rmSync(workspace, { recursive: true, force: true });
});

test('reports that it is running', LIMIT, async () => {
  const params = await status;
  assert.equal(params.state, 'running', params.message);
});

const script = [
  'from sklearn.model_selection import train_test_split',
  '',
  'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)',
  '',
].join('\n');

test('a script: diagnostics, quick fix, hover, suppression', LIMIT, async () => {
  const uri = write('train.py', script);
  const opened = diagnosticsFor(uri, (p) => p.version === 1);
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text: script } });
  const first = await opened;
  const [diagnostic, ...others] = seeded(first);
  assert.equal(others.length, 0, stderr);
  assert.equal(diagnostic.source, 'mlready');
  assert.equal(diagnostic.severity, 1, 'mlready.severity from the settings makes it an error');
  // The rule's page bundled beside the server (dist/docs/rules), not a web address that may not exist for this version.
  const page = String(diagnostic.codeDescription?.href);
  assert.match(page, /^file:\/\/.*\/dist\/docs\/rules\/missing-seed\.md$/);
  assert.match(fs.readFileSync(fileURLToPath(page), 'utf8'), /^# missing-seed$/m);
  assert.deepEqual(diagnostic.range.start, { line: 2, character: 35 });
  assert.match(String(diagnostic.message), /random_state/);

  // The Problems panel gets what is wrong; the hover adds why (one sentence), the fix and a link.
  assert.doesNotMatch(String(diagnostic.message), /results change/);
  const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 40 } });
  const contents = hover?.contents as { kind: string; value: string };
  assert.equal(contents.kind, 'markdown');
  assert.match(contents.value, /\*\*missing-seed\*\*: .*results change on every run/);
  assert.match(contents.value, /Fix: /);
  assert.match(contents.value, /\[Rule page\]\(file:\/\/.*\/dist\/docs\/rules\/missing-seed\.md\)/);
  assert.doesNotMatch(contents.value, /## What it does/, 'the full page is not in the hover on a finding');
  const nothing = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 2 } });
  assert.equal(nothing, null);

  // The quick fix and the suppression, from the diagnostic's data.
  const actions = await actionsOn(uri, diagnostic);
  const fix = actions.find((a) => a.kind === 'quickfix' && a.title.includes('random_state'));
  assert.ok(fix, `a quick fix among: ${actions.map((a) => a.title).join(', ')}`);
  assert.equal(fix.isPreferred, true);
  assert.equal(fix.diagnostics?.[0].code, 'missing-seed');
  const ignore = actions.find((a) => a.title === 'Ignore missing-seed on this line');
  assert.ok(ignore);
  // Per rule: disable it for the file (an ignore-file comment on the first line), its documentation;
  // "Fix all missing-seed problems" only when there is more than one to fix.
  const disable = actions.find((a) => a.title === 'Disable missing-seed for this file');
  assert.deepEqual(editsFor(disable?.edit, uri).edits, [
    { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# mlready: ignore-file[missing-seed]\n' },
  ]);
  const documentation = actions.find((a) => a.title === 'Show documentation for missing-seed');
  assert.deepEqual(documentation?.command?.arguments, ['missing-seed']);
  assert.equal(
    actions.some((a) => a.title === 'Fix all missing-seed problems'),
    false,
    'one finding: no fix-all of the rule',
  );
  assert.equal(
    actions.some((a) => a.kind?.startsWith('source')),
    false,
    'no bulk fix in the light bulb',
  );

  const { version, edits } = editsFor(fix.edit, uri);
  assert.equal(version, 1);
  const fixed = applyTextEdits(script, edits);
  assert.equal(fixed, script.replace('test_size=0.2)', 'test_size=0.2, random_state=42)'));

  // Apply it as the editor would: the finding disappears.
  const afterFix = diagnosticsFor(uri, (p) => p.version === 2);
  await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
  assert.deepEqual(seeded(await afterFix), []);

  // Back to the original with an incremental change, then the suppression.
  const reverted = diagnosticsFor(uri, (p) => p.version === 3);
  const line = fixed.split('\n')[2];
  await connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 3 },
    contentChanges: [{ range: { start: { line: 2, character: line.indexOf(', random_state') }, end: { line: 2, character: line.length - 1 } }, text: '' }],
  });
  assert.equal(seeded(await reverted).length, 1, 'incremental changes are applied');
  const suppressed = applyTextEdits(script, editsFor(ignore.edit, uri).edits);
  assert.match(suppressed.split('\n')[2], /# mlready: ignore\[missing-seed\]$/);
  const afterIgnore = diagnosticsFor(uri, (p) => p.version === 4);
  await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 4 }, contentChanges: [{ text: suppressed }] });
  assert.deepEqual(seeded(await afterIgnore), []);

  // Closing clears the file's diagnostics.
  const cleared = nextDiagnostics(uri);
  await connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  assert.deepEqual((await cleared).diagnostics, []);
});

test('a script saved with lone carriage returns (old Mac line breaks): findings on the lines the editor shows, fixes in place', LIMIT, async () => {
  const text = `${script}print(X_train)\n`.replaceAll('\n', '\r');
  const uri = write('mac.py', text);
  const opened = diagnosticsFor(uri, (p) => p.version === 1);
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text } });
  const published = await opened;
  assert.deepEqual(
    published.diagnostics.filter((d) => d.code === 'syntax-error'),
    [],
    'Python runs the file (tree-sitter alone read one line, and `print` a syntax error)',
  );
  const [diagnostic] = seeded(published);
  assert.deepEqual(diagnostic.range.start, { line: 2, character: 35 });
  const actions = await actionsOn(uri, diagnostic);
  const fix = actions.find((a) => a.kind === 'quickfix' && a.title.includes('random_state'));
  assert.equal(applyTextEdits(text, editsFor(fix?.edit, uri).edits), text.replace('test_size=0.2)', 'test_size=0.2, random_state=42)'));
  const cleared = nextDiagnostics(uri);
  await connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  await cleared;
});

test('fix all: every safe fix of a file in one edit', LIMIT, async () => {
  const text = [
    'from sklearn.model_selection import train_test_split',
    'from sklearn.ensemble import RandomForestClassifier',
    '',
    'X_train, X_test = train_test_split(X, test_size=0.25)',
    'model = RandomForestClassifier(n_estimators=50)',
    '',
  ].join('\n');
  const uri = write('fix_all.py', text);
  const opened = diagnosticsFor(uri, (p) => p.version === 1);
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text } });
  assert.equal(seeded(await opened).length, 2);

  const actions = (await connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll'] },
  })) as CodeAction[];
  assert.deepEqual(
    actions.map((a) => a.kind),
    ['source.fixAll.mlready'],
  );
  const fixed = applyTextEdits(text, editsFor(actions[0].edit, uri).edits);
  assert.match(fixed, /test_size=0\.25, random_state=42\)/);
  assert.match(fixed, /n_estimators=50, random_state=42\)/);

  const after = diagnosticsFor(uri, (p) => p.version === 2);
  await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
  assert.deepEqual(seeded(await after), []);
  await connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
});

test('a notebook: diagnostics per cell, cell edits, notebook fix all', LIMIT, async () => {
  const notebookUri = write('churn.ipynb', '{}');
  const cellUri = (id: string) => `vscode-notebook-cell:${new URL(notebookUri).pathname}#${id}`;
  const [markdown, imports, split] = [cellUri('md'), cellUri('c0'), cellUri('c1')];
  const importsText = 'import pandas as pd\nfrom sklearn.model_selection import train_test_split\n';
  const splitText = 'df = pd.DataFrame({"a": [1, 2]})\ntrain, test = train_test_split(df)\n';

  const splitDiagnostics = diagnosticsFor(split, (p) => seeded(p).length > 0);
  const importDiagnostics = diagnosticsFor(imports, () => true);
  await connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
    notebookDocument: {
      uri: notebookUri,
      notebookType: 'jupyter-notebook',
      version: 1,
      cells: [
        { kind: 1, document: markdown },
        { kind: 2, document: imports, executionSummary: { executionOrder: 1, success: true } },
        { kind: 2, document: split, executionSummary: { executionOrder: 2, success: true } },
      ],
    },
    cellTextDocuments: [
      { uri: markdown, languageId: 'markdown', version: 1, text: '# Churn\n' },
      { uri: imports, languageId: 'python', version: 1, text: importsText },
      { uri: split, languageId: 'python', version: 1, text: splitText },
    ],
  });
  const [onSplit] = seeded(await splitDiagnostics);
  assert.deepEqual(onSplit.range.start, { line: 1, character: 14 }, 'the range is relative to the cell');
  assert.deepEqual(seeded(await importDiagnostics), []);
  assert.equal(
    received.some((p) => p.uri === markdown),
    false,
    'markdown cells are not analysed',
  );

  // The quick fix edits the cell it belongs to.
  const actions = (await connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: split },
    range: onSplit.range,
    context: { diagnostics: [onSplit] },
  })) as CodeAction[];
  const fix = actions.find((a) => a.kind === 'quickfix' && a.title.includes('random_state'));
  assert.ok(fix);
  assert.equal(applyTextEdits(splitText, editsFor(fix.edit, split).edits), splitText.replace('(df)', '(df, random_state=42)'));

  // Notebook-wide fix all.
  const notebookFix = (await connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: split },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['notebook.source.fixAll'] },
  })) as CodeAction[];
  assert.deepEqual(
    notebookFix.map((a) => a.kind),
    ['notebook.source.fixAll.mlready'],
  );
  const fixedSplit = applyTextEdits(splitText, editsFor(notebookFix[0].edit, split).edits);
  assert.match(fixedSplit, /train_test_split\(df, random_state=42\)/);

  // A cell edit updates the diagnostics.
  const afterEdit = diagnosticsFor(split, (p) => p.version === 2);
  await connection.sendNotification(DidChangeNotebookDocumentNotification.type, {
    notebookDocument: { uri: notebookUri, version: 2 },
    change: { cells: { textContent: [{ document: { uri: split, version: 2 }, changes: [{ text: fixedSplit }] }] } },
  });
  assert.deepEqual(seeded(await afterEdit), []);

  // Closing the notebook clears every cell.
  const cleared = [nextDiagnostics(imports), nextDiagnostics(split)];
  await connection.sendNotification(DidCloseNotebookDocumentNotification.type, {
    notebookDocument: { uri: notebookUri },
    cellTextDocuments: [{ uri: markdown }, { uri: imports }, { uri: split }],
  });
  for (const params of await Promise.all(cleared)) assert.deepEqual(params.diagnostics, []);
});

test("a notebook run out of order, from the cells' execution summaries", {
  ...LIMIT,
  skip: !RULE_NAMES.has('notebook-out-of-order') && 'notebook-out-of-order is not registered yet',
}, async () => {
  const notebookUri = write('order.ipynb', '{}');
  const [first, second] = ['a', 'b'].map((id) => `vscode-notebook-cell:${new URL(notebookUri).pathname}#${id}`);
  const outOfOrder = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.code === 'notebook-out-of-order');
  const inOrder = diagnosticsFor(second, () => true);
  await connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
    notebookDocument: {
      uri: notebookUri,
      notebookType: 'jupyter-notebook',
      version: 1,
      cells: [
        { kind: 2, document: first, executionSummary: { executionOrder: 1 } },
        { kind: 2, document: second, executionSummary: { executionOrder: 2 } },
      ],
    },
    cellTextDocuments: [
      { uri: first, languageId: 'python', version: 1, text: 'x = 1\n' },
      { uri: second, languageId: 'python', version: 1, text: 'y = x + 1\n' },
    ],
  });
  assert.deepEqual(outOfOrder(await inOrder), []);
  // The first cell is run again: now it ran after the second one.
  const rerun = nextDiagnostics(second);
  await connection.sendNotification(DidChangeNotebookDocumentNotification.type, {
    notebookDocument: { uri: notebookUri, version: 2 },
    change: { cells: { data: [{ kind: 2, document: first, executionSummary: { executionOrder: 3 } }] } },
  });
  const rerunParams = await rerun;
  const [finding] = outOfOrder(rerunParams);
  assert.ok(finding, "the second cell ran before the first cell's latest run");
  assert.deepEqual(finding.range.start, { line: 0, character: 0 });
});

test('an invalid pyproject.toml: a diagnostic on the key, and analysis goes on with the defaults', LIMIT, async () => {
  const pyproject = write('bad/pyproject.toml', '[project]\nname = "x"\n\n[tool.mlready]\nseed = "forty-two"\n');
  const text = 'from sklearn.cluster import KMeans\nKMeans()\n';
  const uri = write('bad/cluster.py', text);
  const configDiagnostics = diagnosticsFor(pyproject, (p) => p.diagnostics.length > 0);
  const fileDiagnostics = diagnosticsFor(uri, (p) => p.version === 1);
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text } });
  const [issue] = (await configDiagnostics).diagnostics;
  assert.equal(issue.range.start.line, 4);
  assert.match(String(issue.message), /seed/);
  const [finding] = seeded(await fileDiagnostics);
  assert.ok(finding, 'the file is still analysed');
  const actions = (await connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: finding.range,
    context: { diagnostics: [finding] },
  })) as CodeAction[];
  const fix = actions.find((a) => a.title.includes('random_state'));
  assert.match(applyTextEdits(text, editsFor(fix?.edit, uri).edits), /KMeans\(random_state=42\)/, 'the default seed');
  await connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
});

test(
  "a script whose incremental reparse recovered from a syntax error otherwise than a fresh parse: once typing stops, the diagnostics are mlready check's",
  LIMIT,
  async () => {
    // The program of test/incremental.test.ts: tree-sitter's incremental and fresh recoveries differ.
    const body =
      '        flags = mask.copy()\n    def encode(\n        self,\n        count: int,,\n        size: int,\n    ) -> list:\n        size = int(size) // self.scale\n                out = self.net(';
    const before = `if ready():\n    def _extract_rows(rows: list, mask: list) -> list:\n${body}`;
    const after = `if ready():\n    detract_rows(rows: list, mask: list) -> list:\n${body}`;
    const uri = write('settle.py', before);
    const opened = diagnosticsFor(uri, (p) => p.version === 1);
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text: before } });
    await opened;
    // "def _extract" loses "f _ex", as typed: an incremental change.
    const first = nextDiagnostics(uri, (p) => p.version === 2);
    const afresh = nextDiagnostics(uri, (p) => p.version === 2 && p.diagnostics.some((d) => d.range.start.line === 0));
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: 6 }, end: { line: 1, character: 11 } }, text: '' }],
    });
    const syntaxLines = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.code === 'syntax-error').map((d) => d.range.start.line);
    const incremental = await first;
    assert.deepEqual(syntaxLines(incremental), [9], "the incremental tree's recovery: the `(` never closed");
    // The Problems panel says what is wrong, not only that something is (the hover has the rest).
    assert.deepEqual(
      incremental.diagnostics.map((d) => d.message),
      ['Syntax error (`(` is never closed)'],
    );
    fs.writeFileSync(fileURLToPath(uri), after);
    const checked = JSON.parse(
      execFileSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'check', '--format', 'json', '--exit-zero', fileURLToPath(uri)], { encoding: 'utf8' }),
    );
    const fromCheck = checked.files[0].findings.filter((f: { rule: string }) => f.rule === 'syntax-error').map((f: { line: number }) => f.line - 1);
    assert.deepEqual(syntaxLines(await afresh), fromCheck, 'after the pause, what mlready check reports');
    await connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  },
);

test('shutdown and exit', LIMIT, async () => {
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  assert.equal(await exited, 0);
  assert.doesNotMatch(stderr, /Error/);
});

test('`mlready server --stdio` runs the same server', LIMIT, async () => {
  const cli = path.join(root, 'dist', 'cli.js');
  const child = spawn(process.execPath, [cli, 'server', '--stdio'], { cwd: workspace });
  let childErr = '';
  child.stderr.on('data', (chunk) => (childErr += chunk));
  const client = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = write('via_cli.py', script);
  const diagnostics = new Promise<PublishDiagnosticsParams>((resolve, reject) => {
    client.onNotification(PublishDiagnosticsNotification.type, (params) => {
      if (params.uri === uri) resolve(params);
    });
    child.on('exit', (code) => reject(new Error(`mlready server exited (${code}): ${childErr}`)));
  });
  client.listen();
  const result = await client.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
  assert.equal(result.serverInfo?.name, 'mlready');
  await client.sendNotification(InitializedNotification.type, {});
  await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text: script } });
  const [finding] = seeded(await diagnostics);
  assert.equal(finding.severity, 2, "no settings from this client: the rule's default severity");
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await client.sendRequest(ShutdownRequest.type);
  await client.sendNotification(ExitNotification.type);
  assert.equal(await exited, 0);
  client.dispose();
});

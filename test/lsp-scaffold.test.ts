// The scaffolds over LSP: the bundled server started with --stdio, driven by a JSON-RPC client
// that applies `workspace/applyEdit` to disk the way an editor would (a CreateFile fails when the
// file exists). Every wait is on a message from the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import {
  ApplyWorkspaceEditRequest,
  CodeActionRequest,
  ConfigurationRequest,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  InitializedNotification,
  ShowMessageNotification,
  LogMessageNotification,
  InitializeRequest,
  RegistrationRequest,
  type ApplyWorkspaceEditParams,
  type CodeAction,
  type CreateFile,
  type TextDocumentEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import {
  FIX_ALL_COMMAND,
  SCAFFOLD_COMMANDS,
  SHOW_RULE_DOCUMENTATION_COMMAND,
  ScaffoldColumnsRequest,
  ScaffoldPlanRequest,
  ScaffoldSourceRequest,
  type ScaffoldCommandResult,
  type ScaffoldPlanResult,
  type ScaffoldSourceResult,
} from '../server/src/protocol';
import { generateScaffold } from '../server/src/engine/scaffolds/index';

const root = path.resolve(__dirname, '..');
const serverPath = path.join(root, 'dist', 'server.js');
const LIMIT = { timeout: 120_000 };

let server: ChildProcessWithoutNullStreams;
let connection: ProtocolConnection;
let workspace: string;
let stderr = '';
const shown: string[] = [];
/** The server's log lines (window/logMessage). */
const logged: string[] = [];
const shownWaiters: ((message: string) => void)[] = [];
/** Every workspace/applyEdit the server sent. */
const applied: ApplyWorkspaceEditParams[] = [];

/** Applies a WorkspaceEdit to disk like an editor: creating an existing file fails the whole edit. */
function applyToDisk(edit: WorkspaceEdit): { applied: boolean; failureReason?: string } {
  const changes = edit.documentChanges ?? [];
  for (const change of changes) {
    if (
      'kind' in change &&
      change.kind === 'create' &&
      fs.existsSync(fileURLToPath(change.uri)) &&
      !change.options?.overwrite &&
      !change.options?.ignoreIfExists
    ) {
      return { applied: false, failureReason: `${change.uri} exists` };
    }
  }
  for (const change of changes) {
    if ('kind' in change) {
      assert.equal(change.kind, 'create');
      const file = fileURLToPath(change.uri);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '');
      continue;
    }
    const file = fileURLToPath(change.textDocument.uri);
    let text = fs.readFileSync(file, 'utf8');
    for (const edit of change.edits) {
      assert.ok('newText' in edit, 'plain text edits');
      const lines = text.split('\n');
      const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
      text = text.slice(0, offset(edit.range.start)) + edit.newText + text.slice(offset(edit.range.end));
    }
    fs.writeFileSync(file, text);
  }
  return { applied: true };
}

function writeCsv(file: string): void {
  const species = ['setosa', 'versicolor', 'virginica'];
  const lines = ['id,sepal length,petal width,colour,species'];
  for (let i = 0; i < 60; i++)
    lines.push([i, (5 + (i % 3) * 0.8 + (i % 7) * 0.05).toFixed(2), (0.3 + (i % 3)).toFixed(2), ['red', 'blue'][i % 2], species[i % 3]].join(','));
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

async function execute(command: string, args: object): Promise<ScaffoldCommandResult> {
  return (await connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args] })) as ScaffoldCommandResult;
}

before(async () => {
  if (!fs.existsSync(serverPath)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-lsp-scaffold-'));
  fs.mkdirSync(path.join(workspace, 'data'));
  writeCsv(path.join(workspace, 'data', 'train.csv'));
  server = spawn(process.execPath, [serverPath, '--stdio'], { cwd: workspace });
  server.stderr.on('data', (chunk) => (stderr += chunk));
  connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => null));
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.onNotification(LogMessageNotification.type, (params) => void logged.push(params.message));
  connection.onNotification(ShowMessageNotification.type, (params) => {
    shown.push(params.message);
    for (const waiter of shownWaiters.splice(0)) waiter(params.message);
  });
  connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => {
    applied.push(params);
    return applyToDisk(params.edit);
  });
  connection.listen();
  const result = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(workspace).href,
    workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'ws' }],
    capabilities: {
      workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
      textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'source'] } } } },
    },
    initializationOptions: { trusted: true },
  });
  assert.deepEqual(result.capabilities.executeCommandProvider?.commands, [...SCAFFOLD_COMMANDS, FIX_ALL_COMMAND, SHOW_RULE_DOCUMENTATION_COMMAND]);
  await connection.sendNotification(InitializedNotification.type, {});
}, LIMIT);

after(() => {
  if (server.exitCode === null) server.kill();
  connection?.dispose();
  fs.rmSync(workspace, { recursive: true, force: true });
});

test('scaffoldColumns lists the CSV header with types; a missing file is an error, not a crash', LIMIT, async () => {
  const columns = await connection.sendRequest(ScaffoldColumnsRequest.method, { data: 'data/train.csv' });
  assert.deepEqual(
    (columns as { columns: { name: string }[] }).columns.map((c) => c.name),
    ['id', 'sepal length', 'petal width', 'colour', 'species'],
  );
  const missing = (await connection.sendRequest(ScaffoldColumnsRequest.method, { data: 'data/nope.csv' })) as { columns: unknown[]; error?: string };
  assert.deepEqual(missing.columns, []);
  assert.match(missing.error ?? '', /nope\.csv/);
});

test('executeCommand creates the files with one WorkspaceEdit, then refuses to overwrite them; force replaces them', LIMIT, async () => {
  const args = { data: 'data/train.csv', target: 'species', out: 'svc' };
  const plan = (await connection.sendRequest(ScaffoldPlanRequest.method, { kind: 'api', ...args })) as { create: string[]; conflicts: string[] };
  assert.ok(plan.create.includes('serving/app.py'));
  assert.deepEqual(plan.conflicts, []);
  assert.equal(fs.existsSync(path.join(workspace, 'svc')), false, 'planning writes nothing');

  const first = await execute('mlready.scaffold.api', args);
  assert.equal(first.applied, true, first.message);
  assert.equal(applied.length, 1);
  const edit = applied[0]!.edit;
  assert.deepEqual(first.edit, edit, 'the result carries the edit that was applied');
  const changes = edit.documentChanges ?? [];
  const creates = changes.filter((c): c is CreateFile => 'kind' in c && c.kind === 'create');
  const texts = changes.filter((c): c is TextDocumentEdit => 'textDocument' in c);
  const expected = await generateScaffold('api', { data: path.join(workspace, 'data/train.csv'), target: 'species', out: path.join(workspace, 'svc') });
  const expectedPaths = expected.map((f) => f.path).sort();
  assert.deepEqual(creates.map((c) => path.relative(path.join(workspace, 'svc'), fileURLToPath(c.uri))).sort(), expectedPaths);
  for (const create of creates) assert.deepEqual(create.options, { overwrite: false, ignoreIfExists: false });
  assert.equal(texts.length, creates.length);
  const app = expected.find((f) => f.path === 'serving/app.py')!.content;
  assert.equal(fs.readFileSync(path.join(workspace, 'svc', 'serving', 'app.py'), 'utf8'), app);
  assert.deepEqual(first.written.length, expectedPaths.length);

  // Again: every file exists, nothing is sent to the editor, the conflicts are listed.
  fs.appendFileSync(path.join(workspace, 'svc', 'serving', 'app.py'), '# my edit\n');
  const second = await execute('mlready.scaffold.api', args);
  assert.equal(second.applied, false);
  assert.match(second.message, /refusing to overwrite/);
  assert.ok(second.conflicts.includes('serving/app.py'));
  assert.equal(applied.length, 1, 'no edit sent on a refusal');
  assert.match(fs.readFileSync(path.join(workspace, 'svc', 'serving', 'app.py'), 'utf8'), /# my edit\n$/);

  const forced = await execute('mlready.scaffold.api', { ...args, force: true });
  assert.equal(forced.applied, true, forced.message);
  const forcedChanges = applied[1]!.edit.documentChanges ?? [];
  assert.equal(
    forcedChanges.some((c) => 'kind' in c),
    false,
    'existing files are replaced, never re-created',
  );
  assert.equal(fs.readFileSync(path.join(workspace, 'svc', 'serving', 'app.py'), 'utf8'), app);
});

test('a missing option is an answer with the reason, not an error', LIMIT, async () => {
  const result = await execute('mlready.scaffold.pipeline', { data: 'data/train.csv' });
  assert.equal(result.applied, false);
  assert.match(result.message, /needs --target/);
});

test("a command that fails is told to the user with window/showMessage (an editor without mlready's VS Code client)", LIMIT, async () => {
  const before = shown.length;
  const message = new Promise<string>((resolve) => shownWaiters.push(resolve));
  const result = await execute('mlready.scaffold.api', { data: 'data/missing.csv', target: 'species' });
  assert.equal(result.applied, false);
  assert.match(await message, /^mlready: .*missing\.csv/);
  assert.equal(shown.length, before + 1);
});

test('a script that trains a model gets "Generate a training pipeline", which runs the pipeline scaffold from it', LIMIT, async () => {
  const file = path.join(workspace, 'train.py');
  const text =
    'import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n\ndf = pd.read_csv("data/train.csv")\nmodel = LogisticRegression()\nmodel.fit(df[["sepal length"]], df["species"])\n';
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text } });
  // Not on every line: the light bulb on another line has no scaffold.
  const elsewhere = (await connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } },
    context: { diagnostics: [] },
  })) as CodeAction[];
  assert.equal(
    elsewhere.some((a) => a.command?.command === 'mlready.scaffold.pipeline'),
    false,
  );
  // On the training call, where the untracked-training finding is.
  const training = {
    range: { start: { line: 5, character: 0 }, end: { line: 5, character: 46 } },
    message: 'untracked',
    source: 'mlready',
    code: 'untracked-training',
  };
  const actions = (await connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } },
    context: { diagnostics: [training] },
  })) as CodeAction[];
  const action = actions.find((a) => a.title === 'Generate a training pipeline from this script');
  assert.ok(action, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(action.command?.command, 'mlready.scaffold.pipeline');
  assert.deepEqual(action.command?.arguments, [{ from: uri }]);
  const quickFixesOnly = (await connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } },
    context: { diagnostics: [], only: ['quickfix'] },
  })) as CodeAction[];
  assert.equal(
    quickFixesOnly.some((a) => a.command?.command === 'mlready.scaffold.pipeline'),
    false,
  );

  // The editor runs the command with the user's data and target (the client asks for them).
  const result = await execute('mlready.scaffold.pipeline', { ...(action.command!.arguments![0] as object), target: 'species', out: 'service' });
  assert.equal(result.applied, true, result.message);
  const steps = fs.readFileSync(path.join(workspace, 'service', 'pipeline', 'steps.py'), 'utf8');
  assert.match(steps, /pd\.read_csv\(str\(pipeline_config\.DATA_PATH\)\)/, 'the data path is the configured one');
  assert.match(steps, /# mlready: untracked-training: /);
});

test('a data path the workspace names outside the workspace is not read: the answer says so and nothing is generated', LIMIT, async () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-outside-'));
  try {
    writeCsv(path.join(outside, 'secret.csv'));
    const file = path.join(workspace, 'outside.py');
    fs.writeFileSync(file, `import pandas as pd\ndf = pd.read_csv(${JSON.stringify(path.join(outside, 'secret.csv'))})\n`);
    fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(workspace, 'data', 'link.csv'));
    fs.writeFileSync(path.join(workspace, 'linked.py'), 'import pandas as pd\ndf = pd.read_csv("data/link.csv")\n');
    for (const from of ['outside.py', 'linked.py']) {
      const before = applied.length;
      const result = await execute('mlready.scaffold.pipeline', { from, target: 'species', out: `svc-${from}` });
      assert.equal(result.applied, false, from);
      assert.match(result.message, /outside .*pass the data file with --data/, from);
      assert.equal(applied.length, before, 'no edit sent');
    }
  } finally {
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

test('the CI workflow generated over LSP holds the readiness score the folder has (a number, not a placeholder)', LIMIT, async () => {
  const result = await execute('mlready.scaffold.ci', { out: 'svc-ci' });
  assert.equal(result.applied, true, result.message);
  const workflow = fs.readFileSync(path.join(workspace, 'svc-ci', '.github', 'workflows', 'mlready.yml'), 'utf8');
  assert.match(workflow, /^ {2}MLREADY_MIN_SCORE: "\d+(\.\d+)?"$/m);
  assert.doesNotMatch(workflow, /__MLREADY/);
});

test('scaffoldSource proposes the data file a notebook or script reads only when it is a regular file inside the workspace', LIMIT, async () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-source-'));
  try {
    writeCsv(path.join(outside, 'elsewhere.csv'));
    const cases: Array<[string, string, RegExp | undefined]> = [
      ['reads-local.py', 'data/train.csv', undefined],
      ['reads-outside.py', path.join(outside, 'elsewhere.csv'), /outside/],
      ['reads-up.py', '../../etc/passwd', /outside/],
      ['reads-missing.py', 'data/nope.csv', /does not exist/],
      ['reads-url.py', 'https://user:pw@example.com/data.csv', /not a local file/],
    ];
    for (const [name, named, reason] of cases) {
      fs.writeFileSync(path.join(workspace, name), `import pandas as pd\ndf = pd.read_csv(${JSON.stringify(named)})\ny = df["species"]\n`);
      const source = (await connection.sendRequest(ScaffoldSourceRequest.method, { from: name })) as ScaffoldSourceResult;
      assert.equal(source.target, 'species', name);
      if (reason) {
        assert.equal(source.data, undefined, `${name}: not proposed`);
        assert.match(source.reason ?? '', reason, name);
        assert.doesNotMatch(source.reason ?? '', /pw@/, `${name}: no credential in the reason`);
      } else {
        assert.equal(source.data, pathToFileURL(fs.realpathSync(path.join(workspace, 'data', 'train.csv'))).href, name);
      }
    }
  } finally {
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

test('existing files: the plan previews each one; overwrite, keep and beside are answered per file; a file without an answer is refused', LIMIT, async () => {
  const args = { data: 'data/train.csv', target: 'species', out: 'svc-choices' };
  const first = await execute('mlready.scaffold.api', args);
  assert.equal(first.applied, true, first.message);
  assert.equal(first.main, 'serving/app.py', 'the main file is named');
  const dir = path.join(workspace, 'svc-choices');
  const mine = { 'serving/app.py': '# mine: keep\n', 'serving/base.py': '# mine: overwrite\n', Dockerfile: '# mine: beside\n' };
  for (const [file, text] of Object.entries(mine)) fs.writeFileSync(path.join(dir, file), text);
  const generated = await generateScaffold('api', { data: path.join(workspace, 'data/train.csv'), target: 'species', out: dir });
  const content = (file: string) => generated.find((f) => f.path === file)!.content;

  const plan = (await connection.sendRequest(ScaffoldPlanRequest.method, { kind: 'api', ...args, preview: true })) as ScaffoldPlanResult;
  for (const file of Object.keys(mine)) {
    assert.ok(plan.conflicts.includes(file), file);
    assert.equal(plan.previews?.find((p) => p.path === file)?.content, content(file), `${file}: the preview is the generated text`);
  }
  // The files the first run wrote and nobody changed: kept.
  const others = plan.conflicts.filter((file) => !(file in mine));

  // One answer missing: refused, nothing sent.
  const before = applied.length;
  const partial = await execute('mlready.scaffold.api', { ...args, keep: ['serving/app.py', ...others], overwrite: ['serving/base.py'] });
  assert.equal(partial.applied, false);
  assert.deepEqual(partial.conflicts, ['Dockerfile']);
  assert.equal(applied.length, before, 'nothing sent without an answer for every existing file');

  const answered = await execute('mlready.scaffold.api', {
    ...args,
    keep: ['serving/app.py', ...others],
    overwrite: ['serving/base.py'],
    beside: ['Dockerfile'],
  });
  assert.equal(answered.applied, true, answered.message);
  assert.equal(fs.readFileSync(path.join(dir, 'serving', 'app.py'), 'utf8'), mine['serving/app.py'], 'kept byte for byte');
  assert.equal(fs.readFileSync(path.join(dir, 'serving', 'base.py'), 'utf8'), content('serving/base.py'), 'overwritten');
  assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), mine.Dockerfile, 'left as it was');
  assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile.new'), 'utf8'), content('Dockerfile'), 'written beside');

  // Beside again: the .new file exists now, and is not overwritten either.
  const again = await execute('mlready.scaffold.api', { ...args, keep: ['serving/app.py', 'serving/base.py', ...others], beside: ['Dockerfile'] });
  assert.equal(again.applied, false);
  assert.deepEqual(again.conflicts, ['Dockerfile.new']);
});

test('an output folder outside the workspace is refused before anything is generated', LIMIT, async () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-out-'));
  try {
    const before = applied.length;
    const result = await execute('mlready.scaffold.ci', { out: outside });
    assert.equal(result.applied, false);
    assert.match(result.message, /outside the workspace/);
    assert.equal(applied.length, before);
    assert.deepEqual(fs.readdirSync(outside), []);
  } finally {
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

test(
  "the CI workflow for the workspace holds its readiness report's score, scanned in the scan process and reused, never in the server's thread",
  LIMIT,
  async () => {
    const scans = () => logged.filter((line) => line.startsWith(`readiness of ${workspace}:`)).length;
    const report = (await connection.sendRequest('mlready/readiness', {})) as { score: number };
    assert.equal(scans(), 1, logged.join('\n'));
    const result = await execute('mlready.scaffold.ci', { out: '.' });
    assert.equal(result.applied, true, result.message);
    const workflow = fs.readFileSync(path.join(workspace, '.github', 'workflows', 'mlready.yml'), 'utf8');
    assert.match(workflow, new RegExp(`^ {2}MLREADY_MIN_SCORE: "${report.score}"$`, 'm'));
    assert.equal(scans(), 1, 'the current report was reused');
    // A subfolder's score came from a scan of its own, in the scan process too (the earlier CI test).
    assert.ok(logged.some((line) => line.startsWith(`readiness of ${path.join(workspace, 'svc-ci')}:`)));
  },
);

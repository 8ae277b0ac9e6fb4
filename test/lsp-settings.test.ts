// The editor settings of issue 13 through the bundled server, as VS Code sends them
// (workspace/configuration per document): mlready.exclude, mlready.configuration and
// mlready.configurationPreference. Every wait is on a message from the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DidChangeConfigurationNotification,
  DidChangeWorkspaceFoldersNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import { LspClient } from './helpers/lsp-client';

const root = path.resolve(__dirname, '..');
const LIMIT = { timeout: 30_000 };

const UNSEEDED = 'from sklearn.model_selection import train_test_split\n\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)\n';

let workspace: string;
let home: string;
let client: LspClient;
let untrusted: LspClient;
let settings: Record<string, unknown> = {};

function write(dir: string, relative: string, text: string): string {
  const file = path.join(dir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return pathToFileURL(file).href;
}

const seed = (p: PublishDiagnosticsParams) => p.diagnostics.find((d) => d.code === 'missing-seed');

let version = 0;
/** Opens a document and returns its first diagnostics (every open is analysed once). */
async function open(lsp: LspClient, uri: string, text: string): Promise<PublishDiagnosticsParams> {
  const v = ++version;
  const published = lsp.diagnostics(uri, (p) => p.version === v);
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: v, text } });
  return published;
}

async function close(lsp: LspClient, uri: string): Promise<void> {
  await lsp.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
}

/** Opens, reads the diagnostics, closes: the document's findings under the current settings. */
async function check(uri: string, lsp = client): Promise<PublishDiagnosticsParams> {
  const published = await open(lsp, uri, fs.readFileSync(new URL(uri), 'utf8'));
  await close(lsp, uri);
  return published;
}

/** New settings, as VS Code announces them: the server pulls them again. */
async function configure(next: Record<string, unknown>): Promise<void> {
  settings = next;
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
}

before(async () => {
  if (!fs.existsSync(path.join(root, 'dist', 'server.js'))) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-settings-'));
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-home-'));
  const env = { ...process.env, HOME: home };
  client = await LspClient.start(workspace, { settings: () => ({ enable: true, ...settings }), env, workspaceFolders: true });
  untrusted = await LspClient.start(workspace, { settings: () => ({ enable: true, ...settings }), env, trusted: false });
}, LIMIT);

after(async () => {
  await client?.stop();
  await untrusted?.stop();
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

test('mlready.exclude: a matching file gets no diagnostics, others still do; [tool.mlready] exclude applies in the editor too', LIMIT, async () => {
  const generated = write(workspace, 'generated/train.py', UNSEEDED);
  const kept = write(workspace, 'src/train.py', UNSEEDED);
  await configure({});
  assert.ok(seed(await check(generated)), 'without the setting the file is linted');
  await configure({ exclude: ['generated/**'] });
  assert.deepEqual((await check(generated)).diagnostics, [], 'excluded by mlready.exclude');
  assert.ok(seed(await check(kept)), 'a file the glob does not match is still linted');
  await configure({ exclude: ['**/train.py'] });
  assert.deepEqual((await check(kept)).diagnostics, [], 'a ** glob matches at any depth');

  // The project's own exclude, relative to its pyproject.toml, with no editor setting.
  const project = path.join(workspace, 'proj');
  write(project, 'pyproject.toml', '[tool.mlready]\nexclude = ["vendor"]\n');
  const vendored = write(project, 'vendor/lib/train.py', UNSEEDED);
  const own = write(project, 'train.py', UNSEEDED);
  await configure({});
  assert.deepEqual((await check(vendored)).diagnostics, [], 'a folder excluded by [tool.mlready] excludes what it holds');
  assert.ok(seed(await check(own)));
  // editorOnly ignores the project's file, its exclude included.
  await configure({ configurationPreference: 'editorOnly' });
  assert.ok(seed(await check(vendored)), 'editorOnly: [tool.mlready] exclude does not apply');
});

test('mlready.configuration: a relative path, ${workspaceFolder} and ~ name a config file whose severity applies', LIMIT, async () => {
  const uri = write(workspace, 'conf/train.py', UNSEEDED);
  write(workspace, 'configs/mlready.toml', '[severity]\nmissing-seed = "error"\n');
  await configure({});
  assert.equal(seed(await check(uri))?.severity, 2, 'the default: a warning');
  await configure({ configuration: 'configs/mlready.toml' });
  assert.equal(seed(await check(uri))?.severity, 1, 'relative to the workspace folder: an error');
  await configure({ configuration: '${workspaceFolder}/configs/mlready.toml' });
  assert.equal(seed(await check(uri))?.severity, 1, '${workspaceFolder} expanded');
  write(home, 'mlready/pyproject.toml', '[tool.mlready.severity]\nmissing-seed = "hint"\n');
  await configure({ configuration: '~/mlready/pyproject.toml' });
  assert.equal(seed(await check(uri))?.severity, 4, '~ expanded; a pyproject.toml is read from [tool.mlready]');

  // The file changes on disk: the next analysis reads it again.
  write(workspace, 'configs/mlready.toml', 'ignore = ["missing-seed"]\n');
  await configure({ configuration: 'configs/mlready.toml' });
  assert.equal(seed(await check(uri)), undefined, 'its ignore applies');
  write(workspace, 'configs/mlready.toml', '[severity]\nmissing-seed = "info"\n');
  assert.equal(seed(await check(uri))?.severity, 3, 'edited on disk: read again');
});

test('mlready.configuration: a missing or invalid file is notified, and the server keeps serving with the defaults', LIMIT, async () => {
  const uri = write(workspace, 'bad/train.py', UNSEEDED);
  const before = client.messages.length;
  await configure({ configuration: 'configs/nowhere.toml' });
  assert.equal(seed(await check(uri))?.severity, 2, 'the defaults apply');
  const missing = client.messages.slice(before).find((m) => m.includes('nowhere.toml'));
  assert.match(missing ?? '', /mlready\.configuration: .*configs\/nowhere\.toml does not exist\. mlready uses the defaults/, client.messages.join('\n'));

  const invalid = write(workspace, 'configs/broken.toml', 'seed = "forty-two"\n[severity]\nmissing-sed = "error"\n');
  const diagnosed = client.diagnostics(invalid, (p) => p.diagnostics.length === 2);
  await configure({ configuration: 'configs/broken.toml' });
  assert.equal(seed(await check(uri))?.severity, 2, 'still serving, with the defaults for the bad keys');
  const onFile = await diagnosed;
  assert.ok(
    onFile.diagnostics.some((d) => d.code === 'invalid-config' && /did you mean `missing-seed`/.test(String(d.message))),
    JSON.stringify(onFile.diagnostics),
  );
  assert.ok(client.messages.some((m) => /mlready\.configuration: .*did you mean `missing-seed`/.test(m)));

  const notToml = write(workspace, 'configs/garbage.toml', 'this is = = not toml\n');
  const count = client.messages.length;
  await configure({ configuration: 'configs/garbage.toml' });
  assert.ok(seed(await check(uri)));
  assert.ok(
    client.messages.slice(count).some((m) => /garbage\.toml is not valid TOML/.test(m)),
    client.messages.join('\n'),
  );
  void notToml;
});

test('mlready.configurationPreference: editorFirst, filesystemFirst and editorOnly decide between the settings and pyproject.toml', LIMIT, async () => {
  const project = path.join(workspace, 'pref');
  write(project, 'pyproject.toml', '[tool.mlready]\nignore = ["hardcoded-path"]\n[tool.mlready.severity]\nmissing-seed = "hint"\n');
  const uri = write(project, 'train.py', `import pandas as pd\n${UNSEEDED}df = pd.read_csv("/home/alice/data.csv")\n`);
  const path_ = (p: PublishDiagnosticsParams) => p.diagnostics.find((d) => d.code === 'hardcoded-path');

  await configure({ severity: { 'missing-seed': 'error' } });
  let published = await check(uri);
  assert.equal(seed(published)?.severity, 1, 'editorFirst (the default): the editor severity wins');
  assert.equal(path_(published), undefined, "pyproject's ignore still applies where the editor says nothing");

  await configure({ severity: { 'missing-seed': 'error' }, configurationPreference: 'filesystemFirst' });
  assert.equal(seed(await check(uri))?.severity, 4, "filesystemFirst: pyproject.toml's severity wins");

  await configure({ configurationPreference: 'editorOnly' });
  published = await check(uri);
  assert.equal(seed(published)?.severity, 2, 'editorOnly: pyproject.toml ignored, the rule default');
  assert.ok(path_(published), "editorOnly: pyproject.toml's ignore does not apply");

  // mlready.configuration is an editor setting: editorOnly still reads it, below the specific settings.
  write(workspace, 'configs/pref.toml', '[severity]\nmissing-seed = "info"\nhardcoded-path = "error"\n');
  await configure({ configurationPreference: 'editorOnly', configuration: 'configs/pref.toml', severity: { 'hardcoded-path': 'hint' } });
  published = await check(uri);
  assert.equal(seed(published)?.severity, 3, 'editorOnly reads mlready.configuration');
  assert.equal(path_(published)?.severity, 4, 'a specific setting wins over mlready.configuration');
  await configure({ configurationPreference: 'editorFirst', configuration: 'configs/pref.toml' });
  assert.equal(seed(await check(uri))?.severity, 3, 'editorFirst: mlready.configuration over pyproject.toml');
  await configure({ configurationPreference: 'filesystemFirst', configuration: 'configs/pref.toml' });
  assert.equal(seed(await check(uri))?.severity, 4, 'filesystemFirst: pyproject.toml over mlready.configuration');
});

test('untrusted workspace: mlready.configuration is not read', LIMIT, async () => {
  write(workspace, 'configs/trust.toml', 'ignore = ["missing-seed"]\n');
  const uri = write(workspace, 'trust/train.py', UNSEEDED);
  settings = { configuration: 'configs/trust.toml' };
  await untrusted.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  assert.ok(seed(await check(uri, untrusted)), 'the ignore of the named file does not apply');
  await configure({ configuration: 'configs/trust.toml' });
  assert.equal(seed(await check(uri)), undefined, 'while a trusted workspace applies it');
});

test('invalid values of the new settings are reported and replaced by their defaults', LIMIT, async () => {
  const uri = write(workspace, 'invalid/train.py', UNSEEDED);
  const count = client.messages.length;
  await configure({ configurationPreference: 'projectFirst', exclude: ['*a*a*a*b'] });
  assert.ok(seed(await check(uri)), 'the file is linted with the defaults');
  const shown = client.messages.slice(count).join('\n');
  assert.match(shown, /Invalid setting mlready\.configurationPreference/);
  assert.match(shown, /Invalid setting mlready\.exclude\.0: glob/);
});

test('a folder added to the workspace: mlready.exclude globs are relative to the innermost folder holding the file', LIMIT, async () => {
  const uri = write(workspace, 'extra/sub/train.py', UNSEEDED);
  const extra = { uri: pathToFileURL(path.join(workspace, 'extra')).href, name: 'extra' };
  await configure({ exclude: ['sub/**'] });
  assert.ok(seed(await check(uri)), 'relative to the first folder the path is extra/sub/train.py: not matched');
  await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [extra], removed: [] } });
  assert.deepEqual((await check(uri)).diagnostics, [], 'relative to the added folder it is sub/train.py: excluded');
  await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [], removed: [extra] } });
  assert.ok(seed(await check(uri)), 'the folder removed: linted again');
});

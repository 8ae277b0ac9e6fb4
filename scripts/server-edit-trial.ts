/**
 * The language server as an editor drives it, on real scripts: each file is opened in the bundled
 * server (dist/server.js, run `npm run build` first) and edited in rounds of a few edits sent as
 * incremental changes (scripts/trial-edits.ts, with accented letters, CJK and emoji typed too);
 * after each round the trial waits as a person pausing would (past the server's fresh-parse idle
 * time) and compares the diagnostics last published, with their full messages, with a fresh
 * in-process analysis of the same text (`mlready check`'s findings). What it covers beyond
 * scripts/incremental-trial.ts: the document sync (UTF-16 positions, CRLF files), the debounce that
 * analyses some versions and not others, the conversion to diagnostics and the idle re-parse.
 *
 *   grep '\.py$' FILE_LIST > /tmp/scripts
 *   node --import tsx scripts/server-edit-trial.ts /tmp/scripts [--rounds 3] [--edits 6] [--seed 1]
 *
 * Prints each disagreement (its versions kept in a new temporary folder), then one line of counts.
 * Exits 1 if any round disagreed.
 */
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { createEngine, minimalEdit } from '../server/src/engine/index';
import { FRESH_PARSE_IDLE_MS } from '../server/src/lsp/diagnostics';
import { numberOption, pastedLines, personEditing, readText, TYPED } from './trial-edits';

/** A person types more than ASCII: accented letters, CJK and emoji (two UTF-16 code units). */
const TYPED_HERE = [...TYPED, 'é', '中', '🙂'];

async function main(argv: string[]): Promise<number> {
  const list = argv[0];
  if (!list) throw new Error('usage: server-edit-trial.ts FILE_LIST [--rounds N] [--edits N] [--seed N]');
  const option = (name: string, fallback: number): number => numberOption(argv, name, fallback);
  const rounds = option('--rounds', 3);
  const editsPerRound = option('--edits', 6);
  const files = fs
    .readFileSync(list, 'utf8')
    .split('\n')
    .filter((file) => file.endsWith('.py'));
  const { editText } = personEditing(option('--seed', 1), pastedLines(files), TYPED_HERE);
  const engine = await createEngine();

  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'server-edit-trial-'));
  const server = cp.spawn(process.execPath, [path.join(__dirname, '..', 'dist', 'server.js'), '--stdio'], { cwd: workspace, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  server.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 20_000) stderr += chunk.toString();
  });
  const connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  connection.onRequest('workspace/configuration', (params: { items?: unknown[] }) => (params.items ?? []).map(() => null));
  for (const method of ['client/registerCapability', 'client/unregisterCapability', 'window/workDoneProgress/create', 'window/showMessageRequest'])
    connection.onRequest(method, () => null);
  for (const method of ['window/logMessage', 'window/showMessage', 'telemetry/event', '$/progress', 'mlready/status'])
    connection.onNotification(method, () => undefined);
  const published = new Map<string, PublishDiagnosticsParams>();
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    published.set(params.uri, params);
  });
  connection.listen();
  const root = pathToFileURL(workspace).href;
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: root,
    workspaceFolders: [{ uri: root, name: 'trial' }],
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } }, workspace: { configuration: true, workspaceFolders: true } },
  });
  await connection.sendNotification('initialized', {});

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** Waits for diagnostics of `version` (none come when a document had no findings and still has none). */
  const publishedFor = async (uri: string, version: number): Promise<void> => {
    for (let waited = 0; waited < 2_000 && (published.get(uri)?.version ?? -1) < version; waited += 10) await sleep(10);
  };
  const shown = (diagnostic: Diagnostic) =>
    `${diagnostic.code} ${diagnostic.range.start.line}:${diagnostic.range.start.character}-${diagnostic.range.end.line}:${diagnostic.range.end.character} ${(diagnostic.data as { fullMessage?: string } | undefined)?.fullMessage ?? diagnostic.message}`;

  let documents = 0;
  let compared = 0;
  let disagreements = 0;
  try {
    for (const [index, file] of files.entries()) {
      let text = readText(file);
      if (text === undefined || text.length > 300_000) continue;
      documents++;
      const target = path.join(workspace, `${index}-${path.basename(file)}`);
      fs.writeFileSync(target, text);
      const uri = pathToFileURL(target).href;
      const mirror = TextDocument.create(uri, 'python', 1, text);
      const versions = [text];
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
      for (let round = 0; round < rounds; round++) {
        for (let k = 0; k < editsPerRound; k++) {
          const next = editText(text, versions);
          const edit = minimalEdit(text, next);
          const change = { range: { start: mirror.positionAt(edit.start), end: mirror.positionAt(edit.end) }, text: edit.text };
          TextDocument.update(mirror, [change], mirror.version + 1);
          // The trial's own check: the change, applied as the server applies it, gives the text meant.
          if (mirror.getText() !== next) throw new Error(`the change computed for ${file} does not give the edited text`);
          text = next;
          versions.push(text);
          await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: mirror.version }, contentChanges: [change] });
        }
        await publishedFor(uri, mirror.version);
        // A pause: past the idle time after which the server parses a script with an error afresh.
        await sleep(FRESH_PARSE_IDLE_MS + 1_000);
        const fromServer = (published.get(uri)?.diagnostics ?? []).map(shown).sort();
        const fresh = engine
          .analyze({ path: target, kind: 'script', text })
          .findings.map((f) => `${f.rule} ${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column} ${f.message}`)
          .sort();
        compared++;
        if (JSON.stringify(fromServer) !== JSON.stringify(fresh)) {
          disagreements++;
          const kept = fs.mkdtempSync(path.join(os.tmpdir(), 'server-edit-trial-disagreement-'));
          fs.writeFileSync(path.join(kept, 'versions.json'), JSON.stringify(versions));
          console.log(
            `disagreement: ${file}, round ${round}: server only ${JSON.stringify(fromServer.filter((d) => !fresh.includes(d)))}, fresh only ${JSON.stringify(fresh.filter((d) => !fromServer.includes(d)))} (versions in ${kept})`,
          );
          break;
        }
      }
      await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    }
  } finally {
    await connection.sendRequest('shutdown').catch(() => undefined);
    await connection.sendNotification('exit').catch(() => undefined);
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  if (stderr) console.error(`server stderr: ${stderr.slice(0, 2_000)}`);
  console.log(`${documents} scripts, ${compared} rounds of ${editsPerRound} edits compared after a pause: ${disagreements} disagreements`);
  return disagreements === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);

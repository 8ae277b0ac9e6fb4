// Times the language server on a large notebook, as an editor drives it: opens an N-cell notebook
// (default 2,000 cells of ordinary pandas/sklearn code, a markdown cell between every few code
// cells), then types into cells spread through it, each edit bringing a new finding into its cell,
// and measures edit → that cell's new diagnostics, and how many publishDiagnostics messages each
// edit costs. Then opens a notebook of about 4 MB and times the "too large" notice.
//
//   npm run build && node --import tsx scripts/notebook-latency.ts [--cells=2000] [--edits=40] [--pause=1000] [--burst=1] [--gap=0]
//
// --burst=N sends each edit as N changes back to back (N pieces of the typed line, each its own
// notebookDocument/didChange), as VS Code sends a line typed fast or a paste split into characters;
// --gap=MS waits that long between them (0: none).
//
// Wall-clock figures on a shared machine: run it when the machine is quiet, and read the median.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeNotebookDocumentNotification, DidOpenNotebookDocumentNotification, HoverRequest, NotebookCellKind } from 'vscode-languageserver-protocol';
import { LspClient } from '../test/helpers/lsp-client';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const CELLS = arg('cells', 2000);
const EDITS = arg('edits', 40);
/** Milliseconds between edits: a user pausing to read (0: edits back to back, as fast as the server answers). */
const PAUSE = arg('pause', 1000);
/** Changes each edit is sent as. */
const BURST = arg('burst', 1);
/** Milliseconds between the changes of a burst. */
const GAP = arg('gap', 0);

const CODE = [
  'df = pd.read_csv(DATA)\ndf = df.dropna()\nX = df.drop(columns=["label"])\ny = df["label"]',
  'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)',
  'model = RandomForestClassifier(n_estimators=100, random_state=0)\nmodel.fit(X_train, y_train)',
  'preds = model.predict(X_test)\nscore = f1_score(y_test, preds)\nlogger.info("f1 %s", score)',
  'def features(frame):\n    frame = frame.copy()\n    frame["ratio"] = frame["a"] / (frame["b"] + 1)\n    return frame',
];
const HEADER =
  'import logging\nimport pandas as pd\nfrom sklearn.model_selection import train_test_split\nfrom sklearn.ensemble import RandomForestClassifier\nfrom sklearn.metrics import f1_score\nlogger = logging.getLogger(__name__)\nDATA = "data.csv"';

interface Cell {
  kind: NotebookCellKind;
  uri: string;
  text: string;
  version: number;
}

function notebook(uri: string, count: number, pad = ''): Cell[] {
  const cells: Cell[] = [];
  for (let i = 0; cells.length < count; i++) {
    const kind = i % 4 === 3 ? NotebookCellKind.Markup : NotebookCellKind.Code;
    const text = cells.length === 0 ? HEADER : kind === NotebookCellKind.Markup ? `## Step ${i}\nWhat this part does.` : CODE[i % CODE.length] + pad;
    cells.push({ kind, uri: `${uri}#cell${cells.length}`, text, version: 1 });
  }
  return cells;
}

async function open(client: LspClient, uri: string, cells: Cell[]): Promise<void> {
  await client.connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
    notebookDocument: { uri, notebookType: 'jupyter-notebook', version: 1, cells: cells.map((c) => ({ kind: c.kind, document: c.uri })) },
    cellTextDocuments: cells.map((c) => ({ uri: c.uri, languageId: c.kind === NotebookCellKind.Code ? 'python' : 'markdown', version: 1, text: c.text })),
  });
}

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms`;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-nb-latency-'));
  const client = await LspClient.start(dir);
  try {
    const uri = pathToFileURL(path.join(dir, 'big.ipynb')).href;
    const cells = notebook(uri, CELLS);
    const code = cells.filter((c) => c.kind === NotebookCellKind.Code);
    const lines = code.reduce((n, c) => n + c.text.split('\n').length, 0);
    let started = performance.now();
    await open(client, uri, cells);
    await client.diagnostics(code[code.length - 1].uri, () => true);
    const openMs = performance.now() - started;
    const openMessages = client.published;

    const latencies: number[] = [];
    const perEdit: number[] = [];
    let nbVersion = 1;
    for (let e = 0; e < EDITS; e++) {
      if (PAUSE > 0) await new Promise((resolve) => setTimeout(resolve, PAUSE));
      const cell = code[1 + Math.floor(((e + 0.5) / EDITS) * (code.length - 1))];
      const line = cell.text.split('\n').length;
      const insert = `\nbackup${e} = pd.read_csv("/home/alice/backup${e}.csv")`;
      const pieces = split(insert, BURST);
      const before = client.published;
      started = performance.now();
      const finalVersion = cell.version + pieces.length;
      const shown = client.diagnostics(
        cell.uri,
        (p) => p.version === finalVersion && p.diagnostics.some((d) => d.code === 'hardcoded-path' && d.range.start.line === line),
      );
      for (const [i, piece] of pieces.entries()) {
        if (i > 0 && GAP > 0) await new Promise((resolve) => setTimeout(resolve, GAP));
        const end = cell.text.split('\n');
        const at = { line: end.length - 1, character: end[end.length - 1].length };
        cell.text += piece;
        cell.version++;
        await client.connection.sendNotification(DidChangeNotebookDocumentNotification.type, {
          notebookDocument: { uri, version: ++nbVersion },
          change: {
            cells: { textContent: [{ document: { uri: cell.uri, version: cell.version }, changes: [{ range: { start: at, end: at }, text: piece }] }] },
          },
        });
      }
      await shown;
      latencies.push(performance.now() - started);
      // Every notification the server sent before answering this request has arrived.
      await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: cell.uri }, position: { line: 0, character: 0 } });
      perEdit.push(client.published - before);
    }
    console.log(`notebook: ${CELLS} cells (${code.length} code cells, ${lines} lines of code)`);
    console.log(`open → last cell's diagnostics: ${openMs.toFixed(0)} ms, ${openMessages} publishDiagnostics messages`);
    const sent = BURST > 1 ? `, each sent as ${BURST} changes${GAP > 0 ? ` ${GAP} ms apart` : ' back to back'}` : '';
    console.log(`edit → the edited cell's new finding shown (${EDITS} edits, ${PAUSE} ms apart${sent}): ${stats(latencies)}`);
    console.log(
      `publishDiagnostics messages per edit: median ${[...perEdit].sort((a, b) => a - b)[Math.floor(perEdit.length / 2)]}, max ${Math.max(...perEdit)}`,
    );
    console.log(`server resident memory after the edits: ${(await rss(client.process.pid!)).toFixed(0)} MB`);

    if (process.env.DEBUG) console.log(client.stderr);
    // A notebook of about 4 MB of code: the notice arrives before any analysis.
    const bigUri = pathToFileURL(path.join(dir, 'huge.ipynb')).href;
    const pad = `\n${'# padding line to make the notebook large '.repeat(2)}`.repeat(32);
    const huge = notebook(bigUri, 2000, pad);
    const size = huge.reduce((n, c) => n + c.text.length, 0);
    const noticed = client.messages.length;
    started = performance.now();
    await open(client, bigUri, huge);
    await waitFor(() => client.messages.slice(noticed).some((m) => m.includes('too large')));
    console.log(`"too large" notice for a ${(size / 1e6).toFixed(1)} MB notebook: ${(performance.now() - started).toFixed(0)} ms after didOpen was sent`);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `text` cut into `count` pieces (or fewer, one character each at least). */
function split(text: string, count: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, count)));
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

async function rss(pid: number): Promise<number> {
  const status = await fs.promises.readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Polls a condition between incoming messages (each check runs after the event loop turns). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

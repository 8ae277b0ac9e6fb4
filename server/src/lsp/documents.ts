import { fileURLToPath } from 'node:url';
import { NotebookCellKind, NotebookDocuments, TextDocuments, type Connection, type NotebookCell } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MAX_LIVE_CHARS, type AnalyzeInput, type CellInput } from '../engine';

/** One cell of an open notebook, as the engine sees it: python code cells only, in notebook order. */
export interface CellSnapshot {
  uri: string;
  version: number;
  text: string;
  executionCount: number | null;
  /** 0-based position among all the notebook's cells (markdown included), as VS Code numbers them. */
  index: number;
}

/**
 * What is analysed together: a script, or a notebook's python code cells joined. Every cell of a
 * notebook is synced (markdown too, so cell numbers match the editor's and notebook-wide code
 * actions reach the server whatever the first cell is); only python code cells are analysed.
 */
export type Target =
  | { kind: 'script'; key: string; uri: string; version: number; text: string }
  | { kind: 'notebook'; key: string; uri: string; version: number; cells: CellSnapshot[] };

/** The file-system path of a URI, or undefined for untitled and virtual documents. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** A name for the engine and for messages: the path for files, the URI otherwise. */
export function displayPath(uri: string): string {
  return uriToPath(uri) ?? uri;
}

export function engineInput(target: Target, cells?: readonly string[]): AnalyzeInput {
  const path = displayPath(target.uri);
  if (target.kind === 'script') return { path, kind: 'script', text: cells?.[0] ?? target.text };
  // Markdown and raw cells stand in as empty non-code cells, so the engine numbers cells as the editor does.
  const inputs: CellInput[] = [];
  target.cells.forEach((cell, index) => {
    while (inputs.length < cell.index) inputs.push({ source: '', cellType: 'markdown' });
    inputs.push({ source: cells?.[index] ?? cell.text, executionCount: cell.executionCount, cellType: 'code' });
  });
  return { path, kind: 'notebook', cells: inputs };
}

/** The texts a target is made of: one for a script, one per code cell for a notebook. */
export function targetTexts(target: Target): string[] {
  return target.kind === 'script' ? [target.text] : target.cells.map((cell) => cell.text);
}

/**
 * True when the script or notebook holds more than `MAX_LIVE_CHARS`: the editor neither analyses
 * nor fixes it (the CLI still checks it), so one document can never take the server's parser.
 */
export function tooLargeForLive(target: Target): boolean {
  return targetChars(target) > MAX_LIVE_CHARS;
}

export function targetChars(target: Target): number {
  return targetTexts(target).reduce((n, text) => n + text.length, 0);
}

/** The document URI and version of each text of a target (see `targetTexts`). */
export function targetUnits(target: Target): { uri: string; version: number }[] {
  return target.kind === 'script' ? [{ uri: target.uri, version: target.version }] : target.cells.map(({ uri, version }) => ({ uri, version }));
}

type Listener = (key: string) => void;

/**
 * Open scripts (text document sync) and notebooks (LSP 3.17 notebook document sync), seen as
 * analysis targets. A cell's URI leads to its notebook.
 */
export class DocumentStore {
  readonly texts = new TextDocuments(TextDocument);
  readonly notebooks = new NotebookDocuments(TextDocument);
  private readonly changed: Listener[] = [];
  private readonly closed: Listener[] = [];
  private readonly openNotebooks = new Set<string>();

  listen(connection: Connection): void {
    this.texts.onDidChangeContent((event) => this.fire(this.changed, event.document.uri));
    this.texts.onDidClose((event) => this.fire(this.closed, event.document.uri));
    this.notebooks.onDidOpen((notebook) => {
      this.openNotebooks.add(notebook.uri);
      this.fire(this.changed, notebook.uri);
    });
    this.notebooks.onDidChange((event) => this.fire(this.changed, event.notebookDocument.uri));
    this.notebooks.onDidClose((notebook) => {
      this.openNotebooks.delete(notebook.uri);
      this.fire(this.closed, notebook.uri);
    });
    this.texts.listen(connection);
    this.notebooks.listen(withStructureChanges(connection, (uri) => this.fire(this.changed, uri)));
  }

  onDidChange(listener: Listener): void {
    this.changed.push(listener);
  }

  onDidClose(listener: Listener): void {
    this.closed.push(listener);
  }

  /** The key of the target a document belongs to: its own URI, or its notebook's for a cell. */
  keyOf(uri: string): string | undefined {
    if (this.texts.get(uri)) return uri;
    if (this.notebooks.getNotebookDocument(uri)) return uri;
    return this.notebooks.findNotebookDocumentForCell(uri)?.uri;
  }

  /** Every open target's key. */
  keys(): string[] {
    return [...this.texts.keys(), ...this.openNotebooks];
  }

  target(key: string): Target | undefined {
    const script = this.texts.get(key);
    if (script) return { kind: 'script', key, uri: key, version: script.version, text: script.getText() };
    const notebook = this.notebooks.getNotebookDocument(key);
    if (!notebook) return undefined;
    const cells: CellSnapshot[] = [];
    notebook.cells.forEach((cell, index) => {
      if (cell.kind !== NotebookCellKind.Code) return;
      const document = this.notebooks.getCellTextDocument(cell);
      if (!document || document.languageId !== 'python') return;
      cells.push({ uri: document.uri, version: document.version, text: document.getText(), executionCount: executionCount(cell), index });
    });
    return { kind: 'notebook', key, uri: key, version: notebook.version, cells };
  }

  /** One line of an open script or notebook cell (undefined when it is not open). */
  lineText(uri: string, line: number): string | undefined {
    const cell = this.notebooks.getNotebookCell(uri);
    const document = this.texts.get(uri) ?? (cell && this.notebooks.getCellTextDocument(cell));
    if (!document || line >= document.lineCount) return undefined;
    return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
  }

  private fire(listeners: Listener[], key: string): void {
    for (const listener of listeners) listener(key);
  }
}

function executionCount(cell: NotebookCell): number | null {
  const order = cell.executionSummary?.executionOrder;
  return typeof order === 'number' ? order : null;
}

/**
 * The connection as NotebookDocuments sees it, with one addition: a change of the notebook's
 * structure (cells moved, which opens and closes no cell document) is announced as a change.
 * vscode-languageserver fires no event for a move, so findings that depend on cell order (a
 * scaler fitted before a split) would otherwise stay as they were.
 */
function withStructureChanges(connection: Connection, changed: (uri: string) => void): Connection {
  const sync = connection.notebooks.synchronization;
  const proxy = Object.create(sync) as typeof sync;
  proxy.onDidChangeNotebookDocument = (handler) =>
    sync.onDidChangeNotebookDocument(async (params) => {
      await handler(params);
      const structure = params.change.cells?.structure;
      const movedOnly =
        structure !== undefined &&
        (structure.didOpen?.length ?? 0) === 0 &&
        (structure.didClose?.length ?? 0) === 0 &&
        !params.change.cells?.data?.length &&
        !params.change.cells?.textContent?.length &&
        params.change.metadata === undefined;
      if (movedOnly) changed(params.notebookDocument.uri);
    });
  return { notebooks: { synchronization: proxy } } as unknown as Connection;
}

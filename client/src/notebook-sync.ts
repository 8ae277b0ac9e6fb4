import type * as vscode from 'vscode';
import { DidChangeTextDocumentNotification, NotebookDocumentSyncRegistrationType, type BaseLanguageClient, type Middleware } from 'vscode-languageclient/node';
import { CELL_SCHEME, type CellIndex, scoreCell } from './cell-index';

/**
 * Notebook document sync that keeps the cells' execution order.
 *
 * VS Code's ipynb loader gives a saved cell `executionSummary: { executionOrder: 7 }`, without
 * `success` (an .ipynb file does not record it). vscode-languageclient forwards a summary only
 * when `success` is a boolean, so the server would see no execution counts, and
 * `notebook-out-of-order` would never fire in VS Code while the CLI reports it on the same file.
 * The server reads only `executionOrder`; the missing `success` is sent as `true`, what a recorded
 * execution count implies (a failed run still records its count, so this is a default, not a
 * claim the server relies on).
 */
export const notebookSyncMiddleware: NonNullable<Middleware['notebooks']> = {
  didOpen: (notebook, cells, next) => next(notebook, cells.map(withSuccess)),
  didChange: (event, next) => {
    const cells = event.cells;
    if (!cells) return next(event);
    const structure = cells.structure;
    return next({
      ...event,
      cells: {
        ...cells,
        structure: structure && {
          ...structure,
          array: { ...structure.array, cells: structure.array.cells?.map(withSuccess) },
        },
        data: cells.data?.map(withSuccess),
      },
    });
  },
};

/** The cell as the client's converter needs it: an execution order comes with a boolean `success`. */
export function withSuccess(cell: vscode.NotebookCell): vscode.NotebookCell {
  const summary = cell.executionSummary;
  if (!summary || typeof summary.executionOrder !== 'number' || typeof summary.success === 'boolean') return cell;
  return {
    index: cell.index,
    notebook: cell.notebook,
    kind: cell.kind,
    document: cell.document,
    metadata: cell.metadata,
    outputs: cell.outputs,
    executionSummary: { ...summary, success: true },
  };
}

/**
 * vscode-languageclient 11's notebook sync does work proportional to the cells of every open
 * notebook on each keystroke in a cell (profiled in code-server's extension host on 2,000-cell
 * notebooks, docs/performance.md "In the real editor"). For one change of a cell's text:
 * - the text sync asks `languages.match(documentSelector, cell)`, then whether the notebook sync
 *   handles the cell, which asks `languages.match` again; the notebook sync asks it a third time
 *   before sending the change. For a selector that names notebooks, VS Code's `languages.match`
 *   finds the cell's notebook by walking the cells of every open notebook;
 * - the notebook sync finds the cell's notebook by walking every cell of every open notebook too;
 * - for the notebook change event VS Code fires on each keystroke (for the cell's document), it
 *   builds a set of the URIs of all synced cells before finding there is nothing to send.
 * With a second 2,000-cell notebook open, a typed line reached the server more than a second
 * after it showed.
 *
 * Here the path of a cell's text change costs map lookups, whatever the notebooks open:
 * - the cell of a document comes from `index` (kept from the notebooks' own events);
 * - whether a selector matches a cell is decided from the cell's notebook and language as VS
 *   Code's `score` does (`scoreCell`), without `languages.match`;
 * - a notebook change event with no cells added or removed, no metadata and no execution summary
 *   is dropped before that work: the library would send nothing for it (cell text travels as
 *   `textContent` with the document's own change event, outputs are not synced).
 * What is sent is unchanged: the same `notebookDocument/didChange` with the cell's `textContent`,
 * through the same middleware. Anything the fast paths do not recognise (a cell not in the index,
 * a selector with a glob pattern) goes to the library's code unchanged.
 *
 * Call it before `client.start()` (the text sync reads its listener when the server registers).
 * Returns false, and changes nothing, if the library no longer has these members: the pinned
 * version is 11.0.0.
 */
export function speedUpNotebookSync(client: BaseLanguageClient, index: CellIndex): boolean {
  const feature = client.getFeature(NotebookDocumentSyncRegistrationType.method) as unknown as Partial<SyncFeatureInternals>;
  const changes = client.getFeature(DidChangeTextDocumentNotification.method) as unknown as Partial<TextChangeFeatureInternals>;
  const { findNotebookDocumentAndCell: find, handles, register } = feature;
  const callback = changes.callback;
  if (
    typeof find !== 'function' ||
    typeof handles !== 'function' ||
    typeof register !== 'function' ||
    !(feature.registrations instanceof Map) ||
    typeof callback !== 'function'
  ) {
    return false;
  }
  const registrations = feature.registrations;
  feature.findNotebookDocumentAndCell = (textDocument) => {
    const cell = index.cell(textDocument.uri.toString());
    return cell ? [cell.notebook, cell] : find.call(feature, textDocument);
  };
  feature.handles = (textDocument) => {
    if (textDocument.uri.scheme !== CELL_SCHEME) return false;
    const key = textDocument.uri.toString();
    const cell = index.cell(key);
    const fast = cell && handledCell(feature.dedicatedChannel, registrations.values(), textDocument, cell.notebook, key);
    return fast ?? handles.call(feature, textDocument);
  };
  feature.register = (data) => {
    register.call(feature, data);
    for (const provider of registrations.values()) fastProvider(provider);
  };
  // The text sync sends nothing for a cell the notebook sync handles: answer that first, without
  // its `languages.match`.
  changes.callback = function (this: unknown, event: vscode.TextDocumentChangeEvent) {
    if (event.document.uri.scheme === CELL_SCHEME && feature.handles?.(event.document)) return Promise.resolve();
    return callback.call(this, event);
  };
  return true;
}

/**
 * Whether the notebook sync handles a cell's document, as `NotebookDocumentSyncFeature.handles`
 * decides it (its selectors match, or the cell is synced), or undefined to ask it.
 */
function handledCell(
  dedicated: vscode.DocumentSelector | undefined,
  providers: Iterable<unknown>,
  document: vscode.TextDocument,
  notebook: vscode.NotebookDocument,
  key: string,
): boolean | undefined {
  if (dedicated !== undefined) {
    const score = scoreCell(dedicated, document, notebook);
    if (score === undefined) return undefined;
    if (score > 0) return true;
  }
  for (const provider of providers as Iterable<Partial<SyncProviderInternals>>) {
    if (provider.selector === undefined || !(provider.notebookSyncInfo instanceof Map)) return undefined;
    const score = scoreCell(provider.selector, document, notebook);
    if (score === undefined) return undefined;
    if (score > 0) return true;
    for (const info of provider.notebookSyncInfo.values()) if (info.uris.has(key)) return true;
  }
  return false;
}

const FAST = Symbol('mlready.fastNotebookSync');

/**
 * On the provider's class: a cell's text change is matched against the provider's selector
 * without `languages.match`, and notebook change events the library would send nothing for are
 * dropped.
 */
function fastProvider(provider: unknown): void {
  const proto = Object.getPrototypeOf(provider) as Partial<SyncProviderInternals> & { [FAST]?: true };
  const onText = proto.didChangeNotebookCellTextDocument;
  const onNotebook = proto.didChangeNotebookDocument;
  if (typeof onText !== 'function' || typeof onNotebook !== 'function' || proto[FAST]) return;
  proto[FAST] = true;
  proto.didChangeNotebookCellTextDocument = function (this: Partial<SyncProviderInternals>, notebook, cell, event) {
    const score = this.selector && scoreCell(this.selector, event.document, notebook);
    if (score === undefined || typeof this.getSyncInfo !== 'function' || typeof this.doSendChange !== 'function') {
      return onText.call(this, notebook, cell, event);
    }
    // What the library does after its `languages.match`: a synced cell's change goes as `textContent`.
    if (score === 0) return;
    const info = this.getSyncInfo(notebook);
    if (!info?.uris.has(cell.document.uri.toString())) return;
    this.doSendChange({ notebook, cells: { textContent: [event] } }, info.cells).catch(() => undefined);
  };
  proto.didChangeNotebookDocument = function (this: unknown, event: vscode.NotebookDocumentChangeEvent) {
    if (nothingToSync(event)) return;
    return onNotebook.call(this, event);
  };
}

/** A change of cell documents' text (or outputs) only: the text is synced by its own event. */
export function nothingToSync(event: vscode.NotebookDocumentChangeEvent): boolean {
  return (
    event.contentChanges.length === 0 &&
    event.metadata === undefined &&
    event.cellChanges.every((change) => change.metadata === undefined && change.executionSummary === undefined)
  );
}

/** The members of vscode-languageclient's notebook and text sync (lib/common/notebook.js, textSynchronization.js) that the fast paths use or replace. */
interface SyncFeatureInternals {
  registrations: Map<string, unknown>;
  dedicatedChannel: vscode.DocumentSelector | undefined;
  findNotebookDocumentAndCell(textDocument: vscode.TextDocument): [vscode.NotebookDocument | undefined, vscode.NotebookCell | undefined];
  handles(textDocument: vscode.TextDocument): boolean;
  register(data: unknown): void;
}
interface SyncProviderInternals {
  selector: vscode.DocumentSelector;
  notebookSyncInfo: Map<string, SyncInfo>;
  getSyncInfo(notebook: vscode.NotebookDocument): SyncInfo | undefined;
  doSendChange(
    event: { notebook: vscode.NotebookDocument; cells: { textContent: vscode.TextDocumentChangeEvent[] } },
    cells: vscode.NotebookCell[],
  ): Promise<void>;
  didChangeNotebookCellTextDocument(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell, event: vscode.TextDocumentChangeEvent): void;
  didChangeNotebookDocument(event: vscode.NotebookDocumentChangeEvent): void;
}
interface SyncInfo {
  cells: vscode.NotebookCell[];
  uris: Set<string>;
}
interface TextChangeFeatureInternals {
  callback(event: vscode.TextDocumentChangeEvent): Promise<unknown>;
}

import * as vscode from 'vscode';
import { NotebookDocumentSyncRegistrationType, type BaseLanguageClient, type Middleware } from 'vscode-languageclient/node';

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
 * vscode-languageclient 11's notebook sync does work proportional to the size of every open
 * notebook on each keystroke in a cell (profiled in code-server's extension host on a 2,000-cell
 * notebook, docs/performance.md): it finds the cell of a changed document by walking every cell of
 * every open notebook, and for each notebook change event (VS Code fires one per keystroke, for the
 * cell's document) it builds a set of the URIs of all synced cells before finding there is nothing
 * to send. A burst of changes (a paste split into characters, fast typing) queued that work ahead
 * of the messages to the server: 13 ms per change, about a second for one typed line.
 *
 * Two equivalents without the walks, installed on the client's own notebook sync feature:
 * - the cell of a document is looked up in an index of its notebook's cells (a cell's URI has its
 *   notebook's path), rebuilt when a lookup finds the notebook changed;
 * - a notebook change event with no cells added or removed, no metadata and no execution summary
 *   is dropped before that work: the library would send nothing for it (cell text travels as
 *   `textContent` with the document's own change event, outputs are not synced).
 * Anything the fast paths do not recognise goes to the library's code unchanged. Returns false
 * (and changes nothing) if the library no longer has these members: the pinned version is 11.0.0.
 */
export function speedUpNotebookSync(client: BaseLanguageClient): boolean {
  const feature = client.getFeature(NotebookDocumentSyncRegistrationType.method) as unknown as Partial<SyncFeatureInternals>;
  const find = feature.findNotebookDocumentAndCell;
  if (typeof find !== 'function' || !(feature.registrations instanceof Map)) return false;
  const index = new WeakMap<vscode.NotebookDocument, Map<string, vscode.NotebookCell>>();
  feature.findNotebookDocumentAndCell = (textDocument) => {
    const key = textDocument.uri.toString();
    for (const notebook of vscode.workspace.notebookDocuments) {
      if (notebook.uri.path !== textDocument.uri.path) continue;
      let cell = index.get(notebook)?.get(key);
      if (!cell || !stillAt(notebook, cell, key)) {
        const cells = new Map(notebook.getCells().map((c) => [c.document.uri.toString(), c] as const));
        index.set(notebook, cells);
        cell = cells.get(key);
      }
      if (cell) return [notebook, cell];
    }
    return find.call(feature, textDocument);
  };
  for (const provider of feature.registrations.values()) quietCellChanges(provider);
  return true;
}

/** True when `cell` is still in `notebook` where it says it is, with the document `key`. */
function stillAt(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell, key: string): boolean {
  const at = cell.index;
  return at >= 0 && at < notebook.cellCount && notebook.cellAt(at) === cell && cell.document.uri.toString() === key;
}

const QUIET = Symbol('mlready.quietCellChanges');

/** Drops, on the provider's class, the notebook change events the library would send nothing for. */
function quietCellChanges(provider: unknown): void {
  const proto = Object.getPrototypeOf(provider) as Partial<SyncProviderInternals> & { [QUIET]?: true };
  const original = proto.didChangeNotebookDocument;
  if (typeof original !== 'function' || proto[QUIET]) return;
  proto[QUIET] = true;
  proto.didChangeNotebookDocument = function (this: unknown, event: vscode.NotebookDocumentChangeEvent) {
    if (nothingToSync(event)) return;
    return original.call(this, event);
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

/** The members of vscode-languageclient's notebook sync (lib/common/notebook.js) that the fast paths replace. */
interface SyncFeatureInternals {
  registrations: Map<string, unknown>;
  findNotebookDocumentAndCell(textDocument: vscode.TextDocument): [vscode.NotebookDocument | undefined, vscode.NotebookCell | undefined];
}
interface SyncProviderInternals {
  didChangeNotebookDocument(event: vscode.NotebookDocumentChangeEvent): void;
}

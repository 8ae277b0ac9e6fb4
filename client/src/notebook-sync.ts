import type * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

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

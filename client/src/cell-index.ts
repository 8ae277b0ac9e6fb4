import type * as vscode from 'vscode';

/** The URI scheme of a notebook cell's text document in VS Code. */
export const CELL_SCHEME = 'vscode-notebook-cell';

/**
 * Which open notebook holds each cell document, kept up to date from the notebooks' open, change
 * (cells added and removed) and close events, so finding a cell costs one map lookup whatever the
 * number and size of the open notebooks.
 *
 * VS Code's `languages.match` and vscode-languageclient's own lookup find a cell's notebook by
 * walking the cells of every open notebook; on a keystroke in a 2,000-cell notebook they ran
 * several times per change (docs/performance.md, "In the real editor").
 */
export class CellIndex {
  private readonly cells = new Map<string, vscode.NotebookCell>();
  private readonly byNotebook = new Map<vscode.NotebookDocument, Set<string>>();

  /** Indexes the cells of a notebook that opened (or was open when the index was made). */
  opened(notebook: vscode.NotebookDocument): void {
    const keys = new Set<string>();
    for (const cell of notebook.getCells()) {
      const key = cell.document.uri.toString();
      keys.add(key);
      this.cells.set(key, cell);
    }
    this.byNotebook.set(notebook, keys);
  }

  /** Cells added to and removed from a notebook (content changes); other changes keep the cells. */
  changed(event: vscode.NotebookDocumentChangeEvent): void {
    if (event.contentChanges.length === 0) return;
    const keys = this.byNotebook.get(event.notebook);
    if (!keys) {
      this.opened(event.notebook);
      return;
    }
    for (const change of event.contentChanges) {
      for (const cell of change.removedCells) {
        const key = cell.document.uri.toString();
        if (this.cells.get(key) === cell) this.cells.delete(key);
        keys.delete(key);
      }
      for (const cell of change.addedCells) {
        const key = cell.document.uri.toString();
        this.cells.set(key, cell);
        keys.add(key);
      }
    }
  }

  /** Forgets the cells of a notebook that closed. */
  closed(notebook: vscode.NotebookDocument): void {
    for (const key of this.byNotebook.get(notebook) ?? []) {
      if (this.cells.get(key)?.notebook === notebook) this.cells.delete(key);
    }
    this.byNotebook.delete(notebook);
  }

  /** The cell whose text document has this URI, if an open notebook holds it. */
  cell(uri: string): vscode.NotebookCell | undefined {
    const cell = this.cells.get(uri);
    return cell && !cell.notebook.isClosed ? cell : undefined;
  }

  /** How many cells are indexed (for tests and the debug log). */
  get size(): number {
    return this.cells.size;
  }
}

/**
 * VS Code's `languages.match(selector, document)` for the text document of a notebook cell whose
 * notebook is known (VS Code's `score` in languageSelector.ts, which first looks the notebook up
 * by scanning every open notebook's cells): 10 for an exact match, 5 for a `*` match, 0 for none.
 * Undefined when the selector uses something this does not evaluate (a glob pattern): the caller
 * then asks VS Code.
 */
export function scoreCell(selector: vscode.DocumentSelector, document: vscode.TextDocument, notebook: vscode.NotebookDocument): number | undefined {
  // (The same tests in the same order as VS Code's, falsy fields ignored as there.)
  if (Array.isArray(selector)) {
    let best = 0;
    for (const item of selector as readonly (vscode.DocumentFilter | string)[]) {
      const score = scoreCell(item, document, notebook);
      if (score === undefined) return undefined;
      best = Math.max(best, score);
    }
    return best;
  }
  if (typeof selector === 'string') return selector === document.languageId ? 10 : selector === '*' ? 5 : 0;
  const { language, scheme, pattern, notebookType } = selector as vscode.DocumentFilter;
  if (pattern) return undefined;
  // A filter that names a notebook type is matched against the notebook's URI, not the cell's.
  const uri = notebookType ? notebook.uri : document.uri;
  let score = 0;
  if (scheme) {
    if (scheme === uri.scheme) score = 10;
    else if (scheme === '*') score = 5;
    else return 0;
  }
  if (language) {
    if (language === document.languageId) score = 10;
    else if (language === '*') score = Math.max(score, 5);
    else return 0;
  }
  if (notebookType) {
    if (notebookType === notebook.notebookType) score = 10;
    else if (notebookType === '*') score = Math.max(score, 5);
    else return 0;
  }
  return score;
}

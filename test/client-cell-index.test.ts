import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { CellIndex, scoreCell } from '../client/src/cell-index';

// Plain objects shaped like VS Code's notebooks and cells: the index reads only URIs, cells and
// `isClosed`; scoreCell reads the language, the URIs' schemes and the notebook type.

function uri(value: string): vscode.Uri {
  const scheme = value.slice(0, value.indexOf(':'));
  return { scheme, toString: () => value } as unknown as vscode.Uri;
}

function notebook(path: string, cellCount: number, notebookType = 'jupyter-notebook') {
  const nb = { uri: uri(`file://${path}`), notebookType, isClosed: false, cells: [] as vscode.NotebookCell[] };
  const api = Object.assign(nb, { getCells: () => [...nb.cells] }) as unknown as vscode.NotebookDocument & { cells: vscode.NotebookCell[]; isClosed: boolean };
  for (let i = 0; i < cellCount; i++) api.cells.push(cell(api, `c${i}`));
  return api;
}

function cell(nb: vscode.NotebookDocument, id: string, languageId = 'python'): vscode.NotebookCell {
  const document = { uri: uri(`vscode-notebook-cell:${nb.uri.toString().slice('file://'.length)}#${id}`), languageId } as vscode.TextDocument;
  return { notebook: nb, document } as vscode.NotebookCell;
}

function change(nb: vscode.NotebookDocument, added: vscode.NotebookCell[], removed: vscode.NotebookCell[]): vscode.NotebookDocumentChangeEvent {
  return { notebook: nb, metadata: undefined, cellChanges: [], contentChanges: [{ range: undefined as never, addedCells: added, removedCells: removed }] };
}

test('CellIndex finds each open cell by its document URI, across notebooks', () => {
  const index = new CellIndex();
  const a = notebook('/w/a.ipynb', 2000);
  const b = notebook('/w/b.ipynb', 3);
  index.opened(a);
  index.opened(b);
  assert.equal(index.size, 2003);
  const last = a.cells[1999];
  assert.equal(index.cell(last.document.uri.toString()), last);
  assert.equal(index.cell(b.cells[1].document.uri.toString())?.notebook, b);
  assert.equal(index.cell('vscode-notebook-cell:/w/c.ipynb#c0'), undefined);
});

test('CellIndex follows cells added and removed, and forgets a closed notebook', () => {
  const index = new CellIndex();
  const a = notebook('/w/a.ipynb', 3);
  const b = notebook('/w/b.ipynb', 2);
  index.opened(a);
  index.opened(b);
  const added = cell(a, 'new');
  const removed = a.cells[0];
  a.cells.splice(0, 1, added);
  index.changed(change(a, [added], [removed]));
  assert.equal(index.cell(added.document.uri.toString()), added);
  assert.equal(index.cell(removed.document.uri.toString()), undefined);
  // A change of cells' text or outputs only (no content change) keeps the index as it is.
  index.changed({ notebook: a, metadata: undefined, cellChanges: [], contentChanges: [] });
  assert.equal(index.size, 5);
  a.isClosed = true;
  assert.equal(index.cell(added.document.uri.toString()), undefined, 'a closed notebook is never answered');
  index.closed(a);
  assert.equal(index.size, 2);
  assert.equal(index.cell(b.cells[0].document.uri.toString()), b.cells[0]);
});

test('CellIndex: a notebook seen first through a change event is indexed whole', () => {
  const index = new CellIndex();
  const a = notebook('/w/a.ipynb', 4);
  index.changed(change(a, [a.cells[3]], []));
  assert.equal(index.size, 4);
});

test("scoreCell answers as VS Code's languages.match does for a cell whose notebook is known", () => {
  const nb = notebook('/w/a.ipynb', 2);
  const python = nb.cells[0].document;
  const markdown = cell(nb, 'md', 'markdown').document;
  const interactive = notebook('/w/i.ipynb', 1, 'interactive');
  const clientSelector: vscode.DocumentSelector = [
    { scheme: 'file', language: 'python' },
    { scheme: 'untitled', language: 'python' },
    { notebookType: 'jupyter-notebook', language: 'python' },
    { notebookType: 'jupyter-notebook', language: 'markdown' },
    { notebookType: 'interactive', language: 'python' },
  ];
  assert.equal(scoreCell(clientSelector, python, nb), 10);
  assert.equal(scoreCell(clientSelector, markdown, nb), 10);
  assert.equal(scoreCell(clientSelector, cell(nb, 'r', 'r').document, nb), 0);
  assert.equal(scoreCell(clientSelector, markdown, interactive), 0, 'the Interactive Window: python cells only');
  // The server's notebook selector as the client converts it: a notebook type, every cell language.
  const serverSelector = [
    { notebookType: 'jupyter-notebook', scheme: undefined, pattern: undefined, language: undefined },
    { notebookType: 'interactive', scheme: undefined, pattern: undefined, language: undefined },
  ] as unknown as vscode.DocumentSelector;
  assert.equal(scoreCell(serverSelector, markdown, nb), 10);
  assert.equal(scoreCell(serverSelector, python, notebook('/w/x.ipynb', 1, 'other')), 0);
  // A file filter is matched against the cell's own URI (vscode-notebook-cell), a notebook filter's scheme against the notebook's.
  assert.equal(scoreCell({ scheme: 'file', language: 'python' }, python, nb), 0);
  assert.equal(scoreCell({ notebookType: 'jupyter-notebook', scheme: 'file' }, python, nb), 10);
  assert.equal(scoreCell({ notebookType: '*' }, python, nb), 5);
  assert.equal(scoreCell({ language: '*' }, python, nb), 5);
  assert.equal(scoreCell('python', python, nb), 10);
  assert.equal(scoreCell('*', python, nb), 5);
  assert.equal(scoreCell({}, python, nb), 0, 'an empty filter matches nothing');
  // A glob pattern is left to VS Code.
  assert.equal(scoreCell([{ notebookType: 'jupyter-notebook', pattern: '**/*.ipynb' }], python, nb), undefined);
});

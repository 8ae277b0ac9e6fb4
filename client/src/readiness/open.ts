import * as vscode from 'vscode';
import type { OpenTarget } from './tree-model';

/** A path from the report, resolved inside the workspace folder (never outside it). */
export function resolveInFolder(folder: vscode.Uri, relative: string): vscode.Uri | undefined {
  const uri = vscode.Uri.joinPath(folder, relative);
  const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  return uri.path === folder.path || uri.path.startsWith(base) ? uri : undefined;
}

/**
 * Opens evidence at its line. For a notebook cell: opens the notebook, selects and reveals the
 * cell (the report counts code cells from 0), and puts the cursor on the line in the cell's
 * editor. Anything that fails falls back to opening the file itself.
 */
export async function openTarget(folder: vscode.Uri, target: OpenTarget): Promise<void> {
  const uri = resolveInFolder(folder, target.path);
  if (!uri) {
    void vscode.window.showWarningMessage(`mlready: ${target.path} is outside the workspace folder.`);
    return;
  }
  const line = Math.max(0, target.line - 1);
  if (target.cell !== undefined && target.path.endsWith('.ipynb')) {
    try {
      await openNotebookCell(uri, target.cell, line);
      return;
    } catch {
      // fall through to the file
    }
  }
  try {
    const position = new vscode.Position(line, 0);
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), preview: true });
  } catch {
    await vscode.commands.executeCommand('vscode.open', uri);
  }
}

async function openNotebookCell(uri: vscode.Uri, codeCell: number, line: number): Promise<void> {
  const notebook = await vscode.workspace.openNotebookDocument(uri);
  const codeCells = notebook.getCells().filter((cell) => cell.kind === vscode.NotebookCellKind.Code);
  const cell = codeCells[codeCell];
  if (!cell) throw new Error(`no code cell ${codeCell}`);
  const range = new vscode.NotebookRange(cell.index, cell.index + 1);
  const editor = await vscode.window.showNotebookDocument(notebook, { selections: [range], preview: true });
  editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
  // The cell's text editor exists once the cell is rendered; place the cursor when it is there.
  const cellEditor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === cell.document.uri.toString());
  if (cellEditor) {
    const position = new vscode.Position(Math.min(line, cell.document.lineCount - 1), 0);
    cellEditor.selection = new vscode.Selection(position, position);
    cellEditor.revealRange(new vscode.Range(position, position));
  }
}

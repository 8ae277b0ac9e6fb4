import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import type { FixAllArguments, FixAllCommandResult } from '../../../server/src/protocol';

/**
 * "mlready: Fix All Auto-Fixable Problems" (`mlready.fixAll`, declared by the server): every safe
 * fix of the active script, or of the whole active notebook whatever its first cell is. The
 * server computes and applies the edit; this fills in the document when the palette gives none
 * and tells the user what happened.
 */
export const fixAllMiddleware: NonNullable<Middleware['executeCommand']> = async (command, args, next) => {
  const given = (args[0] ?? {}) as FixAllArguments;
  const uri = given.uri ?? activeDocument();
  if (!uri) {
    void vscode.window.showWarningMessage('mlready: open a Python file or a notebook to fix.');
    return undefined;
  }
  const result = (await next(command, [{ ...given, uri }])) as FixAllCommandResult | undefined;
  if (!result) void vscode.window.showErrorMessage('mlready: fixing all problems failed; see "mlready: Show Server Logs".');
  else if (!result.applied) void vscode.window.showErrorMessage(`mlready: ${result.message}`);
  else if (result.changed === 0) void vscode.window.showInformationMessage(`mlready: ${result.message}.`);
  return result;
};

/** The notebook in front, else the text editor's document. */
function activeDocument(): string | undefined {
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  const text = vscode.window.activeTextEditor?.document;
  // A notebook cell's editor is the active text editor too: the notebook is what to fix.
  if (notebook && (!text || text.uri.scheme === 'vscode-notebook-cell')) return notebook.uri.toString();
  return text?.uri.toString();
}

import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

/**
 * "Show documentation for <rule>" (a code action on each finding): opens the rule's page bundled
 * with the extension (dist/docs/rules/<rule>.md) in the Markdown preview, offline, rather than a
 * URL that may not exist for this version. The server declares the command (other editors get the
 * page's address from it); in VS Code this middleware answers it.
 */
export function showRuleDocumentationMiddleware(context: vscode.ExtensionContext): NonNullable<Middleware['executeCommand']> {
  return async (_command, args) => {
    const rule = String(args[0] ?? '');
    if (!/^[a-z0-9-]+$/.test(rule)) return undefined;
    const page = vscode.Uri.file(context.asAbsolutePath(`dist/docs/rules/${rule}.md`));
    try {
      await vscode.workspace.fs.stat(page);
    } catch {
      void vscode.window.showErrorMessage(`mlready: no bundled page for ${rule}.`);
      return undefined;
    }
    await vscode.commands.executeCommand('markdown.showPreview', page);
    return undefined;
  };
}

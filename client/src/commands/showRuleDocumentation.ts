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
    await showBundledRulePage(context, String(args[0] ?? ''));
    return undefined;
  };
}

/** Opens a rule's bundled page in the Markdown preview (the code action, and "Open the Rule" in the readiness view). */
export async function showBundledRulePage(context: vscode.ExtensionContext, rule: string): Promise<void> {
  if (!/^[a-z0-9-]+$/.test(rule)) return;
  const page = vscode.Uri.file(context.asAbsolutePath(`dist/docs/rules/${rule}.md`));
  try {
    await vscode.workspace.fs.stat(page);
  } catch {
    void vscode.window.showErrorMessage(`mlready: no bundled page for ${rule}.`);
    return;
  }
  await vscode.commands.executeCommand('markdown.showPreview', page);
}

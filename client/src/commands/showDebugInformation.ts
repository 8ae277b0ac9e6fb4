import * as vscode from 'vscode';
import type { Command } from '.';

/** mlready: Show Debug Information — what to paste into a bug report, in an untitled document. */
export const showDebugInformation: Command = {
  async run(client) {
    const extension = vscode.extensions.getExtension('mlready.mlready');
    const settings = vscode.workspace.getConfiguration('mlready');
    const language = client.languageClient;
    const server = language?.initializeResult?.serverInfo;
    const lines = [
      `mlready extension ${extension?.packageJSON?.version ?? '?'}`,
      `VS Code ${vscode.version} (${vscode.env.appHost}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'})`,
      `language server: ${server ? `${server.name} ${server.version ?? ''}` : 'not running'} (state ${language?.state ?? 'none'})`,
      `workspace trusted: ${vscode.workspace.isTrusted}`,
      `workspace folders: ${(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()).join(', ') || 'none'}`,
      '',
      'settings (mlready.*):',
      JSON.stringify(settings, null, 2),
    ];
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: lines.join('\n') });
    await vscode.window.showTextDocument(document, { preview: false });
  },
};

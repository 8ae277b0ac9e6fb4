import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol';

/** The language status item next to "Python" in the status bar: is mlready's server running? */
export class ServerStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;

  constructor(selector: vscode.DocumentSelector) {
    this.item = vscode.languages.createLanguageStatusItem('mlready.status', selector);
    this.item.name = 'mlready';
    this.item.command = { title: 'Show Output', command: 'mlready.showOutput' };
    this.starting();
  }

  starting(): void {
    this.set('$(loading~spin) mlready', 'starting the language server', vscode.LanguageStatusSeverity.Information, true);
  }

  update(status: StatusParams): void {
    switch (status.state) {
      case 'running':
        this.set('$(check) mlready', status.message, vscode.LanguageStatusSeverity.Information);
        break;
      case 'warning':
        this.set('$(warning) mlready', status.message, vscode.LanguageStatusSeverity.Warning);
        break;
      case 'error':
        this.set('$(error) mlready', status.message, vscode.LanguageStatusSeverity.Error);
        break;
    }
  }

  stopped(message: string): void {
    this.set('$(error) mlready', message, vscode.LanguageStatusSeverity.Error);
  }

  private set(text: string, detail: string, severity: vscode.LanguageStatusSeverity, busy = false): void {
    // Say why mlready may behave differently here than in a trusted copy of the same project, first:
    // the language status hover is one line and cuts what does not fit.
    const trusted = vscode.workspace.isTrusted;
    this.item.text = trusted ? text : `${text} (restricted)`;
    this.item.detail = trusted ? detail : `Restricted Mode: pyproject.toml and workspace settings are ignored. ${detail}`;
    this.item.severity = severity;
    this.item.busy = busy;
  }

  dispose(): void {
    this.item.dispose();
  }
}

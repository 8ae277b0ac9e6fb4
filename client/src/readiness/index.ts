import type * as vscode from 'vscode';
import type { MlreadyClient } from '../client';
import { ReadinessController } from './controller';

/** The readiness panel: the tree view, the status bar score, the report page and their commands. */
export function registerReadiness(context: vscode.ExtensionContext, client: MlreadyClient): vscode.Disposable {
  return new ReadinessController(context, client);
}

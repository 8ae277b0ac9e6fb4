import type * as vscode from 'vscode';
import type { MlreadyClient } from '../client';
import { ReadinessController } from './controller';

/** The readiness panel: the tree view, the status bar score and the report page (its commands are in the commands table). */
export function registerReadiness(context: vscode.ExtensionContext, client: MlreadyClient): ReadinessController {
  return new ReadinessController(context, client);
}

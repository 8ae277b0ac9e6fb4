import type * as vscode from 'vscode';
import { MlreadyClient } from './client';
import { registerCommands } from './commands';
import { registerReadiness } from './readiness';

let client: MlreadyClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  client = new MlreadyClient(context);
  context.subscriptions.push(client, ...registerCommands(client));
  context.subscriptions.push(registerReadiness(context, client));
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

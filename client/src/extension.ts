import type * as vscode from 'vscode';
import { MlreadyClient } from './client';
import { registerCommands } from './commands';
import { registerReadiness } from './readiness';

let client: MlreadyClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  client = new MlreadyClient(context);
  const readiness = registerReadiness(context, client);
  context.subscriptions.push(client, readiness, ...registerCommands({ client, readiness }));
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

import * as vscode from 'vscode';
import type { MlreadyClient } from '../client';
import { restartServer } from './restartServer';
import { showOutput } from './showOutput';

/** Every command the extension contributes; each lives in its own file. */
const COMMANDS = [restartServer, showOutput];

export interface Command {
  id: string;
  run(client: MlreadyClient): void | Promise<void>;
}

export function registerCommands(client: MlreadyClient): vscode.Disposable[] {
  return COMMANDS.map((command) => vscode.commands.registerCommand(command.id, () => command.run(client)));
}

import * as vscode from 'vscode';
import type { MlreadyClient } from '../client';
import { restartServer } from './restartServer';
import { showOutput } from './showOutput';
import { showDebugInformation } from './showDebugInformation';
import { generateScaffolds } from './generateScaffolds';

/**
 * The commands the extension registers itself, in one table (as rust-analyzer's `createCommands`);
 * each lives in its own file. The server declares the others (`executeCommandProvider`: the
 * scaffolds, `mlready.fixAll`, `mlready.showRuleDocumentation`); the language client registers
 * those, and the client's middleware (client.ts) adds the editor's side to them.
 */
const COMMANDS = [restartServer, showOutput, showDebugInformation, generateScaffolds];

export interface Command {
  id: string;
  run(client: MlreadyClient): void | Promise<void>;
}

export function registerCommands(client: MlreadyClient): vscode.Disposable[] {
  return COMMANDS.map((command) => vscode.commands.registerCommand(command.id, () => command.run(client)));
}

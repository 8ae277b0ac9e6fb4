import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { SCAFFOLD_COMMANDS } from '../../../server/src/protocol';
import type { MlreadyClient } from '../client';
import type { ReadinessController } from '../readiness/controller';
import type { ItemNode, ReadinessNode } from '../readiness/tree-model';
import { fixAllMiddleware } from './fixAll';
import { generateScaffolds } from './generateScaffolds';
import { restartServer } from './restartServer';
import { scaffoldMiddleware } from './scaffold';
import { showDebugInformation } from './showDebugInformation';
import { showOutput } from './showOutput';
import { showRuleDocumentationMiddleware } from './showRuleDocumentation';

/** A command the extension runs with the client alone, in its own file; its id is its key in `COMMANDS`. */
export interface Command {
  run(client: MlreadyClient): void | Promise<void>;
}

/** What a command's handler is given: the client's owner and the readiness panel. */
export interface CommandContext {
  client: MlreadyClient;
  readiness: ReadinessController;
}

type ExecuteCommand = NonNullable<Middleware['executeCommand']>;

/**
 * A command the extension registers and runs itself (`run`), or one the server declares in its
 * `executeCommandProvider` (`server`): the language client registers those, and `middleware`,
 * when given, is the editor's side (asking, showing the result) around the server's work.
 */
export type CommandSpec =
  // biome-ignore lint/suspicious/noExplicitAny: each handler names the arguments VS Code passes it (a tree node, nothing).
  { run: (context: CommandContext, ...args: any[]) => unknown } | { server: true; middleware?: (client: MlreadyClient) => ExecuteCommand };

/**
 * Every command of the extension, in one table (as rust-analyzer's `createCommands`): one entry
 * per id, each handler in its own file. `package.json` contributes exactly these ids, and the
 * `server` entries are exactly what the server declares (test/extension-manifest.test.ts).
 */
export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  'mlready.restartServer': { run: ({ client }) => restartServer.run(client) },
  'mlready.showOutput': { run: ({ client }) => showOutput.run(client) },
  'mlready.showDebugInformation': { run: ({ client }) => showDebugInformation.run(client) },
  'mlready.scaffold.generate': { run: ({ client }) => generateScaffolds.run(client) },
  'mlready.showReadinessReport': { run: ({ readiness }) => readiness.showReport() },
  'mlready.readiness.refresh': { run: ({ readiness }) => readiness.refresh(true) },
  'mlready.readiness.openEvidence': { run: ({ readiness }, node?: ReadinessNode) => readiness.openNode(node) },
  'mlready.readiness.scaffold': { run: ({ readiness }, node?: ItemNode) => readiness.scaffold(node?.itemId) },
  'mlready.readiness.openRule': { run: ({ readiness }, node?: ItemNode) => readiness.openRule(node?.itemId) },
  'mlready.readiness.attest': { run: ({ readiness }, node?: ItemNode) => readiness.attest(node?.itemId) },
  'mlready.fixAll': { server: true, middleware: () => fixAllMiddleware },
  'mlready.showRuleDocumentation': { server: true, middleware: (client) => showRuleDocumentationMiddleware(client.context) },
  ...Object.fromEntries(SCAFFOLD_COMMANDS.map((id) => [id, { server: true, middleware: scaffoldMiddleware } as const])),
};

/** Registers every command the extension runs itself, in one loop. */
export function registerCommands(context: CommandContext): vscode.Disposable[] {
  return Object.entries(COMMANDS).flatMap(([id, spec]) =>
    'run' in spec ? [vscode.commands.registerCommand(id, (...args: unknown[]) => spec.run(context, ...args))] : [],
  );
}

/** The language client's `executeCommand` middleware: each server command's editor side, from the table. */
export function serverCommandMiddleware(client: MlreadyClient): ExecuteCommand {
  const made = new Map<(client: MlreadyClient) => ExecuteCommand, ExecuteCommand>();
  const handlers = new Map<string, ExecuteCommand>();
  for (const [id, spec] of Object.entries(COMMANDS)) {
    if (!('server' in spec) || !spec.middleware) continue;
    // One middleware per factory: the scaffold commands share theirs.
    let handler = made.get(spec.middleware);
    if (!handler) made.set(spec.middleware, (handler = spec.middleware(client)));
    handlers.set(id, handler);
  }
  return (command, args, next) => (handlers.get(command) ?? ((_, given, forward) => forward(command, given)))(command, args, next);
}

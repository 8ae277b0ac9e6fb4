import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import {
  SCAFFOLD_COMMANDS,
  ScaffoldColumnsRequest,
  ScaffoldPlanRequest,
  type ScaffoldArguments,
  type ScaffoldCommandKind,
  type ScaffoldCommandResult,
  type ScaffoldPlanResult,
} from '../../../server/src/protocol';
import type { MlreadyClient } from '../client';
import { isIdColumn, SCAFFOLD_ANSWERS_KEY, type ScaffoldAnswers } from './generateScaffolds';

/**
 * The five scaffold commands (`mlready.scaffold.pipeline`, `.api`, `.fallback`, `.monitoring`,
 * `.ci`). The language server declares them (`executeCommandProvider`), so the language client
 * registers them; this middleware adds the editor's side before the server runs one: it asks for
 * what is missing (the CSV, the target column, the output folder), shows what will be created
 * and asks, asks separately before overwriting, shows progress, and reveals the new files.
 * Hooked into the client with `middleware: { executeCommand: scaffoldMiddleware(client) }`.
 */
export function scaffoldMiddleware(client: MlreadyClient): NonNullable<Middleware['executeCommand']> {
  return async (command, args, next) => {
    const kind = kindOf(command);
    if (!kind) return next(command, args);
    const given = (args[0] ?? {}) as ScaffoldArguments;
    const language = client.languageClient;
    if (!language) {
      void vscode.window.showErrorMessage('mlready: the language server is not running.');
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      void vscode.window.showErrorMessage('mlready: open a folder to generate code into.');
      return undefined;
    }
    const state = client.context.workspaceState;
    const remember: Remember = {
      get: () => state.get<ScaffoldAnswers>(SCAFFOLD_ANSWERS_KEY) ?? {},
      set: (answers) => state.update(SCAFFOLD_ANSWERS_KEY, { ...(state.get<ScaffoldAnswers>(SCAFFOLD_ANSWERS_KEY) ?? {}), ...answers }),
    };
    const filled = await askForMissing(kind, given, folder, language.sendRequest.bind(language), remember);
    if (!filled) return undefined;
    await remember.set({ data: filled.data ?? remember.get().data, target: filled.target ?? remember.get().target, out: filled.out ?? remember.get().out });

    let plan = (await language.sendRequest(ScaffoldPlanRequest, { kind, ...filled })) as ScaffoldPlanResult;
    if (plan.error) {
      void vscode.window.showErrorMessage(`mlready: ${plan.error}`);
      return undefined;
    }
    const where = vscode.workspace.asRelativePath(vscode.Uri.parse(plan.out), true) || folder.name;
    const listing = [...plan.create.map((f) => `+ ${f}`), ...plan.update.map((f) => `~ ${f} (new section)`), ...plan.conflicts.map((f) => `! ${f} (exists)`)];
    const steps = plan.steps
      ? `\n\nFrom ${path.basename(filled.from ?? '')}: ${plan.steps.fixed} fix(es) applied, ${plan.steps.lifted} path(s) lifted into config, ${plan.steps.marked.length} finding(s) marked for review.`
      : '';
    const create = await vscode.window.showInformationMessage(
      `Generate the ${kind} scaffold in ${where}? ${plan.create.length} file(s) will be created${plan.update.length ? `, ${plan.update.length} updated` : ''}.`,
      { modal: true, detail: listing.join('\n') + steps },
      'Create',
    );
    if (create !== 'Create') return undefined;
    let force = filled.force === true;
    if (plan.conflicts.length > 0 && !force) {
      const overwrite = await vscode.window.showWarningMessage(
        `${plan.conflicts.length} file(s) already exist in ${where}. Overwrite them?`,
        { modal: true, detail: plan.conflicts.join('\n') },
        'Overwrite',
      );
      if (overwrite !== 'Overwrite') return undefined;
      force = true;
      plan = (await language.sendRequest(ScaffoldPlanRequest, { kind, ...filled, force })) as ScaffoldPlanResult;
    }

    const result = (await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `mlready: generating the ${kind} scaffold…` },
      () => next(command, [{ ...filled, force }]),
    )) as ScaffoldCommandResult | undefined;
    if (!result || !result.applied) {
      void vscode.window.showErrorMessage(`mlready: ${result?.message ?? 'the scaffold was not generated'}`);
      return result;
    }
    await saveWritten(result.written);
    await reveal(result.written);
    void vscode.window.showInformationMessage(`mlready: ${result.message}`);
    return result;
  };
}

function kindOf(command: string): ScaffoldCommandKind | undefined {
  return SCAFFOLD_COMMANDS.includes(command) ? (command.slice('mlready.scaffold.'.length) as ScaffoldCommandKind) : undefined;
}

type Send = <P, R>(type: import('vscode-languageclient/node').RequestType<P, R, void>, params: P) => Promise<R>;

/** Asks for the CSV, the target column and the output folder when the command was not given them. */
/** The answers remembered for this workspace (see generateScaffolds.ts). */
interface Remember {
  get(): ScaffoldAnswers;
  set(answers: ScaffoldAnswers): Thenable<void>;
}

async function askForMissing(
  kind: ScaffoldCommandKind,
  given: ScaffoldArguments,
  folder: vscode.WorkspaceFolder,
  send: Send,
  remember?: Remember,
): Promise<ScaffoldArguments | undefined> {
  const args: ScaffoldArguments = { ...given };
  if (kind === 'ci') return { ...args, out: args.out ?? folder.uri.toString() };
  if (!args.data) {
    const picked = await vscode.window.showOpenDialog({
      title: `mlready: the training data for the ${kind} scaffold`,
      defaultUri: folder.uri,
      canSelectMany: false,
      filters: { 'CSV files': ['csv'] },
      openLabel: 'Use this data',
    });
    if (!picked?.[0]) return undefined;
    args.data = picked[0].toString();
  }
  if (!args.target) {
    const { columns, error } = await send(ScaffoldColumnsRequest, { data: args.data });
    if (error || columns.length === 0) {
      void vscode.window.showErrorMessage(`mlready: ${error ?? 'the data file has no columns'}`);
      return undefined;
    }
    // An identifier column is listed last and never offered first: it is never what to predict.
    const remembered = remember?.get().target;
    const ordered = [...columns].sort((a, b) => Number(isIdColumn(a.name)) - Number(isIdColumn(b.name)));
    const items = ordered.map((c) => ({ label: c.name, description: isIdColumn(c.name) ? `${c.type} · identifier` : c.type }));
    const quickPick = vscode.window.createQuickPick<(typeof items)[number]>();
    quickPick.title = 'mlready: the column to predict';
    quickPick.placeholder = 'Target column';
    quickPick.items = items;
    const preselected = items.find((item) => item.label === remembered && !isIdColumn(item.label));
    if (preselected) quickPick.activeItems = [preselected];
    const target = await new Promise<(typeof items)[number] | undefined>((resolve) => {
      quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0] ?? quickPick.activeItems[0]));
      quickPick.onDidHide(() => resolve(undefined));
      quickPick.show();
    });
    quickPick.dispose();
    if (!target) return undefined;
    args.target = target.label;
  }
  if (!args.out) {
    const choice = await vscode.window.showQuickPick(
      [
        { label: folder.name, description: 'the workspace folder (default)', uri: folder.uri },
        { label: 'Choose a folder…', description: '', uri: undefined },
      ],
      { title: 'mlready: where to generate the code' },
    );
    if (!choice) return undefined;
    let out = choice.uri;
    if (!out) {
      const picked = await vscode.window.showOpenDialog({
        defaultUri: folder.uri,
        canSelectFiles: false,
        canSelectFolders: true,
        canSelectMany: false,
        openLabel: 'Generate here',
      });
      if (!picked?.[0]) return undefined;
      out = picked[0];
    }
    args.out = out.toString();
  }
  return args;
}

/**
 * A workspace edit leaves the files it created open and unsaved in VS Code (empty on disk until
 * saved); the user asked for files, so they are saved right away.
 */
async function saveWritten(written: readonly string[]): Promise<void> {
  const wanted = new Set(written.map((w) => vscode.Uri.parse(w).toString()));
  const dirty = vscode.workspace.textDocuments.filter((doc) => wanted.has(doc.uri.toString()) && doc.isDirty);
  const results = await Promise.all(dirty.map((doc) => doc.save()));
  if (results.some((saved) => !saved)) void vscode.window.showWarningMessage('mlready: some generated files could not be saved; save them from their editors.');
}

/** Shows the first created file in the explorer and opens the most useful one. */
async function reveal(written: readonly string[]): Promise<void> {
  if (written.length === 0) return;
  const uris = written.map((w) => vscode.Uri.parse(w));
  const main = uris.find((u) => /\/(pipeline\/train|serving\/app|serving\/fallback|monitoring\/drift)\.py$|mlready\.yml$/.test(u.path)) ?? uris[0]!;
  await vscode.commands.executeCommand('revealInExplorer', main);
  await vscode.window.showTextDocument(main, { preview: false });
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import {
  SCAFFOLD_COMMANDS,
  ScaffoldColumnsRequest,
  ScaffoldPlanRequest,
  ScaffoldSourceRequest,
  type ScaffoldArguments,
  type ScaffoldCommandKind,
  type ScaffoldCommandResult,
  type ScaffoldPlanResult,
  type ScaffoldSourceResult,
} from '../../../server/src/protocol';
import type { MlreadyClient } from '../client';
import { isIdColumn, SCAFFOLD_ANSWERS_KEY, type ScaffoldAnswers } from './generateScaffolds';

/**
 * The scaffold commands (`mlready.scaffold.pipeline`, `.api`, `.fallback`, `.monitoring`, `.ci`,
 * ...). The language server declares them (`executeCommandProvider`), so the language client
 * registers them; this middleware adds the editor's side before the server runs one: it asks for
 * what is missing (the CSV, proposing first the one the notebook or script reads; the target
 * column; the output folder), shows what will be created and asks, shows a diff for every file
 * that exists and asks what to do with each (overwrite, keep mine, write beside as `.new`),
 * shows progress, and opens the scaffold's main file only.
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

    const force = filled.force === true;
    const plan = (await language.sendRequest(ScaffoldPlanRequest, { kind, ...filled, preview: !force })) as ScaffoldPlanResult;
    if (plan.error) {
      void vscode.window.showErrorMessage(`mlready: ${plan.error}`);
      return undefined;
    }
    const where = vscode.workspace.asRelativePath(vscode.Uri.parse(plan.out), true) || folder.name;
    const listing = [
      ...plan.create.map((f) => `+ ${f}`),
      ...plan.update.map((f) => `~ ${f} (new section)`),
      ...plan.conflicts.map((f) => `! ${f} (exists: you will see the difference and choose)`),
    ];
    const steps = plan.steps
      ? `\n\nFrom ${path.basename(filled.from ?? '')}: ${plan.steps.fixed} fix(es) applied, ${plan.steps.lifted} path(s) lifted into config, ${plan.steps.marked.length} finding(s) marked for review.`
      : '';
    const create = await vscode.window.showInformationMessage(
      `Generate the ${kind} scaffold in ${where}? ${plan.create.length} file(s) will be created${plan.update.length ? `, ${plan.update.length} updated` : ''}${
        plan.conflicts.length ? `; ${plan.conflicts.length} already exist` : ''
      }.`,
      { modal: true, detail: listing.join('\n') + steps },
      'Create',
    );
    if (create !== 'Create') return undefined;
    // Every file that exists: its diff, and the user's choice. Nothing is overwritten without one.
    const choices = force || plan.conflicts.length === 0 ? {} : await reviewConflicts(plan, client.context);
    if (!choices) return undefined;

    const openBefore = new Set(textTabs().map((tab) => tab.input.uri.toString()));
    const result = (await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `mlready: generating the ${kind} scaffold…` },
      () => next(command, [{ ...filled, force, ...choices }]),
    )) as ScaffoldCommandResult | undefined;
    if (!result || !result.applied) {
      void vscode.window.showErrorMessage(`mlready: ${result?.message ?? 'the scaffold was not generated'}`);
      return result;
    }
    await saveWritten(result.written);
    // VS Code opens an editor for every file a workspace edit creates: those go, the main file is opened.
    await closeOpened(result.written, openBefore);
    if (batches === 0) await openMain(result);
    void vscode.window.showInformationMessage(`mlready: ${result.message}`);
    return result;
  };
}

/** While above 0, scaffolds run one after another (Generate Production Scaffolds…): the batch opens one main file at the end. */
let batches = 0;

/** Runs `run` as a batch of scaffolds: no scaffold opens its main file meanwhile. */
export async function inBatch<T>(run: () => Promise<T>): Promise<T> {
  batches++;
  try {
    return await run();
  } finally {
    batches--;
  }
}

/**
 * Opens the scaffold's main file (pipeline/train.py, serving/app.py, ...) and reveals it in the
 * explorer; the other generated files stay closed. Falls back to the first file written; a file
 * that went meanwhile is not opened.
 */
export async function openMain(result: ScaffoldCommandResult): Promise<void> {
  const main = result.main ? vscode.Uri.joinPath(vscode.Uri.parse(result.out), result.main) : undefined;
  const written = result.written.map((w) => vscode.Uri.parse(w));
  let target = main && written.some((u) => u.toString() === main.toString()) ? main : undefined;
  if (!target && main) target = (await exists(main)) ? main : undefined;
  target ??= written[0];
  if (!target) return;
  try {
    await vscode.commands.executeCommand('revealInExplorer', target);
    await vscode.window.showTextDocument(target, { preview: false });
  } catch {
    // The file went meanwhile (deleted or moved): what was written is in the message that follows,
    // and the editor's own error ("Unable to resolve nonexistent file") would only block the window.
  }
}

/** The open editor tabs that show a text file. */
function textTabs(): Array<vscode.Tab & { input: vscode.TabInputText }> {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab): tab is vscode.Tab & { input: vscode.TabInputText } => tab.input instanceof vscode.TabInputText);
}

/** Closes the (saved) editors of written files that were not open before the scaffold ran. */
async function closeOpened(written: readonly string[], openBefore: ReadonlySet<string>): Promise<void> {
  const wanted = new Set(written.map((w) => vscode.Uri.parse(w).toString()));
  const tabs = textTabs().filter((tab) => !tab.isDirty && wanted.has(tab.input.uri.toString()) && !openBefore.has(tab.input.uri.toString()));
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The scheme of the generated files shown in the diff editor (read-only, in memory). */
const PREVIEW_SCHEME = 'mlready-scaffold';
const previews = new Map<string, string>();
let previewProvider: vscode.Disposable | undefined;

function registerPreviews(context: vscode.ExtensionContext): void {
  if (previewProvider) return;
  previewProvider = vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, {
    provideTextDocumentContent: (uri) => previews.get(uri.toString()) ?? '',
  });
  context.subscriptions.push(previewProvider, { dispose: () => (previewProvider = undefined) });
}

type Choice = 'overwrite' | 'keep' | 'beside';

/**
 * For each existing file: the diff editor (the file as it is on the left, the generated one on
 * the right) and a choice: keep mine (the default), overwrite, or write beside as `<path>.new`.
 * Undefined when the user cancels (Escape): then nothing is written.
 */
async function reviewConflicts(plan: ScaffoldPlanResult, context: vscode.ExtensionContext): Promise<Pick<ScaffoldArguments, Choice> | undefined> {
  registerPreviews(context);
  const out = vscode.Uri.parse(plan.out);
  const chosen: Record<Choice, string[]> = { overwrite: [], keep: [], beside: [] };
  const opened: vscode.Uri[] = [];
  try {
    for (const [i, file] of plan.conflicts.entries()) {
      const generated = plan.previews?.find((p) => p.path === file);
      const mine = vscode.Uri.joinPath(out, file);
      if (generated) {
        const right = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${file}`, query: `${Date.now()}-${i}` });
        previews.set(right.toString(), generated.content);
        opened.push(right);
        await vscode.commands.executeCommand('vscode.diff', mine, right, `${file}: yours ↔ generated by mlready`, { preview: true });
      }
      const items: Array<vscode.QuickPickItem & { choice: Choice }> = [
        { label: 'Keep mine', description: 'leave the file as it is', choice: 'keep' },
        { label: 'Overwrite', description: 'replace it with the generated file', choice: 'overwrite' },
        { label: `Write beside as ${path.posix.basename(file)}.new`, description: 'keep yours and add the generated one next to it', choice: 'beside' },
      ];
      const picked = await vscode.window.showQuickPick(items, {
        title: `mlready: ${file} exists (${i + 1} of ${plan.conflicts.length})`,
        placeHolder: generated ? 'The diff shows your file (left) and the generated one (right). What to do with it?' : 'What to do with it?',
        ignoreFocusOut: true,
      });
      if (!picked) return undefined;
      chosen[picked.choice].push(file);
    }
    return chosen;
  } finally {
    await closePreviews(opened);
  }
}

/** Closes the diff editors of the review and forgets their text. */
async function closePreviews(uris: readonly vscode.Uri[]): Promise<void> {
  const wanted = new Set(uris.map((u) => u.toString()));
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && wanted.has(tab.input.modified.toString()));
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
  for (const uri of wanted) previews.delete(uri);
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
  // The notebook or script the pipeline comes from names its data file and target: proposed first.
  const source = args.from && (!args.data || !args.target) ? await send(ScaffoldSourceRequest, { from: args.from }) : undefined;
  if (!args.data) {
    const data = await chooseData(kind, folder, source && { ...source, from: args.from });
    if (!data) return undefined;
    args.data = data;
  }
  if (!args.target) {
    const { columns, error } = await send(ScaffoldColumnsRequest, { data: args.data });
    if (error || columns.length === 0) {
      void vscode.window.showErrorMessage(`mlready: ${error ?? 'the data file has no columns'}`);
      return undefined;
    }
    // An identifier column is listed last and never offered first: it is never what to predict.
    const remembered = source?.target ?? remember?.get().target;
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
 * The training data: the file the notebook or script reads is proposed first (the server
 * proposes it only when it is a regular file inside the workspace); otherwise, or when the user
 * wants another, a file dialog. Returns the data file's URI.
 */
export async function chooseData(
  kind: ScaffoldCommandKind,
  folder: vscode.WorkspaceFolder,
  source?: ScaffoldSourceResult & { from?: string },
): Promise<string | undefined> {
  if (source?.data) {
    const proposed = vscode.Uri.parse(source.data);
    const items = [
      {
        label: vscode.workspace.asRelativePath(proposed, false),
        description: `read by ${source.from ? path.basename(vscode.Uri.parse(source.from).fsPath) : 'the notebook'}`,
        uri: proposed as vscode.Uri | undefined,
      },
      { label: 'Choose another file…', description: '', uri: undefined },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: `mlready: the training data for the ${kind} scaffold`, ignoreFocusOut: true });
    if (!picked) return undefined;
    if (picked.uri) return picked.uri.toString();
  }
  const picked = await vscode.window.showOpenDialog({
    title: `mlready: the training data for the ${kind} scaffold`,
    defaultUri: folder.uri,
    canSelectMany: false,
    filters: { 'CSV files': ['csv'] },
    openLabel: 'Use this data',
  });
  return picked?.[0]?.toString();
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

import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CreateFile,
  TextDocumentEdit,
  TextEdit,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type InitializeParams,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { generateScaffoldWithReport, MAIN_FILES, planScaffold, profileCsvFile, proposeFromSource, ScaffoldError, type ScaffoldPlan } from '../engine/index';
import { LineIndex, readRegularFile, MAX_EXISTING_BYTES, isInside, realRoot, realPathOrIntended } from '../engine/index';
import {
  SCAFFOLD_COMMANDS,
  SCAFFOLD_KINDS,
  type ScaffoldArguments,
  type ScaffoldColumnsResult,
  type ScaffoldCommandKind,
  type ScaffoldCommandResult,
  type ScaffoldPlanResult,
  type ScaffoldSourceResult,
} from '../protocol';
import type { DocumentStore } from './documents';
import type { Log } from './log';

/** The kind of the "Generate a training pipeline from this notebook" action. */
export const SCAFFOLD_ACTION_KIND = `${CodeActionKind.Refactor}.mlready.scaffold`;

/**
 * The scaffolds over LSP: `workspace/executeCommand` for `mlready.scaffold.<kind>` generates the
 * files and creates them with one `workspace/applyEdit` (CreateFile that fails on an existing
 * file, then the text), refusing to overwrite unless `force`; `mlready/scaffoldPlan` previews;
 * `mlready/scaffoldColumns` lists a CSV's columns; and a code action offers the pipeline on a
 * notebook or script that trains a model.
 */
export class ScaffoldService {
  private root: string | undefined;
  private resourceCreate = false;
  private documentChanges = false;

  constructor(
    private readonly connection: Connection,
    private readonly log: Log,
    /** The readiness score of a folder (undefined: the workspace's), from the readiness service's scan process. */
    private readonly readinessScore: (folder: string | undefined) => Promise<number | undefined>,
  ) {}

  initialize(params: InitializeParams): void {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? (params.rootPath ? pathToFileURL(params.rootPath).href : undefined);
    this.root = folder?.startsWith('file:') ? fileURLToPath(folder) : undefined;
    const edit = params.capabilities.workspace?.workspaceEdit;
    this.documentChanges = edit?.documentChanges === true;
    this.resourceCreate = edit?.resourceOperations?.includes('create') === true;
  }

  /** The `executeCommandProvider` capability. */
  get commands(): string[] {
    return [...SCAFFOLD_COMMANDS];
  }

  private resolve(value: string | undefined): string | undefined {
    if (!value) return undefined;
    const file = value.startsWith('file:') ? fileURLToPath(value) : value;
    return path.resolve(this.root ?? process.cwd(), file);
  }

  async columns(data: string): Promise<ScaffoldColumnsResult> {
    const file = this.resolve(data);
    try {
      if (!file) throw new Error('no data file given');
      return { columns: profileCsvFile(file).columns.map((c) => ({ name: c.name, type: c.type })) };
    } catch (error) {
      return { columns: [], error: `${data}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** The data file and target a notebook or script names; the file only when it is a regular file inside the workspace. */
  async source(from: string): Promise<ScaffoldSourceResult> {
    const file = this.resolve(from);
    try {
      if (!file) throw new ScaffoldError('no notebook or script given');
      const proposal = await proposeFromSource(file, this.root ?? path.dirname(file));
      return { ...proposal, data: proposal.data ? pathToFileURL(proposal.data).href : undefined };
    } catch (error) {
      if (!(error instanceof ScaffoldError)) throw error;
      return { error: error.message };
    }
  }

  async plan(
    kind: ScaffoldCommandKind,
    args: ScaffoldArguments & { preview?: boolean },
  ): Promise<{ result: ScaffoldPlanResult; plan?: ScaffoldPlan; outDir: string }> {
    const outDir = this.resolve(args.out) ?? this.root ?? process.cwd();
    const out = pathToFileURL(outDir).href;
    // Nothing is written outside the workspace (links in the way resolved).
    if (this.root && !isInside(realRoot(this.root), realPathOrIntended(outDir))) {
      return { outDir, result: { out, create: [], update: [], conflicts: [], unchanged: [], error: `the output folder ${outDir} is outside the workspace` } };
    }
    try {
      const generated = await generateScaffoldWithReport(kind, {
        data: this.resolve(args.data),
        target: args.target,
        from: this.resolve(args.from),
        model: this.resolve(args.model),
        out: outDir,
        cwd: this.root ?? process.cwd(),
        // A data path the notebook names is read only inside the workspace (or, without one, the notebook's folder).
        root: this.root ?? (args.from ? path.dirname(this.resolve(args.from)!) : undefined),
        // The CI workflow's readiness ratchet: the score the folder has now (the CLI measures it
        // after writing; an edit is applied by the editor, so here it is measured before). Scanned
        // in the readiness service's process, never in the server's (a large workspace held it for
        // seconds, its files parsed by the server's parser with no per-file budget); the
        // workspace's own report is reused when it is current.
        readinessFloor: kind === 'ci' ? await this.readinessScore(outDir === this.root ? undefined : pathToFileURL(outDir).href) : undefined,
      });
      const choices = { overwrite: args.overwrite, keep: args.keep, beside: args.beside };
      const plan = planScaffold(generated.files, outDir, { force: args.force === true, choices });
      const steps = generated.steps ? { fixed: generated.steps.fixed, lifted: generated.steps.paths.length, marked: generated.steps.marked } : undefined;
      // What overwriting each conflict would write, for the editor's diff (a README gets its sections replaced).
      const previews = args.preview
        ? planScaffold(generated.files, outDir, { choices: { ...choices, overwrite: [...(args.overwrite ?? []), ...plan.conflicts] } }).update.filter((e) =>
            plan.conflicts.includes(e.path),
          )
        : undefined;
      return {
        outDir,
        plan,
        result: {
          out,
          create: plan.create.map((e) => e.path),
          update: plan.update.map((e) => e.path),
          conflicts: plan.conflicts,
          unchanged: plan.unchanged,
          steps,
          main: MAIN_FILES[kind],
          ...(previews ? { previews } : {}),
        },
      };
    } catch (error) {
      if (!(error instanceof ScaffoldError)) throw error;
      return { outDir, result: { out, create: [], update: [], conflicts: [], unchanged: [], error: error.message } };
    }
  }

  async execute(kind: ScaffoldCommandKind, args: ScaffoldArguments): Promise<ScaffoldCommandResult> {
    const { result, plan, outDir } = await this.plan(kind, args);
    if (!plan || result.error) return { ...result, written: [], applied: false, message: result.error ?? 'nothing to generate' };
    if (plan.conflicts.length > 0) {
      return {
        ...result,
        written: [],
        applied: false,
        message: `refusing to overwrite ${plan.conflicts.length} existing file(s) (answer each with overwrite, keep or beside, or pass force): ${plan.conflicts.join(', ')}`,
      };
    }
    const entries = [...plan.create.map((e) => ({ ...e, exists: false })), ...plan.update.map((e) => ({ ...e, exists: true }))];
    const written = entries.map((e) => pathToFileURL(path.join(outDir, e.path)).href);
    if (entries.length === 0) return { ...result, written: [], applied: true, message: 'every file is already up to date' };
    if (!this.documentChanges || !this.resourceCreate) {
      return {
        ...result,
        written: [],
        applied: false,
        message: 'this editor cannot create files through a workspace edit; run `mlready scaffold` in a terminal instead',
      };
    }
    const edit = scaffoldEdit(
      entries.map((e, i) => ({ uri: written[i]!, content: e.content, existing: e.exists ? readText(path.join(outDir, e.path)) : undefined })),
    );
    const response = await this.connection.workspace.applyEdit({ label: `mlready: scaffold ${kind}`, edit });
    if (!response.applied) {
      return {
        ...result,
        written: [],
        applied: false,
        edit,
        message: `the editor did not apply the edit${response.failureReason ? `: ${response.failureReason}` : ''}`,
      };
    }
    const message = `${result.create.length} file(s) created, ${result.update.length} updated in ${outDir}`;
    this.log.info(`scaffold ${kind}: ${message}`);
    return { ...result, written, applied: true, edit, message };
  }

  /** "Generate a training pipeline from this notebook" on a file saved on disk that trains a model. */
  codeActions(params: CodeActionParams, store: DocumentStore): CodeAction[] {
    const only = params.context.only;
    if (only && !only.some((kind) => SCAFFOLD_ACTION_KIND === kind || SCAFFOLD_ACTION_KIND.startsWith(`${kind}.`))) return [];
    const key = store.keyOf(params.textDocument.uri);
    const target = key ? store.target(key) : undefined;
    if (!target || !target.uri.startsWith('file:')) return [];
    // Only where it applies: on the training call (the untracked-training finding sits on it), or
    // when the user asks for refactorings (the Refactor… menu), never on every line's light bulb.
    const onTrainingCall = params.context.diagnostics.some((d) => d.source === 'mlready' && d.code === 'untracked-training');
    const askedForRefactorings =
      only?.some((kind) => kind === CodeActionKind.Refactor || SCAFFOLD_ACTION_KIND.startsWith(`${kind}.`) || kind === SCAFFOLD_ACTION_KIND) === true;
    if (!onTrainingCall && !askedForRefactorings) return [];
    const what = target.kind === 'notebook' ? 'notebook' : 'script';
    const args: ScaffoldArguments = { from: target.uri };
    return [
      {
        title: `Generate a training pipeline from this ${what}`,
        kind: SCAFFOLD_ACTION_KIND,
        command: { title: `Generate a training pipeline from this ${what}`, command: 'mlready.scaffold.pipeline', arguments: [args] },
      },
    ];
  }
}

export function kindOf(command: string): ScaffoldCommandKind | undefined {
  const kind = command.startsWith('mlready.scaffold.') ? command.slice('mlready.scaffold.'.length) : '';
  return (SCAFFOLD_KINDS as readonly string[]).includes(kind) ? (kind as ScaffoldCommandKind) : undefined;
}

function readText(file: string): string {
  return readRegularFile(file, MAX_EXISTING_BYTES, { noFollow: true }).bytes.toString('utf8');
}

/**
 * One edit for every file: a new file is created (failing if it exists meanwhile) and its text
 * inserted; an updated file (a README section, or `force`) has its whole text replaced.
 */
export function scaffoldEdit(files: ReadonlyArray<{ uri: string; content: string; existing?: string }>): WorkspaceEdit {
  const documentChanges: WorkspaceEdit['documentChanges'] = [];
  for (const file of files) {
    if (file.existing === undefined) {
      documentChanges.push(CreateFile.create(file.uri, { overwrite: false, ignoreIfExists: false }));
      documentChanges.push(TextDocumentEdit.create({ uri: file.uri, version: null }, [TextEdit.insert({ line: 0, character: 0 }, file.content)]));
    } else {
      const lines = new LineIndex(file.existing);
      const last = lines.lineCount - 1;
      const end = { line: last, character: file.existing.length - lines.lineStart(last) };
      documentChanges.push(
        TextDocumentEdit.create({ uri: file.uri, version: null }, [TextEdit.replace({ start: { line: 0, character: 0 }, end }, file.content)]),
      );
    }
  }
  return { documentChanges };
}

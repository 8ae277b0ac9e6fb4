// Custom requests and notifications shared by the language server and the VS Code client.
// Declared once, typed; both sides import this file (the bundler inlines it into each).
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { ReadinessReport } from './engine/index';

/** The report types the client reads: it imports them from here, never from engine paths. */
export type { ReadinessReport, ReadinessItem, ReadinessCategory, ItemStatus, Evidence } from './engine/index';
/** What the client runs of the engine's own code: redaction of its logs, and the checked file reads and writes of an attestation. */
export { describeFsError, gitUser, MAX_CONFIG_BYTES, readRegularFile, redact, writeFileInside } from './engine/index';

/** The language server's name, shown in the output channel and the status item. */
export const SERVER_NAME = 'mlready';

/**
 * Node options the server is started with: a young generation of 8 MB per semi-space, room for
 * the 3 MB an edit's analysis allocates. The server empties it after each publish
 * (`collectYoungGeneration`), so no collection runs between a keystroke and its diagnostics:
 * through the server, edit p95 13.2-13.8 ms against 19.1-21.6 with 2 MB and no collection after
 * publishing, peak RSS 206-216 MB against 189-196 (`bench/run.ts --only server`, docs/performance.md).
 * (The server turns V8's pretenuring off itself, `stopPretenuring`: a flag V8 reads at run time,
 * so every way of starting the server gets it; the young generation's size is fixed at start-up.)
 */
export const SERVER_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=8'];

/** Code action kinds the server offers beyond `quickfix`. */
export const FIX_ALL_KIND = 'source.fixAll.mlready';
export const NOTEBOOK_FIX_ALL_KIND = 'notebook.source.fixAll.mlready';

/** What the client passes at start-up (`initializationOptions`). */
export interface InitializationOptions {
  /**
   * False in an untrusted workspace: the server then ignores configuration read from the
   * workspace (`pyproject.toml`) that could change its behaviour. Absent means trusted
   * (editors other than VS Code have no notion of workspace trust).
   */
  trusted?: boolean;
  /**
   * True from mlready's VS Code client, which shows the outcome of the server's commands itself.
   * Other editors leave it out, and the server then tells the user of a command that failed with
   * `window/showMessage` (a scaffold without its data file, a client that cannot create files).
   */
  showsCommandResults?: boolean;
}

export type ServerState = 'running' | 'warning' | 'error';

export interface StatusParams {
  state: ServerState;
  /** One line for the status item, e.g. "mlready: rule data-leakage failed on churn.ipynb". */
  message: string;
}

/** Server → client: the server's health changed (engine loaded, a rule failed, the engine could not load). */
export const StatusNotification = new NotificationType<StatusParams>('mlready/status');

export interface ReadinessParams {
  /** The workspace folder's URI; default: the server's first workspace folder (or rootUri). */
  folder?: string;
  /** Recompute now instead of answering from the cache. */
  refresh?: boolean;
}

/** The readiness report of one workspace folder (see server/src/engine/readiness/types.ts), with that folder's URI. */
export interface WorkspaceReadinessReport extends ReadinessReport {
  folder: string;
}

/** Client → server: the folder's readiness report (cached; computed in the background); null without a folder; an error that says why when it could not be computed. */
export const ReadinessRequest = new RequestType<ReadinessParams, WorkspaceReadinessReport | null, void>('mlready/readiness');

export interface ReadinessChangedParams {
  folder: string;
  score: number;
  band: string;
}

/** Server → client: a fresh readiness report is ready (files changed); ask for it with ReadinessRequest. */
export const ReadinessChangedNotification = new NotificationType<ReadinessChangedParams>('mlready/readinessChanged');

// Scaffolds (see docs/scaffolds.md). The five `workspace/executeCommand` commands take one
// ScaffoldArguments object and answer a ScaffoldCommandResult; the requests below let the client
// preview a scaffold before running it.

export const SCAFFOLD_KINDS = ['pipeline', 'api', 'fallback', 'monitoring', 'ci', 'dvc', 'model-card', 'decision'] as const;
export type ScaffoldCommandKind = (typeof SCAFFOLD_KINDS)[number];
/** `mlready.scaffold.pipeline`, `.api`, `.fallback`, `.monitoring`, `.ci`, `.dvc`, `.model-card`, `.decision`. */
export const SCAFFOLD_COMMANDS = SCAFFOLD_KINDS.map((kind) => `mlready.scaffold.${kind}`);

/** Paths are file paths or `file:` URIs; relative paths are relative to the workspace folder. */
export interface ScaffoldArguments {
  data?: string;
  target?: string;
  /** The notebook or script whose steps the pipeline carries over. */
  from?: string;
  model?: string;
  /** Output folder; default: the workspace folder. */
  out?: string;
  /** Overwrite existing files. */
  force?: boolean;
  /**
   * The user's answer for each existing file (paths relative to `out`, as `conflicts` lists them):
   * overwrite it, keep it, or write the generated file beside it as `<path>.new`. An existing file
   * with no answer is refused (unless `force`).
   */
  overwrite?: string[];
  keep?: string[];
  beside?: string[];
}

export interface ScaffoldPlanResult {
  /** The output folder's URI. */
  out: string;
  /** Paths relative to `out`. */
  create: string[];
  update: string[];
  /** Existing files that would be overwritten (empty with `force`). */
  conflicts: string[];
  unchanged: string[];
  /** With `from`: fixes applied, paths lifted and findings marked in pipeline/steps.py. */
  steps?: { fixed: number; lifted: number; marked: string[] };
  /** Why nothing can be generated (a missing option, an unreadable data file). */
  error?: string;
  /** The scaffold's main file (`pipeline/train.py`, `serving/app.py`, ...), relative to `out`. */
  main?: string;
  /** With `preview`: for each conflict, the text the generated file would have (what overwriting writes). */
  previews?: Array<{ path: string; content: string }>;
}

export interface ScaffoldCommandResult extends ScaffoldPlanResult {
  /** URIs of the files created or updated. */
  written: string[];
  /** Whether the edit was applied (false on a refusal, an error, or a client that declined it). */
  applied: boolean;
  /** The edit sent with `workspace/applyEdit` (absent when nothing was written). */
  edit?: unknown;
  message: string;
}

/** Client → server: what a scaffold would create, update or overwrite, writing nothing; `preview` adds the conflicts' generated text. */
export const ScaffoldPlanRequest = new RequestType<ScaffoldArguments & { kind: ScaffoldCommandKind; preview?: boolean }, ScaffoldPlanResult, void>(
  'mlready/scaffoldPlan',
);

export interface ScaffoldSourceResult {
  /** The `file:` URI of the data file the notebook or script reads: only a regular file inside the workspace. */
  data?: string;
  /** The path as the source wrote it. */
  named?: string;
  /** Why the path it reads is not proposed (outside the workspace, missing, a URL). */
  reason?: string;
  /** The column it predicts. */
  target?: string;
  /** Why the source could not be read. */
  error?: string;
}

/** Client → server: the data file and target column a notebook or script (`from`) names, to propose them first. */
export const ScaffoldSourceRequest = new RequestType<{ from: string }, ScaffoldSourceResult, void>('mlready/scaffoldSource');

export interface ScaffoldColumnsResult {
  columns: Array<{ name: string; type: string }>;
  error?: string;
}

/** Client → server: the columns of a CSV file (for picking the target column). */
export const ScaffoldColumnsRequest = new RequestType<{ data: string }, ScaffoldColumnsResult, void>('mlready/scaffoldColumns');

/**
 * `workspace/executeCommand` `mlready.fixAll` with `[{ uri }]`: applies every safe fix of the
 * script or the whole notebook `uri` names (a notebook's URI or any of its cells') with one
 * `workspace/applyEdit`. VS Code's client fills `uri` from the active editor when it is left out.
 */
export const FIX_ALL_COMMAND = 'mlready.fixAll';

export interface FixAllArguments {
  uri?: string;
}

export interface FixAllCommandResult {
  applied: boolean;
  /** Documents (scripts or cells) the edit changed. */
  changed: number;
  message: string;
}

/**
 * `mlready.showRuleDocumentation` with `[ruleName]`: the "Show documentation for <rule>" code
 * action. VS Code's client opens the page bundled with the extension; in other editors the
 * server asks the client to show the rule's page (`window/showDocument`).
 */
export const SHOW_RULE_DOCUMENTATION_COMMAND = 'mlready.showRuleDocumentation';

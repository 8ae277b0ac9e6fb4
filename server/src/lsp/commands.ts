import { MessageType, ShowMessageNotification, type Connection, type ExecuteCommandParams, type InitializeParams } from 'vscode-languageserver/node';
import {
  FIX_ALL_COMMAND,
  SCAFFOLD_COMMANDS,
  SHOW_RULE_DOCUMENTATION_COMMAND,
  type FixAllArguments,
  type FixAllCommandResult,
  type InitializationOptions,
  type ScaffoldArguments,
} from '../protocol';
import { findRule, redact } from '../engine';
import { rulePageUri } from './rule-pages';
import type { CodeActionDeps } from './code-actions';
import { fixAllDocument, workspaceEdit } from './code-actions';
import type { Log } from './log';
import { kindOf, type ScaffoldService } from './scaffold';

/** Every `workspace/executeCommand` command the server runs (its `executeCommandProvider`): the scaffolds, fix-all, a rule's page. */
export const SERVER_COMMANDS: readonly string[] = [...SCAFFOLD_COMMANDS, FIX_ALL_COMMAND, SHOW_RULE_DOCUMENTATION_COMMAND];

/** What every server command answers: whether it did its job, and a sentence for the user. */
interface Outcome {
  applied: boolean;
  message: string;
}

/**
 * The server's `workspace/executeCommand` commands, in one table: the five scaffolds and
 * `mlready.fixAll`. A command that fails is answered with its result and, in editors other than
 * VS Code (whose mlready client shows results itself), told to the user with
 * `window/showMessage`: a failure is never silent.
 */
export class CommandService {
  private showsResults = false;
  private showDocument = false;

  constructor(
    private readonly connection: Connection,
    private readonly log: Log,
    private readonly scaffold: ScaffoldService,
    private readonly fixAllDeps: () => CodeActionDeps | undefined,
  ) {}

  initialize(params: InitializeParams): void {
    this.showDocument = params.capabilities.window?.showDocument?.support === true;
    this.showsResults = (params.initializationOptions as InitializationOptions | undefined)?.showsCommandResults === true;
  }

  /** The `executeCommandProvider` capability. */
  get commands(): string[] {
    return [...SERVER_COMMANDS];
  }

  async execute(params: ExecuteCommandParams): Promise<Outcome | null> {
    let outcome: Outcome | null;
    try {
      outcome = await this.run(params);
    } catch (error) {
      const message = `${params.command} failed: ${error instanceof Error ? error.message : String(error)}`;
      this.log.error(message, error);
      outcome = { applied: false, message };
    }
    if (outcome && !outcome.applied) {
      this.log.warn(`${params.command}: ${outcome.message}`);
      // A notification (window/showMessage), not a request: nothing to answer, every client shows it.
      if (!this.showsResults)
        void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: redact(`mlready: ${outcome.message}`) });
    }
    return outcome;
  }

  private async run(params: ExecuteCommandParams): Promise<Outcome | null> {
    const argument = params.arguments?.[0];
    if (params.command === FIX_ALL_COMMAND) return this.fixAll((argument ?? {}) as FixAllArguments);
    if (params.command === SHOW_RULE_DOCUMENTATION_COMMAND) return this.showRuleDocumentation(String(argument ?? ''));
    const kind = kindOf(params.command);
    if (kind) return this.scaffold.execute(kind, (argument ?? {}) as ScaffoldArguments);
    return { applied: false, message: `unknown command ${params.command}` };
  }

  /** Outside VS Code: the client shows the rule's page (window/showDocument), or is told where it is. */
  private async showRuleDocumentation(rule: string): Promise<Outcome> {
    if (!findRule(rule)) return { applied: false, message: `unknown rule ${rule}` };
    const uri = rulePageUri(rule);
    if (this.showDocument) {
      // The bundled page opens in the editor; a web address (no bundled pages) in the browser.
      const shown = await this.connection.window.showDocument({ uri, external: /^https?:/.test(uri) });
      if (shown.success) return { applied: true, message: `opened ${uri}` };
    }
    void this.connection.sendNotification(ShowMessageNotification.type, {
      type: MessageType.Info,
      message: `mlready: the documentation of ${rule} is at ${uri}`,
    });
    return { applied: true, message: uri };
  }

  private async fixAll(args: FixAllArguments): Promise<FixAllCommandResult> {
    const deps = this.fixAllDeps();
    if (!deps) return { applied: false, changed: 0, message: 'the server is not initialised yet' };
    if (!args.uri) return { applied: false, changed: 0, message: 'no document given to fix (pass { uri })' };
    const edits = await fixAllDocument(args.uri, deps);
    if (!edits) return { applied: false, changed: 0, message: `${args.uri} is not open in the editor` };
    if (edits.length === 0) return { applied: true, changed: 0, message: 'no auto-fixable problems' };
    const response = await this.connection.workspace.applyEdit({
      label: 'mlready: fix all auto-fixable problems',
      edit: workspaceEdit(edits, deps.versionedEdits),
    });
    if (!response.applied) {
      return { applied: false, changed: 0, message: `the editor did not apply the fixes${response.failureReason ? `: ${response.failureReason}` : ''}` };
    }
    const changed = new Set(edits.map((edit) => edit.uri)).size;
    return { applied: true, changed, message: `fixed ${changed === 1 ? 'one document' : `${changed} documents`}` };
  }
}

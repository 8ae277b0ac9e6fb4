import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { describeFsError, MAX_CONFIG_BYTES, readRegularFile, writeFileInside } from '../../../server/src/protocol';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ReadinessChangedNotification, ReadinessRequest, type WorkspaceReadinessReport } from '../../../server/src/protocol';
import type { ReadinessItem } from '../../../server/src/protocol';
import { gitUser } from '../../../server/src/protocol';
import type { MlreadyClient } from '../client';
import { addAttestation, AttestationWriteError, chooseConfigFile, today, type ConfigFileName } from './attest';
import { openTarget, resolveInFolder } from './open';
import { parseReportMessage, renderReportHtml, type ReportMessage } from './report-html';
import { statusBarText, viewDescription, type OpenTarget, type ReadinessNode } from './tree-model';
import { showBundledRulePage } from '../commands/showRuleDocumentation';
import { ReadinessTreeProvider, VIEW_ID } from './view';

const LAST_ATTESTER_KEY = 'mlready.readiness.lastAttester';

/**
 * The readiness panel: asks the server for the report (on start, on `mlready/readinessChanged`,
 * on refresh) and shows it in the tree view, the status bar item and the report page; runs the
 * items' actions (scaffold, rule page, attestation).
 */
export class ReadinessController implements vscode.Disposable {
  private readonly tree = new ReadinessTreeProvider();
  private readonly view: vscode.TreeView<ReadinessNode>;
  private readonly status: vscode.StatusBarItem;
  private report: WorkspaceReadinessReport | undefined;
  private panel: vscode.WebviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private notification: vscode.Disposable | undefined;
  private fetching = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: MlreadyClient,
  ) {
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this.tree, showCollapseAll: true });
    this.status = vscode.window.createStatusBarItem('mlready.readinessScore', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'mlready Readiness';
    this.status.command = { title: 'Show Production Readiness', command: `${VIEW_ID}.focus` };
    this.disposables.push(
      this.tree,
      this.view,
      this.status,
      client.onDidStart((languageClient) => this.attach(languageClient)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('mlready.showScoreInStatusBar')) this.showStatus(this.report !== undefined || this.fetching > 0);
      }),
    );
    if (client.languageClient) this.attach(client.languageClient);
  }

  /** The folder the report is for: the first workspace folder. */
  private get folder(): vscode.Uri | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri;
  }

  private attach(languageClient: LanguageClient): void {
    this.notification?.dispose();
    this.notification = languageClient.onNotification(ReadinessChangedNotification, (params) => {
      if (params.folder === this.folder?.toString()) void this.refresh();
    });
    void this.refresh();
  }

  /** Asks the server for the report (cached there unless `recompute`) and shows it. */
  async refresh(recompute = false): Promise<void> {
    const languageClient = this.client.languageClient;
    const folder = this.folder;
    if (!languageClient || !folder) {
      this.show(undefined);
      return;
    }
    const ticket = ++this.fetching;
    if (!this.report) {
      this.status.text = statusBarText(undefined);
      this.showStatus(true);
    }
    try {
      const report = await languageClient.sendRequest(ReadinessRequest, { folder: folder.toString(), refresh: recompute });
      if (ticket === this.fetching) this.show(report ?? undefined);
    } catch (error) {
      if (ticket !== this.fetching) return;
      const reason = error instanceof Error ? error.message : String(error);
      this.client.output.error(`readiness: ${reason}`);
      // Where the checklist would be: the server says why (a scan that ran out of memory names its limit).
      if (!this.report) this.view.message = reason;
      this.status.text = '$(warning) Readiness';
      this.status.tooltip = 'The readiness report could not be computed; see the mlready output.';
    }
  }

  /** The score's status bar item, when there is something to show and `mlready.showScoreInStatusBar` is on. */
  private showStatus(wanted: boolean): void {
    if (wanted && vscode.workspace.getConfiguration('mlready').get<boolean>('showScoreInStatusBar', true)) this.status.show();
    else this.status.hide();
  }

  private show(report: WorkspaceReadinessReport | undefined): void {
    this.report = report;
    this.tree.setReport(report);
    this.view.description = viewDescription(report);
    this.view.message = report ? undefined : this.folder ? 'Computing the readiness report…' : 'Open a folder to assess its production readiness.';
    if (report) {
      this.status.text = statusBarText(report);
      const tooltip = new vscode.MarkdownString();
      tooltip.appendMarkdown('**Production readiness** ');
      tooltip.appendText(`${report.score}/100, ${report.band}.`);
      tooltip.appendMarkdown('\n\nClick to open the checklist.');
      this.status.tooltip = tooltip;
      this.showStatus(true);
    } else if (!this.folder) {
      this.showStatus(false);
    }
    if (this.panel && report) this.panel.webview.html = renderReportHtml(report, nonce());
  }

  private findItem(id: string | undefined): ReadinessItem | undefined {
    if (!id) return undefined;
    for (const category of this.report?.categories ?? []) {
      const item = category.items.find((candidate) => candidate.id === id);
      if (item) return item;
    }
    return undefined;
  }

  async openNode(node: ReadinessNode | undefined): Promise<void> {
    const target: OpenTarget | undefined = node && (node.kind === 'evidence' || node.kind === 'problem') ? node.open : undefined;
    const folder = this.reportFolder();
    if (target && folder) await openTarget(folder, target);
  }

  private reportFolder(): vscode.Uri | undefined {
    return this.report ? vscode.Uri.parse(this.report.folder) : this.folder;
  }

  async scaffold(id: string | undefined): Promise<void> {
    const command = this.findItem(id)?.action?.command;
    if (!command) return;
    const known = await vscode.commands.getCommands(true);
    if (!known.includes(command)) {
      void vscode.window.showWarningMessage(`mlready: the command ${command} is not available in this version.`);
      return;
    }
    await vscode.commands.executeCommand(command);
  }

  async openRule(id: string | undefined): Promise<void> {
    const action = this.findItem(id)?.action;
    // A rule's page is the one bundled with the extension (offline, this version's); other pages are on the web.
    if (action?.url && /^https:\/\//.test(action.url)) await vscode.env.openExternal(vscode.Uri.parse(action.url));
    else if (action?.rule) await showBundledRulePage(this.context, action.rule);
  }

  /** Asks for the status, a note and who attests, confirms, then appends the table to the config file. */
  async attest(id: string | undefined): Promise<void> {
    const item = this.findItem(id);
    const folder = this.reportFolder();
    if (!item || !folder) return;
    if (!item.attestable) {
      void vscode.window.showInformationMessage(`mlready: "${item.title}" is decided by the code and cannot be attested.`);
      return;
    }
    const choice = await vscode.window.showQuickPick(
      [
        { label: 'Attested', description: 'a person checked it; earns half a point', status: 'attested' as const },
        { label: 'Not applicable', description: 'leaves the item out of the score', status: 'not-applicable' as const },
      ],
      { title: `Attest: ${item.title}`, placeHolder: 'What do you attest?' },
    );
    if (!choice) return;
    const note = await vscode.window.showInputBox({
      title: `Attest: ${item.title}`,
      prompt: 'A note for reviewers: what was checked, where it is written down',
      placeHolder: 'e.g. Latency target 200 ms p95 agreed with the CRM team (wiki: ML/SLOs)',
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Say what was checked'),
    });
    if (note === undefined) return;
    const by = await vscode.window.showInputBox({
      title: `Attest: ${item.title}`,
      prompt: 'Who attests it',
      value: this.context.globalState.get<string>(LAST_ATTESTER_KEY) ?? (folder.scheme === 'file' ? await gitUser(folder.fsPath) : undefined) ?? '',
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Say who attests it'),
    });
    if (by === undefined) return;

    const target = await this.configFile(folder);
    const entry = { id: item.id, status: choice.status, by: by.trim(), date: today(), note: note.trim() };
    const confirm = await vscode.window.showInformationMessage(
      `Write this attestation to ${target.name}?`,
      {
        modal: true,
        detail: `${item.id}: ${entry.status} by ${entry.by} on ${entry.date}\n${entry.note}${target.create ? `\n\n${target.name} will be created.` : ''}`,
      },
      'Write',
    );
    if (confirm !== 'Write') return;
    await this.context.globalState.update(LAST_ATTESTER_KEY, entry.by);
    try {
      await writeAttestation(target.uri, target.name, target.create, entry);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const line = error instanceof AttestationWriteError ? error.line : undefined;
      const open = await vscode.window.showErrorMessage(`mlready: ${message}`, ...(target.create ? [] : ['Open ' + target.name]));
      if (open) await openTarget(folder, { path: target.name, line: line ?? 1 });
      return;
    }
    void vscode.window.showInformationMessage(
      `mlready: ${item.title} ${entry.status === 'attested' ? 'attested' : 'marked not applicable'} in ${target.name}.`,
    );
    await this.refresh(true);
  }

  private async configFile(folder: vscode.Uri): Promise<{ name: ConfigFileName; uri: vscode.Uri; create: boolean }> {
    const exists = new Map<ConfigFileName, boolean>();
    for (const name of ['mlready.toml', 'pyproject.toml'] as const) {
      exists.set(
        name,
        await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, name)).then(
          () => true,
          () => false,
        ),
      );
    }
    const chosen = chooseConfigFile((name) => exists.get(name) === true);
    return { ...chosen, uri: resolveInFolder(folder, chosen.name)! };
  }

  async showReport(): Promise<void> {
    if (!this.report) await this.refresh();
    const report = this.report;
    if (!report) {
      void vscode.window.showInformationMessage('mlready: no readiness report yet (open a folder, and wait for the language server).');
      return;
    }
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel('mlready.readinessReport', 'Production Readiness', vscode.ViewColumn.Active, {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [],
    });
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'client', 'media', 'readiness.svg');
    panel.webview.html = renderReportHtml(report, nonce());
    panel.webview.onDidReceiveMessage((raw: unknown) => {
      const message = parseReportMessage(raw);
      if (message) void this.onReportMessage(message);
    });
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
  }

  private async onReportMessage(message: ReportMessage): Promise<void> {
    switch (message.type) {
      case 'refresh':
        return this.refresh(true);
      case 'openEvidence': {
        const evidence = this.findItem(message.item)?.evidence[message.index];
        const folder = this.reportFolder();
        if (evidence && folder)
          await openTarget(folder, { path: evidence.path, line: evidence.line, ...(evidence.cell !== undefined ? { cell: evidence.cell } : {}) });
        return;
      }
      case 'openRule':
        return this.openRule(message.item);
      case 'scaffold':
        return this.scaffold(message.item);
      case 'attest':
        return this.attest(message.item);
    }
  }

  dispose(): void {
    this.notification?.dispose();
    this.panel?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function nonce(): string {
  return randomBytes(16).toString('base64');
}

/** Appends the attestation to the file, byte for byte around it; refuses when the file has unsaved edits. */
async function writeAttestation(uri: vscode.Uri, name: ConfigFileName, create: boolean, entry: Parameters<typeof addAttestation>[2]): Promise<void> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open?.isDirty) throw new AttestationWriteError(`${name} has unsaved changes; save it first`);
  let text = '';
  if (!create) {
    let bytes: Uint8Array;
    try {
      // A regular file under the cap only: a FIFO or a link to a device is an error, not a hang.
      bytes = uri.scheme === 'file' ? readRegularFile(uri.fsPath, MAX_CONFIG_BYTES).bytes : await vscode.workspace.fs.readFile(uri);
    } catch (error) {
      throw new AttestationWriteError(`${name}: ${describeFsError(error)}`);
    }
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new AttestationWriteError(`${name} is not UTF-8 text; add the attestation by hand`);
    }
    // TextDecoder drops a BOM; keep it.
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) text = `\uFEFF${text}`;
  }
  const result = addAttestation(text, name, entry);
  // On disk, the engine's one safe write: never through a link, never outside the workspace folder.
  const folder = uri.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
  if (folder) {
    try {
      writeFileInside(folder.uri.fsPath, path.relative(folder.uri.fsPath, uri.fsPath), result, { exclusive: create });
    } catch (error) {
      throw new AttestationWriteError(error instanceof Error ? error.message : String(error));
    }
    return;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(result));
}

import {
  CodeActionKind,
  TextDocumentEdit,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { findRule, ignoreFileEdit, type Engine } from '../engine';
import { FIX_ALL_KIND, NOTEBOOK_FIX_ALL_KIND, SHOW_RULE_DOCUMENTATION_COMMAND } from '../protocol';
import { documentEdit, isDiagnosticData, type DocumentEdit } from './convert';
import type { DocumentStore } from './documents';
import { fixAllEdits } from './fix-all';
import type { ConfigResolver } from './settings';

export const CODE_ACTION_KINDS = [CodeActionKind.QuickFix, FIX_ALL_KIND, NOTEBOOK_FIX_ALL_KIND];

export interface CodeActionDeps {
  engine: Promise<Engine>;
  store: DocumentStore;
  config: ConfigResolver;
  /** The client applies `documentChanges` (versioned edits); otherwise plain `changes`. */
  versionedEdits: boolean;
  /** How many published diagnostics of a rule, with a safe fix, the document of `uri` has (its notebook's cells counted together). */
  published?: (uri: string, rule: string) => number;
}

/**
 * Quick fixes from the diagnostics in the request (each carries its fix in `data`), the
 * "Ignore <rule> on this line" suppression, and, when asked for, all safe fixes of the file
 * (`source.fixAll.mlready`) or of the whole notebook (`notebook.source.fixAll.mlready`).
 */
export async function codeActions(params: CodeActionParams, deps: CodeActionDeps): Promise<CodeAction[]> {
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
  const actions: CodeAction[] = [];

  if (wants(CodeActionKind.QuickFix)) {
    const ignored = new Set<string>();
    const perRule = new Set<string>();
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== 'mlready' || !isDiagnosticData(diagnostic.data)) continue;
      const data = diagnostic.data;
      if (data.fix && data.fix.edits.length > 0) {
        actions.push({
          title: data.fix.applicability === 'unsafe' ? `${data.fix.title} (unsafe)` : data.fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: data.fix.applicability === 'safe',
          edit: workspaceEdit(data.fix.edits, deps.versionedEdits),
        });
      }
      const ignore = data.ignore;
      const ignoreKey = ignore && `${data.rule}@${ignore.uri}:${ignore.range.start.line}`;
      if (ignore && ignoreKey && !ignored.has(ignoreKey)) {
        ignored.add(ignoreKey);
        actions.push({
          title: `Ignore ${data.rule} on this line`,
          kind: CodeActionKind.QuickFix,
          diagnostics: sameLine(params.context.diagnostics, diagnostic, data.rule),
          edit: workspaceEdit([ignore], deps.versionedEdits),
        });
      }
      if (!perRule.has(data.rule)) {
        perRule.add(data.rule);
        actions.push(...(await ruleActions(params.textDocument.uri, data.rule, diagnostic, deps)));
      }
    }
  }

  // Bulk fixes only when asked for (on save, from the Source Action menu), never in the light bulb.
  const cellUri = params.textDocument.uri;
  const key = deps.store.keyOf(cellUri);
  const fileFixAll = only !== undefined && wants(FIX_ALL_KIND);
  const notebookFixAll = only !== undefined && wants(NOTEBOOK_FIX_ALL_KIND);
  if (key && (fileFixAll || notebookFixAll)) {
    const target = deps.store.target(key);
    if (target) {
      const engine = await deps.engine;
      const { enabled, config } = await deps.config.forDocument(target.uri);
      if (enabled) {
        if (target.kind === 'script' && fileFixAll) {
          actions.push(fixAllAction(FIX_ALL_KIND, 'Fix all safe mlready problems', fixAllEdits(engine, target, config), deps.versionedEdits));
        } else if (target.kind === 'notebook') {
          const cell = target.cells.findIndex((c) => c.uri === cellUri);
          if (fileFixAll && cell >= 0) {
            actions.push(
              fixAllAction(FIX_ALL_KIND, 'Fix all safe mlready problems in this cell', fixAllEdits(engine, target, config, { cell }), deps.versionedEdits),
            );
          }
          if (notebookFixAll) {
            actions.push(
              fixAllAction(NOTEBOOK_FIX_ALL_KIND, 'Fix all safe mlready problems in the notebook', fixAllEdits(engine, target, config), deps.versionedEdits),
            );
          }
        }
      }
    }
  }
  return actions;
}

/**
 * The actions about a rule, once per rule in the request: "Fix all <rule> problems" (when the
 * document has more than one safe fix of it), "Disable <rule> for this file" (an
 * `ignore-file` comment on the first line) and "Show documentation for <rule>".
 */
async function ruleActions(uri: string, rule: string, diagnostic: Diagnostic, deps: CodeActionDeps): Promise<CodeAction[]> {
  const actions: CodeAction[] = [];
  const key = deps.store.keyOf(uri);
  const target = key ? deps.store.target(key) : undefined;
  if (!target) return actions;
  if (findRule(rule)?.fix === 'safe') {
    const engine = await deps.engine;
    const { enabled, config } = await deps.config.forDocument(target.uri);
    if (enabled) {
      const edits = fixAllEdits(engine, target, config, { rule });
      if (edits.length > 0 && countFixable(deps, uri, rule) > 1) {
        actions.push({
          title: `Fix all ${rule} problems`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: workspaceEdit(edits, deps.versionedEdits),
        });
      }
    }
  }
  const first = target.kind === 'script' ? target : target.cells[0];
  if (first) {
    actions.push({
      title: `Disable ${rule} for this file`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: workspaceEdit([documentEdit(first, first.text, ignoreFileEdit(first.text, rule))], deps.versionedEdits),
    });
  }
  actions.push({
    title: `Show documentation for ${rule}`,
    kind: CodeActionKind.QuickFix,
    command: { title: `Show documentation for ${rule}`, command: SHOW_RULE_DOCUMENTATION_COMMAND, arguments: [rule] },
  });
  return actions;
}

/** How many diagnostics of `rule` with a safe fix are published on the document's script or cells. */
function countFixable(deps: CodeActionDeps, uri: string, rule: string): number {
  return deps.published?.(uri, rule) ?? 0;
}

/**
 * Every safe fix of the script or whole notebook that `uri` names (the notebook, or any of its
 * cells, markdown included): what `mlready.fixAll` applies. Undefined when nothing by that URI is open.
 */
export async function fixAllDocument(uri: string, deps: CodeActionDeps): Promise<DocumentEdit[] | undefined> {
  const key = deps.store.keyOf(uri);
  const target = key ? deps.store.target(key) : undefined;
  if (!target) return undefined;
  const engine = await deps.engine;
  const { enabled, config } = await deps.config.forDocument(target.uri);
  return enabled ? fixAllEdits(engine, target, config) : [];
}

function fixAllAction(kind: string, title: string, edits: DocumentEdit[], versioned: boolean): CodeAction {
  return { title, kind, edit: workspaceEdit(edits, versioned) };
}

function sameLine(all: readonly Diagnostic[], diagnostic: Diagnostic, rule: string): Diagnostic[] {
  return all.filter((other) => other.code === rule && other.source === 'mlready' && other.range.start.line === diagnostic.range.start.line);
}

export function workspaceEdit(edits: readonly DocumentEdit[], versioned: boolean): WorkspaceEdit {
  const byUri = new Map<string, { version: number; edits: TextEdit[] }>();
  for (const edit of edits) {
    let entry = byUri.get(edit.uri);
    if (!entry) byUri.set(edit.uri, (entry = { version: edit.version, edits: [] }));
    entry.edits.push({ range: edit.range, newText: edit.newText });
  }
  if (versioned) {
    return { documentChanges: [...byUri].map(([uri, entry]) => TextDocumentEdit.create({ uri, version: entry.version }, entry.edits)) };
  }
  return { changes: Object.fromEntries([...byUri].map(([uri, entry]) => [uri, entry.edits])) };
}

// What the "Production Readiness" view shows, as plain data: a pure function from a report to
// tree nodes (no vscode import), so the view's content is testable without an editor.
// view.ts turns these nodes into vscode.TreeItems.
import type { Evidence, ItemStatus, ReadinessCategory, ReadinessItem, ReadinessReport } from '../../../server/src/protocol';

/** A codicon id and an optional theme colour id (rendered as ThemeIcon / ThemeColor). */
export interface NodeIcon {
  id: string;
  color?: string;
}

/** A place to open: a path relative to the workspace folder, a 1-based line, and for notebooks the 0-based code-cell index. */
export interface OpenTarget {
  path: string;
  line: number;
  cell?: number;
}

interface NodeBase {
  /** Stable across refreshes (the view keeps expansion state by it). */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: NodeIcon;
  /** `contextValue` for menus: a kind, then the actions it allows, space separated. */
  contextValue: string;
  collapsed: 'none' | 'collapsed' | 'expanded';
  children: ReadinessNode[];
}

export interface CategoryNode extends NodeBase {
  kind: 'category';
  categoryId: string;
}

export interface ItemNode extends NodeBase {
  kind: 'item';
  itemId: string;
  status: ItemStatus;
  /** A command id to run (a scaffold), present when the item's action names one. */
  command?: string;
  /** The doc page that explains how to close the item (a web address). */
  url?: string;
  /** The rule whose bundled page explains it, when the item's action names one. */
  rule?: string;
  attestable: boolean;
}

export interface EvidenceNode extends NodeBase {
  kind: 'evidence';
  itemId: string;
  open: OpenTarget;
}

export interface ProblemNode extends NodeBase {
  kind: 'problems' | 'problem';
  open?: OpenTarget;
}

/** The overall score, first in the view (the view's title bar is often too narrow to show it). */
export interface ScoreNode extends NodeBase {
  kind: 'score';
}

export type ReadinessNode = ScoreNode | CategoryNode | ItemNode | EvidenceNode | ProblemNode;

export const STATUS_ICONS: Record<ItemStatus, NodeIcon> = {
  pass: { id: 'pass-filled', color: 'testing.iconPassed' },
  partial: { id: 'warning', color: 'list.warningForeground' },
  fail: { id: 'error', color: 'testing.iconFailed' },
  attested: { id: 'verified', color: 'charts.blue' },
  'not-applicable': { id: 'circle-slash', color: 'disabledForeground' },
};

export const STATUS_LABELS: Record<ItemStatus, string> = {
  pass: 'passes',
  partial: 'partial',
  fail: 'open',
  attested: 'attested',
  'not-applicable': 'not applicable',
};

/** A category's percentage as the view shows it. */
export function percent(score: number | null): string {
  return score === null ? 'n/a' : `${score}%`;
}

/** Where an evidence line points, as text: `path:line`, or `path, Cell N, line L` in a notebook with N as VS Code shows it (markdown cells counted). */
export function evidenceLocation(evidence: Pick<Evidence, 'path' | 'line' | 'cell' | 'cellNumber'>): string {
  if (evidence.cell === undefined) return `${evidence.path}:${evidence.line}`;
  return `${evidence.path}, ${evidence.cellNumber !== undefined ? `Cell ${evidence.cellNumber}` : `code cell ${evidence.cell + 1}`}, line ${evidence.line}`;
}

/** The text beside the view's title: the score and band. */
export function viewDescription(report: ReadinessReport | null | undefined): string {
  return report ? `${report.score} · ${report.band}` : '';
}

/** The status bar text (codicons in `$(…)`). */
export function statusBarText(report: ReadinessReport | null | undefined): string {
  return report ? `$(checklist) Readiness ${report.score}` : '$(loading~spin) Readiness';
}

export function buildTree(report: ReadinessReport): ReadinessNode[] {
  const score: ScoreNode = {
    kind: 'score',
    id: 'score',
    label: `Readiness ${report.score} / 100`,
    description: report.band,
    tooltip: `Production readiness: ${report.score} / 100 (${report.band}), over ${report.categories.filter((c) => c.score !== null).length} categories that apply`,
    icon: { id: 'checklist' },
    contextValue: 'readinessScore',
    collapsed: 'none',
    children: [],
  };
  const nodes: ReadinessNode[] = [score, ...report.categories.map(categoryNode)];
  if (report.problems.length > 0) {
    const children: ProblemNode[] = report.problems.map((problem, index) => ({
      kind: 'problem',
      id: `problem:${index}:${problem.path}:${problem.line ?? 0}`,
      label: problem.line ? `${problem.path}:${problem.line}` : problem.path,
      description: problem.message,
      tooltip: problem.message,
      icon: { id: 'warning', color: 'list.warningForeground' },
      contextValue: 'readinessProblem',
      collapsed: 'none',
      children: [],
      open: { path: problem.path, line: problem.line ?? 1 },
    }));
    nodes.push({
      kind: 'problems',
      id: 'problems',
      label: 'Problems',
      description: `${report.problems.length} file${report.problems.length === 1 ? '' : 's'} could not be read or are invalid`,
      icon: { id: 'warning', color: 'list.warningForeground' },
      contextValue: 'readinessProblems',
      collapsed: 'expanded',
      children,
    });
  }
  return nodes;
}

function categoryNode(category: ReadinessCategory): CategoryNode {
  const open = category.items.filter((item) => item.status === 'fail' || item.status === 'partial').length;
  return {
    kind: 'category',
    id: `category:${category.id}`,
    categoryId: category.id,
    label: category.title,
    description: `${percent(category.score)}${open > 0 ? ` · ${open} open` : ''}`,
    tooltip:
      category.score === null
        ? `${category.title}: no item applies`
        : `${category.title}: ${category.points} of ${category.possible} points (${category.score}%)`,
    icon: categoryIcon(category.score),
    contextValue: 'readinessCategory',
    collapsed: 'collapsed',
    children: category.items.map(itemNode),
  };
}

function categoryIcon(score: number | null): NodeIcon {
  if (score === null) return STATUS_ICONS['not-applicable'];
  if (score >= 75) return STATUS_ICONS.pass;
  if (score >= 35) return STATUS_ICONS.partial;
  return STATUS_ICONS.fail;
}

function itemNode(item: ReadinessItem): ItemNode {
  const url = item.action?.url;
  const rule = item.action?.rule;
  const command = item.action?.command;
  const open = item.status === 'fail' || item.status === 'partial';
  const attestable = item.attestable && open;
  const actions = ['readinessItem', command ? 'canScaffold' : '', url || rule ? 'canOpenRule' : '', attestable ? 'canAttest' : ''].filter(Boolean);
  const tooltip = [
    `${item.title} (${STATUS_LABELS[item.status]})`,
    item.summary,
    `Why it matters: ${item.why}`,
    item.action ? `To close it: ${item.action.title}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  return {
    kind: 'item',
    id: `item:${item.id}`,
    itemId: item.id,
    status: item.status,
    label: item.title,
    description: STATUS_LABELS[item.status],
    tooltip,
    icon: STATUS_ICONS[item.status],
    contextValue: actions.join(' '),
    collapsed: item.evidence.length > 0 ? 'collapsed' : 'none',
    children: item.evidence.map((evidence, index) => evidenceNode(item.id, evidence, index)),
    ...(command ? { command } : {}),
    ...(url ? { url } : {}),
    ...(rule ? { rule } : {}),
    attestable,
  };
}

function evidenceNode(itemId: string, evidence: Evidence, index: number): EvidenceNode {
  return {
    kind: 'evidence',
    id: `evidence:${itemId}:${index}`,
    itemId,
    label: evidenceLocation(evidence),
    description: evidence.note,
    tooltip: `${evidenceLocation(evidence)}\n${evidence.note}`,
    icon: { id: evidence.path.endsWith('.ipynb') ? 'notebook' : 'file' },
    contextValue: 'readinessEvidence',
    collapsed: 'none',
    children: [],
    open: { path: evidence.path, line: evidence.line, ...(evidence.cell !== undefined ? { cell: evidence.cell } : {}) },
  };
}

/** Every node, depth first (for lookups by id). */
export function* walk(nodes: readonly ReadinessNode[]): Generator<ReadinessNode> {
  for (const node of nodes) {
    yield node;
    yield* walk(node.children);
  }
}

/** Items that are still open (fail, then partial), in checklist order within each: what the report page lists first. */
export function openItems(report: ReadinessReport): { category: ReadinessCategory; item: ReadinessItem }[] {
  const all = report.categories.flatMap((category) => category.items.map((item) => ({ category, item })));
  return [...all.filter(({ item }) => item.status === 'fail'), ...all.filter(({ item }) => item.status === 'partial')];
}

import * as vscode from 'vscode';
import type { ReadinessReport } from '../../../server/src/protocol';
import { buildTree, type ReadinessNode } from './tree-model';

export const VIEW_ID = 'mlready.readiness';

/** The "Production Readiness" tree: categories → items → evidence, from tree-model.ts. */
export class ReadinessTreeProvider implements vscode.TreeDataProvider<ReadinessNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ReadinessNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: ReadinessNode[] = [];
  private readonly parents = new Map<string, ReadinessNode>();

  setReport(report: ReadinessReport | undefined): void {
    this.roots = report ? buildTree(report) : [];
    this.parents.clear();
    const index = (nodes: readonly ReadinessNode[], parent?: ReadinessNode) => {
      for (const node of nodes) {
        if (parent) this.parents.set(node.id, parent);
        index(node.children, node);
      }
    };
    index(this.roots);
    this.changed.fire(undefined);
  }

  getChildren(node?: ReadinessNode): ReadinessNode[] {
    return node ? node.children : this.roots;
  }

  getParent(node: ReadinessNode): ReadinessNode | undefined {
    return this.parents.get(node.id);
  }

  getTreeItem(node: ReadinessNode): vscode.TreeItem {
    const state =
      node.collapsed === 'none'
        ? vscode.TreeItemCollapsibleState.None
        : node.collapsed === 'expanded'
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    if (node.tooltip) item.tooltip = new vscode.MarkdownString().appendText(node.tooltip);
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    item.contextValue = node.contextValue;
    if ((node.kind === 'evidence' || node.kind === 'problem') && node.open) {
      item.command = { title: 'Open', command: 'mlready.readiness.openEvidence', arguments: [node] };
    }
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

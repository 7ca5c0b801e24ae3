// A branch segment (group-by-branch mode): a run of revisions between branch points and merges,
// named by its branch label, its head, or its range.
import * as vscode from 'vscode';
import type { BranchGroupNodeData } from '../revisionTreeModel';

export class BranchGroupTreeItem extends vscode.TreeItem {
  constructor(node: BranchGroupNodeData) {
    super(node.label, node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    this.id = node.key;
    this.description = node.description;
    const color = node.state === 'problem' ? new vscode.ThemeColor('errorForeground') : undefined;
    this.iconPath = new vscode.ThemeIcon(node.endsAt === 'merge' ? 'git-merge' : 'git-branch', color);
    this.contextValue = `branch:${node.endsAt}`;
    const first = node.children[node.children.length - 1];
    const last = node.children[0];
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${node.label.replace(/[*_`]/g, '\\$&')}** · ${node.description}\n\n`);
    tooltip.appendMarkdown(`From \`${first.revision}\` to \`${last.revision}\``);
    this.tooltip = tooltip;
  }
}

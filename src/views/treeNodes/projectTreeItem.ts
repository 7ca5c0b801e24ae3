// One node per Alembic project when the workspace has several (multi-root, or several alembic.ini).
import * as vscode from 'vscode';
import type { ProjectTree } from '../revisionTreeModel';

export class ProjectTreeItem extends vscode.TreeItem {
  constructor(tree: ProjectTree) {
    super(tree.project.label, vscode.TreeItemCollapsibleState.Expanded);
    const node = tree.project;
    this.id = node.key;
    this.description = node.description;
    this.iconPath = new vscode.ThemeIcon('database');
    this.contextValue = 'project';
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${node.label.replace(/[*_`]/g, '\\$&')}**\n\n`);
    if (tree.input.configFile) tooltip.appendMarkdown(`Config: \`${vscode.workspace.asRelativePath(tree.input.configFile)}\`  \n`);
    tooltip.appendMarkdown(`${node.description}`);
    const status = tree.input.database;
    if (status) tooltip.appendMarkdown(`  \nDatabase (${status.targetName}): ${status.message.replace(/[*_`[\]]/g, '\\$&')}`);
    this.tooltip = tooltip;
  }
}

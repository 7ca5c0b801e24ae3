// What is not a revision but must be seen in the tree: the database at a revision no file
// defines, a file without a revision id, a file whose id another file also uses.
import * as vscode from 'vscode';
import type { MessageNodeData } from '../revisionTreeModel';

const SEVERITY_ICONS: Record<MessageNodeData['severity'], vscode.ThemeIcon> = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  info: new vscode.ThemeIcon('info'),
};

export class MessageTreeItem extends vscode.TreeItem {
  constructor(node: MessageNodeData) {
    super(node.label, vscode.TreeItemCollapsibleState.None);
    this.id = node.key;
    this.description = node.description;
    this.iconPath = SEVERITY_ICONS[node.severity];
    this.contextValue = `message:${node.severity}`;
    if (node.detail) this.tooltip = node.detail;
    if (node.filePath) {
      this.resourceUri = vscode.Uri.file(node.filePath);
      this.command = { command: 'vscode.open', title: 'Open File', arguments: [vscode.Uri.file(node.filePath), { preview: true, preserveFocus: true }] };
    }
  }
}

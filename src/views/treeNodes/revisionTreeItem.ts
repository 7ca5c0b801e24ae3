// A revision in the Revisions view: `<short id> <message>`, labels and markers in the description,
// an icon for its state, a click that opens the file. The Markdown tooltip is filled in lazily
// (resolveTreeItem) so thousands of items cost nothing until one is hovered.
import * as vscode from 'vscode';
import type { RevisionTreeNodeData } from '../revisionTreeModel';
import { stateIcon, STATE_WORDS } from './stateIcons';

export class RevisionTreeItem extends vscode.TreeItem {
  constructor(node: RevisionTreeNodeData) {
    super(node.label, vscode.TreeItemCollapsibleState.None);
    this.id = node.key;
    this.description = node.description;
    this.iconPath = stateIcon(node.state);
    this.contextValue = node.contextValue;
    this.command = {
      command: 'alembicWorkbench.openRevision',
      title: 'Open Revision File',
      arguments: [node.revisionReference, { preserveFocus: true, preview: true }],
    };
    const state = node.state === 'problem' && node.databaseState !== 'unknown' ? `${STATE_WORDS.problem}, ${node.databaseState}` : STATE_WORDS[node.state];
    this.accessibilityInformation = {
      label: [node.revision, node.message, state, ...node.branchLabels.map((label) => `branch ${label}`), ...node.markers].filter(Boolean).join(', '),
      role: 'treeitem',
    };
  }
}

// One icon per revision state, from the codicons and theme colours every theme defines, so the
// tree reads like the Testing view: passed = applied, queued = pending, an error = a problem.
import * as vscode from 'vscode';
import type { RevisionTreeState } from '../revisionTreeModel';

const STATE_ICONS: Record<RevisionTreeState, vscode.ThemeIcon> = {
  applied: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  // "You are here", like the debugger's current frame: the one revision the database stands on.
  // Blue, to stand apart from the green of applied and the yellow of pending.
  current: new vscode.ThemeIcon('debug-stackframe', new vscode.ThemeColor('charts.blue')),
  pending: new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('testing.iconQueued')),
  unknown: new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('disabledForeground')),
  problem: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
};

export function stateIcon(state: RevisionTreeState): vscode.ThemeIcon {
  return STATE_ICONS[state];
}

/** How a state reads to a screen reader (the icon alone says nothing). */
export const STATE_WORDS: Record<RevisionTreeState, string> = {
  applied: 'applied',
  current: 'current database revision',
  pending: 'pending',
  unknown: 'database state unknown',
  problem: 'has errors',
};

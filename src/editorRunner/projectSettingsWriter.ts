// Writes one of our settings where it applies to the project: its workspace folder's settings in a
// multi-root workspace (one folder may run Docker, another not), the workspace's otherwise. Reading
// stays in src/settings.ts.
import * as vscode from 'vscode';
import type { WorkspaceProject } from '../editorProject/projectRegistry';
import { SETTINGS_SECTION } from '../settings';

export async function updateProjectSetting(project: WorkspaceProject, key: string, value: unknown): Promise<void> {
  const target = vscode.workspace.workspaceFile ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace;
  await vscode.workspace.getConfiguration(SETTINGS_SECTION, project.workspaceFolder.uri).update(key, value, target);
}

// What a command receives depends on where it was started: a tree item, a CodeLens (a
// RevisionArgument), a URI (explorer, editor title), or nothing (the palette). These helpers turn
// any of them into the project and revision to act on, asking with a quick pick when needed.
import * as vscode from 'vscode';
import type { RevisionNode } from '../core/revisions/revisionGraph';
import type { WorkspaceProject } from '../editorProject/projectRegistry';
import type { Workbench } from '../workbench';

/** A revision of a project: what tree items carry and what CodeLens passes. */
export interface RevisionArgument {
  projectId: string;
  revision: string;
}

export function isRevisionArgument(value: unknown): value is RevisionArgument {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RevisionArgument).projectId === 'string' &&
    typeof (value as RevisionArgument).revision === 'string'
  );
}

/** Tree items and other carriers expose their reference as `revisionReference`. */
function referenceIn(argument: unknown): RevisionArgument | undefined {
  if (isRevisionArgument(argument)) return argument;
  const carried = (argument as { revisionReference?: unknown } | undefined)?.revisionReference;
  return isRevisionArgument(carried) ? carried : undefined;
}

function projectIdIn(argument: unknown): string | undefined {
  const reference = referenceIn(argument);
  if (reference) return reference.projectId;
  const carried = (argument as { projectId?: unknown } | undefined)?.projectId;
  return typeof carried === 'string' ? carried : undefined;
}

/** The project an argument names, else the one of the active editor, else the only one, else ask. */
export async function resolveProject(workbench: Workbench, argument?: unknown): Promise<WorkspaceProject | undefined> {
  await workbench.projects.ready();
  const projectId = projectIdIn(argument);
  if (projectId) return workbench.projects.get(projectId);
  if (argument instanceof vscode.Uri) {
    const owner = workbench.projects.projectForFile(argument.fsPath) ?? workbench.projects.projectForConfigFile(argument.fsPath);
    if (owner) return owner;
  }
  const projects = workbench.projects.projects;
  if (projects.length === 0) {
    void vscode.window.showInformationMessage('No Alembic project found in this workspace (no alembic.ini or [tool.alembic] in pyproject.toml).');
    return undefined;
  }
  if (projects.length === 1) return projects[0];
  const activeFile = vscode.window.activeTextEditor?.document.uri;
  const active = activeFile?.scheme === 'file' ? workbench.projects.projectForFile(activeFile.fsPath) : undefined;
  if (active) return active;
  const picked = await vscode.window.showQuickPick(
    projects.map((project) => ({ label: project.label, description: vscode.workspace.asRelativePath(project.config.configFile ?? project.config.here), project })),
    { placeHolder: 'Which Alembic project?' },
  );
  return picked?.project;
}

export interface ProjectRevision {
  project: WorkspaceProject;
  node: RevisionNode;
}

/**
 * The revision an argument names (tree item, CodeLens, a revision file's URI), else asks with a
 * quick pick of the history (newest first, heads marked).
 */
export async function resolveRevision(workbench: Workbench, argument: unknown, placeHolder: string): Promise<ProjectRevision | undefined> {
  const reference = referenceIn(argument);
  if (reference) {
    const project = workbench.projects.get(reference.projectId);
    const node = project?.model.graph.get(reference.revision);
    if (project && node) return { project, node };
  }
  if (argument instanceof vscode.Uri) {
    const project = workbench.projects.projectForFile(argument.fsPath);
    const revision = project?.model.fileAt(argument.fsPath)?.revision;
    const node = revision ? project?.model.graph.get(revision) : undefined;
    if (project && node) return { project, node };
  }
  const project = await resolveProject(workbench, argument);
  if (!project) return undefined;
  const history = project.model.graph.history();
  if (history.length === 0) {
    void vscode.window.showInformationMessage(`${project.label} has no revisions yet.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    history.map((node) => ({
      label: node.id,
      description: [node.isHead ? 'head' : '', node.isMergePoint ? 'merge' : '', node.isBranchPoint ? 'branch point' : '', ...node.branchLabels].filter(Boolean).join(' · '),
      detail: node.file.message,
      node,
    })),
    { placeHolder, matchOnDetail: true, matchOnDescription: true },
  );
  return picked ? { project, node: picked.node } : undefined;
}

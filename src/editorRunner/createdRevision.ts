// After `alembic revision` / `alembic merge`: open the new file (at its host path, mapped from the
// container's), lint it at once and say how many risky operations it holds, with [Show Problems]
// [Show SQL] [Discard]. Discard deletes only that file, after asking. A file the container wrote as
// root is reported with the two fixes (run as yourself from now on, or take the file back).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { parseRevisionFile } from '../core/revisions/revisionFile';
import type { AlembicRunResult } from '../core/runner/alembicRunner';
import type { ForeignOwnedFile } from '../core/runner/createdFiles';
import type { WorkspaceProject } from '../editorProject/projectRegistry';
import type { Workbench } from '../workbench';
import { type GeneratedRevisionReport, lintSetupForProject, reportGeneratedRevision } from './generatedRevisionReport';
import { updateProjectSetting } from './projectSettingsWriter';

export type CreatedRevisionKind = 'autogenerate' | 'empty' | 'merge';

export interface CreatedRevision {
  /** Absolute host path of the new file. */
  file: string;
  revision?: string;
  report: GeneratedRevisionReport;
}

export const SHOW_PROBLEMS = 'Show Problems';
export const SHOW_SQL = 'Show SQL';
export const DISCARD = 'Discard';

/** Opens, lints and announces the file a successful revision/merge run created. */
export async function presentCreatedRevision(
  workbench: Workbench,
  project: WorkspaceProject,
  result: AlembicRunResult,
  kind: CreatedRevisionKind,
): Promise<CreatedRevision | undefined> {
  const prompts = workbench.runners.prompts;
  const created = result.createdFiles[0];
  if (!created) {
    void prompts.message('warning', `${project.label}: Alembic finished but reported no new file. See the output.`, {}, 'Show Output').then((choice) => {
      if (choice) workbench.log.show(false);
    });
    return undefined;
  }
  const file = created.hostPath;
  if (!file || !existsSync(file)) {
    const text =
      `${project.label}: Alembic created ${created.reportedPath}, which is not a path on this machine. ` +
      'Tell Alembic Workbench where the container folder is mounted: alembicWorkbench.runner.dockerCompose.pathMappings.';
    void prompts.message('warning', text, {}, 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'alembicWorkbench.runner.dockerCompose.pathMappings');
    });
    return undefined;
  }

  const source = readFileSync(file, 'utf8');
  const revision = project.model.fileAt(file)?.revision ?? parseRevisionFile(source, file).revision;
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  if (result.foreignOwnedFiles.length > 0) showForeignOwnedFiles(workbench, project, result.foreignOwnedFiles);

  const settings = workbench.settingsFor(project);
  const setup = lintSetupForProject(project.config, project.workspaceFolder.uri.fsPath, settings.lint.dialect);
  const report = reportGeneratedRevision(source, file, setup);
  workbench.log.info(`${project.label}: ${report.headline}`);

  let text: string;
  let buttons: string[];
  const risky = report.riskyOperationCount > 0;
  if (kind === 'merge') {
    text = `${project.label}: merged into ${report.fileName}${revision ? ` (revision ${revision})` : ''}.`;
    buttons = risky ? [SHOW_PROBLEMS, DISCARD] : [DISCARD];
  } else if (kind === 'empty') {
    text = `${project.label}: created ${report.fileName}, an empty migration: write its upgrade() and downgrade().`;
    buttons = [DISCARD];
  } else {
    text = `${project.label}: ${report.headline}`;
    buttons = report.emptyUpgrade ? [DISCARD] : risky ? [SHOW_PROBLEMS, SHOW_SQL, DISCARD] : [SHOW_SQL, DISCARD];
  }
  void prompts.message(risky ? 'warning' : 'info', text, {}, ...buttons).then(async (choice) => {
    if (choice === SHOW_PROBLEMS) {
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
      await vscode.commands.executeCommand('workbench.actions.view.problems');
    } else if (choice === SHOW_SQL && revision) {
      await vscode.commands.executeCommand('alembicWorkbench.showSql', { projectId: project.id, revision });
    } else if (choice === DISCARD) {
      await discardCreatedRevision(workbench, project, file, revision);
    }
  });
  return { file, revision, report };
}

/**
 * Deletes a revision file Alembic just created, after a modal confirmation, and only if it still
 * defines the same revision (a file the user has since turned into something else stays).
 */
export async function discardCreatedRevision(workbench: Workbench, project: WorkspaceProject, file: string, revision: string | undefined): Promise<boolean> {
  const prompts = workbench.runners.prompts;
  const uri = vscode.Uri.file(file);
  const name = path.basename(file);
  const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.scheme === 'file' && candidate.uri.fsPath === file);
  const answer = await prompts.message(
    'warning',
    `Delete ${name}?`,
    {
      modal: true,
      detail:
        `Only this file, just created by Alembic${revision ? ` (revision ${revision})` : ''}, is deleted` +
        `${document?.isDirty ? ', with the unsaved changes in its editor' : ''}. It goes to the trash where this system has one.`,
    },
    'Delete',
  );
  if (answer !== 'Delete') return false;
  if (!existsSync(file)) return true;
  const onDisk = parseRevisionFile(readFileSync(file, 'utf8'), file).revision;
  if (revision && onDisk !== revision) {
    void prompts.message('warning', `Not deleting ${name}: it now defines revision ${onDisk ?? '(none)'}, not ${revision}.`, {});
    return false;
  }
  await closeEditorsOf(uri);
  try {
    await deleteFile(uri);
  } catch (error) {
    const reason = (error as Error).message;
    workbench.log.error(`${project.label}: could not delete ${file}: ${reason}`);
    void prompts.message('error', `Could not delete ${name}: ${reason}`, {});
    return false;
  }
  workbench.projects.reloadFiles(project.id, [file]);
  workbench.log.info(`${project.label}: deleted ${file}`);
  void prompts.message('info', `${project.label}: deleted ${name}.`, {});
  return true;
}

async function deleteFile(uri: vscode.Uri): Promise<void> {
  try {
    await vscode.workspace.fs.delete(uri, { useTrash: true });
  } catch (error) {
    // No trash here (a remote, a container): the user already agreed to delete the file.
    if (!existsSync(uri.fsPath)) return;
    if (error instanceof vscode.FileSystemError && error.code === 'NoPermissions') throw error;
    await vscode.workspace.fs.delete(uri, { useTrash: false });
  }
}

/** Closes the file's editors without saving: the file is about to be deleted. */
async function closeEditorsOf(uri: vscode.Uri): Promise<void> {
  const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
  if (document?.isDirty) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  const tabs = vscode.window.tabGroups.all.flatMap((group) =>
    group.tabs.filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString()),
  );
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}

function showForeignOwnedFiles(workbench: Workbench, project: WorkspaceProject, files: ForeignOwnedFile[]): void {
  const [first] = files;
  const runAsMe = 'Run as Me from Now On';
  const copy = 'Copy chown Command';
  workbench.log.warn(`${project.label}: ${first.message}`);
  void workbench.runners.prompts.message('warning', first.message, {}, runAsMe, copy).then(async (choice) => {
    if (choice === runAsMe) {
      await updateProjectSetting(project, 'runner.dockerCompose.user', first.suggestedComposeUser);
      void workbench.runners.prompts.message('info', `Alembic now runs as ${first.user.uid}:${first.user.gid} in the container (runner.dockerCompose.user = ${first.suggestedComposeUser}).`, {});
    } else if (choice === copy) {
      await vscode.env.clipboard.writeText(files.map((problem) => problem.chownCommandLine).join('\n'));
    }
  });
}

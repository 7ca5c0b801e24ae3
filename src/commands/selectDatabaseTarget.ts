// Picks the database a project's state is read from: its own URL (settings, DATABASE_URL, Compose,
// alembic.ini) or a named target from `alembicWorkbench.database.targets`. Each is shown with its
// masked URL and where it came from; a failed read puts "Set Password..." or the settings first.
import * as vscode from 'vscode';
import type { DatabaseTarget } from '../core/db/databaseTargets';
import { PASSWORD_ERROR_KINDS } from '../views/statusBarModel';
import { resolveProject } from './commandArguments';
import type { CommandDefinition } from './commandTable';

type TargetPick = vscode.QuickPickItem & ({ action: 'select'; target: DatabaseTarget } | { action: 'password' | 'settings' | 'output' });

export const selectDatabaseTargetCommand: CommandDefinition = {
  id: 'alembicWorkbench.selectDatabaseTarget',
  create: (workbench) => async (argument?: unknown) => {
    const project = await resolveProject(workbench, argument);
    if (!project) return undefined;
    const { targets, selected, warnings } = await workbench.database.targetsFor(project);
    const status = workbench.database.statusFor(project.id);
    const failed = status && !status.reachable ? status : undefined;
    const targetItems: TargetPick[] = targets.map((target) => ({
      action: 'select',
      target,
      label: `${target.id === selected?.id ? '$(check)' : '$(database)'} ${target.name === 'project' ? 'project (default)' : target.name}`,
      description: target.spec?.display ?? `no usable URL: ${target.error?.message ?? 'not configured'}`,
      detail: [target.originLabel, ...(target.id === selected?.id && failed ? [failed.message] : [])].filter(Boolean).join(' · '),
    }));
    const passwordItem: TargetPick = { action: 'password', label: '$(key) Set Password...', description: 'kept in VS Code\'s secret storage, never in settings' };
    const settingsItem: TargetPick = { action: 'settings', label: '$(gear) Open Settings', description: 'alembicWorkbench.database' };
    const outputItem: TargetPick = { action: 'output', label: '$(output) Show Output', description: 'what the last read said' };
    const needsPassword = failed !== undefined && PASSWORD_ERROR_KINDS.has(failed.error?.kind ?? '');
    const separator = (label: string): TargetPick => ({ action: 'output', label, kind: vscode.QuickPickItemKind.Separator });
    const items: TargetPick[] = needsPassword
      ? [passwordItem, separator('Targets'), ...targetItems, separator(''), settingsItem, outputItem]
      : [...targetItems, separator(''), ...(workbench.isTrusted ? [passwordItem] : []), settingsItem, outputItem];
    const picked = await workbench.runners.prompts.pickOne(items, {
      title: `Database target of ${project.label}`,
      placeHolder: failed ? `The database could not be read: ${failed.message}` : warnings[0] ?? 'Read applied and pending revisions from which database?',
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    switch (picked.action) {
      case 'select':
        await workbench.database.selectTarget(project, picked.target.name);
        return picked.target.name;
      case 'password':
        return vscode.commands.executeCommand('alembicWorkbench.setDatabasePassword', { projectId: project.id });
      case 'settings':
        return vscode.commands.executeCommand('workbench.action.openSettings', 'alembicWorkbench.database');
      case 'output':
        workbench.log.show(false);
        return undefined;
    }
  },
};

// Asks for the password of the selected PostgreSQL target and keeps it in VS Code's SecretStorage
// (never in settings, never logged), then reads the database again and says whether it worked.
import * as vscode from 'vscode';
import type { DatabaseTarget } from '../core/db/databaseTargets';
import { resolveProject } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const setDatabasePasswordCommand: CommandDefinition = {
  id: 'alembicWorkbench.setDatabasePassword',
  create: (workbench) => async (argument?: unknown) => {
    const project = await resolveProject(workbench, argument);
    if (!project) return undefined;
    const { targets, selected } = await workbench.database.targetsFor(project);
    const postgres = targets.filter((target) => target.spec?.dialect === 'postgresql');
    let target: DatabaseTarget | undefined = selected?.spec?.dialect === 'postgresql' ? selected : undefined;
    if (!target && postgres.length > 1) {
      const picked = await workbench.runners.prompts.pickOne(
        postgres.map((candidate) => ({ label: candidate.name, description: candidate.spec?.display, target: candidate })),
        { title: 'Set the password of which database?' },
      );
      target = picked?.target;
      if (!target) return undefined;
    }
    target ??= postgres[0];
    if (!target?.spec || target.spec.dialect !== 'postgresql') {
      void vscode.window.showInformationMessage(`${project.label} has no PostgreSQL database target: a password applies to PostgreSQL connections only.`);
      return undefined;
    }
    const user = target.spec.clientConfig.user ?? 'the database user';
    const stored = await workbench.database.hasStoredPassword(target);
    const password = await workbench.runners.prompts.inputBox({
      title: `Database password (${target.name === 'project' ? project.label : target.name})`,
      prompt: `Password of ${user} for ${target.spec.display}. Kept in VS Code's secret storage.${stored ? ' Leave empty to forget the stored one.' : ''}`,
      password: true,
    });
    if (password === undefined) return undefined;
    if (password === '') {
      if (stored) await workbench.database.forgetPassword(target);
    } else {
      await workbench.database.storePassword(target, password);
    }
    await workbench.database.refresh(project.id);
    const status = workbench.database.statusFor(project.id);
    if (status && !status.reachable) void vscode.window.showWarningMessage(`Alembic Workbench: ${target.name}: ${status.message}`);
    else if (status) vscode.window.setStatusBarMessage(`$(database) ${project.label}: ${status.message}`, 5000);
    return status?.reachable;
  },
};

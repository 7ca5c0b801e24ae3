// Alembic: Check for Pending Model Changes: `alembic check` (Alembic >= 1.9) says whether the models
// have changes no migration covers. On an older Alembic (1.8 answers "invalid choice: 'check'") it
// says so and offers the equivalent: Generate Migration, whose upgrade() comes out empty when
// nothing is missing.
import * as vscode from 'vscode';
import { runAlembicCommand } from '../editorRunner/commandExecution';
import { showAlembicFailure } from '../editorRunner/failureActions';
import { resolveProject } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const checkMigrationsCommand: CommandDefinition = {
  id: 'alembicWorkbench.checkMigrations',
  create: (workbench) => async (argument?: unknown) => {
    const project = await resolveProject(workbench, argument);
    if (!project) return undefined;
    const prompts = workbench.runners.prompts;
    const result = await runAlembicCommand(workbench, { project, command: { kind: 'check' }, title: `Checking ${project.label}'s models against its migrations`, showFailure: false });
    if (!result) return undefined;
    const generate = () => vscode.commands.executeCommand('alembicWorkbench.generateMigration', { projectId: project.id });
    if (result.ok) {
      const said = result.stdout.trim().split('\n').pop() || 'No new upgrade operations detected.';
      void prompts.message('info', `${project.label}: ${said}`, {});
      return result;
    }
    if (result.failure?.kind === 'checkNotAvailable') {
      const text =
        `${project.label}: "alembic check" needs Alembic 1.9 or newer, and this one is older. ` +
        'Generate Migration (autogenerate) answers the same question: if its upgrade() comes out empty, no model change lacks a migration (then discard it).';
      void prompts.message('info', text, {}, 'Generate Migration', 'Upgrade Alembic: How').then((choice) => {
        if (choice === 'Generate Migration') void generate();
        if (choice === 'Upgrade Alembic: How') {
          void prompts.message('info', 'Upgrading Alembic', { modal: true, detail: 'python -m pip install --upgrade "alembic>=1.9" where Alembic runs (the container image, or the local environment).' });
        }
      });
      return result;
    }
    const detected = /New upgrade operations detected: (.*)$/m.exec(result.stdout);
    if (detected) {
      void prompts.message('warning', `${project.label}: the models have changes no migration covers: ${detected[1]}`, {}, 'Generate Migration').then((choice) => {
        if (choice) void generate();
      });
      return result;
    }
    if (!result.cancelled) showAlembicFailure(workbench, project, result);
    return result;
  },
};

// Alembic: Test Downgrade (round trip). The team guide's step 6, "test the downgrade":
// `alembic downgrade -1` then `alembic upgrade head`, under one lock (nothing slips in between),
// after confirmation, reporting each step. The classic failure it catches: a downgrade that leaves
// objects behind, so the re-upgrade fails with "already exists".
import * as vscode from 'vscode';
import type { AlembicRunResult } from '../core/runner/alembicRunner';
import type { WorkspaceProject } from '../editorProject/projectRegistry';
import { describeAlembicCommand, refuseUnlessTrusted, runAlembicSequence } from '../editorRunner/commandExecution';
import { confirmDestructiveCommand, downgradePreview } from '../editorRunner/destructiveConfirmation';
import { failureButtons } from '../editorRunner/failureActions';
import { freshDatabaseStatus } from '../editorRunner/migrationCommands';
import type { Workbench } from '../workbench';
import { resolveProject } from './commandArguments';
import type { CommandDefinition } from './commandTable';

const DOWNGRADE = { kind: 'downgrade', target: '-1' } as const;
const UPGRADE = { kind: 'upgrade', target: 'head' } as const;

export const roundTripCommand: CommandDefinition = {
  id: 'alembicWorkbench.roundTrip',
  create: (workbench) => async (argument?: unknown) => {
    const project = await resolveProject(workbench, argument);
    if (!project) return undefined;
    if (!refuseUnlessTrusted(workbench, 'alembic downgrade -1, then alembic upgrade head')) return undefined;
    const prompts = workbench.runners.prompts;
    const status = await freshDatabaseStatus(workbench, project);
    if (status?.reachable && status.current.length === 0) {
      void prompts.message('info', `${project.label}: no revision is applied, so there is no downgrade to test. Upgrade first.`, {}, 'Upgrade to Head').then((choice) => {
        if (choice) void vscode.commands.executeCommand('alembicWorkbench.upgradeHead', { projectId: project.id });
      });
      return undefined;
    }
    const { runner, settings } = await workbench.runners.prepareRunner(project);
    const confirmed = await confirmDestructiveCommand(workbench, {
      project,
      prepared: { runner, settings },
      command: DOWNGRADE,
      question: `Test the downgrade of ${project.label}: downgrade -1, then upgrade head?`,
      confirmLabel: 'Run Round Trip',
      preview: [...downgradePreview(workbench, project, '-1'), `Then: ${runner.invocationFor(UPGRADE).commandLine}`],
    });
    if (!confirmed) return undefined;
    const results = await runAlembicSequence(workbench, project, [DOWNGRADE, UPGRADE], `Round trip of ${project.label} (downgrade -1, upgrade head)`, {
      showFailure: false,
    });
    if (!results) return undefined;
    reportRoundTrip(workbench, project, results);
    return results;
  },
};

function stepLine(result: AlembicRunResult): string {
  const outcome = result.cancelled ? 'cancelled' : result.ok ? '✓' : '✗';
  return `${describeAlembicCommand(result.command)} ${outcome} (${(result.durationMs / 1000).toFixed(1)} s)`;
}

function reportRoundTrip(workbench: Workbench, project: WorkspaceProject, results: AlembicRunResult[]): void {
  const prompts = workbench.runners.prompts;
  const steps = results.map(stepLine);
  const passed = results.length === 2 && results.every((result) => result.ok);
  if (!passed) steps.push(...[DOWNGRADE, UPGRADE].slice(results.length).map((command) => `${describeAlembicCommand(command)} not run`));
  workbench.log.info(`${project.label}: round trip: ${steps.join('; ')}`);
  if (passed) {
    void prompts.message('info', `${project.label}: round trip passed: ${steps.join(', then ')}.`, {});
    return;
  }
  const failed = results[results.length - 1];
  if (failed.cancelled) {
    void prompts.message('warning', `${project.label}: round trip cancelled: ${steps.join(', then ')}.`, {});
    return;
  }
  const failure = failed.failure;
  const index = results.length;
  const text = `${project.label}: round trip failed at step ${index} of 2: ${steps.join(', then ')}.${failure ? ` ${failure.summary}` : ''}`;
  const buttons = failure ? failureButtons(workbench, project, failure, {}) : [];
  void prompts.message('error', text, {}, ...buttons.map((button) => button.label)).then((choice) => {
    const chosen = buttons.find((button) => button.label === choice);
    if (chosen) void Promise.resolve(chosen.run());
  });
}

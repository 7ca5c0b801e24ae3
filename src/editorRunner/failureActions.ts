// A failed Alembic run, shown as the core's one-sentence summary with buttons for what fixes it:
// Upgrade to Head, Merge Heads, Stamp, Show Current, start the Compose service or use a one-off
// container, how to install Alembic or Docker, open env.py or the broken file. A failure nobody
// recognised shows Alembic's own last lines. The notification is never awaited: an unanswered
// one would hold the command forever.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AlembicFailure, SuggestedAction } from '../core/runner/alembicFailures';
import type { AlembicRunResult } from '../core/runner/alembicRunner';
import type { WorkspaceProject } from '../editorProject/projectRegistry';
import type { WorkbenchSettings } from '../settings';
import type { Workbench } from '../workbench';
import { startComposeService } from './commandExecution';
import { upgradeTo } from './migrationCommands';
import { pathMapperFor } from './runnerService';

export interface FailureFollowUps {
  /** Runs the failed command again (after starting the Compose service). */
  retry?: () => Promise<unknown>;
  /** Runs it again with `docker compose run --rm`. */
  retryWithComposeRun?: () => Promise<unknown>;
  /** `runWhenServiceStopped` allows offering the one-off container. */
  allowComposeRun?: boolean;
}

export interface FailureButton {
  action: SuggestedAction;
  label: string;
  run(): unknown;
}

/** Notification buttons beyond these become noise; Show Output is always the last one. */
const MAX_ACTION_BUTTONS = 3;

/** Kinds whose summary can't stand alone: Alembic's last lines go with it. */
const SHOW_LAST_LINES: ReadonlySet<AlembicFailure['kind']> = new Set(['unknown', 'alembicError', 'migrationFailed']);

export function showAlembicFailure(workbench: Workbench, project: WorkspaceProject, result: AlembicRunResult, followUps: FailureFollowUps = {}): void {
  const failure = result.failure;
  if (!failure) return;
  workbench.log.warn(`${project.label}: ${result.commandLine} failed: ${failure.summary}${failure.detail ? `\n${failure.detail}` : ''}`);
  const text = failureMessage(project, failure);
  const buttons = failureButtons(workbench, project, failure, followUps);
  void workbench.runners.prompts.message('error', text, {}, ...buttons.map((button) => button.label)).then((choice) => {
    const chosen = buttons.find((button) => button.label === choice);
    if (chosen) void Promise.resolve(chosen.run()).catch((error: Error) => workbench.log.error(error));
  });
}

export function failureMessage(project: WorkspaceProject, failure: AlembicFailure): string {
  let text = `${project.label}: ${failure.summary}`;
  if (SHOW_LAST_LINES.has(failure.kind) && failure.detail.trim()) {
    const lines = failure.detail
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .slice(-3);
    const alreadySaid = lines.length === 1 && text.includes(lines[0]);
    if (!alreadySaid) text += ` Alembic's last lines: ${lines.join(' | ')}`;
  }
  return text;
}

export function failureButtons(workbench: Workbench, project: WorkspaceProject, failure: AlembicFailure, followUps: FailureFollowUps): FailureButton[] {
  const settings = workbench.settingsFor(project);
  const projectArgument = { projectId: project.id };
  const command = (id: string, argument: object = projectArgument) => () => vscode.commands.executeCommand(id, argument);
  const how = (title: string, detail: string) => () => workbench.runners.prompts.message('info', title, { modal: true, detail });
  const service = failure.subject && failure.kind.startsWith('compose') ? failure.subject : settings.runner.dockerCompose.service;

  const make = (action: SuggestedAction): FailureButton | undefined => {
    switch (action) {
      case 'upgradeHead':
        return { action, label: 'Upgrade to Head', run: command('alembicWorkbench.upgradeHead') };
      case 'upgradeHeads':
        return {
          action,
          label: 'Upgrade All Heads',
          run: () => upgradeTo(workbench, project, 'heads', `Upgrading ${project.label} to all heads`),
        };
      case 'mergeHeads':
        return { action, label: 'Merge Heads', run: command('alembicWorkbench.mergeHeads') };
      case 'stamp':
        return { action, label: 'Stamp…', run: command('alembicWorkbench.stampRevision') };
      case 'stampPurge':
        return { action, label: 'Stamp (purge)…', run: command('alembicWorkbench.stampRevision', { projectId: project.id, purge: true }) };
      case 'showCurrent':
        return { action, label: 'Show Current', run: command('alembicWorkbench.showCurrent') };
      case 'showHistory':
        return { action, label: 'Show History', run: command('alembicWorkbench.showHistory') };
      case 'startService':
        if (settings.runner.mode !== 'dockerCompose') return undefined;
        return {
          action,
          label: followUps.retry ? `Start ${service} and Retry` : `Start ${service}`,
          run: async () => {
            if ((await startComposeService(workbench, project)) && followUps.retry) await followUps.retry();
          },
        };
      case 'runWithComposeRun':
        if (!followUps.retryWithComposeRun || followUps.allowComposeRun === false) return undefined;
        return { action, label: 'Run in a One-off Container', run: followUps.retryWithComposeRun };
      case 'startDocker':
        return { action, label: 'Start Docker: How', run: how('Docker is not reachable', startDockerHelp()) };
      case 'installDocker':
        return { action, label: 'Install Docker: How', run: how('Docker Compose is needed for the Docker Compose runner', installDockerHelp()) };
      case 'installAlembic':
        return { action, label: 'Install Alembic: How', run: how('Alembic is not installed where it runs', installAlembicHelp(settings)) };
      case 'upgradeAlembic':
        return { action, label: 'Upgrade Alembic: How', run: how('This Alembic is too old for the command', upgradeAlembicHelp(settings)) };
      case 'configureRunner':
        return { action, label: 'Configure Runner', run: command('alembicWorkbench.configureRunner') };
      case 'checkDatabaseConnection': {
        const envPy = path.join(project.config.scriptLocation, 'env.py');
        return existsSync(envPy) ? { action, label: 'Open env.py', run: () => openFileAt(envPy) } : undefined;
      }
      case 'openFile': {
        const file = hostFileOf(project, settings, failure.file);
        if (!file) {
          const envPy = path.join(project.config.scriptLocation, 'env.py');
          return failure.kind === 'pythonImportError' && existsSync(envPy) ? { action, label: 'Open env.py', run: () => openFileAt(envPy) } : undefined;
        }
        return { action, label: `Open ${path.basename(file)}`, run: () => openFileAt(file, failure.line) };
      }
      case 'showOutput':
      case 'useSplice':
      case 'runOnline':
        return undefined;
    }
  };

  const buttons: FailureButton[] = [];
  for (const action of failure.suggestedActions) {
    const button = make(action);
    if (button && !buttons.some((existing) => existing.label === button.label)) buttons.push(button);
    if (buttons.length === MAX_ACTION_BUTTONS) break;
  }
  buttons.push({ action: 'showOutput', label: 'Show Output', run: () => workbench.log.show(false) });
  return buttons;
}

/** A path Alembic printed (maybe inside the container) as a file on this machine, if it exists. */
function hostFileOf(project: WorkspaceProject, settings: WorkbenchSettings, reported: string | undefined): string | undefined {
  if (!reported) return undefined;
  const candidates = [path.resolve(project.config.here, reported)];
  if (settings.runner.mode === 'dockerCompose') {
    const mapped = pathMapperFor(project, settings)?.toHost(reported);
    if (mapped) candidates.unshift(mapped);
  }
  return candidates.find((candidate) => existsSync(candidate));
}

async function openFileAt(file: string, line?: number): Promise<void> {
  const position = line && line > 0 ? new vscode.Position(line - 1, 0) : undefined;
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false, selection: position ? new vscode.Range(position, position) : undefined });
}

function installAlembicHelp(settings: WorkbenchSettings): string {
  switch (settings.runner.mode) {
    case 'dockerCompose':
      return (
        `Alembic runs inside the "${settings.runner.dockerCompose.service}" container. Add alembic to the image's Python requirements ` +
        `(e.g. requirements.txt), then rebuild and restart the service:\n\ndocker compose build ${settings.runner.dockerCompose.service}\n` +
        `docker compose up -d ${settings.runner.dockerCompose.service}\n\nOr run Alembic on this machine: Alembic: Configure How Alembic Runs → Local.`
      );
    case 'local':
      return (
        'Install Alembic into the Python environment of this project (a virtual environment is best):\n\npython -m pip install alembic\n\n' +
        'Then select that interpreter with "Python: Select Interpreter" (Alembic Workbench runs <interpreter> -m alembic), ' +
        'or set alembicWorkbench.runner.local.command to its alembic, e.g. [".venv/bin/alembic"].'
      );
    case 'custom':
      return 'The custom runner command (alembicWorkbench.runner.custom.command) must reach an installed Alembic; check the program it starts.';
  }
}

function upgradeAlembicHelp(settings: WorkbenchSettings): string {
  const where = settings.runner.mode === 'dockerCompose' ? `in the "${settings.runner.dockerCompose.service}" image (requirements.txt, then docker compose build)` : 'in the environment that runs it';
  return `Upgrade Alembic ${where}:\n\npython -m pip install --upgrade "alembic>=1.9"\n\nUntil then, Generate Migration (autogenerate) shows the same thing: an empty upgrade() means no model change is missing a migration.`;
}

function startDockerHelp(): string {
  return (
    'Start Docker Desktop (macOS, Windows), or the Docker service on Linux (sudo systemctl start docker). If Docker runs, your user may not ' +
    'be allowed to use its socket: add it to the "docker" group and log in again.\n\nOr run Alembic on this machine: Alembic: Configure How Alembic Runs → Local.'
  );
}

function installDockerHelp(): string {
  return (
    'The Docker Compose runner needs the docker CLI with the Compose v2 plugin ("docker compose version" must work): install Docker Desktop, ' +
    'or Docker Engine with the docker-compose-plugin package.\n\nOr run Alembic on this machine: Alembic: Configure How Alembic Runs → Local.'
  );
}

// Alembic: Configure How Alembic Runs: a Docker Compose service (listed from the compose file, the
// one whose volume mounts alembic.ini first), a local Alembic (the Python extension's interpreter, a
// virtualenv of the project, or `alembic` from PATH), or a custom argv template. Writes the settings
// for the project's folder, then shows the exact command line a command will run.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { CommandLineSyntaxError, splitCommandLine } from '../core/runner/commandLineWords';
import { type ComposeProject, readComposeProject } from '../core/compose/composeProject';
import { PathMapper } from '../core/compose/pathMapper';
import { buildInvocation, RunnerConfigurationError, shellQuote } from '../core/runner/runnerModes';
import type { WorkspaceProject } from '../editorProject/projectRegistry';
import { findExecutableOnPath } from '../editorRunner/localCommand';
import { updateProjectSetting } from '../editorRunner/projectSettingsWriter';
import { composeFilesFor, runnerConfigFrom, usesFlaskDb } from '../editorRunner/runnerService';
import type { RunnerMode } from '../core/runner/runnerModes';
import type { WorkbenchSettings } from '../settings';
import type { Workbench } from '../workbench';
import { resolveProject } from './commandArguments';
import type { CommandDefinition } from './commandTable';

export const configureRunnerCommand: CommandDefinition = {
  id: 'alembicWorkbench.configureRunner',
  create: (workbench) => async (argument?: unknown) => {
    const project = await resolveProject(workbench, argument);
    if (!project) return undefined;
    const settings = workbench.settingsFor(project);
    const current = (mode: RunnerMode) => (settings.runner.mode === mode ? 'current' : undefined);
    const choice = await workbench.runners.prompts.pickOne(
      [
        { label: '$(server-process) Docker Compose service', description: current('dockerCompose'), detail: 'docker compose exec <service> alembic … (the container has Alembic and reaches the database)', mode: 'dockerCompose' as const },
        { label: '$(terminal) Local', description: current('local'), detail: "Alembic on this machine: the Python extension's interpreter, a virtualenv, or alembic from PATH", mode: 'local' as const },
        { label: '$(gear) Custom command', description: current('custom'), detail: 'Your own argv template, e.g. make alembic ARGS=${args}', mode: 'custom' as const },
      ],
      { placeHolder: `How should Alembic run for ${project.label}?` },
    );
    if (!choice) return undefined;
    const configured =
      choice.mode === 'dockerCompose'
        ? await configureCompose(workbench, project, settings)
        : choice.mode === 'local'
          ? await configureLocal(workbench, project, settings)
          : await configureCustom(workbench, project, settings);
    if (!configured) return undefined;
    if (!(await configureInvocation(workbench, project, workbench.settingsFor(project)))) return undefined;
    const updated = workbench.settingsFor(project);
    let commandLine: string;
    try {
      commandLine = buildInvocation(runnerConfigFrom(updated), { kind: 'current' }, workbench.runners.targetFor(project, updated)).commandLine;
    } catch (error) {
      commandLine = (error as Error).message;
    }
    const where =
      updated.runner.mode === 'dockerCompose'
        ? `in the Compose service "${updated.runner.dockerCompose.service}"`
        : updated.runner.mode === 'local'
          ? 'on this machine'
          : 'through your custom command';
    workbench.log.info(`${project.label}: runner set to ${updated.runner.mode}: ${commandLine}`);
    void workbench.runners.prompts.message('info', `${project.label}: Alembic now runs ${where}, e.g. ${commandLine}`, {}, 'Show Current').then((answer) => {
      if (answer) void vscode.commands.executeCommand('alembicWorkbench.showCurrent', { projectId: project.id });
    });
    return updated.runner;
  },
};

/**
 * `alembic` or Flask-Migrate's `flask db`: asked for Flask-Migrate projects (and when `flask db` was
 * chosen by hand), where both can make sense; other projects keep `alembic` without a question.
 */
async function configureInvocation(workbench: Workbench, project: WorkspaceProject, settings: WorkbenchSettings): Promise<boolean> {
  const flask = project.config.flavor === 'flask-migrate';
  if (!flask && settings.runner.invocation !== 'flask db') return true;
  const usesFlask = usesFlaskDb(project, settings);
  const choice = await workbench.runners.prompts.pickOne(
    [
      {
        label: '$(flame) flask db',
        description: [flask ? 'detected' : '', usesFlask ? 'current' : ''].filter(Boolean).join(' · ') || undefined,
        detail: `Flask-Migrate: flask db upgrade, flask db migrate -m …${flask && project.config.flavorEvidence ? ` (${project.config.flavorEvidence})` : ''}`,
        value: flask ? ('auto' as const) : ('flask db' as const),
      },
      { label: '$(terminal) alembic', description: usesFlask ? undefined : 'current', detail: 'Alembic itself: alembic upgrade, alembic revision --autogenerate …', value: 'alembic' as const },
    ],
    { placeHolder: `How is Alembic invoked for ${project.label}?` },
  );
  if (!choice) return false;
  await updateProjectSetting(project, 'runner.invocation', choice.value);
  return true;
}

async function configureCompose(workbench: Workbench, project: WorkspaceProject, settings: WorkbenchSettings): Promise<boolean> {
  const prompts = workbench.runners.prompts;
  const files = composeFilesFor(project, settings);
  if (files.length === 0) {
    void prompts.message('warning', `No compose file (compose.yaml, docker-compose.yml…) in ${project.config.here} or above it in the workspace.`, {}, 'Open Settings').then((answer) => {
      if (answer) void vscode.commands.executeCommand('workbench.action.openSettings', 'alembicWorkbench.runner.dockerCompose.files');
    });
    return false;
  }
  let compose: ComposeProject;
  try {
    compose = readComposeProject(files);
  } catch (error) {
    void prompts.message('error', `Could not read the compose file: ${(error as Error).message}`, {});
    return false;
  }
  const services = [...compose.services.values()].map((service) => {
    const containerPath = PathMapper.fromService(service).toContainer(project.config.here);
    return {
      label: service.name,
      description: [service.name === settings.runner.dockerCompose.service ? 'current' : '', service.environment.DATABASE_URL ? 'has DATABASE_URL' : ''].filter(Boolean).join(' · '),
      detail: containerPath ? `mounts ${project.label} at ${containerPath}` : 'does not mount the alembic.ini folder',
      mounted: containerPath !== undefined,
      service: service.name,
    };
  });
  services.sort((a, b) => Number(b.mounted) - Number(a.mounted));
  if (services.length === 0) {
    void prompts.message('warning', `${path.basename(files[0])} defines no services.`, {});
    return false;
  }
  const picked = await prompts.pickOne(services, { placeHolder: `Which service of ${path.basename(files[0])} has Alembic?` });
  if (!picked) return false;
  const user = await prompts.pickOne(
    [
      { label: "As the image's user", description: settings.runner.dockerCompose.user ? '' : 'current', detail: 'Often root: new revision files then belong to root on your disk.', value: '' },
      { label: 'As you (--user ${hostUser})', description: settings.runner.dockerCompose.user === '${hostUser}' ? 'current' : '', detail: 'New revision files belong to you. The image must work for that user id.', value: '${hostUser}' },
    ],
    { placeHolder: 'Which user runs Alembic in the container?' },
  );
  if (!user) return false;
  await updateProjectSetting(project, 'runner.mode', 'dockerCompose');
  await updateProjectSetting(project, 'runner.dockerCompose.service', picked.service);
  await updateProjectSetting(project, 'runner.dockerCompose.user', user.value || undefined);
  return true;
}

async function configureLocal(workbench: Workbench, project: WorkspaceProject, settings: WorkbenchSettings): Promise<boolean> {
  const prompts = workbench.runners.prompts;
  const items: Array<{ label: string; description?: string; detail?: string; command?: string[]; usePythonExtension?: boolean }> = [];
  const interpreter = await workbench.runners.pythonInterpreterFor(project.workspaceFolder.uri);
  if (interpreter) {
    items.push({ label: "The Python extension's interpreter", description: `${interpreter} -m alembic`, detail: 'Follows "Python: Select Interpreter".', command: ['alembic'], usePythonExtension: true });
  }
  for (const folder of new Set([project.config.here, project.workspaceFolder.uri.fsPath])) {
    for (const venv of ['.venv', 'venv', 'env']) {
      const candidate = process.platform === 'win32' ? path.join(folder, venv, 'Scripts', 'alembic.exe') : path.join(folder, venv, 'bin', 'alembic');
      if (existsSync(candidate)) items.push({ label: `Virtualenv ${path.relative(project.workspaceFolder.uri.fsPath, path.dirname(path.dirname(candidate))) || venv}`, description: candidate, command: [candidate], usePythonExtension: false });
    }
  }
  const onPath = findExecutableOnPath('alembic');
  if (onPath) items.push({ label: 'alembic from PATH', description: onPath, command: [onPath], usePythonExtension: false });
  items.push({ label: 'Enter a command…', detail: 'e.g. /opt/venv/bin/python -m alembic (split into words, no shell)' });
  const picked = await prompts.pickOne(items, { placeHolder: `Which Alembic runs for ${project.label}? (in ${project.config.here})` });
  if (!picked) return false;
  let command = picked.command;
  if (!command) {
    const typed = await prompts.inputBox({
      prompt: 'The program and its leading arguments; Alembic\'s arguments are added after them',
      value: settings.runner.local.command.map(shellQuote).join(' '),
      validateInput: (value) => {
        try {
          return splitCommandLine(value).length === 0 ? 'Enter a program, e.g. alembic' : undefined;
        } catch (error) {
          return error instanceof CommandLineSyntaxError ? error.message : String(error);
        }
      },
    });
    if (typed === undefined) return false;
    command = splitCommandLine(typed);
  }
  await updateProjectSetting(project, 'runner.mode', 'local');
  await updateProjectSetting(project, 'runner.local.command', command);
  if (picked.usePythonExtension !== undefined) await updateProjectSetting(project, 'runner.local.usePythonExtension', picked.usePythonExtension);
  return true;
}

async function configureCustom(workbench: Workbench, project: WorkspaceProject, settings: WorkbenchSettings): Promise<boolean> {
  const target = workbench.runners.targetFor(project, settings);
  const typed = await workbench.runners.prompts.inputBox({
    prompt: 'Argument template, never run through a shell: ${args} is where Alembic\'s arguments go; also ${config}, ${workspaceFolder}, ${service}',
    value: settings.runner.custom.command.length ? settings.runner.custom.command.map(shellQuote).join(' ') : 'make alembic ARGS=${args}',
    validateInput: (value) => {
      try {
        const template = splitCommandLine(value);
        buildInvocation({ mode: 'custom', template, service: settings.runner.dockerCompose.service }, { kind: 'current' }, target);
        return undefined;
      } catch (error) {
        if (error instanceof CommandLineSyntaxError || error instanceof RunnerConfigurationError) return error.message;
        throw error;
      }
    },
  });
  if (typed === undefined) return false;
  await updateProjectSetting(project, 'runner.mode', 'custom');
  await updateProjectSetting(project, 'runner.custom.command', splitCommandLine(typed));
  return true;
}

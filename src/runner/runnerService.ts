// Turns settings into the core runner's configuration for a project, and keeps one command lock for
// the whole window, so the tree, the palette and CodeLens can't start two commands on one project.
import path from 'node:path';
import * as vscode from 'vscode';
import { AlembicRunner } from '../core/runner/alembicRunner';
import { findComposeFile, PathMapper, readComposeProject } from '../core/runner/composeProjectInfo';
import { ProjectCommandLock } from '../core/runner/processRunner';
import type { RunnerConfig, RunnerTarget } from '../core/runner/runnerModes';
import type { WorkspaceProject } from '../projects/projectRegistry';
import { readSettings, type WorkbenchSettings } from '../settings';

export class RunnerService {
  readonly lock = new ProjectCommandLock();

  /** The runner for a project, built from the settings that apply to its folder. */
  runnerFor(project: WorkspaceProject): AlembicRunner {
    const settings = readSettings(vscode.Uri.file(project.config.here));
    return new AlembicRunner({
      runner: runnerConfigFrom(settings),
      target: this.targetFor(project, settings),
      lock: this.lock,
      // Read at every start, not captured: trust can be granted while the window is open.
      isTrusted: () => vscode.workspace.isTrusted,
    });
  }

  targetFor(project: WorkspaceProject, settings = readSettings(vscode.Uri.file(project.config.here))): RunnerTarget {
    const iniPath = project.config.configFile ?? path.join(project.config.here, 'alembic.ini');
    const workspaceFolder = project.workspaceFolder.uri.fsPath;
    return {
      iniPath,
      workspaceFolder,
      configName: project.config.section !== 'alembic' ? project.config.section : undefined,
      xArguments: settings.alembic.extraArguments,
      pathMapper: settings.runner.mode === 'dockerCompose' ? pathMapperFor(project, settings) : undefined,
    };
  }

  /** Whether a command is running for this project (to disable buttons, refuse a second one). */
  isBusy(project: WorkspaceProject): boolean {
    return this.lock.current(this.runnerFor(project).projectKey) !== undefined;
  }
}

export function runnerConfigFrom(settings: WorkbenchSettings): RunnerConfig {
  const runner = settings.runner;
  switch (runner.mode) {
    case 'local':
      return { mode: 'local', command: runner.local.command };
    case 'custom':
      return { mode: 'custom', template: runner.custom.command, service: runner.dockerCompose.service };
    default:
      return {
        mode: 'dockerCompose',
        service: runner.dockerCompose.service,
        files: runner.dockerCompose.files.length ? runner.dockerCompose.files : undefined,
        projectDirectory: runner.dockerCompose.projectDirectory || undefined,
        workdir: runner.dockerCompose.workdir || undefined,
        user: runner.dockerCompose.user || undefined,
      };
  }
}

/** Container <-> host paths: the setting when given, else the service's bind mounts. */
function pathMapperFor(project: WorkspaceProject, settings: WorkbenchSettings): PathMapper | undefined {
  const workspaceFolder = project.workspaceFolder.uri.fsPath;
  const configured = settings.runner.dockerCompose.pathMappings;
  if (Object.keys(configured).length > 0) return PathMapper.fromSetting(configured, workspaceFolder);
  try {
    const files = settings.runner.dockerCompose.files.length
      ? settings.runner.dockerCompose.files.map((file) => path.resolve(workspaceFolder, file))
      : [findComposeFile(project.config.here, workspaceFolder)].filter((file): file is string => Boolean(file));
    if (files.length === 0) return undefined;
    const service = readComposeProject(files).services.get(settings.runner.dockerCompose.service);
    return service ? PathMapper.fromService(service) : undefined;
  } catch {
    // A broken compose file is reported when a command runs (docker compose says why); mapping
    // just stays unknown until then.
    return undefined;
  }
}

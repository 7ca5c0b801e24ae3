// Every `alembicWorkbench.*` setting is read here, through one sanitising reader, into plain typed
// data. Features never call getConfiguration themselves, so a new setting is added in one place
// (and in package.json), and a hand-edited settings.json with a wrong type falls back to the default
// instead of breaking a feature.
import * as vscode from 'vscode';
import type { StatusSource } from './core/db/databaseStatusService';
import type { DatabaseTargetSetting } from './core/db/databaseTargets';
import type { RunnerMode } from './core/runner/runnerModes';

export type LintRunMode = 'onType' | 'onSave' | 'off';

export interface WorkbenchSettings {
  runner: {
    mode: RunnerMode;
    dockerCompose: {
      service: string;
      /** The Compose command (`["docker", "compose"]`...); empty: detected. */
      command: string[];
      files: string[];
      projectDirectory: string;
      workdir: string;
      user: string;
      runWhenServiceStopped: 'ask' | 'never';
      pathMappings: Record<string, string>;
    };
    local: { command: string[]; usePythonExtension: boolean };
    custom: { command: string[] };
    /** How Alembic is invoked: `auto` is `flask db` for Flask-Migrate projects, else `alembic`. */
    invocation: RunnerInvocation;
    /** FLASK_APP for `flask db`; empty: the project's .flaskenv / .env, else Flask's own default. */
    flaskApp: string;
    /** An env file whose variables Alembic's process gets; relative to the workspace folder. Empty: none. */
    envFile: string;
  };
  alembic: { extraArguments: string[]; configName: string };
  database: {
    url: string;
    urlEnvironmentVariable: string;
    targets: DatabaseTargetSetting[];
    versionTable: string;
    versionTableSchema: string;
    statusSource: StatusSource;
    refreshIntervalSeconds: number;
    showTableSizes: boolean;
  };
  protectedEnvironments: string[];
  lint: { run: LintRunMode; debounceMilliseconds: number; dialect: string };
  tree: { groupByBranch: boolean };
  codeLens: { enabled: boolean };
}

export type RunnerInvocation = 'auto' | 'alembic' | 'flask db';

export const SETTINGS_SECTION = 'alembicWorkbench';

/** Reads the settings that apply to a resource (a project's folder) or to the window. */
export function readSettings(scope?: vscode.ConfigurationScope): WorkbenchSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const text = (key: string, fallback: string) => {
    const value = config.get<unknown>(key);
    return typeof value === 'string' ? value.trim() : fallback;
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const value = config.get<unknown>(key);
    return allowed.includes(value as T) ? (value as T) : fallback;
  };
  const flag = (key: string, fallback: boolean) => {
    const value = config.get<unknown>(key);
    return typeof value === 'boolean' ? value : fallback;
  };
  const count = (key: string, fallback: number) => {
    const value = config.get<unknown>(key);
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
  };
  const strings = (key: string, fallback: string[]) => {
    const value = config.get<unknown>(key);
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? [...value] : fallback;
  };
  const stringMap = (key: string) => {
    const value = config.get<unknown>(key);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  };
  const targets = (): DatabaseTargetSetting[] => {
    const value = config.get<unknown>('database.targets');
    if (!Array.isArray(value)) return [];
    return value.flatMap((item): DatabaseTargetSetting[] => {
      if (!item || typeof item !== 'object' || typeof item.name !== 'string' || !item.name.trim()) return [];
      return [
        {
          name: item.name.trim(),
          url: typeof item.url === 'string' && item.url.trim() ? item.url.trim() : undefined,
          urlEnvironmentVariable:
            typeof item.urlEnvironmentVariable === 'string' && item.urlEnvironmentVariable.trim()
              ? item.urlEnvironmentVariable.trim()
              : undefined,
        },
      ];
    });
  };
  const localCommand = strings('runner.local.command', ['alembic']).filter((part) => part.length > 0);

  return {
    runner: {
      mode: oneOf('runner.mode', ['dockerCompose', 'local', 'custom'] as const, 'dockerCompose'),
      dockerCompose: {
        service: text('runner.dockerCompose.service', 'backend') || 'backend',
        command: strings('runner.dockerCompose.command', []).filter(Boolean),
        files: strings('runner.dockerCompose.files', []).filter(Boolean),
        projectDirectory: text('runner.dockerCompose.projectDirectory', ''),
        workdir: text('runner.dockerCompose.workdir', ''),
        user: text('runner.dockerCompose.user', ''),
        runWhenServiceStopped: oneOf('runner.dockerCompose.runWhenServiceStopped', ['ask', 'never'] as const, 'ask'),
        pathMappings: stringMap('runner.dockerCompose.pathMappings'),
      },
      local: {
        command: localCommand.length > 0 ? localCommand : ['alembic'],
        usePythonExtension: flag('runner.local.usePythonExtension', true),
      },
      custom: { command: strings('runner.custom.command', []) },
      invocation: oneOf('runner.invocation', ['auto', 'alembic', 'flask db'] as const, 'auto'),
      flaskApp: text('runner.flask.app', ''),
      envFile: text('runner.envFile', ''),
    },
    alembic: {
      extraArguments: strings('alembic.extraArguments', []).filter(Boolean),
      configName: text('alembic.configName', ''),
    },
    database: {
      url: text('database.url', ''),
      urlEnvironmentVariable: text('database.urlEnvironmentVariable', 'DATABASE_URL'),
      targets: targets(),
      versionTable: text('database.versionTable', 'alembic_version') || 'alembic_version',
      versionTableSchema: text('database.versionTableSchema', ''),
      statusSource: oneOf('database.statusSource', ['auto', 'database', 'alembic'] as const, 'auto'),
      refreshIntervalSeconds: count('database.refreshInterval', 0),
      showTableSizes: flag('database.showTableSizes', true),
    },
    protectedEnvironments: strings('protectedEnvironments', ['*prod*', '*production*']),
    lint: {
      run: oneOf('lint.run', ['onType', 'onSave', 'off'] as const, 'onType'),
      debounceMilliseconds: count('lint.debounceMilliseconds', 300),
      dialect: text('lint.dialect', 'auto') || 'auto',
    },
    // A window setting: read without the resource, or VS Code warns that it can't be scoped.
    tree: { groupByBranch: readGroupByBranch() },
    codeLens: { enabled: flag('codeLens.enabled', true) },
  };
}

/** `tree.groupByBranch` (window scope: one view for the whole window). */
export function readGroupByBranch(): boolean {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>('tree.groupByBranch');
  return typeof value === 'boolean' ? value : false;
}

/**
 * Remembers the Revisions view's grouping where it is already set (the workspace, if someone put
 * it there), else for the user, so the choice survives a reload.
 */
export async function writeGroupByBranch(value: boolean): Promise<void> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const inspected = config.inspect<boolean>('tree.groupByBranch');
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('tree.groupByBranch', value, target);
}

/** True when a configuration change touches any of our settings (optionally only under `key`). */
export function affectsSettings(event: vscode.ConfigurationChangeEvent, key?: string): boolean {
  return event.affectsConfiguration(key ? `${SETTINGS_SECTION}.${key}` : SETTINGS_SECTION);
}

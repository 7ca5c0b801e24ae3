// Which database a project's state is read from. The project's own target takes its URL from, in
// order: the `database.url` setting (a URL, or the name of an environment variable), the environment
// variable named by `database.urlEnvironmentVariable` (VS Code's environment, then the Compose
// service's `environment`/`env_file`), and the ini's `sqlalchemy.url`. Named targets (dev, staging)
// come from settings; one target is selected.
//
// A URL found in a compose file names hosts as seen inside the compose network (`db:5432`). When
// the host is a compose service that publishes the port, the connection goes to the published
// address instead, and the target says so; when it publishes nothing, the target says the database
// is reachable only inside the network (the status service then asks `alembic current`).
import path from 'node:path';
import { DatabaseUrlError } from './databaseErrors';
import {
  ComposeFileError,
  type ComposeProject,
  findComposeFiles,
  publishedAddress,
  readComposeProject,
  serviceForHostName,
} from '../compose/composeProject';
import { PathMapper } from '../compose/pathMapper';
import { type DatabaseConnectionSpec, toDatabaseConnectionSpec } from './sqlalchemyUrl';

export interface DatabaseTargetSetting {
  name: string;
  url?: string;
  urlEnvironmentVariable?: string;
}

export type DatabaseUrlOrigin =
  | { kind: 'setting' }
  | { kind: 'setting-environment'; variable: string }
  | { kind: 'environment'; variable: string }
  | { kind: 'compose'; variable: string; service: string; file: string }
  | { kind: 'ini'; file?: string }
  | { kind: 'named-target'; variable?: string; composeFile?: string };

export interface ComposeNetworkHost {
  /** The host as written in the URL (`db`). */
  host: string;
  /** The compose service it names. */
  service: string;
  /** Where it is reached from this machine, when the service publishes the port. */
  publishedAs?: { host: string; port: number };
}

export interface DatabaseTarget {
  /** Stable key: one connection pool per id. `<projectId>#<name>`. */
  id: string;
  /** `project` for the project's own URL, else the name from settings. */
  name: string;
  /** The raw URL. Holds the password: never show it; use `spec.display` or maskUrlPassword. */
  url?: string;
  origin?: DatabaseUrlOrigin;
  /** "DATABASE_URL of compose service backend (docker-compose.yml)": for tooltips. */
  originLabel: string;
  /** How to connect; undefined when the URL is missing or can't be converted (see `error`). */
  spec?: DatabaseConnectionSpec;
  error?: DatabaseUrlError;
  /** Set when the URL's host is a compose service name. */
  composeHost?: ComposeNetworkHost;
  /**
   * Why the database can only be read from inside the compose project (a host that publishes no
   * port, a SQLite file that is not on a bind mount); `auto` then asks `alembic current` at once.
   */
  onlyInsideCompose?: string;
  /** Explanations for people (host mapping, driver quirks). */
  notes: string[];
}

export interface DatabaseTargetInputs {
  projectId: string;
  /** The alembic.ini folder: relative SQLite paths are resolved against it, as Alembic does. */
  baseDirectory: string;
  iniUrl?: string;
  iniFile?: string;
  settings: {
    url?: string;
    urlEnvironmentVariable?: string;
    targets?: DatabaseTargetSetting[];
  };
  /** The environment the editor (or CLI) runs in. */
  environment: Record<string, string | undefined>;
  compose?: ComposeProject;
  /** The service that runs Alembic (`backend`). */
  composeService?: string;
  /** The target the user picked last; falls back to the project's own target. */
  selectedTargetName?: string;
  /** Passwords the user typed (kept by the editor in SecretStorage), by target name. */
  passwords?: Record<string, string>;
}

export interface DatabaseTargets {
  targets: DatabaseTarget[];
  selected?: DatabaseTarget;
}

export const PROJECT_TARGET_NAME = 'project';

const ENV_VARIABLE_NAME = /^\$?\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/;

export async function resolveDatabaseTargets(inputs: DatabaseTargetInputs): Promise<DatabaseTargets> {
  const serviceName = inputs.composeService ?? 'backend';
  const composeService = inputs.compose?.services.get(serviceName);
  const composeFile = inputs.compose?.files[0];

  const fromVariable = (variable: string): { url: string; origin: DatabaseUrlOrigin; label: string } | undefined => {
    const shell = inputs.environment[variable];
    if (shell && shell.trim()) return { url: shell, origin: { kind: 'environment', variable }, label: `${variable} from the environment` };
    const composed = composeService?.environment[variable];
    if (composed && composed.trim()) {
      const source = composeService!.environmentSources[variable]!;
      const file = source === 'environment' ? composeFile! : source;
      return {
        url: composed,
        origin: { kind: 'compose', variable, service: serviceName, file },
        label: `${variable} of compose service ${serviceName} (${baseName(file)})`,
      };
    }
    return undefined;
  };

  const targets: DatabaseTarget[] = [];
  const namedTargets = (inputs.settings.targets ?? []).filter((target) => target.name.trim());

  // The project's own target.
  let own: { url: string; origin: DatabaseUrlOrigin; label: string } | undefined;
  const settingUrl = inputs.settings.url?.trim();
  if (settingUrl) {
    const variable = ENV_VARIABLE_NAME.exec(settingUrl)?.[1];
    if (variable) {
      const found = fromVariable(variable);
      own = found
        ? { ...found, origin: { kind: 'setting-environment', variable }, label: `${found.label} (named by the database.url setting)` }
        : undefined;
    } else {
      own = { url: settingUrl, origin: { kind: 'setting' }, label: 'the database.url setting' };
    }
  }
  const urlVariable = inputs.settings.urlEnvironmentVariable?.trim();
  if (!own && !settingUrl && urlVariable) own = fromVariable(urlVariable);
  if (!own && !settingUrl && inputs.iniUrl?.trim()) {
    own = { url: inputs.iniUrl, origin: { kind: 'ini', file: inputs.iniFile }, label: `sqlalchemy.url in ${inputs.iniFile ? baseName(inputs.iniFile) : 'alembic.ini'}` };
  }
  if (!namedTargets.some((target) => target.name === PROJECT_TARGET_NAME)) {
    if (own) {
      targets.push(buildTarget(inputs, PROJECT_TARGET_NAME, own.url, own.origin, own.label));
    } else {
      const looked = [
        settingUrl ? `the database.url setting (${settingUrl})` : undefined,
        urlVariable ? `${urlVariable} (environment${inputs.compose ? `, compose service ${serviceName}` : ''})` : undefined,
        'sqlalchemy.url in alembic.ini',
      ].filter(Boolean);
      targets.push({
        id: `${inputs.projectId}#${PROJECT_TARGET_NAME}`,
        name: PROJECT_TARGET_NAME,
        originLabel: 'not configured',
        error: new DatabaseUrlError('empty', `no database URL found: looked at ${looked.join(', ')}`),
        notes: [],
      });
    }
  }

  for (const setting of namedTargets) {
    const name = setting.name.trim();
    if (setting.url?.trim()) {
      targets.push(buildTarget(inputs, name, setting.url, { kind: 'named-target' }, `database target "${name}"`));
    } else if (setting.urlEnvironmentVariable?.trim()) {
      const variable = setting.urlEnvironmentVariable.trim();
      const found = fromVariable(variable);
      if (found) {
        const composeFileOfTarget = found.origin.kind === 'compose' ? found.origin.file : undefined;
        targets.push(buildTarget(inputs, name, found.url, { kind: 'named-target', variable, composeFile: composeFileOfTarget }, `database target "${name}" (${found.label})`));
      } else {
        targets.push({
          id: `${inputs.projectId}#${name}`,
          name,
          originLabel: `database target "${name}"`,
          error: new DatabaseUrlError('empty', `database target "${name}": environment variable ${variable} is not set`),
          notes: [],
        });
      }
    } else {
      targets.push({
        id: `${inputs.projectId}#${name}`,
        name,
        originLabel: `database target "${name}"`,
        error: new DatabaseUrlError('empty', `database target "${name}" has neither "url" nor "urlEnvironmentVariable"`),
        notes: [],
      });
    }
  }

  const selected =
    targets.find((target) => target.name === inputs.selectedTargetName) ??
    targets.find((target) => target.name === PROJECT_TARGET_NAME && target.spec) ??
    targets.find((target) => target.spec) ??
    targets[0];
  return { targets, selected };
}

export interface DiscoverTargetsInputs extends Omit<DatabaseTargetInputs, 'compose'> {
  /** Compose files as configured (`runner.dockerCompose.files`); empty: found like `docker compose` does. */
  composeFiles?: string[];
  /** Where the search for a compose file stops going up (the workspace folder). */
  searchComposeUpTo?: string;
}

/**
 * The whole lookup for a project: finds and reads its compose files (the configured ones, or those
 * `docker compose` would pick up from the alembic.ini folder upwards), then resolves the targets.
 * Compose problems (bad YAML, a missing env_file) come back as warnings, never as errors.
 */
export async function discoverDatabaseTargets(inputs: DiscoverTargetsInputs): Promise<DatabaseTargets & { composeFiles: string[]; warnings: string[] }> {
  const configured = (inputs.composeFiles ?? []).filter(Boolean).map((file) => path.resolve(inputs.searchComposeUpTo ?? inputs.baseDirectory, file));
  const composeFiles = configured.length > 0 ? configured : findComposeFiles(inputs.baseDirectory, inputs.searchComposeUpTo);
  let compose: ComposeProject | undefined;
  const warnings: string[] = [];
  try {
    compose = composeFiles.length > 0 ? readComposeProject(composeFiles, { environment: inputs.environment }) : undefined;
  } catch (error) {
    // A broken compose file leaves the other sources of a URL usable: it becomes a note.
    if (!(error instanceof ComposeFileError)) throw error;
    warnings.push(`could not read the compose files: ${error.message}`);
  }
  const resolved = await resolveDatabaseTargets({ ...inputs, compose });
  return { ...resolved, composeFiles, warnings: [...warnings, ...(compose?.warnings ?? [])] };
}

/** A copy of the target that uses a password the user typed (the URL had none, or a wrong one). */
export function withPassword(target: DatabaseTarget, password: string): DatabaseTarget {
  if (!target.spec || target.spec.dialect !== 'postgresql') return target;
  return {
    ...target,
    spec: {
      ...target.spec,
      clientConfig: { ...target.spec.clientConfig, password },
      secrets: [...target.spec.secrets, password],
    },
  };
}

function buildTarget(
  inputs: DatabaseTargetInputs,
  name: string,
  url: string,
  origin: DatabaseUrlOrigin,
  originLabel: string,
): DatabaseTarget {
  const target: DatabaseTarget = { id: `${inputs.projectId}#${name}`, name, url, origin, originLabel, notes: [] };
  try {
    target.spec = toDatabaseConnectionSpec(url, { baseDirectory: inputs.baseDirectory });
  } catch (error) {
    if (error instanceof DatabaseUrlError) {
      target.error = error;
      return target;
    }
    throw error;
  }
  target.notes.push(...target.spec.notes);
  const composeFile = origin.kind === 'compose' ? origin.file : origin.kind === 'named-target' ? origin.composeFile : undefined;
  if (inputs.compose) mapComposeHost(target, inputs.compose);
  if (inputs.compose && composeFile) mapContainerSqlitePath(target, inputs.compose, inputs.composeService ?? 'backend');
  const password = inputs.passwords?.[name];
  return password ? withPassword(target, password) : target;
}

function mapComposeHost(target: DatabaseTarget, compose: ComposeProject): void {
  const spec = target.spec;
  if (!spec || spec.dialect !== 'postgresql') return;
  const host = spec.clientConfig.host;
  if (!host || host.startsWith('/')) return;
  const service = serviceForHostName(compose, host);
  if (!service) return;
  const port = spec.clientConfig.port ?? 5432;
  const published = publishedAddress(service, port);
  target.composeHost = { host, service: service.name, publishedAs: published };
  if (published) {
    spec.clientConfig = { ...spec.clientConfig, host: published.host, port: published.port };
    spec.location = `${published.host}:${published.port}/${spec.clientConfig.database ?? ''}`;
    target.notes.push(
      `\`${host}\` is the compose service name of ${service.name}, seen from inside the compose network; ` +
        `from this machine it is reached at ${published.host}:${published.port} (its published port)`,
    );
  } else {
    target.onlyInsideCompose = `\`${host}\` is only reachable inside the compose network`;
    target.notes.push(
      `\`${host}\` is the compose service name of ${service.name}: it exists only inside the compose network and ` +
        `${service.name} publishes no port for ${port}. From this machine use localhost:<published port> ` +
        `(add \`ports: ["${port}:${port}"]\` to ${service.name}), or read the state with \`alembic current\` (status source "alembic")`,
    );
  }
}

// A SQLite URL from the compose service's environment names a path inside the container
// (`sqlite:////app/data/app.db`, or relative to its working_dir): read the file through the bind
// mount that holds it.
function mapContainerSqlitePath(target: DatabaseTarget, compose: ComposeProject, serviceName: string): void {
  const spec = target.spec;
  const service = compose.services.get(serviceName);
  if (!spec || spec.dialect !== 'sqlite' || !service || !target.url) return;
  const database = /^sqlite[^:]*:\/\/\/([^?]*)/.exec(target.url.trim())?.[1];
  if (!database) return;
  const containerPath = path.posix.resolve(service.workingDir ?? '/', database.replace(/^file:/, ''));
  const hostPath = PathMapper.fromService(service).toHost(containerPath);
  if (hostPath) {
    spec.file = hostPath;
    spec.location = hostPath;
    target.notes.push(`${containerPath} in the ${serviceName} container is ${hostPath} on this machine (bind mount)`);
  } else {
    target.onlyInsideCompose = `the SQLite file ${containerPath} is inside the ${serviceName} container`;
    target.notes.push(`the SQLite file ${containerPath} lives inside the ${serviceName} container, not on a bind mount: read with \`alembic current\``);
  }
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

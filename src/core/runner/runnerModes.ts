// Where Alembic runs: inside the Compose service (`docker compose exec`), on this machine, or
// through the user's own command template. Each mode turns Alembic's argv into one process
// invocation: an executable and an argv array, never a shell string.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { alembicArgv, flaskDbArgv, type AlembicCommand, type AlembicGlobalOptions } from './alembicCommand';
import { parseEnvFile } from '../compose/interpolation';
import type { PathMapper } from '../compose/pathMapper';
import { maskSecrets } from '../util/maskSecrets';

export interface DockerComposeRunnerConfig {
  mode: 'dockerCompose';
  /** Default `backend`. */
  service?: string;
  /** `-f` files; relative ones are resolved against the workspace folder. */
  files?: string[];
  projectDirectory?: string;
  /** `exec -w`; default: the container path of the alembic.ini folder (from the path mapper). */
  workdir?: string;
  /** `exec --user`; `${hostUser}` becomes this user's `uid:gid`. */
  user?: string;
  /** The docker CLI; default `docker` from PATH (used with `compose` when `composeCommand` is unset). */
  dockerExecutable?: string;
  /** The Compose command with its leading arguments: `["docker", "compose"]`, `["docker-compose"]`, `["podman", "compose"]`... */
  composeCommand?: string[];
  /** Alembic inside the container; default `["alembic"]`. */
  alembicCommand?: string[];
}

export interface LocalRunnerConfig {
  mode: 'local';
  /** Executable and leading arguments, e.g. `["alembic"]` or `["/usr/bin/python3", "-m", "alembic"]`. */
  command: string[];
}

export interface CustomRunnerConfig {
  mode: 'custom';
  /** e.g. `["make", "alembic", "ARGS=${args}"]` or `["ssh", "staging", "cd /app && alembic ${args}"]`. */
  template: string[];
  /** Value of `${service}` (the Compose service setting); default `backend`. */
  service?: string;
}

export type RunnerConfig = DockerComposeRunnerConfig | LocalRunnerConfig | CustomRunnerConfig;
export type RunnerMode = RunnerConfig['mode'];

/** The project a command runs for. */
export interface RunnerTarget {
  /** Absolute host path of the project's alembic.ini. */
  iniPath: string;
  workspaceFolder: string;
  /** `-n` section name (omit for `alembic`). */
  configName?: string;
  /** `-x` values added to every command. */
  xArguments?: string[];
  /** Container <-> host paths (dockerCompose). */
  pathMapper?: PathMapper;
  /** The user on this machine: `${hostUser}`, and whose files count as the user's own. Default: this process's. */
  hostUser?: { uid: number; gid: number };
  /** Set when Alembic runs through Flask-Migrate's `flask db` instead of `alembic`. */
  flaskDb?: FlaskDbTarget;
  /**
   * Absolute host path of an env file (dotenv syntax) whose variables Alembic's process gets: in
   * its environment locally, through `-e NAME` into the container. Read at every run.
   */
  environmentFile?: string;
}

/** What `flask db` needs: where the app is (flask runs there) and its migrations folder. */
export interface FlaskDbTarget {
  /** Absolute host folder `flask` runs in: the migrations folder's parent. */
  appRoot: string;
  /** The migrations folder relative to appRoot (`-d` unless it is `migrations`). */
  directory: string;
  /** FLASK_APP, when a setting or the project's .env / .flaskenv names it. */
  flaskApp?: string;
  /** Where flaskApp comes from: a setting beats the environment file; the app's dotenv files don't. */
  flaskAppSource?: 'setting' | 'dotenv';
}

/**
 * The `flask db` target of a migrations folder (the one holding Flask-Migrate's alembic.ini).
 * FLASK_APP: the one given, else the app folder's .env, then .flaskenv (Flask's own order when
 * python-dotenv is installed, the first file winning; read here too so it also works without it).
 */
export function flaskDbTarget(migrationsFolder: string, flaskApp?: string): FlaskDbTarget {
  const appRoot = path.dirname(migrationsFolder);
  const directory = path.basename(migrationsFolder);
  if (flaskApp) return { appRoot, directory, flaskApp, flaskAppSource: 'setting' };
  const fromDotenv = flaskAppFromDotenv(appRoot);
  return { appRoot, directory, flaskApp: fromDotenv, flaskAppSource: fromDotenv === undefined ? undefined : 'dotenv' };
}

function flaskAppFromDotenv(appRoot: string): string | undefined {
  for (const name of ['.env', '.flaskenv']) {
    let text: string;
    try {
      text = readFileSync(path.join(appRoot, name), 'utf8');
    } catch {
      continue;
    }
    const match = /^\s*(?:export\s+)?FLASK_APP\s*=\s*(?:"([^"]*)"|'([^']*)'|([^#\s]*))/m.exec(text);
    if (match) return match[1] ?? match[2] ?? match[3] ?? undefined;
  }
  return undefined;
}

/**
 * The flask executable that goes with a configured Alembic one: `alembic` -> `flask`,
 * `/venv/bin/alembic` -> `/venv/bin/flask`, `python -m alembic` -> `python -m flask`; anything else
 * is used as it is (the user configured flask itself).
 */
export function flaskCommandFor(alembicCommand: string[]): string[] {
  const moduleIndex = alembicCommand.findIndex((part, index) => part === '-m' && alembicCommand[index + 1] === 'alembic');
  if (moduleIndex >= 0) return [...alembicCommand.slice(0, moduleIndex + 1), 'flask', ...alembicCommand.slice(moduleIndex + 2)];
  const [executable, ...rest] = alembicCommand;
  const match = /^(.*?)alembic(\.exe)?$/i.exec(executable ?? '');
  if (match && (match[1] === '' || /[\\/]$/.test(match[1]))) return [`${match[1]}flask${match[2] ?? ''}`, ...rest];
  return alembicCommand;
}

/** One process to start. `commandLine` is for people (logs, confirmations): quoted and masked. */
export interface ProcessInvocation {
  executable: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  commandLine: string;
}

export class RunnerConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunnerConfigurationError';
  }
}

export const DEFAULT_COMPOSE_SERVICE = 'backend';
/**
 * libpq's variable for `application_name`: the runner names every run's database sessions with it
 * (psycopg and every libpq-based driver read it), so Cancel can end them on the server too.
 */
export const RUN_APPLICATION_NAME_VARIABLE = 'PGAPPNAME';
const DEFAULT_INI_NAME = 'alembic.ini';

export interface BuildInvocationOptions {
  /** dockerCompose only: `docker compose run --rm` instead of `exec` (service not running). */
  composeRun?: boolean;
}

/** The process that runs `command` for `target` in the given mode. */
export function buildInvocation(
  runner: RunnerConfig,
  command: AlembicCommand,
  target: RunnerTarget,
  options: BuildInvocationOptions = {},
): ProcessInvocation {
  switch (runner.mode) {
    case 'local':
      return localInvocation(runner, command, target);
    case 'dockerCompose':
      return composeInvocation(runner, command, target, options.composeRun === true);
    case 'custom':
      return customInvocation(runner, command, target);
  }
}

// ------------------------------------------------------------------------------------------------
// local
// ------------------------------------------------------------------------------------------------

function localInvocation(runner: LocalRunnerConfig, command: AlembicCommand, target: RunnerTarget): ProcessInvocation {
  const [executable, ...leading] = runner.command.filter((part) => part.length > 0);
  if (!executable) throw new RunnerConfigurationError('The local runner command is empty; set it to e.g. ["alembic"].');
  const fileEnvironment = readEnvironmentFile(target);
  if (target.flaskDb) {
    const [flask, ...flaskLeading] = flaskCommandFor([executable, ...leading]);
    const flaskApp = effectiveFlaskApp(target.flaskDb, fileEnvironment);
    return invocation(flask, [...flaskLeading, ...toolArgv(command, target)], target.flaskDb.appRoot, {
      PYTHONUNBUFFERED: '1',
      ...fileEnvironment,
      ...(flaskApp === undefined ? {} : { FLASK_APP: flaskApp }),
    });
  }
  const args = [...leading, ...alembicArgv(command, globalOptions(target))];
  return invocation(executable, args, path.dirname(target.iniPath), { PYTHONUNBUFFERED: '1', ...fileEnvironment });
}

// ------------------------------------------------------------------------------------------------
// dockerCompose
// ------------------------------------------------------------------------------------------------

/** The Compose executable: the configured command's first word, else the docker CLI. */
function composeExecutable(runner: DockerComposeRunnerConfig): string {
  return runner.composeCommand?.[0] ?? runner.dockerExecutable ?? 'docker';
}

/** `docker compose [-f f...] [--project-directory d]`: the part every compose command shares (after the executable). */
export function composeBaseArgs(runner: DockerComposeRunnerConfig, target: RunnerTarget): string[] {
  const args = runner.composeCommand?.length ? runner.composeCommand.slice(1) : ['compose'];
  for (const file of runner.files ?? []) args.push('-f', path.resolve(target.workspaceFolder, file));
  if (runner.projectDirectory) args.push('--project-directory', path.resolve(target.workspaceFolder, runner.projectDirectory));
  return args;
}

/** Where compose commands start: Compose finds docker-compose.yml from here, searching upwards. */
function composeCwd(runner: DockerComposeRunnerConfig, target: RunnerTarget): string {
  return runner.projectDirectory
    ? path.resolve(target.workspaceFolder, runner.projectDirectory)
    : path.dirname(target.iniPath);
}

function composeInvocation(
  runner: DockerComposeRunnerConfig,
  command: AlembicCommand,
  target: RunnerTarget,
  composeRun: boolean,
): ProcessInvocation {
  const service = runner.service?.trim() || DEFAULT_COMPOSE_SERVICE;
  if (service.startsWith('-')) throw new RunnerConfigurationError(`"${service}" is not a Compose service name.`);

  const workdir = runner.workdir?.trim() || target.pathMapper?.toContainer(target.flaskDb ? target.flaskDb.appRoot : path.dirname(target.iniPath));
  const args = [...composeBaseArgs(runner, target)];
  // -T: no pseudo-terminal, so stdout and stderr stay separate pipes we can read line by line.
  args.push(...(composeRun ? ['run', '--rm', '-T'] : ['exec', '-T']));
  if (workdir) args.push('-w', workdir);
  const user = expandHostUser(runner.user?.trim() ?? '', target);
  if (user) args.push('--user', user);
  // The env file's variables go in by name only (`-e NAME`: Compose takes the value from its own
  // environment), so no value, secret or not, is ever on a command line or in a log.
  const fileEnvironment = readEnvironmentFile(target);
  const flaskApp = target.flaskDb && effectiveFlaskApp(target.flaskDb, fileEnvironment);
  for (const name of Object.keys(fileEnvironment)) if (!(flaskApp !== undefined && name === 'FLASK_APP')) args.push('-e', name);
  // FLASK_APP goes in with `-e` so the container's flask finds the app as it would locally.
  if (flaskApp) args.push('-e', `FLASK_APP=${flaskApp}`);
  // The run's name for PostgreSQL, passed on from our environment (no value in the argv): a
  // cancelled run's sessions are found by it.
  args.push('-e', RUN_APPLICATION_NAME_VARIABLE);
  args.push(service, ...containerAlembicArgv(runner, command, target));
  return invocation(composeExecutable(runner), args, composeCwd(runner, target), Object.keys(fileEnvironment).length ? fileEnvironment : undefined);
}

/** Alembic's argv as the container runs it (what `exec` passes after the service name). */
function containerAlembicArgv(runner: DockerComposeRunnerConfig, command: AlembicCommand, target: RunnerTarget): string[] {
  const configured = (runner.alembicCommand ?? ['alembic']).filter((part) => part.length > 0);
  if (configured.length === 0) throw new RunnerConfigurationError('The Alembic command inside the container is empty.');
  const alembic = target.flaskDb ? flaskCommandFor(configured) : configured;
  return [...alembic, ...toolArgv(command, target)];
}

// Run by the container's Python (Alembic brings one): finds the processes whose command line ends
// with the given argv (the first word compared by name: a script's shebang puts the interpreter
// before it), sends SIGTERM, and SIGKILL to those still alive after 5 s. Prints their pids.
const STOP_IN_CONTAINER_SCRIPT = [
  'import json, os, signal, sys, time',
  'want = json.loads(sys.argv[1])',
  'def matches(pid):',
  '    try:',
  '        with open("/proc/%s/cmdline" % pid, "rb") as f: words = f.read().decode("utf-8", "replace").split("\\0")[:-1]',
  '    except OSError: return False',
  '    tail = words[-len(want):] if len(words) >= len(want) else None',
  '    return bool(tail) and os.path.basename(tail[0]) == os.path.basename(want[0]) and tail[1:] == want[1:]',
  'pids = [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid() and matches(p)]',
  'for pid in pids:',
  '    try: os.kill(pid, signal.SIGTERM)',
  '    except OSError: pass',
  'deadline = time.time() + 5',
  'while time.time() < deadline and any(os.path.exists("/proc/%d" % p) and matches(p) for p in pids): time.sleep(0.1)',
  'for pid in pids:',
  '    try: os.kill(pid, signal.SIGKILL)',
  '    except OSError: pass',
  'print(json.dumps(pids))',
].join('\n');

/**
 * `docker compose exec ... python3 -c <stop script> <argv>`: stops, inside the container, the
 * Alembic process of a cancelled `exec`. Killing the client does not reach it: `docker compose
 * exec -T` forwards no signal, so the migration would run on (and hold its locks) without this.
 */
export function buildStopInContainerInvocation(
  runner: DockerComposeRunnerConfig,
  command: AlembicCommand,
  target: RunnerTarget,
): ProcessInvocation {
  const service = runner.service?.trim() || DEFAULT_COMPOSE_SERVICE;
  const args = [...composeBaseArgs(runner, target), 'exec', '-T'];
  // The same user as the run: only it (or root) may signal the process.
  const user = expandHostUser(runner.user?.trim() ?? '', target);
  if (user) args.push('--user', user);
  args.push(service, 'python3', '-c', STOP_IN_CONTAINER_SCRIPT, JSON.stringify(containerAlembicArgv(runner, command, target)));
  return invocation(composeExecutable(runner), args, composeCwd(runner, target));
}

/** `docker compose ... ps --services --status running`: prints the running services, one a line. */
export function buildRunningServicesInvocation(runner: DockerComposeRunnerConfig, target: RunnerTarget): ProcessInvocation {
  return invocation(
    composeExecutable(runner),
    [...composeBaseArgs(runner, target), 'ps', '--services', '--status', 'running'],
    composeCwd(runner, target),
  );
}

/** `docker compose ... config --services`: every service the project defines, one a line. */
export function buildDefinedServicesInvocation(runner: DockerComposeRunnerConfig, target: RunnerTarget): ProcessInvocation {
  return invocation(composeExecutable(runner), [...composeBaseArgs(runner, target), 'config', '--services'], composeCwd(runner, target));
}

/** `docker compose ... up -d <service>`: starts the service that runs Alembic (and what it depends on). */
export function buildStartServiceInvocation(runner: DockerComposeRunnerConfig, target: RunnerTarget): ProcessInvocation {
  const service = runner.service?.trim() || DEFAULT_COMPOSE_SERVICE;
  if (service.startsWith('-')) throw new RunnerConfigurationError(`"${service}" is not a Compose service name.`);
  return invocation(composeExecutable(runner), [...composeBaseArgs(runner, target), 'up', '-d', service], composeCwd(runner, target));
}

function expandHostUser(user: string, target: RunnerTarget): string {
  if (!user.includes('${hostUser}')) return user;
  const hostUser = target.hostUser ?? currentHostUser();
  if (!hostUser) throw new RunnerConfigurationError('${hostUser} is not available on this platform; set the user explicitly.');
  return user.split('${hostUser}').join(`${hostUser.uid}:${hostUser.gid}`);
}

function currentHostUser(): { uid: number; gid: number } | undefined {
  return typeof process.getuid === 'function' && typeof process.getgid === 'function'
    ? { uid: process.getuid(), gid: process.getgid() }
    : undefined;
}

// ------------------------------------------------------------------------------------------------
// custom
// ------------------------------------------------------------------------------------------------

/**
 * Expands a custom template. The rules, and why:
 * - An element that is exactly `${args}` becomes Alembic's arguments as SEPARATE elements
 *   (`["alembic-wrapper", "${args}"]` -> `alembic-wrapper upgrade head`): the program receives
 *   them as its own argv, exactly as Alembic would, so nothing needs quoting.
 * - `${args}` inside a longer element (`"ARGS=${args}"`, `"cd /app && alembic ${args}"`) becomes
 *   the arguments joined by spaces, each quoted for a POSIX shell. Embedding only makes sense when
 *   that element is later parsed by a shell (make runs `$(ARGS)` through sh, ssh hands its command
 *   to the remote shell), so the quoting is what keeps a message like `a; rm -rf ~` one argument
 *   there. For the same reason every other variable in such an element is quoted too.
 * - `${config}` (absolute host path of alembic.ini), `${configDir}`, `${workspaceFolder}` and
 *   `${service}` elsewhere are replaced verbatim: no shell reads those elements.
 * - `${args}` must appear (or the command would run without Alembic's arguments); unknown
 *   variables are an error rather than being passed on literally.
 * The process starts in the folder of alembic.ini. `${args}` carries `-n`/`-x` but not `-c`: the
 * template decides where the config is (`-c ${config}` locally, a remote path over ssh).
 */
function customInvocation(runner: CustomRunnerConfig, command: AlembicCommand, target: RunnerTarget): ProcessInvocation {
  const template = runner.template;
  if (template.length === 0 || !template[0]) {
    throw new RunnerConfigurationError('The custom runner template is empty; e.g. ["make", "alembic", "ARGS=${args}"].');
  }
  if (!template.some((element) => element.includes('${args}'))) {
    throw new RunnerConfigurationError('The custom runner template must contain ${args} (where Alembic\'s arguments go).');
  }
  const alembicArgs = target.flaskDb ? toolArgv(command, target) : alembicArgv(command, { name: target.configName, xArguments: target.xArguments });
  const variables: Record<string, string> = {
    config: target.iniPath,
    configDir: path.dirname(target.iniPath),
    workspaceFolder: target.workspaceFolder,
    service: runner.service?.trim() || DEFAULT_COMPOSE_SERVICE,
  };
  const expanded: string[] = [];
  for (const element of template) {
    if (element === '${args}') {
      expanded.push(...alembicArgs);
      continue;
    }
    const shellBound = element.includes('${args}');
    expanded.push(
      element.replace(/\$\{([A-Za-z]+)\}/g, (_match, name: string) => {
        if (name === 'args') return alembicArgs.map(shellQuote).join(' ');
        const value = variables[name];
        if (value === undefined) {
          throw new RunnerConfigurationError(
            `Unknown variable \${${name}} in the custom runner template; known: \${args}, ${Object.keys(variables).map((key) => `\${${key}}`).join(', ')}.`,
          );
        }
        return shellBound ? shellQuote(value) : value;
      }),
    );
  }
  const [executable, ...args] = expanded;
  const fileEnvironment = readEnvironmentFile(target);
  return invocation(executable, args, path.dirname(target.iniPath), Object.keys(fileEnvironment).length ? fileEnvironment : undefined);
}

// ------------------------------------------------------------------------------------------------
// shared
// ------------------------------------------------------------------------------------------------

/** The arguments after the executable: Alembic's, or `db <verb> ...` for Flask-Migrate. */
function toolArgv(command: AlembicCommand, target: RunnerTarget): string[] {
  if (!target.flaskDb) return alembicArgv(command, globalOptions(target));
  return flaskDbArgv(command, { directory: target.flaskDb.directory, xArguments: target.xArguments });
}

/** FLASK_APP: a setting, else the environment file's, else the app's .env / .flaskenv (Flask's order). */
function effectiveFlaskApp(flaskDb: FlaskDbTarget, fileEnvironment: Record<string, string>): string | undefined {
  if (flaskDb.flaskAppSource === 'setting') return flaskDb.flaskApp;
  return fileEnvironment.FLASK_APP || flaskDb.flaskApp;
}

/**
 * The variables of the target's environment file (none without one). They win over the inherited
 * environment, as the Python extension's `python.envFile` does; `${VAR}` in values expands from the
 * file's earlier lines, then this process's environment (python-dotenv's rule). A file that can't
 * be read stops the run with a clear message rather than running Alembic without its variables.
 */
export function readEnvironmentFile(target: Pick<RunnerTarget, 'environmentFile'>): Record<string, string> {
  const file = target.environmentFile;
  if (!file) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
    throw new RunnerConfigurationError(`The env file for Alembic's environment, ${file}, can't be read: ${reason}.`);
  }
  return parseEnvFile(text, (name) => process.env[name]);
}

function globalOptions(target: RunnerTarget): AlembicGlobalOptions {
  const iniName = path.basename(target.iniPath);
  return {
    // The process starts in the ini's folder (or -w maps to it), so only a non-default name needs -c.
    config: iniName === DEFAULT_INI_NAME ? undefined : iniName,
    name: target.configName,
    xArguments: target.xArguments,
  };
}

function invocation(executable: string, args: string[], cwd: string, env?: Record<string, string>): ProcessInvocation {
  return { executable, args, cwd, env, commandLine: formatCommandLine([executable, ...args]) };
}

/** Quotes one argument for a POSIX shell: bare when safe, else single quotes (`'` -> `'\''`). */
export function shellQuote(argument: string): string {
  if (argument !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(argument)) return argument;
  return `'${argument.replace(/'/g, `'\\''`)}'`;
}

/** A copy-pasteable, password-masked command line for logs and confirmation dialogs. */
export function formatCommandLine(argv: string[]): string {
  return maskSecrets(argv.map(shellQuote).join(' '));
}

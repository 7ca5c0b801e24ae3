// What the runner needs to know from a Docker Compose project without a Docker engine: which
// services exist, a service's working_dir, environment and bind mounts, and how a path inside the
// container maps to the host (so "Generating /app/alembic/versions/x.py" opens backend/alembic/...).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { interpolate as substituteVariables, parseEnvFile } from '../compose/interpolation';

/** The names `docker compose` looks for, in its order of preference. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export interface BindMount {
  /** Absolute host path. */
  hostPath: string;
  /** Absolute path inside the container (POSIX). */
  containerPath: string;
  readOnly: boolean;
}

export interface ComposeService {
  name: string;
  workingDir?: string;
  user?: string;
  bindMounts: BindMount[];
  /** `environment` merged over `env_file` contents, after interpolation. */
  environment: Record<string, string>;
}

export interface ComposeProject {
  files: string[];
  projectDirectory: string;
  services: Map<string, ComposeService>;
  /** Things we could not use (an env_file that is missing, a malformed volume); never fatal. */
  warnings: string[];
}

export class ComposeFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
  ) {
    super(line ? `${file}:${line}: ${message}` : `${file}: ${message}`);
    this.name = 'ComposeFileError';
  }
}

/**
 * The compose file `docker compose` would use when started in `startDir`: the first known name in
 * that folder or the nearest parent (Compose searches upwards too). `stopDir` bounds the walk.
 */
export function findComposeFile(startDir: string, stopDir?: string): string | undefined {
  let dir = path.resolve(startDir);
  const stop = stopDir ? path.resolve(stopDir) : undefined;
  for (;;) {
    for (const name of COMPOSE_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir || dir === stop) return undefined;
    dir = parent;
  }
}

export interface ReadComposeOptions {
  /** `--project-directory`; default: the folder of the first file (as Compose does). */
  projectDirectory?: string;
  /** Variables for `${VAR}` interpolation; default process.env, under the project's `.env`. */
  environment?: Record<string, string | undefined>;
}

/** Reads and merges compose files (later files override earlier ones, as `-f a -f b` does). */
export function readComposeProject(files: string[], options: ReadComposeOptions = {}): ComposeProject {
  if (files.length === 0) throw new Error('readComposeProject needs at least one compose file');
  const absoluteFiles = files.map((file) => path.resolve(file));
  const projectDirectory = path.resolve(options.projectDirectory ?? path.dirname(absoluteFiles[0]));
  const variables = { ...readDotEnv(path.join(projectDirectory, '.env')), ...(options.environment ?? process.env) };
  const warnings: string[] = [];
  const merged = new Map<string, RawService>();

  for (const file of absoluteFiles) {
    const document = loadYaml(file);
    const services = document.services;
    if (services === undefined || services === null) continue;
    if (!isRecord(services)) throw new ComposeFileError(file, '"services" must be a mapping');
    for (const [name, raw] of Object.entries(services)) {
      if (!isRecord(raw)) throw new ComposeFileError(file, `service "${name}" must be a mapping`);
      merged.set(name, mergeService(merged.get(name), raw));
    }
  }

  const services = new Map<string, ComposeService>();
  for (const [name, raw] of merged) {
    const interpolate = (value: string) => interpolateVariables(value, variables, warnings);
    services.set(name, {
      name,
      workingDir: typeof raw.working_dir === 'string' ? interpolate(raw.working_dir) : undefined,
      user: typeof raw.user === 'string' || typeof raw.user === 'number' ? interpolate(String(raw.user)) : undefined,
      bindMounts: [...raw.volumes.values()].flatMap((volume) => {
        const mount = parseBindMount(volume, projectDirectory, interpolate);
        if (mount === 'invalid') {
          warnings.push(`service "${name}": could not read volume ${JSON.stringify(volume)}`);
          return [];
        }
        return mount ? [mount] : [];
      }),
      environment: {
        ...readEnvFiles(raw.env_file, projectDirectory, interpolate, warnings, name, variables),
        ...environmentOf(raw.environment, interpolate, variables),
      },
    });
  }
  return { files: absoluteFiles, projectDirectory, services, warnings };
}

/** A clear answer to "is `name` a service of this project?", with the names that do exist. */
export function describeMissingService(project: ComposeProject, name: string): string | undefined {
  if (project.services.has(name)) return undefined;
  const known = [...project.services.keys()];
  return known.length
    ? `The Compose project has no service "${name}"; its services are: ${known.join(', ')}.`
    : `The Compose project defines no services (looked in ${project.files.join(', ')}).`;
}

// ------------------------------------------------------------------------------------------------
// Path mapping
// ------------------------------------------------------------------------------------------------

export interface PathMapping {
  containerPath: string;
  hostPath: string;
}

/** Maps paths between the container and the host by their longest matching mount prefix. */
export class PathMapper {
  readonly mappings: readonly PathMapping[];

  constructor(mappings: PathMapping[]) {
    this.mappings = mappings.map((mapping) => ({
      containerPath: path.posix.normalize(mapping.containerPath).replace(/(.)\/$/, '$1'),
      hostPath: path.resolve(mapping.hostPath),
    }));
  }

  /** From a service's bind mounts (the default when the user configured no mapping). */
  static fromService(service: ComposeService): PathMapper {
    return new PathMapper(service.bindMounts.map(({ hostPath, containerPath }) => ({ hostPath, containerPath })));
  }

  /** From the `pathMappings` setting: `{ "/app": "${workspaceFolder}/backend" }`. */
  static fromSetting(setting: Record<string, string>, workspaceFolder: string): PathMapper {
    return new PathMapper(
      Object.entries(setting).map(([containerPath, hostPath]) => ({
        containerPath,
        hostPath: path.resolve(workspaceFolder, hostPath.split('${workspaceFolder}').join(workspaceFolder)),
      })),
    );
  }

  /** The host path of a container path, or undefined when no mount covers it. */
  toHost(containerPath: string): string | undefined {
    const normalized = path.posix.normalize(containerPath);
    const mapping = longestPrefix(this.mappings, (m) => m.containerPath, normalized, path.posix.sep);
    if (!mapping) return undefined;
    const rest = normalized.slice(mapping.containerPath.length).replace(/^\/+/, '');
    return rest ? path.join(mapping.hostPath, ...rest.split('/')) : mapping.hostPath;
  }

  /** The container path of a host path, or undefined when it is not mounted. */
  toContainer(hostPath: string): string | undefined {
    const normalized = path.resolve(hostPath);
    const mapping = longestPrefix(this.mappings, (m) => m.hostPath, normalized, path.sep);
    if (!mapping) return undefined;
    const rest = path.relative(mapping.hostPath, normalized);
    return rest ? path.posix.join(mapping.containerPath, ...rest.split(path.sep)) : mapping.containerPath;
  }
}

function longestPrefix<T>(items: readonly T[], key: (item: T) => string, value: string, separator: string): T | undefined {
  let best: T | undefined;
  let bestLength = -1;
  for (const item of items) {
    const prefix = key(item);
    const covers =
      value === prefix || value.startsWith(prefix.endsWith(separator) ? prefix : prefix + separator);
    if (covers && prefix.length > bestLength) {
      best = item;
      bestLength = prefix.length;
    }
  }
  return best;
}

// ------------------------------------------------------------------------------------------------
// Parsing details
// ------------------------------------------------------------------------------------------------

interface RawService {
  working_dir?: unknown;
  user?: unknown;
  environment?: unknown;
  env_file?: unknown;
  /** Keyed by container path: a later file's mount of the same target replaces the earlier one. */
  volumes: Map<string, unknown>;
}

function loadYaml(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ComposeFileError(file, `cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let document: unknown;
  try {
    // merge: Compose files often share settings through YAML anchors and `<<:` merge keys.
    document = parseYaml(text, { merge: true, uniqueKeys: false });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      throw new ComposeFileError(file, `invalid YAML: ${error.message.split('\n')[0]}`, error.linePos?.[0]?.line);
    }
    throw new ComposeFileError(file, `invalid YAML: ${(error as Error).message}`);
  }
  if (document === null || document === undefined) return {};
  if (!isRecord(document)) throw new ComposeFileError(file, 'the top level must be a mapping');
  return document;
}

function mergeService(previous: RawService | undefined, raw: Record<string, unknown>): RawService {
  const volumes = new Map(previous?.volumes ?? []);
  if (Array.isArray(raw.volumes)) {
    for (const volume of raw.volumes) volumes.set(volumeTarget(volume) ?? `#${volumes.size}`, volume);
  }
  const environment =
    previous?.environment !== undefined && raw.environment !== undefined
      ? { ...environmentAsRecord(previous.environment), ...environmentAsRecord(raw.environment) }
      : (raw.environment ?? previous?.environment);
  return {
    working_dir: raw.working_dir ?? previous?.working_dir,
    user: raw.user ?? previous?.user,
    environment,
    env_file: raw.env_file ?? previous?.env_file,
    volumes,
  };
}

function volumeTarget(volume: unknown): string | undefined {
  if (typeof volume === 'string') {
    const parts = volume.split(':');
    return parts.length >= 2 ? parts[1] : parts[0];
  }
  if (isRecord(volume) && typeof volume.target === 'string') return volume.target;
  return undefined;
}

/** A bind mount, `undefined` for named/anonymous volumes, `'invalid'` when unreadable. */
function parseBindMount(
  volume: unknown,
  projectDirectory: string,
  interpolate: (value: string) => string,
): BindMount | undefined | 'invalid' {
  let source: string | undefined;
  let target: string | undefined;
  let readOnly = false;
  if (typeof volume === 'string') {
    const parts = interpolate(volume).split(':');
    if (parts.length === 1) return undefined; // anonymous volume
    [source, target] = parts;
    readOnly = parts.slice(2).join(':').split(',').includes('ro');
    // Only paths are bind mounts; a bare name refers to a named volume.
    if (!/^[./~]/.test(source)) return undefined;
  } else if (isRecord(volume)) {
    if (volume.type !== 'bind') return volume.type === undefined ? 'invalid' : undefined;
    if (typeof volume.source !== 'string' || typeof volume.target !== 'string') return 'invalid';
    source = interpolate(volume.source);
    target = interpolate(volume.target);
    readOnly = volume.read_only === true;
  } else {
    return 'invalid';
  }
  if (!source || !target || !target.startsWith('/')) return 'invalid';
  const hostPath = source.startsWith('~') ? path.join(homedir(), source.slice(1)) : path.resolve(projectDirectory, source);
  return { hostPath, containerPath: path.posix.normalize(target), readOnly };
}

function environmentAsRecord(environment: unknown): Record<string, unknown> {
  if (isRecord(environment)) return environment;
  if (!Array.isArray(environment)) return {};
  const record: Record<string, unknown> = {};
  for (const entry of environment) {
    if (typeof entry !== 'string') continue;
    const equals = entry.indexOf('=');
    if (equals < 0) record[entry] = null;
    else record[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return record;
}

function environmentOf(
  environment: unknown,
  interpolate: (value: string) => string,
  variables: Record<string, string | undefined>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(environmentAsRecord(environment))) {
    if (value === null || value === undefined) {
      // `- NAME` without a value: Compose passes the variable through from its own environment.
      const inherited = variables[key];
      if (inherited !== undefined) result[key] = inherited;
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      result[key] = typeof value === 'string' ? interpolate(value) : String(value);
    }
  }
  return result;
}

function readEnvFiles(
  envFile: unknown,
  projectDirectory: string,
  interpolate: (value: string) => string,
  warnings: string[],
  service: string,
  variables: Record<string, string | undefined>,
): Record<string, string> {
  const entries = envFile === undefined ? [] : Array.isArray(envFile) ? envFile : [envFile];
  const result: Record<string, string> = {};
  for (const entry of entries) {
    const file = typeof entry === 'string' ? entry : isRecord(entry) && typeof entry.path === 'string' ? entry.path : undefined;
    const required = !(isRecord(entry) && entry.required === false);
    if (!file) continue;
    const absolute = path.resolve(projectDirectory, interpolate(file));
    if (!existsSync(absolute)) {
      if (required) warnings.push(`service "${service}": env_file ${absolute} does not exist`);
      continue;
    }
    Object.assign(result, readDotEnv(absolute, (name) => result[name] ?? variables[name], warnings));
  }
  return result;
}

/** A `.env` / env_file's variables; an unreadable file has none. */
function readDotEnv(file: string, lookup?: (name: string) => string | undefined, warnings?: string[]): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  return parseEnvFile(text, lookup, warnings);
}

/** Compose's `${VAR}` substitution (nested defaults too) over a variable table. */
export function interpolateVariables(value: string, variables: Record<string, string | undefined>, warnings?: string[]): string {
  return substituteVariables(value, (name) => variables[name], warnings);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

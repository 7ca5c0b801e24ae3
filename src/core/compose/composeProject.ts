// A Docker Compose project read without a Docker engine, the one reader the runner (working_dir,
// user, bind mounts for path mapping) and the database targets (the service environment, host
// names and published ports) share. Checked against `docker compose config` in
// test/docker/composeReading.test.ts.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { interpolate, parseEnvFile } from './interpolation';

/** The names `docker compose` looks for, in its order of preference. */
const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDE_FILE_NAMES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];

export interface BindMount {
  /** Absolute host path. */
  hostPath: string;
  /** Absolute path inside the container (POSIX). */
  containerPath: string;
  readOnly: boolean;
}

export interface PublishedPort {
  /** Port inside the container. */
  target: number;
  /** Port on this machine; undefined when Compose picks one at random. */
  published?: number;
  /** Address it is bound to on this machine (`127.0.0.1`), undefined for all addresses. */
  hostIp?: string;
}

export interface ComposeService {
  name: string;
  /** Names this service answers to on the compose network: the service name, hostname, aliases... */
  hostNames: string[];
  workingDir?: string;
  user?: string;
  bindMounts: BindMount[];
  /** `environment` merged over `env_file` contents, after interpolation. */
  environment: Record<string, string>;
  /** Where each environment variable came from: an env_file's absolute path, or `environment`. */
  environmentSources: Record<string, string>;
  ports: PublishedPort[];
}

export interface ComposeProject {
  /** The compose files read, absolute, in merge order. */
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
 * The compose files `docker compose` would read without `-f` when started in `startDirectory`: the
 * first known name in that folder or the nearest parent, plus its override file if any.
 * `stopDirectory` (inclusive) bounds the walk.
 */
export function findComposeFiles(startDirectory: string, stopDirectory?: string): string[] {
  let directory = path.resolve(startDirectory);
  const stop = stopDirectory ? path.resolve(stopDirectory) : undefined;
  for (;;) {
    const main = COMPOSE_FILE_NAMES.map((name) => path.join(directory, name)).find((file) => existsSync(file));
    if (main) {
      const override = OVERRIDE_FILE_NAMES.map((name) => path.join(directory, name)).find((file) => existsSync(file));
      return override ? [main, override] : [main];
    }
    const parent = path.dirname(directory);
    if (directory === stop || parent === directory) return [];
    directory = parent;
  }
}

export interface ReadComposeOptions {
  /** `--project-directory`; default: the folder of the first file (as Compose does). */
  projectDirectory?: string;
  /** The shell environment Compose would see (`${VAR}`, bare `KEY`); default process.env, over the project's `.env`. */
  environment?: Record<string, string | undefined>;
}

/**
 * Reads and merges compose files (later files override earlier ones, as `-f a -f b` does). Throws
 * ComposeFileError for a file that can't be read or isn't a compose file; smaller problems become
 * warnings.
 */
export function readComposeProject(files: string[], options: ReadComposeOptions = {}): ComposeProject {
  if (files.length === 0) throw new Error('readComposeProject needs at least one compose file');
  const absoluteFiles = files.map((file) => path.resolve(file));
  const projectDirectory = path.resolve(options.projectDirectory ?? path.dirname(absoluteFiles[0]!));
  const warnings: string[] = [];
  // The shell wins over `.env`, as in Compose.
  const variables = { ...readDotEnv(path.join(projectDirectory, '.env'), undefined, warnings), ...(options.environment ?? process.env) };
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
  const substitute = (value: string) => interpolate(value, (name) => variables[name], warnings);
  const text = (value: unknown) =>
    typeof value === 'string' ? substitute(value) : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  for (const [name, raw] of merged) {
    const fromFiles = readEnvFiles(raw.env_file, projectDirectory, substitute, warnings, name, variables);
    const fromEnvironment = environmentOf(raw.environment, substitute, variables);
    const environmentSources: Record<string, string> = { ...fromFiles.sources };
    for (const key of Object.keys(fromEnvironment)) environmentSources[key] = 'environment';
    const hostNames = [name];
    for (const candidate of [raw.hostname, raw.container_name, ...raw.aliases].map(text)) {
      if (candidate && !hostNames.includes(candidate)) hostNames.push(candidate);
    }
    services.set(name, {
      name,
      hostNames,
      workingDir: typeof raw.working_dir === 'string' ? substitute(raw.working_dir) : undefined,
      user: typeof raw.user === 'string' || typeof raw.user === 'number' ? substitute(String(raw.user)) : undefined,
      bindMounts: [...raw.volumes.values()].flatMap((volume) => {
        const mount = parseBindMount(volume, projectDirectory, substitute);
        if (mount === 'invalid') {
          warnings.push(`service "${name}": could not read volume ${JSON.stringify(volume)}`);
          return [];
        }
        return mount ? [mount] : [];
      }),
      environment: { ...fromFiles.values, ...fromEnvironment },
      environmentSources,
      ports: raw.ports.flatMap((entry) => parsePorts(isRecord(entry) ? entry : text(entry), text)),
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

/** The compose service a host name designates on the compose network, if any. */
export function serviceForHostName(project: ComposeProject, host: string): ComposeService | undefined {
  const lowered = host.toLowerCase();
  return [...project.services.values()].find((service) => service.hostNames.some((name) => name.toLowerCase() === lowered));
}

/** Where a service's container port is reachable from this machine, when it is published. */
export function publishedAddress(service: ComposeService, containerPort: number): { host: string; port: number } | undefined {
  const port = service.ports.find((candidate) => candidate.target === containerPort && candidate.published !== undefined);
  if (!port) return undefined;
  const hostIp = port.hostIp;
  // Published on every address: loopback is the one that is sure to work (and avoids IPv6-first `localhost`).
  const host = !hostIp || hostIp === '0.0.0.0' ? '127.0.0.1' : hostIp === '::' ? '::1' : hostIp;
  return { host, port: port.published! };
}

// ------------------------------------------------------------------------------------------------
// Parsing details
// ------------------------------------------------------------------------------------------------

interface RawService {
  working_dir?: unknown;
  user?: unknown;
  hostname?: unknown;
  container_name?: unknown;
  environment?: unknown;
  env_file?: unknown;
  /** Keyed by container path: a later file's mount of the same target replaces the earlier one. */
  volumes: Map<string, unknown>;
  /** Ports and network aliases add up across files, as in Compose. */
  ports: unknown[];
  aliases: unknown[];
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
    // merge: Compose files often share settings through YAML anchors and `<<:` merge keys;
    // maxAliasCount stops an alias bomb before it expands.
    document = parseYaml(text, { merge: true, uniqueKeys: false, maxAliasCount: 100 });
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
  const aliases: unknown[] = [...(previous?.aliases ?? [])];
  if (isRecord(raw.networks)) {
    for (const network of Object.values(raw.networks)) {
      if (isRecord(network) && Array.isArray(network.aliases)) aliases.push(...(network.aliases as unknown[]));
    }
  }
  return {
    working_dir: raw.working_dir ?? previous?.working_dir,
    user: raw.user ?? previous?.user,
    hostname: raw.hostname ?? previous?.hostname,
    container_name: raw.container_name ?? previous?.container_name,
    environment,
    env_file: raw.env_file ?? previous?.env_file,
    volumes,
    ports: [...(previous?.ports ?? []), ...(Array.isArray(raw.ports) ? (raw.ports as unknown[]) : [])],
    aliases,
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
function parseBindMount(volume: unknown, projectDirectory: string, substitute: (value: string) => string): BindMount | undefined | 'invalid' {
  let source: string | undefined;
  let target: string | undefined;
  let readOnly = false;
  if (typeof volume === 'string') {
    const parts = substitute(volume).split(':');
    if (parts.length === 1) return undefined; // anonymous volume
    [source, target] = parts;
    readOnly = parts.slice(2).join(':').split(',').includes('ro');
    // Only paths are bind mounts; a bare name refers to a named volume.
    if (!/^[./~]/.test(source!)) return undefined;
  } else if (isRecord(volume)) {
    if (volume.type !== 'bind') return volume.type === undefined ? 'invalid' : undefined;
    if (typeof volume.source !== 'string' || typeof volume.target !== 'string') return 'invalid';
    source = substitute(volume.source);
    target = substitute(volume.target);
    readOnly = volume.read_only === true;
  } else {
    return 'invalid';
  }
  if (!source || !target || !target.startsWith('/')) return 'invalid';
  const hostPath = source.startsWith('~') ? path.join(homedir(), source.slice(1)) : path.resolve(projectDirectory, source);
  return { hostPath, containerPath: path.posix.normalize(target), readOnly };
}

function parsePorts(entry: Record<string, unknown> | string | undefined, text: (value: unknown) => string | undefined): PublishedPort[] {
  if (entry === undefined) return [];
  if (typeof entry !== 'string') {
    // Long syntax: { target: 5432, published: "5433", host_ip: 127.0.0.1 }
    const target = Number(text(entry.target));
    if (!Number.isInteger(target)) return [];
    const publishedText = text(entry.published);
    const published = publishedText && /^\d+$/.test(publishedText) ? Number(publishedText) : undefined;
    return [{ target, published, hostIp: text(entry.host_ip) || undefined }];
  }
  // Short syntax: [HOST_IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTOCOL]; the IP may be [::1].
  const withoutProtocol = entry.replace(/\/(tcp|udp|sctp)$/i, '');
  const match = /^(?:(\[[^\]]+\]|[^:]*):)?(?:(\d*(?:-\d+)?):)?(\d+(?:-\d+)?)$/.exec(withoutProtocol);
  if (!match) return [];
  let hostIp: string | undefined = match[1];
  let hostPorts: string | undefined = match[2];
  const containerPorts = match[3]!;
  if (hostIp !== undefined && hostPorts === undefined && /^\d+(-\d+)?$/.test(hostIp)) {
    // "5433:5432" matched the IP slot with a port: shift it.
    hostPorts = hostIp;
    hostIp = undefined;
  }
  const ip = hostIp ? hostIp.replace(/^\[|\]$/g, '') : undefined;
  const [containerStart, containerEnd] = rangeOf(containerPorts);
  const hostRange = hostPorts ? rangeOf(hostPorts) : undefined;
  const ports: PublishedPort[] = [];
  for (let offset = 0; offset <= containerEnd - containerStart && offset < 1000; offset++) {
    const published = hostRange && hostRange[0] + offset <= hostRange[1] ? hostRange[0] + offset : undefined;
    ports.push({ target: containerStart + offset, published, hostIp: ip || undefined });
  }
  return ports;
}

function rangeOf(text: string): [number, number] {
  const [start, end] = text.split('-').map(Number);
  return [start!, end ?? start!];
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
  substitute: (value: string) => string,
  variables: Record<string, string | undefined>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(environmentAsRecord(environment))) {
    if (value === null || value === undefined) {
      // `- NAME` without a value: Compose passes the variable through from its own environment.
      const inherited = variables[key];
      if (inherited !== undefined) result[key] = inherited;
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      result[key] = typeof value === 'string' ? substitute(value) : String(value);
    }
  }
  return result;
}

function readEnvFiles(
  envFile: unknown,
  projectDirectory: string,
  substitute: (value: string) => string,
  warnings: string[],
  service: string,
  variables: Record<string, string | undefined>,
): { values: Record<string, string>; sources: Record<string, string> } {
  const entries = envFile === undefined ? [] : Array.isArray(envFile) ? envFile : [envFile];
  const values: Record<string, string> = {};
  const sources: Record<string, string> = {};
  for (const entry of entries) {
    const file = typeof entry === 'string' ? entry : isRecord(entry) && typeof entry.path === 'string' ? entry.path : undefined;
    const required = !(isRecord(entry) && entry.required === false);
    if (!file) continue;
    const absolute = path.resolve(projectDirectory, substitute(file));
    if (!existsSync(absolute)) {
      if (required) warnings.push(`service "${service}": env_file ${absolute} does not exist`);
      continue;
    }
    for (const [key, value] of Object.entries(readDotEnv(absolute, (name) => values[name] ?? variables[name], warnings))) {
      values[key] = value;
      sources[key] = absolute;
    }
  }
  return { values, sources };
}

/** A `.env` / env_file's variables; a missing file has none, an unreadable one says why. */
function readDotEnv(file: string, lookup: ((name: string) => string | undefined) | undefined, warnings: string[]): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warnings.push(`could not read ${file}: ${(error as Error).message}`);
    return {};
  }
  return parseEnvFile(text, lookup, warnings);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

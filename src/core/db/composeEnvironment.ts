// What a docker compose project tells us about the database: the Alembic service's environment
// (`environment:` and `env_file:`, with Compose's `${VAR}` interpolation from the shell and the
// project's `.env`), and which service names are host names on the compose network and which
// ports they publish to this machine. Only what the database layer needs; the runner reads the
// rest of the file (working_dir, volumes) for itself.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { interpolate, parseEnvFile } from '../compose/interpolation';

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
  /** `environment:` entries after interpolation (a bare `KEY` takes the shell's value). */
  environment: Record<string, string>;
  /** `env_file:` paths, absolute, in order. */
  envFiles: Array<{ path: string; required: boolean }>;
  ports: PublishedPort[];
  /** Bind mounts: host folder or file (absolute) -> path in the container. Named volumes are left out. */
  bindMounts: Array<{ source: string; target: string }>;
  /** `working_dir:`, where a relative path in the container starts. */
  workingDir?: string;
}

export interface ComposeProject {
  /** The compose files read, in merge order. */
  files: string[];
  /** The project directory: the first file's folder. */
  directory: string;
  services: Record<string, ComposeService>;
  /** Problems met while reading (unreadable env_file, bad YAML): shown as notes, never thrown. */
  warnings: string[];
}

const STANDARD_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDE_FILE_NAMES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];

/**
 * The compose files `docker compose` would read without `-f`, searching from `startDirectory` up to
 * `stopDirectory` (inclusive): the first standard file found plus its override file, if any.
 */
export function findComposeFiles(startDirectory: string, stopDirectory?: string): string[] {
  let directory = path.resolve(startDirectory);
  const stop = stopDirectory ? path.resolve(stopDirectory) : undefined;
  for (;;) {
    const main = STANDARD_FILE_NAMES.map((name) => path.join(directory, name)).find((file) => existsSync(file));
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
  /** The shell environment Compose would see (for `${VAR}` and bare `KEY` entries). */
  environment?: Record<string, string | undefined>;
  /** Folder of the project's `.env`; defaults to the first file's folder. */
  projectDirectory?: string;
}

/** Reads and merges compose files. Never throws for bad content: problems become warnings. */
export async function readComposeProject(files: string[], options: ReadComposeOptions = {}): Promise<ComposeProject> {
  const directory = options.projectDirectory ?? path.dirname(path.resolve(files[0] ?? '.'));
  const warnings: string[] = [];
  const dotEnv = await readEnvFileIfPresent(path.join(directory, '.env'), warnings);
  // The shell wins over `.env`, as in Compose.
  const lookup = (name: string): string | undefined => options.environment?.[name] ?? dotEnv?.[name];
  const services: Record<string, ComposeService> = {};

  for (const file of files) {
    let document: unknown;
    try {
      document = parseYaml(await readFile(file, 'utf8'), { merge: true, maxAliasCount: 100 });
    } catch (error) {
      warnings.push(`could not read ${file}: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    const servicesNode = isRecord(document) ? document.services : undefined;
    if (!isRecord(servicesNode)) continue;
    for (const [name, raw] of Object.entries(servicesNode)) {
      if (!isRecord(raw)) continue;
      const service = (services[name] ??= { name, hostNames: [name], environment: {}, envFiles: [], ports: [], bindMounts: [] });
      mergeService(service, raw, path.dirname(path.resolve(file)), lookup, warnings);
    }
  }
  return { files: files.map((file) => path.resolve(file)), directory, services, warnings };
}

/**
 * The environment the service's process sees: its env_files in order, then `environment:` (which
 * wins, as in Compose). Unreadable required env files become warnings on the project.
 */
export async function serviceEnvironment(
  project: ComposeProject,
  serviceName: string,
  options: { environment?: Record<string, string | undefined> } = {},
): Promise<{ values: Record<string, string>; sources: Record<string, string> } | undefined> {
  const service = project.services[serviceName];
  if (!service) return undefined;
  const values: Record<string, string> = {};
  const sources: Record<string, string> = {};
  const dotEnv = (await readEnvFileIfPresent(path.join(project.directory, '.env'), [])) ?? {};
  const lookup = (name: string) => options.environment?.[name] ?? dotEnv[name];
  for (const envFile of service.envFiles) {
    const parsed = await readEnvFileIfPresent(envFile.path, project.warnings, lookup);
    if (!parsed) {
      if (envFile.required) project.warnings.push(`env_file ${envFile.path} of service ${serviceName} is missing`);
      continue;
    }
    for (const [key, value] of Object.entries(parsed)) {
      values[key] = value;
      sources[key] = envFile.path;
    }
  }
  for (const [key, value] of Object.entries(service.environment)) {
    values[key] = value;
    sources[key] = 'environment';
  }
  return { values, sources };
}

/** The compose service a host name designates on the compose network, if any. */
export function serviceForHostName(project: ComposeProject, host: string): ComposeService | undefined {
  const lowered = host.toLowerCase();
  return Object.values(project.services).find((service) => service.hostNames.some((name) => name.toLowerCase() === lowered));
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

// --- merging one service ----------------------------------------------------------------------

function mergeService(
  service: ComposeService,
  raw: Record<string, unknown>,
  fileDirectory: string,
  lookup: (name: string) => string | undefined,
  warnings: string[],
): void {
  const text = (value: unknown) => (typeof value === 'string' ? interpolate(value, lookup, warnings) : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined);

  for (const key of ['hostname', 'container_name'] as const) {
    const value = text(raw[key]);
    if (value && !service.hostNames.includes(value)) service.hostNames.push(value);
  }
  if (isRecord(raw.networks)) {
    for (const network of Object.values(raw.networks)) {
      if (isRecord(network) && Array.isArray(network.aliases)) {
        for (const alias of network.aliases) {
          const value = text(alias);
          if (value && !service.hostNames.includes(value)) service.hostNames.push(value);
        }
      }
    }
  }

  const environment = raw.environment;
  if (Array.isArray(environment)) {
    for (const entry of environment) {
      const value = text(entry);
      if (value === undefined) continue;
      const equals = value.indexOf('=');
      if (equals < 0) {
        // `- KEY` passes the shell's value through, or nothing when the shell has none.
        const fromShell = lookup(value);
        if (fromShell !== undefined) service.environment[value] = fromShell;
      } else {
        service.environment[value.slice(0, equals)] = value.slice(equals + 1);
      }
    }
  } else if (isRecord(environment)) {
    for (const [key, rawValue] of Object.entries(environment)) {
      if (rawValue === null || rawValue === undefined) {
        const fromShell = lookup(key);
        if (fromShell !== undefined) service.environment[key] = fromShell;
      } else {
        const value = text(rawValue);
        if (value !== undefined) service.environment[key] = value;
      }
    }
  }

  const envFiles = raw.env_file === undefined ? [] : Array.isArray(raw.env_file) ? raw.env_file : [raw.env_file];
  for (const entry of envFiles) {
    const file = isRecord(entry) ? text(entry.path) : text(entry);
    if (!file) continue;
    const required = isRecord(entry) && entry.required === false ? false : true;
    service.envFiles.push({ path: path.resolve(fileDirectory, file), required });
  }

  const workingDir = text(raw.working_dir);
  if (workingDir) service.workingDir = workingDir;
  if (Array.isArray(raw.volumes)) {
    for (const entry of raw.volumes) {
      const mount = parseBindMount(isRecord(entry) ? entry : text(entry), text, fileDirectory);
      if (mount) service.bindMounts.push(mount);
    }
  }

  if (Array.isArray(raw.ports)) {
    for (const entry of raw.ports) service.ports.push(...parsePorts(isRecord(entry) ? entry : text(entry), text));
  }
}

function parseBindMount(
  entry: Record<string, unknown> | string | undefined,
  text: (value: unknown) => string | undefined,
  fileDirectory: string,
): { source: string; target: string } | undefined {
  let source: string | undefined;
  let target: string | undefined;
  if (typeof entry === 'string') {
    // SOURCE:TARGET[:MODE]; a source without / or . is a named volume, not a host path.
    const [first, second] = entry.split(':');
    if (second === undefined) return undefined;
    source = first;
    target = second;
  } else if (entry) {
    if (text(entry.type) !== 'bind') return undefined;
    source = text(entry.source);
    target = text(entry.target);
  }
  if (!source || !target || !/^(\.|\/|~)/.test(source)) return undefined;
  const home = process.env.HOME ?? '';
  const absolute = source.startsWith('~') ? path.join(home, source.slice(1)) : path.resolve(fileDirectory, source);
  return { source: absolute, target: path.posix.normalize(target) };
}

/**
 * The host path of a path inside a service's container, through its bind mounts (the deepest
 * mount that contains it wins); undefined when the path is not on a bind mount.
 */
export function hostPathOf(service: ComposeService, containerPath: string): string | undefined {
  const normalised = path.posix.resolve(service.workingDir ?? '/', containerPath);
  const mount = service.bindMounts
    .filter((candidate) => normalised === candidate.target || normalised.startsWith(`${candidate.target.replace(/\/$/, '')}/`))
    .sort((a, b) => b.target.length - a.target.length)[0];
  if (!mount) return undefined;
  return path.join(mount.source, path.posix.relative(mount.target, normalised));
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

// --- .env files and interpolation -------------------------------------------------------------

async function readEnvFileIfPresent(
  file: string,
  warnings: string[],
  lookup?: (name: string) => string | undefined,
): Promise<Record<string, string> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') warnings.push(`could not read ${file}: ${(error as Error).message}`);
    return undefined;
  }
  return parseEnvFile(text, lookup, warnings);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Finding Alembic projects: every config under a workspace folder (for the extension's tree), and
// the one project a command line means (Alembic's own rule: `alembic.ini` in the current directory
// or the file named by ALEMBIC_CONFIG).
// fs.promises is read where it is used: importing node:fs/promises loads Node's streams and
// readline at start-up, a cost every CLI command would pay for a search only some of them make.
import { existsSync, promises as fsPromises, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseIni } from './iniConfig';
import { AlembicProjectConfig, DEFAULT_SECTION_NAME, loadProjectConfig, LoadProjectConfigOptions, ProjectConfigError } from './projectConfig';
import { mentionsToolAlembic } from './pyprojectConfig';
import { repositoryRoot } from './packageRoots';

/** Folders that never hold a project's own migrations and can be huge. */
export const DEFAULT_IGNORED_FOLDERS = [
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.venv',
  'venv',
  'site-packages',
  'dist-packages',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.cache',
  '.idea',
];

export interface DiscoverProjectsOptions {
  /** How many folder levels below the root to look into. Default 6. */
  maxDepth?: number;
  /** Extra folder names to skip, or a predicate on the folder's absolute path. */
  ignore?: string[] | ((folder: string) => boolean);
  /** Stop after this many folders (a safety net for enormous trees). Default 20 000. */
  maxFolders?: number;
  fileOrder?: LoadProjectConfigOptions['fileOrder'];
}

export interface DiscoveryFailure {
  file: string;
  section?: string;
  error: ProjectConfigError;
}

export interface DiscoveryResult {
  projects: AlembicProjectConfig[];
  /** Config files that look like Alembic's but could not be used. */
  failures: DiscoveryFailure[];
  /** True when maxFolders cut the walk short. */
  truncated: boolean;
}

const MAX_CONFIG_BYTES = 1 << 20;

function readSmallText(file: string): string | undefined {
  try {
    if (statSync(file).size > MAX_CONFIG_BYTES) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Sections of an ini file that configure Alembic: [alembic] first, then any with script_location. */
function alembicSections(iniFile: string, text: string): string[] {
  const document = parseIni(text, { fileName: iniFile, defaults: { here: path.dirname(iniFile) } });
  const sections = document
    .sectionNames()
    .filter((name) => document.sections.get(name)?.options.has('script_location'));
  sections.sort((a, b) => Number(b === DEFAULT_SECTION_NAME) - Number(a === DEFAULT_SECTION_NAME));
  return sections;
}

function toConfigError(error: unknown, file: string): ProjectConfigError {
  if (error instanceof ProjectConfigError) return error;
  return new ProjectConfigError('unreadable', `${file}: ${(error as Error).message}`, file);
}

/**
 * Every Alembic project under `rootFolder`: each section of an .ini file that sets
 * `script_location` (alembic.ini, or e.g. a multi-database `[db1]`/`[db2]` file), and each
 * pyproject.toml with `[tool.alembic]` that has no alembic.ini beside it. Virtual environments
 * (any folder with pyvenv.cfg), node_modules and VCS folders are skipped.
 */
export async function discoverProjects(rootFolder: string, options: DiscoverProjectsOptions = {}): Promise<DiscoveryResult> {
  const root = path.resolve(rootFolder);
  const maxDepth = options.maxDepth ?? 6;
  const maxFolders = options.maxFolders ?? 20_000;
  const ignoredNames = new Set(DEFAULT_IGNORED_FOLDERS);
  if (Array.isArray(options.ignore)) for (const name of options.ignore) ignoredNames.add(name);
  const ignorePredicate = typeof options.ignore === 'function' ? options.ignore : undefined;
  // `package:path` locations are looked for up to the repository holding the folder, else the folder.
  const searchRoot = repositoryRoot(root);

  const projects: AlembicProjectConfig[] = [];
  const failures: DiscoveryFailure[] = [];
  const seen = new Set<string>();
  let visited = 0;
  let truncated = false;
  const queue: Array<{ folder: string; depth: number }> = [{ folder: root, depth: 0 }];

  while (queue.length > 0) {
    const { folder, depth } = queue.shift() as { folder: string; depth: number };
    if (++visited > maxFolders) {
      truncated = true;
      break;
    }
    const files: string[] = [];
    const subfolders: string[] = [];
    try {
      const directory = await fsPromises.opendir(folder);
      for await (const entry of directory) {
        if (entry.isFile()) files.push(entry.name);
        else if (entry.isDirectory()) subfolders.push(entry.name);
      }
    } catch {
      continue; // Unreadable folders are skipped: they are not ours to report.
    }
    if (files.includes('pyvenv.cfg')) continue;
    files.sort();
    const iniFiles = files.filter((name) => name.toLowerCase().endsWith('.ini'));
    for (const name of iniFiles) {
      const file = path.join(folder, name);
      const text = readSmallText(file);
      if (text === undefined || (name !== 'alembic.ini' && !/^\s*script_location\s*[=:]/m.test(text))) continue;
      let sections: string[];
      try {
        sections = alembicSections(file, text);
      } catch (error) {
        failures.push({ file, error: toConfigError(error, file) });
        continue;
      }
      if (sections.length === 0 && name === 'alembic.ini') sections = [DEFAULT_SECTION_NAME];
      for (const section of sections) {
        try {
          const config = loadProjectConfig(file, { name: section, fileOrder: options.fileOrder, searchRoot });
          if (seen.has(config.id)) continue;
          seen.add(config.id);
          projects.push(config);
        } catch (error) {
          failures.push({ file, section, error: toConfigError(error, file) });
        }
      }
    }
    if (files.includes('pyproject.toml') && !files.includes('alembic.ini')) {
      const file = path.join(folder, 'pyproject.toml');
      const text = readSmallText(file);
      if (text !== undefined && mentionsToolAlembic(text)) {
        try {
          const config = loadProjectConfig(file, { fileOrder: options.fileOrder, searchRoot });
          if (!seen.has(config.id)) {
            seen.add(config.id);
            projects.push(config);
          }
        } catch (error) {
          failures.push({ file, error: toConfigError(error, file) });
        }
      }
    }
    if (depth >= maxDepth) continue;
    for (const name of subfolders.sort()) {
      const child = path.join(folder, name);
      if (ignoredNames.has(name) || ignorePredicate?.(child)) continue;
      queue.push({ folder: child, depth: depth + 1 });
    }
  }

  // Path order, stable within one file (its [alembic] section first, then the others as written).
  projects.sort((a, b) => (a.here < b.here ? -1 : a.here > b.here ? 1 : 0));
  // Labels relative to the root tell "backend" from "services/billing" in a monorepo; a named
  // section is labelled with its file, as `alembic -c <file> -n <section>` names it.
  for (const project of projects) {
    if (project.section === DEFAULT_SECTION_NAME) {
      project.label = path.relative(root, project.here) || path.basename(root);
    } else {
      const file = path.relative(root, project.configFile ?? project.here).split(path.sep).join('/');
      project.label = `${file} [${project.section}]`;
    }
  }
  return { projects, failures, truncated };
}

/**
 * The projects a user means, one per set of migrations: every `[alembic]` section and pyproject.toml,
 * and each named section (`[core]`, `[tenant]`) whose script location no earlier section of its file
 * already has (a `[test]` section reusing `[alembic]`'s migrations with another URL is not a project
 * of its own). `section`, when given (`-n`, the configName setting), keeps that section only.
 */
export function mainProjects(projects: AlembicProjectConfig[], section?: string): AlembicProjectConfig[] {
  if (section) return projects.filter((project) => project.section === section);
  const locationsByFile = new Map<string, Set<string>>();
  const main: AlembicProjectConfig[] = [];
  // [alembic] first within each file, whatever the order of the list.
  const ordered = [...projects].sort((a, b) => Number(b.section === DEFAULT_SECTION_NAME) - Number(a.section === DEFAULT_SECTION_NAME));
  for (const project of ordered) {
    const file = project.configFile ?? project.id;
    const seen = locationsByFile.get(file) ?? new Set<string>();
    locationsByFile.set(file, seen);
    if (project.section !== DEFAULT_SECTION_NAME && project.kind === 'ini' && seen.has(project.scriptLocation)) continue;
    seen.add(project.scriptLocation);
    main.push(project);
  }
  return projects.filter((project) => main.includes(project));
}

/**
 * The named sections of an ini that configure projects when `[alembic]` does not (Alembic run
 * without `-n` fails on such a file): empty when the file is an ordinary one.
 */
export function namedProjectSections(iniFile: string): string[] {
  const text = readSmallText(iniFile);
  if (text === undefined) return [];
  const document = parseIni(text, { fileName: iniFile, defaults: { here: path.dirname(iniFile) } });
  if (document.sections.get(DEFAULT_SECTION_NAME)?.options.has('script_location')) return [];
  return document.sectionNames().filter((name) => name !== DEFAULT_SECTION_NAME && document.sections.get(name)?.options.has('script_location'));
}

export interface FindProjectOptions {
  env?: Record<string, string | undefined>;
  /** Ini section, `-n/--name`. */
  name?: string;
  fileOrder?: LoadProjectConfigOptions['fileOrder'];
}

/**
 * The project `alembic <command>` would use when run in `cwd`: the file named by ALEMBIC_CONFIG, else
 * `alembic.ini` in `cwd`, else (Alembic >= 1.16) `pyproject.toml` with `[tool.alembic]` in `cwd`.
 * Throws ProjectConfigError('not-found') when there is none.
 */
export function findProjectFromCwd(cwd: string, options: FindProjectOptions = {}): AlembicProjectConfig {
  const loadOptions = { name: options.name, fileOrder: options.fileOrder };
  const fromEnv = options.env?.ALEMBIC_CONFIG;
  if (fromEnv) {
    const file = path.resolve(cwd, fromEnv);
    if (!existsSync(file)) {
      throw new ProjectConfigError(
        'not-found',
        `No config file '${fromEnv}' found (named by the ALEMBIC_CONFIG environment variable), or file has no '[${options.name ?? DEFAULT_SECTION_NAME}]' section`,
        file,
      );
    }
    return loadProjectConfig(file, loadOptions);
  }
  const ini = path.join(cwd, 'alembic.ini');
  if (existsSync(ini)) return loadProjectConfig(ini, loadOptions);
  const pyproject = path.join(cwd, 'pyproject.toml');
  const text = existsSync(pyproject) ? readSmallText(pyproject) : undefined;
  if (text !== undefined && mentionsToolAlembic(text)) return loadProjectConfig(pyproject, loadOptions);
  throw new ProjectConfigError(
    'not-found',
    `No config file 'alembic.ini' found in ${cwd}, or file has no '[${options.name ?? DEFAULT_SECTION_NAME}]' section`,
    ini,
  );
}

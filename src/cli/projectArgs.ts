// What every subcommand shares: the project options (-c/--config, -n/--name, --file-order), --json,
// --no-color, -h/--help; finding and loading the project; and refusing to answer when the history is
// broken in a way that makes Alembic itself fail.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, ParseArgsConfig } from 'node:util';
import { AlembicProjectModel } from '../core/projectModel';
import { defaultHeaderCacheFile, RevisionHeaderCache } from '../core/project/headerCache';
import { AlembicProjectConfig, loadProjectConfig, ProjectConfigError, RevisionFileOrder } from '../core/project/projectConfig';
import { discoverProjects, findProjectFromCwd, mainProjects, type DiscoveryFailure } from '../core/project/projectDiscovery';
import { BLOCKING_PROBLEMS, GraphProblem } from '../core/revisions/graphProblems';
import { CliIO, CliUsageError, ExitCode, ProjectStore } from './cliTypes';
import { displayPath } from '../core/util/displayPath';

export const SHARED_OPTIONS = {
  config: { type: 'string', short: 'c' },
  name: { type: 'string', short: 'n' },
  'file-order': { type: 'string' },
  json: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const SHARED_USAGE = `Project options:
  -c, --config PATH     alembic.ini, pyproject.toml, a project folder or a versions folder
                        (default: $ALEMBIC_CONFIG, else ./alembic.ini, else the one project below .)
  -n, --name SECTION    ini section to read (default: alembic)
      --file-order O    'directory' (Alembic < 1.10: the file system's order) or 'name'
                        (Alembic >= 1.10); only breaks ties in history order
      --json            machine-readable output
      --no-color        no colours (also NO_COLOR=1)
      --no-cache        read every revision file even if unchanged since the last run
                        (cache: $ALEMBIC_WORKBENCH_CACHE_DIR or ~/.cache/alembic-workbench,
                        with the CLI's compiled code; ALEMBIC_WORKBENCH_NO_CACHE=1 turns off both)
  -h, --help            this help`;

/** A failure with its exit code and a message for stderr. */
export class CliFailure extends Error {
  override name = 'CliFailure';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export type SharedValues = {
  config?: string;
  name?: string;
  'file-order'?: string;
  json?: boolean;
  'no-color'?: boolean;
  'no-cache'?: boolean;
  help?: boolean;
};

/** parseArgs with the shared options added; bad arguments become CliUsageError. */
export function parseCommandArgs<Options extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: Options,
): { values: SharedValues & Record<string, string | boolean | undefined>; positionals: string[] } {
  // Relative revisions (`-1`, `-2`) are arguments, not options, as Alembic's argparse treats them.
  const relative = args.filter((arg) => /^-\d+$/.test(arg));
  const rest = args.filter((arg) => !/^-\d+$/.test(arg));
  const normalized = relative.length > 0 ? [...rest, ...(rest.includes('--') ? [] : ['--']), ...relative] : args;
  try {
    const parsed = parseArgs({ args: normalized, options: { ...SHARED_OPTIONS, ...options }, allowPositionals: true, strict: true });
    return { values: parsed.values as SharedValues & Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

function fileOrderOption(value: string | undefined): RevisionFileOrder | undefined {
  if (value === undefined) return undefined;
  if (value === 'directory' || value === 'name') return value;
  throw new CliUsageError(`--file-order must be 'directory' or 'name', not '${value}'`);
}

export interface OpenedProject {
  config: AlembicProjectConfig;
  model: AlembicProjectModel;
}

/** The main projects below `folder` (those of the `-n` section when one is named), as the CLI offers them. */
export async function mainProjectsBelow(
  folder: string,
  options: { name?: string; fileOrder?: RevisionFileOrder } = {},
): Promise<{ matching: AlembicProjectConfig[]; failures: DiscoveryFailure[] }> {
  const { projects, failures } = await discoverProjects(folder, { maxDepth: 3, fileOrder: options.fileOrder });
  const matching = mainProjects(projects, options.name);
  return { matching, failures };
}

/** One `-c` line per project to choose from (at most 10, then how many more). */
export function projectChoices(projects: AlembicProjectConfig[], cwd: string): string {
  const shown = projects.slice(0, 10).map((project) => `  -c ${displayPath(project.configFile ?? project.here, cwd)}${project.section !== 'alembic' ? ` -n ${project.section}` : ''}`);
  if (projects.length > shown.length) shown.push(`  ... and ${projects.length - shown.length} more`);
  return shown.join('\n');
}

async function singleProjectBelow(folder: string, io: CliIO, options: { name?: string; fileOrder?: RevisionFileOrder }, why: string): Promise<AlembicProjectConfig> {
  const { matching, failures } = await mainProjectsBelow(folder, options);
  if (matching.length === 1) {
    io.stderr(`Using ${displayPath(matching[0].configFile ?? matching[0].here, io.cwd)} (${why}).\n`);
    return matching[0];
  }
  if (matching.length > 1) {
    throw new CliFailure(`Several Alembic projects found under ${displayPath(folder, io.cwd) || '.'}; choose one:\n${projectChoices(matching, io.cwd)}`, ExitCode.projectNotFound);
  }
  if (failures.length > 0) {
    const broken = failures.map((failure) => `  ${displayPath(failure.file, io.cwd)}: ${failure.error.message}`).join('\n');
    throw new CliFailure(`No usable Alembic project found (${why}); these configs could not be read:\n${broken}`, ExitCode.projectNotFound);
  }
  throw new CliFailure(`No Alembic project found: ${why}, and none in the folders below it. Pass -c PATH (an alembic.ini, a pyproject.toml or a versions folder).`, ExitCode.projectNotFound);
}

/** A one-off run: the header cache file is read, used and written once. */
const projectsThroughCacheFile: ProjectStore = {
  load: (config, cacheFile) => AlembicProjectModel.load(config, { headerCache: RevisionHeaderCache.open(cacheFile, config.here) }),
};

/** Finds the project the options name (or Alembic's default one) and reads it. */
export async function openProject(values: SharedValues, io: CliIO, options: { syntaxCheck?: boolean } = {}): Promise<OpenedProject> {
  const fileOrder = fileOrderOption(values['file-order']);
  const loadOptions = { name: values.name, fileOrder };
  let config: AlembicProjectConfig;
  try {
    if (values.config !== undefined) {
      const target = path.resolve(io.cwd, values.config);
      // Alembic's wording, with the path as the user typed it.
      if (!existsSync(target)) throw new CliFailure(`No config file '${values.config}' found`, ExitCode.projectNotFound);
      try {
        config = loadProjectConfig(target, loadOptions);
      } catch (error) {
        if (!(error instanceof ProjectConfigError) || error.kind !== 'not-a-project') throw error;
        config = await singleProjectBelow(target, io, loadOptions, `${values.config} holds no alembic.ini, pyproject.toml or revision files`);
      }
    } else {
      try {
        config = findProjectFromCwd(io.cwd, { env: io.env, ...loadOptions });
      } catch (error) {
        if (!(error instanceof ProjectConfigError) || error.kind !== 'not-found' || io.env.ALEMBIC_CONFIG) throw error;
        config = await singleProjectBelow(io.cwd, io, loadOptions, `no alembic.ini in ${io.cwd}`);
      }
    }
  } catch (error) {
    if (error instanceof ProjectConfigError) throw new CliFailure(error.message, ExitCode.projectNotFound);
    throw error;
  }
  const useCache = !values['no-cache'] && !io.env.ALEMBIC_WORKBENCH_NO_CACHE && !options.syntaxCheck;
  if (!useCache) return { config, model: AlembicProjectModel.load(config, { syntaxCheck: options.syntaxCheck }) };
  const cacheFile = defaultHeaderCacheFile(`${config.id}\u0000${config.versionLocations.join('\u0000')}`, io.env);
  return { config, model: (io.projects ?? projectsThroughCacheFile).load(config, cacheFile) };
}

function formatProblem(problem: GraphProblem, cwd: string): string {
  const where = problem.range ? `${displayPath(problem.file, cwd)}:${problem.range.start.line + 1}` : displayPath(problem.file, cwd);
  return `  ${where}: ${problem.name}: ${problem.message}`;
}

/**
 * Problems that make Alembic fail before it can answer (a dangling down_revision, a cycle, a file
 * without `revision`, an unreadable alembic.ini ...). heads/history/show stop on these, as Alembic
 * does, but say exactly what and where.
 */
export function blockingProblems(model: AlembicProjectModel): GraphProblem[] {
  return model
    .problems({ blockingOnly: true })
    .filter((problem) => problem.severity === 'error' && (problem.name === 'config-error' || BLOCKING_PROBLEMS.has(problem.name)));
}

export function failOnBrokenHistory(model: AlembicProjectModel, io: CliIO): void {
  const blocking = blockingProblems(model);
  if (blocking.length === 0) return;
  const shown = blocking.slice(0, 10).map((problem) => formatProblem(problem, io.cwd));
  if (blocking.length > shown.length) shown.push(`  ... and ${blocking.length - shown.length} more`);
  throw new CliFailure(
    `The revision history can't be read the way Alembic reads it (Alembic fails on every command):\n${shown.join('\n')}\nRun \`alembic-workbench check\` for every problem.`,
    ExitCode.problemsFound,
  );
}

/** Non-blocking oddities worth a line on stderr (unreadable headers, duplicate ids for heads). */
export function reportWarnings(model: AlembicProjectModel, io: CliIO, names: GraphProblem['name'][]): void {
  // Both kinds come from the header reader and the duplicate check, which the blocking pass runs too.
  const found = model.graph.files.some((file) => file.headerIssues.length > 0) || model.graph.duplicates.size > 0 ? model.problems() : [];
  for (const problem of found) {
    if (names.includes(problem.name)) io.stderr(`warning: ${formatProblem(problem, io.cwd).trim()}\n`);
  }
}

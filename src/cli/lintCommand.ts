// `alembic-workbench lint [PATH...]`: lints revision files with the same engine as the editor.
// Paths are files or folders (recursing into *.py, skipping __init__.py); without paths it lints
// the project's versions folders. `--new-since <ref>` keeps only revision files added since a git
// ref (committed on this branch or still untracked): the CI case. Exit 1 when any finding is an
// error (or the configuration is broken), 0 otherwise.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ConfigProblem, Finding } from '../core/lint/findings';
import { formatGithub } from '../core/lint/formatters/github';
import { formatJson } from '../core/lint/formatters/json';
import { formatSarif } from '../core/lint/formatters/sarif';
import { formatText } from '../core/lint/formatters/text';
import type { FormatInput } from '../core/lint/formatters/formatInput';
import { emptyLintConfig, findPyproject, loadLintConfig, type LintConfig } from '../core/lint/lintConfig';
import { createLintContext, DIALECTS, parseDialectName } from '../core/lint/lintContext';
import { lintMigration } from '../core/lint/lintEngine';
import { learnedDowngradePolicy, RevisionHistoryFacts } from '../core/lint/revisionHistoryFacts';
import { graphProblemsToFindings, suppressionsInSource, type GraphProblemInput } from '../core/lint/graphFindings';
import type { NamingConvention } from '../core/lint/namingConvention';
import type { ProjectDialects } from '../core/lint/projectDialects';
import { findStartupSchemaCalls } from '../core/project/startupSchemaCalls';
import { DatabaseStatusService } from '../core/db/databaseStatusService';
import { resolveDatabaseTargets } from '../core/db/databaseTargets';
import { tableReference, tablesToMeasure, tableSizeNote, withTableSizeNote } from '../core/lint/tableSizeNotes';
import { type GitRunner, runGitProcess } from '../core/util/git';
import { CliUsageError, ExitCode, type CliCommand, type CliIO } from './cliTypes';
import { locateLintProject } from './lintProjectLocator';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type OutputFormat = (typeof FORMATS)[number];

/** What the lint command needs to know about the Alembic project it runs in. */
export interface LintProjectInfo {
  /** Folder the project's relative paths are relative to (alembic.ini's folder). */
  projectRoot: string;
  /** Absolute versions folders (Alembic's version_locations, or <script_location>/versions). */
  versionsFolders: string[];
  /** Raw `sqlalchemy.url` (only the dialect is read from it; never printed). */
  sqlalchemyUrl?: string;
  /** The dialects the project runs on (projectDialects.ts), from env.py, drivers, compose files, migrations. */
  inferredDialects?: ProjectDialects;
  /** Revision-graph problems of the core model, shown as AW6xx findings. */
  graphProblems?: GraphProblemInput[];
  /** The MetaData naming convention of env.py / the models (names in AW304 fixes follow it). */
  namingConvention?: NamingConvention;
  /** How the project was found when it was not where the user stood (printed on stderr). */
  foundBy?: string;
}

export interface ProjectLookupRequest {
  cwd: string;
  /** `-c/--config`: an alembic.ini, a pyproject.toml or a project folder. */
  configPath?: string;
  /** The PATH arguments, absolute. */
  paths: string[];
  env: Record<string, string | undefined>;
}

/** Finds the project; undefined when there is none (paths given explicitly can still be linted). */
export type ProjectLocator = (request: ProjectLookupRequest) => Promise<LintProjectInfo | undefined> | LintProjectInfo | undefined;

export interface LintCommandDependencies {
  /** The core model's project discovery, wired in by the command table. */
  locateProject?: ProjectLocator;
  runGit?: GitRunner;
  toolVersion?: string;
  docsBase?: string;
}

const USAGE = `Usage: alembic-workbench lint [PATH...] [options]

Lints Alembic revision files for risky operations (locks, rewrites, data loss, broken
downgrades, SQLite batch mode, raw SQL). PATHs are files or folders (*.py, recursively);
without them the project's versions folders are linted.

Options:
  --format text|json|sarif|github   output format (default: text)
  --new-since <git-ref>             only revision files added since <git-ref> (plus untracked new files)
  -c, --config <path>               alembic.ini, pyproject.toml or project folder
  --dialect <name>                  ${DIALECTS.join('|')} (default: inferred from the project, else postgresql)
  --postgres-version <major>        PostgreSQL major version the advice targets (default 15)
  --url <url>                       a PostgreSQL database whose table sizes go into lock and
                                    rewrite findings ("Rewrites meetings: ~2.3M rows, 1.1 GB.");
                                    catalog estimates only, within 3 s; never printed
  -h, --help                        show this help

Exit status: 0 no errors, 1 an error-severity finding or a configuration problem, 2 bad usage,
3 no Alembic project found. Rules are configured in pyproject.toml under [tool.alembic-workbench];
see docs/rules/README.md.`;

export function createLintCommand(dependencies: LintCommandDependencies = {}): CliCommand {
  return {
    name: 'lint',
    summary: 'Lint revision files for risky migration operations',
    usage: USAGE,
    run: (args, io) => runLint(args, io, dependencies),
  };
}

export const lintCommand = createLintCommand();

interface ParsedLintArgs {
  paths: string[];
  format: OutputFormat;
  newSince?: string;
  configPath?: string;
  dialect?: (typeof DIALECTS)[number];
  postgresVersion?: number;
  url?: string;
  help: boolean;
}

function parseLintArgs(args: string[]): ParsedLintArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        'new-since': { type: 'string' },
        config: { type: 'string', short: 'c' },
        dialect: { type: 'string' },
        'postgres-version': { type: 'string' },
        url: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const format = (values.format ?? 'text') as OutputFormat;
  if (!FORMATS.includes(format)) throw new CliUsageError(`--format must be one of ${FORMATS.join(', ')} (got "${values.format}").`);
  let dialect: ParsedLintArgs['dialect'];
  if (values.dialect !== undefined) {
    dialect = parseDialectName(values.dialect);
    if (!dialect) throw new CliUsageError(`--dialect must be one of ${DIALECTS.join(', ')} (got "${values.dialect}").`);
  }
  let postgresVersion: number | undefined;
  if (values['postgres-version'] !== undefined) {
    postgresVersion = Number.parseInt(values['postgres-version'], 10);
    if (!/^\d+$/.test(values['postgres-version']) || postgresVersion < 9 || postgresVersion > 99) {
      throw new CliUsageError(`--postgres-version must be a PostgreSQL major version such as 15 (got "${values['postgres-version']}").`);
    }
  }
  if (values['new-since'] !== undefined && (values['new-since'] === '' || values['new-since'].startsWith('-'))) {
    throw new CliUsageError(`--new-since needs a git ref such as origin/main (got "${values['new-since']}").`);
  }
  if (values.url !== undefined && !values.url.trim()) throw new CliUsageError('--url is empty');
  return { paths: positionals, format, newSince: values['new-since'], configPath: values.config, dialect, postgresVersion, url: values.url, help: values.help ?? false };
}

/** Every *.py under the given files/folders (sorted, no __init__.py, no caches or virtualenvs). */
export function collectRevisionFiles(inputs: string[], options: { recursive: boolean }): { files: string[]; missing: string[] } {
  const files = new Set<string>();
  const missing: string[] = [];
  const visit = (folder: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      missing.push(folder);
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (options.recursive && depth < 20 && !/^(__pycache__|\.git|node_modules|\.venv|venv|\.tox)$/.test(entry.name)) visit(full, depth + 1);
      } else if (entry.name.endsWith('.py') && entry.name !== '__init__.py') files.add(full);
    }
  };
  for (const input of inputs) {
    let stats;
    try {
      stats = statSync(input);
    } catch {
      missing.push(input);
      continue;
    }
    if (stats.isDirectory()) visit(input, 0);
    else files.add(input);
  }
  return { files: [...files].sort(), missing };
}

async function runLint(args: string[], io: CliIO, dependencies: LintCommandDependencies): Promise<number> {
  const options = parseLintArgs(args);
  if (options.help) {
    io.stdout(`${USAGE}\n`);
    return ExitCode.ok;
  }
  const paths = options.paths.map((item) => path.resolve(io.cwd, item));
  const configPath = options.configPath ? path.resolve(io.cwd, options.configPath) : undefined;
  const locate = dependencies.locateProject ?? locateLintProject;
  let project: LintProjectInfo | undefined;
  try {
    project = await locate({ cwd: io.cwd, configPath, paths, env: io.env });
  } catch (error) {
    io.stderr(`alembic-workbench lint: ${(error as Error).message}\n`);
    return ExitCode.projectNotFound;
  }
  if (project?.foundBy) io.stderr(`${project.foundBy}\n`);
  if (configPath && !project) {
    io.stderr(`alembic-workbench lint: no Alembic project at ${configPath} (expected an alembic.ini, a pyproject.toml with [tool.alembic], or a folder holding one).\n`);
    return ExitCode.projectNotFound;
  }
  let inputs = paths;
  let recursive = true;
  if (inputs.length === 0) {
    if (!project) {
      io.stderr(
        'alembic-workbench lint: no alembic.ini found in this folder, above it or below it. Pass revision files or folders (alembic-workbench lint path/to/versions) or -c path/to/alembic.ini.\n',
      );
      return ExitCode.projectNotFound;
    }
    inputs = project.versionsFolders;
    recursive = false;
  }
  const { files: candidates, missing } = collectRevisionFiles(inputs, { recursive });
  if (missing.length && paths.length) {
    io.stderr(`alembic-workbench lint: no such file or folder: ${missing.join(', ')}\n`);
    return ExitCode.usage;
  }

  let files = candidates;
  if (options.newSince) {
    const added = addedFilesSince(options.newSince, project?.projectRoot ?? io.cwd, dependencies.runGit ?? runGitProcess);
    if ('error' in added) {
      io.stderr(`alembic-workbench lint: --new-since ${options.newSince}: ${added.error}\n`);
      return ExitCode.usage;
    }
    files = candidates.filter((file) => added.files.has(path.resolve(file)));
  }

  let config = loadConfigFor(project?.projectRoot ?? (paths[0] ? nearestFolder(paths[0]) : io.cwd));
  const context = createLintContext({
    dialect: options.dialect,
    postgresVersion: options.postgresVersion,
    sqlalchemyUrl: project?.sqlalchemyUrl,
    inferredDialects: project?.inferredDialects,
    config,
    namingConvention: project?.namingConvention,
  });
  const findings: Finding[] = [];
  const problems = new Map<string, ConfigProblem>();
  const addProblem = (problem: ConfigProblem) => problems.set(`${problem.filePath}:${problem.range.start.line}:${problem.range.start.column}:${problem.message}`, problem);
  config.problems.forEach(addProblem);
  // Every candidate is read (with --new-since too), and with `lint FILE` the project's other
  // revisions (nested folders included): the history needs the older revisions.
  const sources: Array<{ filePath: string; source: string }> = [];
  const linted = new Set(files);
  const historyFiles = new Set(candidates);
  if (project && paths.length > 0) for (const file of collectRevisionFiles(project.versionsFolders, { recursive: true }).files) historyFiles.add(file);
  for (const file of historyFiles) {
    try {
      sources.push({ filePath: file, source: readFileSync(file, 'utf8') });
    } catch (error) {
      if (!linted.has(file)) continue;
      addProblem({ message: `Could not read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, filePath: file, range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } }, kind: 'internal' });
    }
  }
  // The history of the files linted here: what earlier revisions created is not "missing" later.
  const history = RevisionHistoryFacts.fromSources(sources);
  // No configured policy, and the history has (nearly) no downgrades: the convention, said once.
  const learnedPolicy = config.downgradePolicy === undefined ? learnedDowngradePolicy(sources) : undefined;
  if (learnedPolicy) {
    config = { ...config, downgradePolicy: learnedPolicy.policy };
    io.stderr(
      `${learnedPolicy.withDowngrade} of ${learnedPolicy.revisions} revisions have a downgrade(): read as the project's policy (downgrade-policy = "none"), so missing downgrades are not reported. Set downgrade-policy = "reversible" under [tool.alembic-workbench] to check them.\n`,
    );
  }
  for (const { filePath, source } of sources) {
    if (!linted.has(filePath)) continue;
    const result = lintMigration(source, { filePath, context, config, earlierEnumTypes: history.enumTypesBefore(filePath) });
    findings.push(...result.findings);
    result.configProblems.forEach(addProblem);
  }
  const projectProblems = [...(project?.graphProblems ?? [])];
  // `lint FILE...` and --new-since report only the files they lint: another file's revision-graph
  // problems, and app code that creates tables beside Alembic (AW615, not read then), are not theirs.
  const onlyLintedFiles = options.newSince !== undefined || paths.length > 0;
  if (project && !onlyLintedFiles) projectProblems.push(...(await findStartupSchemaCalls(project.projectRoot, { exclude: project.versionsFolders })));
  if (projectProblems.length) {
    const linted = new Set(files.map((file) => path.resolve(file)));
    const relevant = projectProblems.filter((problem) => !onlyLintedFiles || linted.has(path.resolve(problem.file)));
    // ignore-file[...] in a revision file, ignore[...] on an app file's line: as in the editor.
    const suppressionsFor = (file: string) => {
      try {
        return suppressionsInSource(readFileSync(file, 'utf8'), file);
      } catch {
        return undefined;
      }
    };
    findings.push(...graphProblemsToFindings(relevant, { config, suppressionsFor }));
  }

  const input: FormatInput = {
    findings: options.url ? await withTableSizes(findings, options.url, project?.projectRoot ?? io.cwd, io) : findings,
    configProblems: [...problems.values()],
    cwd: io.cwd,
    filesLinted: files.length,
    docsBase: dependencies.docsBase,
    toolVersion: dependencies.toolVersion,
  };
  switch (options.format) {
    case 'json':
      io.stdout(formatJson(input));
      break;
    case 'sarif':
      io.stdout(formatSarif(input));
      break;
    case 'github':
      io.stdout(formatGithub(input));
      break;
    default:
      io.stdout(formatText(input));
  }
  if (options.format === 'json' && input.configProblems.length) {
    io.stderr(formatText({ ...input, findings: [], filesLinted: files.length }));
  }
  if (context.dialectSource === 'default' && options.format === 'text' && files.length > 0) {
    io.stderr('note: no dialect in sqlalchemy.url, env.py, the dependencies, compose files, [tool.alembic-workbench] or --dialect; assuming postgresql.\n');
  }
  const failed = findings.some((finding) => finding.severity === 'error') || input.configProblems.length > 0;
  return failed ? ExitCode.problemsFound : ExitCode.ok;
}

/**
 * The findings with the table sizes the editor adds (src/core/lint/tableSizeNotes.ts), read from the
 * catalog of the database at `url` through the same target and cache as the editor. A database that
 * can't be read costs a note on stderr, never the lint.
 */
async function withTableSizes(findings: Finding[], url: string, baseDirectory: string, io: CliIO): Promise<Finding[]> {
  const tables = findings.flatMap(tablesToMeasure).map(tableReference);
  if (tables.length === 0) return findings;
  const { selected } = await resolveDatabaseTargets({ projectId: 'lint', baseDirectory, settings: { url }, environment: {} });
  const service = new DatabaseStatusService();
  try {
    if (!selected?.spec) {
      // The reason's kind only: its message may quote the URL, which stays out of CI logs.
      io.stderr(`note: --url is not a usable database URL (${selected?.error?.kind ?? 'unknown'}); no table sizes.\n`);
      return findings;
    }
    const cache = service.tableStatsFor(selected);
    if (!cache) {
      io.stderr('note: --url: table sizes come from PostgreSQL only; none added.\n');
      return findings;
    }
    const found = await cache.lookup(tables);
    if (![...found.values()].some(Boolean)) io.stderr('note: --url: no table sizes found (database unreachable, or none of the tables exists there).\n');
    return findings.map((finding) => {
      const note = tableSizeNote(finding, (table) => cache.peek(table));
      return note ? { ...finding, message: withTableSizeNote(finding.message, note) } : finding;
    });
  } finally {
    await service.dispose();
  }
}

function nearestFolder(target: string): string {
  try {
    return statSync(target).isDirectory() ? target : path.dirname(target);
  } catch {
    return path.dirname(target);
  }
}

function loadConfigFor(folder: string): LintConfig {
  const pyproject = findPyproject(folder);
  return pyproject ? loadLintConfig(pyproject) : emptyLintConfig();
}

/** Files added since `ref` on this branch (`git diff --diff-filter=A ref...HEAD`) plus untracked ones, absolute. */
export function addedFilesSince(ref: string, cwd: string, runGit: GitRunner): { files: Set<string> } | { error: string } {
  const top = runGit(['rev-parse', '--show-toplevel'], cwd);
  if (top.code !== 0) return { error: `not inside a git repository (${top.stderr.trim() || 'git rev-parse failed'})` };
  const root = top.stdout.trim();
  const diff = runGit(['diff', '--name-only', '--diff-filter=A', '-z', `${ref}...HEAD`, '--'], root);
  if (diff.code !== 0) return { error: diff.stderr.trim().split('\n')[0] || `git diff failed (exit ${diff.code})` };
  const untracked = runGit(['ls-files', '--others', '--exclude-standard', '--full-name', '-z'], root);
  if (untracked.code !== 0) return { error: untracked.stderr.trim().split('\n')[0] || 'git ls-files failed' };
  const files = new Set<string>();
  for (const output of [diff.stdout, untracked.stdout]) {
    for (const name of output.split('\0')) if (name) files.add(path.resolve(root, name));
  }
  return { files };
}

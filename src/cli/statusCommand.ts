// `alembic-workbench status`: where a database stands against the revision files, for deploy gates
// and health checks. The same core as the editor's status bar (targets, the version table read with
// pg + kysely or sql.js, applied/pending/unknown), never running Python; exit codes tell a pipeline
// what to do next without parsing the output.
import path from 'node:path';
import { DatabaseStatusService, type DatabaseStatus } from '../core/db/databaseStatusService';
import { revisionGraphView } from '../core/db/databaseState';
import { type DatabaseTarget, resolveDatabaseTargets } from '../core/db/databaseTargets';
import { escapeData, escapeProperty } from '../core/lint/formatters/github';
import { describeRevisionGitHistory, revisionGitHistory, type RevisionGitHistory } from '../core/revisions/revisionGitHistory';
import { readEnvironmentFile, RunnerConfigurationError } from '../core/runner/runnerModes';
import { type GitRunner, runGitProcess } from '../core/util/git';
import { type CliCommand, type CliIO, CliUsageError, ExitCode } from './cliTypes';
import { displayPath } from '../core/util/displayPath';
import { CliFailure, failOnBrokenHistory, openProject, parseCommandArgs, SHARED_USAGE } from './projectArgs';
import { readWorkspaceDatabaseSettings } from './workspaceSettings';

/** What `status` found, most urgent first when several hold; each has its own exit code. */
export type StatusState = 'unreachable' | 'unknown-revision' | 'several-heads' | 'pending' | 'up-to-date';

const EXIT_CODES: Record<StatusState, number> = {
  'up-to-date': ExitCode.ok,
  pending: ExitCode.statusPending,
  'unknown-revision': ExitCode.statusUnknownRevision,
  'several-heads': ExitCode.statusSeveralHeads,
  unreachable: ExitCode.statusUnreachable,
};

const usage = `Usage: alembic-workbench status [options]

Read the database's version table and say where it stands against the revision files:
current revision(s), pending revisions in upgrade order, revisions the database has that no
file defines (with what git knows of them), and several heads. No Python is run.

Database (first found): --url, else $DATABASE_URL (or the variable named by
alembicWorkbench.database.urlEnvironmentVariable in .vscode/settings.json), else the project's
sqlalchemy.url. --target NAME picks a named target from alembicWorkbench.database.targets.
The variable is looked up in --environment-file FILE (or alembicWorkbench.runner.envFile) first.

Options:
      --url URL               a SQLAlchemy URL (postgresql://..., sqlite:///...); never printed
      --target NAME           a named target from .vscode/settings.json
      --environment-file FILE  dotenv file whose variables win over the environment (as Alembic's)
      --version-table NAME    Alembic's version_table (default: alembic_version)
      --version-table-schema S  version_table_schema (default: the search path)
      --timeout SECONDS       connect/statement timeout (default: 3, as the editor)
      --format text|json|github  output (--json is --format json)
${SHARED_USAGE}

Exit status: 0 up to date, 10 pending revisions, 11 the database has a revision no file
defines, 12 the files have several heads (\`alembic upgrade head\` fails), 13 the database
can't be reached or no URL was found (within the timeout); 1 a broken revision history,
2 bad arguments, 3 no project. When several hold, the lowest of 13, 11, 12, 10 in that order wins.
`;

export interface StatusCommandDependencies {
  runGit?: GitRunner;
}

export function createStatusCommand(dependencies: StatusCommandDependencies = {}): CliCommand {
  return {
    name: 'status',
    summary: 'where the database stands against the files (exit codes for deploy gates)',
    usage,
    run: (args, io) => runStatus(args, io, dependencies),
  };
}

export const statusCommand = createStatusCommand();

/** The variables of --environment-file (relative to the current folder), else of the workspace's envFile setting. */
function environmentFileVariables(option: string | undefined, fromSettings: string | undefined, cwd: string): Record<string, string> {
  if (option !== undefined && !option.trim()) throw new CliUsageError('--environment-file is empty');
  const environmentFile = option !== undefined ? path.resolve(cwd, option) : fromSettings;
  try {
    return readEnvironmentFile({ environmentFile });
  } catch (error) {
    if (error instanceof RunnerConfigurationError) throw new CliFailure(error.message, ExitCode.usage);
    throw error;
  }
}

const FORMATS = ['text', 'json', 'github'] as const;

async function runStatus(args: string[], io: CliIO, dependencies: StatusCommandDependencies): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    url: { type: 'string' },
    target: { type: 'string' },
    // Not `--env-file`: Node 20 takes that for itself even after the script name.
    'environment-file': { type: 'string' },
    'version-table': { type: 'string' },
    'version-table-schema': { type: 'string' },
    timeout: { type: 'string' },
    format: { type: 'string' },
  });
  if (values.help) {
    io.stdout(usage);
    return ExitCode.ok;
  }
  if (positionals.length > 0) throw new CliUsageError(`status takes no arguments (got '${positionals.join(' ')}')`);
  const format = (values.json ? 'json' : (values.format ?? 'text')) as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new CliUsageError(`--format must be one of ${FORMATS.join(', ')} (got "${String(values.format)}").`);
  const timeoutMs = timeoutOption(values.timeout as string | undefined);
  const url = values.url as string | undefined;
  if (url !== undefined && !url.trim()) throw new CliUsageError('--url is empty');
  if (url !== undefined && values.target !== undefined) throw new CliUsageError('--url and --target name two databases: give one');

  const { config, model } = await openProject(values, io);
  failOnBrokenHistory(model, io);
  const settings = readWorkspaceDatabaseSettings(config.here);
  const targetName = values.target as string | undefined;
  if (targetName !== undefined && !settings.targets.some((target) => target.name === targetName)) {
    const known = settings.targets.map((target) => target.name);
    throw new CliUsageError(
      `no database target "${targetName}"${settings.file ? ` in ${displayPath(settings.file, io.cwd)}` : ' (no .vscode/settings.json above the project)'}` +
        (known.length ? `; targets: ${known.join(', ')}` : ''),
    );
  }
  const { selected } = await resolveDatabaseTargets({
    projectId: config.id,
    baseDirectory: config.here,
    iniUrl: config.sqlalchemyUrl,
    iniFile: config.configFile,
    settings: { url: url ?? settings.url, urlEnvironmentVariable: settings.urlEnvironmentVariable ?? 'DATABASE_URL', targets: settings.targets },
    environment: { ...io.env, ...environmentFileVariables(values['environment-file'] as string | undefined, settings.environmentFile, io.cwd) },
    selectedTargetName: targetName,
  });
  const target = selected!;
  const versionTable = {
    table: (values['version-table'] as string | undefined) ?? settings.versionTable ?? 'alembic_version',
    schema: ((values['version-table-schema'] as string | undefined) ?? settings.versionTableSchema) || undefined,
  };

  const service = new DatabaseStatusService({ timeoutMs });
  let status: DatabaseStatus;
  try {
    status = await service.readDatabaseStatus({ id: config.id, versionTable }, target, revisionGraphView(model.graph), { source: 'database' });
  } finally {
    await service.dispose();
  }

  const heads = [...model.graph.heads];
  const state: StatusState = !status.reachable
    ? 'unreachable'
    : status.unknown.length > 0
      ? 'unknown-revision'
      : heads.length > 1
        ? 'several-heads'
        : status.pending.length > 0
          ? 'pending'
          : 'up-to-date';
  const runGit = dependencies.runGit ?? runGitProcess;
  const unknown = status.unknown.map((revision) => ({ revision, git: revisionGitHistory(revision, config.here, runGit) }));
  const report: StatusReport = {
    version: 1,
    state,
    exitCode: EXIT_CODES[state],
    message: status.message,
    database: {
      target: target.name,
      origin: url !== undefined ? '--url' : target.originLabel,
      dialect: target.spec?.dialect ?? null,
      reachable: status.reachable,
      initialised: status.initialised ?? null,
      error: status.error ?? null,
    },
    current: status.current,
    heads,
    pending: status.pending.map((revision) => ({ revision, message: model.graph.get(revision)?.file.message ?? null, file: fileOf(model.graph.get(revision)?.file.filePath, io.cwd) })),
    unknown: unknown.map(({ revision, git }) => ({ revision, git })),
    problems: status.problems.map(({ code, severity, message, revision }) => ({ code, severity, message, revision: revision ?? null })),
    notes: status.notes,
  };
  const output = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : format === 'github' ? formatStatusGithub(report) : formatStatusText(report);
  io.stdout(withoutGivenUrl(output, url, target));
  return report.exitCode;
}

/** The `--json` shape (`version` changes only when a field changes meaning or goes away). */
export interface StatusReport {
  version: 1;
  state: StatusState;
  exitCode: number;
  message: string;
  database: {
    target: string;
    /** Where the URL came from ("--url", "DATABASE_URL from the environment", ...); never the URL. */
    origin: string;
    dialect: 'postgresql' | 'sqlite' | null;
    reachable: boolean;
    /** Whether the version table exists; null when the database was not read. */
    initialised: boolean | null;
    error: { kind: string; message: string } | null;
  };
  current: string[];
  /** Heads of the revision files. */
  heads: string[];
  /** In upgrade order. */
  pending: Array<{ revision: string; message: string | null; file: string | null }>;
  unknown: Array<{ revision: string; git: RevisionGitHistory }>;
  problems: Array<{ code: string; severity: string; message: string; revision: string | null }>;
  notes: string[];
}

function timeoutOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || seconds <= 0 || seconds > 600) throw new CliUsageError(`--timeout must be a number of seconds between 0 and 600 (got "${value}").`);
  return Math.round(seconds * 1000);
}

// A URL typed on the command line ends up in CI logs and shell history: the output says "--url",
// never the URL (passwords are masked everywhere already; this hides the rest of it too).
function withoutGivenUrl(text: string, url: string | undefined, target: DatabaseTarget): string {
  if (url === undefined) return text;
  let hidden = text;
  for (const form of [url.trim(), target.spec?.display]) {
    if (form) hidden = hidden.split(form).join('<--url>');
  }
  return hidden;
}

function fileOf(file: string | undefined, cwd: string): string | null {
  return file ? displayPath(file, cwd) || path.basename(file) : null;
}

const HEADLINE: Record<StatusState, string> = {
  'up-to-date': 'up to date',
  pending: 'pending revisions: run `alembic upgrade head`',
  'unknown-revision': "the database is at a revision no file defines (Alembic: \"Can't locate revision\")",
  'several-heads': 'the revision files have several heads: merge them (`alembic merge heads`) or upgrade each branch',
  unreachable: 'the database could not be read',
};

export function formatStatusText(report: StatusReport): string {
  const lines: string[] = [];
  const { database } = report;
  lines.push(`Database: ${database.target} (${database.origin}${database.dialect ? `, ${database.dialect}` : ''})`);
  if (!database.reachable) {
    lines.push(`Status:   ${HEADLINE.unreachable}: ${report.message}`);
  } else {
    lines.push(`Current:  ${report.current.length ? report.current.join(', ') : database.initialised === false ? 'none (no version table: base)' : 'none (base)'}`);
    lines.push(`Heads:    ${report.heads.join(', ') || 'none (no revision files)'}`);
    if (report.pending.length) {
      lines.push(`Pending:  ${report.pending.length}, in upgrade order:`);
      for (const item of report.pending) lines.push(`  ${item.revision}  ${item.message ?? ''}`.trimEnd());
    }
    for (const item of report.unknown) {
      lines.push(`Unknown:  ${item.revision}: no revision file defines it`);
      lines.push(`  git: ${describeRevisionGitHistory(item.git)}`);
    }
    lines.push(`Status:   ${HEADLINE[report.state]}`);
  }
  for (const problem of report.problems) if (problem.code === 'overlapping-rows') lines.push(`warning: ${problem.message}`);
  for (const note of report.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}

/** GitHub Actions annotations: one per thing to act on, plus a notice when all is well. */
export function formatStatusGithub(report: StatusReport): string {
  const title = (text: string) => `title=${escapeProperty(`alembic-workbench status: ${text}`)}`;
  const lines: string[] = [];
  const add = (level: 'error' | 'warning' | 'notice', heading: string, message: string) => lines.push(`::${level} ${title(heading)}::${escapeData(message)}`);
  if (report.state === 'unreachable') add('error', 'database unreachable', report.message);
  for (const item of report.unknown) {
    add('error', 'unknown revision', `The database (${report.database.target}) is at ${item.revision}, which no revision file defines. git: ${describeRevisionGitHistory(item.git)}`);
  }
  if (report.database.reachable && report.heads.length > 1) add('error', 'several heads', `The revision files have ${report.heads.length} heads: ${report.heads.join(', ')}`);
  if (report.pending.length) {
    add('warning', 'pending revisions', `${report.pending.length} pending on ${report.database.target}, in upgrade order: ${report.pending.map((item) => item.revision).join(', ')}`);
  }
  if (report.state === 'up-to-date') add('notice', 'up to date', `${report.database.target} is ${report.message}`);
  return `${lines.join('\n')}\n`;
}

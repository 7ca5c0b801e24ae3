// Turns a failed run (Alembic, Python, Docker Compose) into one clear sentence, the lines that
// matter, and what the user can do next. The texts matched here are the real ones: Alembic 1.8.1 in
// ../shared/alembic-corpus (16_errors, 13_branch_and_merge, 15_cli_commands), psycopg2, SQLAlchemy,
// Docker Compose v2 and the docker CLI. A failure nobody recognises keeps Alembic's last lines.
import type { AlembicCommand } from './alembicCommand';
import { ExecutableNotFoundError, ExecutablePermissionError, type ProcessStartError, WorkingDirectoryNotFoundError } from './processRunner';
import type { RunnerMode } from './runnerModes';
import { maskSecrets } from '../util/maskSecrets';

export type SuggestedAction =
  | 'upgradeHead'
  | 'upgradeHeads'
  | 'mergeHeads'
  | 'stamp'
  /** Stamp with --purge: plain stamp fails too while alembic_version holds an unknown revision. */
  | 'stampPurge'
  | 'showCurrent'
  | 'showHistory'
  | 'startService'
  | 'runWithComposeRun'
  | 'startDocker'
  | 'installDocker'
  | 'installAlembic'
  | 'upgradeAlembic'
  | 'configureRunner'
  | 'checkDatabaseConnection'
  | 'openFile'
  | 'useSplice'
  | 'runOnline'
  | 'showOutput';

export type AlembicFailureKind =
  | 'databaseNotUpToDate'
  | 'multipleHeads'
  | 'revisionNotFound'
  | 'ambiguousWalk'
  | 'notAHead'
  | 'relativeRevisionOutOfRange'
  | 'danglingRevision'
  | 'missingRevisionId'
  | 'configNotFound'
  | 'composeServiceNotRunning'
  | 'composeNoSuchService'
  | 'composeNoConfigFile'
  | 'composeNotAvailable'
  | 'composeFileInvalid'
  | 'dockerNotFound'
  | 'dockerDaemonUnavailable'
  | 'alembicNotFound'
  | 'workingDirectoryNotFound'
  | 'pythonImportError'
  | 'pythonSyntaxError'
  | 'fileNotWritable'
  | 'databaseUnavailable'
  | 'checkNotAvailable'
  | 'batchModeWithSql'
  | 'objectAlreadyExists'
  | 'unnamedConstraint'
  | 'migrationFailed'
  | 'alembicError'
  | 'unknown';

export interface AlembicFailure {
  kind: AlembicFailureKind;
  /** One sentence a user understands without reading a traceback. */
  summary: string;
  /** Alembic's (or Docker's) last meaningful lines, passwords masked. */
  detail: string;
  suggestedActions: SuggestedAction[];
  /** A file to open (syntax error, import error inside a migration). */
  file?: string;
  line?: number;
  /** The revision involved: the unknown id, or the migration that was running when it failed. */
  revision?: string;
  /** Compose service, Python module, database object... depending on the kind. */
  subject?: string;
}

export interface FailureInput {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  command?: AlembicCommand;
  mode?: RunnerMode;
  /** Compose service name (dockerCompose). */
  service?: string;
}

/** undefined when the run succeeded (exit 0). */
export function recogniseAlembicFailure(input: FailureInput): AlembicFailure | undefined {
  if (input.exitCode === 0) return undefined;
  const stdout = maskSecrets(input.stdout);
  const stderr = maskSecrets(input.stderr);
  const all = `${stderr}\n${stdout}`;
  const detail = lastMeaningfulLines(stderr, stdout);
  const runningRevision = lastRunningRevision(stderr);
  const failed = /^FAILED: (.*)$/m.exec(stdout)?.[1] ?? /^ERROR \[alembic\.util\.messaging\] (.*)$/m.exec(stderr)?.[1];
  const make: MakeFailure = (kind, summary, suggestedActions, extra = {}) => ({
    kind,
    summary,
    detail,
    suggestedActions,
    ...(runningRevision ? { revision: runningRevision } : {}),
    ...extra,
  });

  // --- Docker and Compose, before anything reaches Alembic (not in local mode: no docker there) ---
  const dockerFailure = input.mode === 'local' ? undefined : recogniseDockerFailure(all, make);
  if (dockerFailure) return dockerFailure;
  if (
    /exec: "?[^"\s]+"?: executable file not found in \$PATH/.test(all) ||
    ((input.exitCode === 126 || input.exitCode === 127) && /alembic["']?:? (?:command )?not found|alembic: No such file or directory/.test(all))
  ) {
    const where = input.mode === 'dockerCompose' ? ` in the "${input.service ?? 'backend'}" container` : '';
    return make('alembicNotFound', `Alembic is not installed${where} (the "alembic" command was not found).`, ['installAlembic', 'configureRunner']);
  }
  const noModule = /No module named '?alembic'?(\.__main__)?/.exec(all);
  if (noModule && !/Traceback/.test(all)) {
    // In the project folder, `python -m alembic` finds the migrations folder alembic/ instead.
    const shadow = noModule[1] ? " (it only found the project's alembic/ folder)" : '';
    return make('alembicNotFound', `The Python interpreter used to run Alembic does not have Alembic installed${shadow}.`, [
      'installAlembic',
      'configureRunner',
    ]);
  }

  // --- Alembic's own command errors (FAILED: ... on stdout, exit 255) ------------------------------
  if (/Target database is not up to date/.test(all)) {
    return make(
      'databaseNotUpToDate',
      'The database is not at the latest revision: Alembic only autogenerates against an up-to-date database. Upgrade it first.',
      ['upgradeHead', 'showCurrent'],
    );
  }
  if (/Multiple heads are present; please specify the head revision/.test(all)) {
    return make(
      'multipleHeads',
      'There are several heads, so Alembic cannot tell which one the new revision should follow: merge the heads first, or choose a head.',
      ['mergeHeads', 'showHistory'],
    );
  }
  const multipleForArgument = /Multiple head revisions are present for given argument '([^']*)'/.exec(all);
  if (multipleForArgument) {
    return make(
      'multipleHeads',
      `There are several heads, so '${multipleForArgument[1]}' is ambiguous: merge the heads, or upgrade to 'heads' (all of them) or to '<branch>@head'.`,
      ['mergeHeads', 'upgradeHeads', 'showHistory'],
    );
  }
  const cantLocate = /Can't locate revision identified by '([^']*)'/.exec(all);
  if (cantLocate) {
    const id = cantLocate[1];
    if (commandNamesRevision(input.command, id)) {
      return make('revisionNotFound', `No migration file defines revision '${id}' (or it is too short to be unique).`, ['showHistory'], { revision: id, subject: id });
    }
    return make(
      'revisionNotFound',
      `The database is at revision '${id}', which none of this project's migration files defines: it was probably migrated from another branch, or that file was deleted. Check out the branch that has it, or stamp the database (with --purge) to the revision its schema really matches.`,
      ['stampPurge', 'showCurrent', 'showHistory'],
      { revision: id, subject: id },
    );
  }
  if (/Ambiguous walk/.test(all)) {
    return make(
      'ambiguousWalk',
      'A relative step (like -1) is ambiguous here: the revision has several parents (a merge point). Name the revision or branch (label@-1) to go to instead.',
      ['showHistory'],
    );
  }
  const notHead = /Revision (\S+) is not a head revision; please specify --splice/.exec(all);
  if (notHead) {
    return make('notAHead', `Revision ${notHead[1]} is not a head: a new revision on it starts a second branch, which needs --splice.`, ['useSplice', 'showHistory'], {
      revision: notHead[1],
    });
  }
  const relative = /Relative revision (\S+) didn't produce (\d+) migrations/.exec(all);
  if (relative) {
    return make('relativeRevisionOutOfRange', `There are not ${relative[2]} revisions to move (${relative[1]}) from where the database is.`, [
      'showCurrent',
      'showHistory',
    ]);
  }
  if (/invalid choice: 'check'/.test(all)) {
    return make('checkNotAvailable', 'This Alembic has no "check" command: it was added in Alembic 1.9 (this one is older).', ['upgradeAlembic']);
  }
  if (/cannot proceed in --sql mode; batch mode/.test(all)) {
    return make(
      'batchModeWithSql',
      'Offline SQL (--sql) is impossible for this migration: on SQLite, batch mode must read the live table. Run it against the database instead.',
      ['runOnline'],
    );
  }
  const dangling = /Revision (\S+) referenced from (\S+) -> (\S+),.* is not present/.exec(all);
  if (dangling) {
    return make('danglingRevision', `Revision ${dangling[3]} names ${dangling[1]} as its parent, but no migration file defines ${dangling[1]}.`, ['showHistory'], {
      revision: dangling[3],
      subject: dangling[1],
    });
  }
  const missingId = /Could not determine revision id from filename (\S+?)\.? Be sure/.exec(all);
  if (missingId) {
    return make('missingRevisionId', `The migration file ${missingId[1]} declares no "revision" variable.`, ['openFile'], { file: missingId[1] });
  }
  const noConfig = /No config file '([^']*)' found, or file has no '\[([^\]]*)\]' section/.exec(all);
  if (noConfig) {
    const match = noConfig;
    return make('configNotFound', `Alembic found no usable config: '${match[1]}' is missing or has no [${match[2]}] section.`, ['configureRunner'], {
      file: match[1],
    });
  }

  // --- Python exceptions (traceback on stderr, exit 1) -------------------------------------------
  // Typically `--user` set for the container while the bind-mounted versions/ folder is root's.
  const notWritable = /PermissionError: \[Errno 13\] Permission denied: '([^']+)'/.exec(all);
  if (notWritable) {
    return make(
      'fileNotWritable',
      `Alembic cannot write ${notWritable[1]}: permission denied. The user Alembic runs as (the runner's user setting, or the container's) may not write that folder; give the folder to that user, or change the user.`,
      ['configureRunner', 'showOutput'],
      { file: notWritable[1] },
    );
  }
  const syntax = /File "([^"]+)", line (\d+)\n(?:.*\n){0,3}?(SyntaxError|IndentationError|TabError): (.*)/.exec(all);
  if (syntax) {
    return make('pythonSyntaxError', `${basename(syntax[1])} line ${syntax[2]} is not valid Python (${syntax[3]}: ${syntax[4]}).`, ['openFile'], {
      file: syntax[1],
      line: Number(syntax[2]),
    });
  }
  const importError = /^(ModuleNotFoundError|ImportError): (?:No module named '([^']+)'|cannot import name '([^']+)'.*)$/m.exec(all);
  if (importError) {
    const frame = lastProjectFrame(all);
    const what = importError[2] ? `the module '${importError[2]}'` : `'${importError[3]}'`;
    const where = frame ? `${basename(frame.file)} (line ${frame.line})` : 'env.py or a model module';
    return make(
      'pythonImportError',
      `${where} imports ${what}, which cannot be imported where Alembic runs: install it in that environment (the container image, or the local interpreter).`,
      ['openFile', 'configureRunner'],
      { file: frame?.file, line: frame?.line, subject: importError[2] ?? importError[3] },
    );
  }
  const database = databaseProblem(all);
  if (database) {
    const actions: SuggestedAction[] = input.mode === 'dockerCompose' ? ['checkDatabaseConnection', 'startService'] : ['checkDatabaseConnection'];
    return make('databaseUnavailable', database, actions);
  }
  if (/already exists|duplicate column name/.test(all) && /(Error|Exception)\b/.test(all)) {
    const object = alreadyExistingObject(all);
    return make(
      'objectAlreadyExists',
      `The migration creates ${object}, which already exists: an earlier downgrade probably left it behind (an empty "pass" downgrade), or it was created by hand. Drop it, or stamp the database to the revision it really is at.`,
      ['stamp', 'showCurrent'],
      { subject: object },
    );
  }
  if (/Can't emit (?:DROP|ADD) CONSTRAINT for constraint .*it has no name|Constraint must have a name/.test(all)) {
    return make(
      'unnamedConstraint',
      'The migration uses a constraint without a name (autogenerate wrote None): give the real constraint name in the migration.',
      ['openFile'],
    );
  }
  const sqlError = /^sqlalchemy\.exc\.\w+: \((\w+(?:\.\w+)*)\) (.*)$/m.exec(all);
  if (sqlError) {
    const during = runningRevision ? ` while running revision ${runningRevision}` : '';
    return make('migrationFailed', `The database rejected the migration${during}: ${sqlError[2].trim()}`, ['showCurrent', 'openFile']);
  }

  // --- Anything else ---------------------------------------------------------------------------------
  if (failed) return make('alembicError', `Alembic failed: ${failed.trim()}`, ['showOutput']);
  const lastException = /^(\w+(?:\.\w+)*(?:Error|Exception|Warning)): (.*)$/m.exec(lastLinesText(stderr, 6));
  if (lastException) return make('unknown', `Alembic failed with ${lastException[1]}: ${lastException[2]}`, ['showOutput']);
  const exit = input.exitCode === null ? 'it was stopped by a signal' : `exit code ${input.exitCode}`;
  return make('unknown', `The command failed (${exit}).`, ['showOutput']);
}

/** A failure for a process that could not even start (docker or alembic missing, bad folder). */
export function failureFromStartError(error: ProcessStartError, mode: RunnerMode): AlembicFailure {
  const detail = maskSecrets(error.message);
  if (error instanceof WorkingDirectoryNotFoundError) {
    return { kind: 'workingDirectoryNotFound', summary: error.message, detail, suggestedActions: ['configureRunner'], subject: error.cwd };
  }
  if (error instanceof ExecutableNotFoundError || error instanceof ExecutablePermissionError) {
    const problem = error instanceof ExecutableNotFoundError ? 'was not found' : 'cannot be executed (permission denied)';
    if (mode === 'dockerCompose') {
      return {
        kind: 'dockerNotFound',
        summary: `The docker command ("${error.executable}") ${problem}: install Docker, or choose the local runner.`,
        detail,
        suggestedActions: ['installDocker', 'configureRunner'],
        subject: error.executable,
      };
    }
    if (mode === 'local') {
      return {
        kind: 'alembicNotFound',
        summary: `"${error.executable}" ${problem}: install Alembic, or set the command that runs it (e.g. <venv>/bin/python -m alembic).`,
        detail,
        suggestedActions: ['installAlembic', 'configureRunner'],
        subject: error.executable,
      };
    }
    return {
      kind: 'unknown',
      summary: `The custom runner's program "${error.executable}" ${problem}.`,
      detail,
      suggestedActions: ['configureRunner'],
      subject: error.executable,
    };
  }
  return { kind: 'unknown', summary: error.message, detail, suggestedActions: ['configureRunner'] };
}

// ------------------------------------------------------------------------------------------------

type MakeFailure = (kind: AlembicFailureKind, summary: string, actions: SuggestedAction[], extra?: Partial<AlembicFailure>) => AlembicFailure;

function recogniseDockerFailure(all: string, make: MakeFailure): AlembicFailure | undefined {
  const notRunning = /service "([^"]+)" is not running/.exec(all);
  if (notRunning) {
    return make('composeServiceNotRunning', `The Compose service "${notRunning[1]}" is not running, so Alembic cannot be executed in it.`, ['startService', 'runWithComposeRun'], {
      subject: notRunning[1],
    });
  }
  const noSuchService = /no such service: ?"?([^"\s]+)"?/i.exec(all);
  if (noSuchService) {
    return make('composeNoSuchService', `The Compose project has no service "${noSuchService[1]}"; set the service that runs Alembic.`, ['configureRunner'], {
      subject: noSuchService[1],
    });
  }
  if (/no configuration file provided|Can't find a suitable configuration file/i.test(all)) {
    return make(
      'composeNoConfigFile',
      'Docker Compose found no compose file (compose.yaml / docker-compose.yml) in the project folder or its parents.',
      ['configureRunner'],
    );
  }
  // Compose v2 rejects a file it can't parse ("yaml: line 4: ...") or validate ("validating f: ...").
  const invalidFile = /^(?:yaml: line \d+: .*|validating \S+: .*|parsing \S+: .*)$/m.exec(all);
  if (invalidFile) {
    return make('composeFileInvalid', `Docker Compose cannot read its file: ${invalidFile[0]}`, ['configureRunner', 'showOutput']);
  }
  // Without the plugin the docker CLI reads compose's flags as its own: "unknown shorthand flag: 'T'
  // in -T" (exit 125), followed by the docker CLI's own usage line.
  const dockerRejectedComposeFlags = /unknown (?:shorthand )?flag/.test(all) && /Usage:\s+docker \[OPTIONS\] COMMAND/.test(all);
  if (/'compose' is not a docker command|unknown command: docker compose/i.test(all) || dockerRejectedComposeFlags) {
    return make('composeNotAvailable', 'This docker CLI has no "compose" command: the Docker Compose v2 plugin is not installed.', [
      'installDocker',
      'configureRunner',
    ]);
  }
  if (/Cannot connect to the Docker daemon|Is the docker daemon running\?|error during connect|permission denied while trying to connect to the Docker daemon/i.test(all)) {
    return make('dockerDaemonUnavailable', 'Docker is not reachable: the Docker daemon is not running (or this user may not use it).', ['startDocker']);
  }
  return undefined;
}

function commandNamesRevision(command: AlembicCommand | undefined, id: string): boolean {
  if (!command) return false;
  const named: string[] = [];
  switch (command.kind) {
    case 'upgrade':
    case 'downgrade':
      named.push(...command.target.split(/[:@]/));
      break;
    case 'stamp':
    case 'merge':
      named.push(...command.revisions);
      break;
    case 'show':
      named.push(command.revision);
      break;
    case 'revision':
      if (command.head) named.push(command.head.split('@')[0]);
      named.push(...(command.dependsOn ?? []));
      break;
    case 'history':
      if (command.range) named.push(...command.range.split(':'));
      break;
    default:
      break;
  }
  return named.some((symbol) => symbol === id || symbol.replace(/[+-]\d+$/, '') === id);
}

function databaseProblem(text: string): string | undefined {
  const refused = /connection to server at "([^"]+)", port (\d+) failed: Connection refused/.exec(text);
  if (refused) return `The database server at ${refused[1]}:${refused[2]} refused the connection: it is not running there, or not reachable from where Alembic runs.`;
  const socket = /connection to server on socket "([^"]+)" failed: (?:No such file or directory|Connection refused)/.exec(text);
  if (socket) return `No database server is listening on ${socket[1]}.`;
  const host = /could not translate host name "([^"]+)" to address/.exec(text);
  if (host) {
    return `The database host "${host[1]}" is unknown here. (A Compose service name like "db" only resolves inside the Compose network: run Alembic in the container, or use the mapped host port.)`;
  }
  const password = /password authentication failed for user "([^"]+)"/.exec(text);
  if (password) return `The database refused the password for user "${password[1]}".`;
  const missing = /database "([^"]+)" does not exist/.exec(text);
  if (missing && /OperationalError/.test(text)) return `The database "${missing[1]}" does not exist on the server.`;
  const timeout = /connection to server at "([^"]+)", port (\d+) failed: (?:timeout expired|Connection timed out)/.exec(text);
  if (timeout) return `Connecting to the database at ${timeout[1]}:${timeout[2]} timed out.`;
  if (/sqlite3\.OperationalError\) unable to open database file/.test(text)) return 'The SQLite database file cannot be opened (its folder is missing or not writable).';
  if (/psycopg2\.OperationalError\)/.test(text)) {
    const line = /psycopg2\.OperationalError\) (.*)/.exec(text)?.[1];
    return `Alembic could not connect to the database${line ? `: ${line.trim()}` : '.'}`;
  }
  return undefined;
}

function alreadyExistingObject(text: string): string {
  const quoted = /((?:relation|column|type|index|constraint|schema|table|view|trigger|function|sequence) "[^"]+"(?: of relation "[^"]+")?) already exists/.exec(text);
  if (quoted) return quoted[1];
  const sqlite = /(?:table|index|view|trigger) (\S+) already exists/.exec(text);
  if (sqlite) return sqlite[0].replace(/ already exists$/, '');
  const duplicate = /duplicate column name: (\S+)/.exec(text);
  if (duplicate) return `column "${duplicate[1]}"`;
  return 'an object';
}

/**
 * The revision being applied when things went wrong, from Alembic's last progress line:
 * `Running upgrade a -> b, message` (b is being applied) or `Running downgrade b -> a, message`.
 */
function lastRunningRevision(stderr: string): string | undefined {
  const matches = [...stderr.matchAll(/Running (upgrade|downgrade) (.*?) -> (.*?), /g)];
  const last = matches[matches.length - 1];
  if (!last) return undefined;
  return (last[1] === 'upgrade' ? last[3] : last[2]).trim() || undefined;
}

function lastProjectFrame(text: string): { file: string; line: number } | undefined {
  let found: { file: string; line: number } | undefined;
  for (const match of text.matchAll(/File "([^"]+)", line (\d+)/g)) {
    if (/(site|dist)-packages|<frozen |\/lib\/python\d/.test(match[1])) continue;
    found = { file: match[1], line: Number(match[2]) };
  }
  return found;
}

function basename(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

function lastLinesText(text: string, count: number): string {
  return text.split('\n').filter(Boolean).slice(-count).join('\n');
}

/**
 * What a person needs from the output: the FAILED line, the exception, the SQL, Compose's error;
 * not INFO chatter, traceback frames, carets or argparse usage.
 */
export function lastMeaningfulLines(stderr: string, stdout: string, count = 8): string {
  const keep = (text: string) => {
    const lines = text.replace(/\r\n/g, '\n').split('\n');
    const result: string[] = [];
    let inIndentedBlock = false;
    for (const line of lines) {
      const indented = /^\s/.test(line);
      // A traceback frame's source and caret lines, and argparse's usage continuation, are indented.
      if (inIndentedBlock && indented) continue;
      inIndentedBlock = false;
      if (/^\s*File "/.test(line) || /^usage: /.test(line)) {
        inIndentedBlock = true;
        continue;
      }
      if (
        line.trim() === '' ||
        /^INFO {2}\[/.test(line) ||
        /^\s*[~^]+\s*$/.test(line) ||
        /^Traceback \(most recent call last\):/.test(line) ||
        /^(The above exception was the direct cause|During handling of the above exception)/.test(line) ||
        /^\(Background on this error at:/.test(line) ||
        /^ERROR \[alembic\.util\.messaging\]/.test(line)
      ) {
        continue;
      }
      result.push(line);
    }
    return result;
  };
  return maskSecrets([...keep(stderr), ...keep(stdout)].slice(-count).join('\n'));
}

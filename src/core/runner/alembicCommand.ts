// Typed descriptions of the Alembic commands Alembic Workbench runs, turned into Alembic's argv.
// Everything a user typed (a message, a revision) stays ONE argv element; no shell ever sees it.

export type AlembicCommand =
  | {
      kind: 'revision';
      message: string;
      autogenerate: boolean;
      /** `--head`: the revision (or `<label>@head`) to base the new one on. */
      head?: string;
      splice?: boolean;
      branchLabel?: string;
      revId?: string;
      dependsOn?: string[];
      versionPath?: string;
    }
  | { kind: 'upgrade'; target: string; sql?: boolean; tag?: string }
  | { kind: 'downgrade'; target: string; sql?: boolean; tag?: string }
  | { kind: 'stamp'; revisions: string[]; sql?: boolean; purge?: boolean; tag?: string }
  | { kind: 'merge'; revisions: string[]; message: string; branchLabel?: string; revId?: string }
  | { kind: 'current'; verbose?: boolean }
  | { kind: 'history'; verbose?: boolean; range?: string; indicateCurrent?: boolean }
  | { kind: 'heads'; verbose?: boolean; resolveDependencies?: boolean }
  | { kind: 'branches'; verbose?: boolean }
  | { kind: 'show'; revision: string }
  /** Alembic >= 1.9 only; 1.8 answers `invalid choice: 'check'` (see alembicFailures). */
  | { kind: 'check' };

export type AlembicCommandKind = AlembicCommand['kind'];

/** Options that go before the command: `[-c ini] [-n name] [-x arg...]`. */
export interface AlembicGlobalOptions {
  /** Path of the ini file as the process running Alembic sees it (omit for `./alembic.ini`). */
  config?: string;
  /** `-n`: the ini section (omit for `alembic`). */
  name?: string;
  /** `-x` values for env.py, e.g. `compare_type=true`. */
  xArguments?: string[];
}

/** A value we refuse to hand to Alembic (it would be read as an option or split). */
export class InvalidAlembicArgumentError extends Error {
  constructor(
    readonly argument: string,
    readonly value: string,
    /** Why, as a clause a message can end with ("it contains whitespace"). */
    readonly reason: string,
  ) {
    super(`Invalid ${argument} ${JSON.stringify(value)}: ${reason}`);
    this.name = 'InvalidAlembicArgumentError';
  }
}

/** The Alembic argv (without the `alembic` executable itself). */
export function alembicArgv(command: AlembicCommand, options: AlembicGlobalOptions = {}): string[] {
  return [...globalArgv(options), ...commandArgv(command)];
}

/** `upgrade <from>:<to> --sql`: the offline SQL of one revision (from its parent) or a range. */
export function offlineUpgradeSql(from: string, to: string): AlembicCommand {
  return { kind: 'upgrade', target: `${from}:${to}`, sql: true };
}

/** Whether the command changes the database or the versions folder (for confirmations, refresh). */
export function isMutatingCommand(command: AlembicCommand): boolean {
  switch (command.kind) {
    case 'upgrade':
    case 'downgrade':
    case 'stamp':
      return !command.sql;
    case 'revision':
    case 'merge':
      return true;
    default:
      return false;
  }
}

function globalArgv(options: AlembicGlobalOptions): string[] {
  const argv: string[] = [];
  if (options.config) argv.push(...optionWithValue('-c', '--config', options.config));
  if (options.name) argv.push(...optionWithValue('-n', '--name', checkedToken('config section name', options.name)));
  for (const value of options.xArguments ?? []) {
    // `-x` has no long form: a value starting with "-" is attached (`-x-foo`), which argparse reads
    // as the value of -x instead of a new option.
    argv.push(...(value.startsWith('-') ? [`-x${value}`] : ['-x', value]));
  }
  return argv;
}

function commandArgv(command: AlembicCommand): string[] {
  switch (command.kind) {
    case 'revision': {
      const argv = ['revision', ...optionWithValue('-m', '--message', revisionMessage(command.message))];
      if (command.autogenerate) argv.push('--autogenerate');
      if (command.head) argv.push(...optionWithValue(undefined, '--head', revisionSymbol('head', command.head)));
      if (command.splice) argv.push('--splice');
      if (command.branchLabel) {
        argv.push(...optionWithValue(undefined, '--branch-label', checkedToken('branch label', command.branchLabel)));
      }
      if (command.revId) argv.push(...optionWithValue(undefined, '--rev-id', checkedToken('revision id', command.revId)));
      for (const dependency of command.dependsOn ?? []) {
        argv.push(...optionWithValue(undefined, '--depends-on', revisionSymbol('dependency', dependency)));
      }
      if (command.versionPath) argv.push(...optionWithValue(undefined, '--version-path', command.versionPath));
      return argv;
    }
    case 'upgrade':
    case 'downgrade': {
      const argv = [command.kind, revisionSymbol('target', command.target)];
      if (command.sql) argv.push('--sql');
      if (command.tag) argv.push(...optionWithValue(undefined, '--tag', command.tag));
      return argv;
    }
    case 'stamp': {
      const argv = ['stamp', ...revisionList('revision', command.revisions)];
      if (command.sql) argv.push('--sql');
      if (command.purge) argv.push('--purge');
      if (command.tag) argv.push(...optionWithValue(undefined, '--tag', command.tag));
      return argv;
    }
    case 'merge': {
      const argv = ['merge', ...optionWithValue('-m', '--message', revisionMessage(command.message))];
      if (command.branchLabel) {
        argv.push(...optionWithValue(undefined, '--branch-label', checkedToken('branch label', command.branchLabel)));
      }
      if (command.revId) argv.push(...optionWithValue(undefined, '--rev-id', checkedToken('revision id', command.revId)));
      return [...argv, ...revisionList('revision', command.revisions)];
    }
    case 'current':
      return command.verbose ? ['current', '--verbose'] : ['current'];
    case 'history': {
      const argv = ['history'];
      if (command.range) argv.push(...optionWithValue('-r', '--rev-range', checkedToken('revision range', command.range)));
      if (command.verbose) argv.push('--verbose');
      if (command.indicateCurrent) argv.push('--indicate-current');
      return argv;
    }
    case 'heads': {
      const argv = ['heads'];
      if (command.verbose) argv.push('--verbose');
      if (command.resolveDependencies) argv.push('--resolve-dependencies');
      return argv;
    }
    case 'branches':
      return command.verbose ? ['branches', '--verbose'] : ['branches'];
    case 'show':
      return ['show', revisionSymbol('revision', command.revision)];
    case 'check':
      return ['check'];
  }
}

/**
 * `-m value` normally; `--message=value` when the value starts with "-": argparse would otherwise
 * take `-m -fix` for two options and fail with "expected one argument". Either way the value is one
 * argv element, whatever it contains (quotes, `$(...)`, newlines).
 */
function optionWithValue(short: string | undefined, long: string, value: string): string[] {
  // No process argv can carry a NUL byte; say so instead of failing inside spawn.
  if (value.includes('\0')) throw new InvalidAlembicArgumentError(long.replace(/^--/, ''), value, 'it contains a NUL character');
  if (value.startsWith('-')) return [`${long}=${value}`];
  return [short ?? long, value];
}

/**
 * Alembic pastes the message verbatim into the new file's docstring (`"""${message}`), so two
 * characters would not survive as typed: `"""` ends the docstring early and leaves a file that is
 * not valid Python (every later Alembic command fails on it), and a backslash starts an escape
 * (`\n` becomes a newline). Refuse them rather than write a different or broken revision.
 */
function revisionMessage(message: string): string {
  const problem = revisionMessageProblem(message);
  if (problem) throw new InvalidAlembicArgumentError('message', message, problem);
  return message;
}

/**
 * Why Alembic would not write `message` into a revision as typed (see revisionMessage), or
 * undefined when it is fine. For input boxes that explain the rule before anything runs.
 */
export function revisionMessageProblem(message: string): string | undefined {
  if (message.includes('"""')) return 'Alembic would write """ into the docstring and break the file';
  if (message.includes('\\')) return 'Alembic would write a backslash into the docstring, where it starts an escape';
  if (message.includes('\0')) return 'it contains a NUL character';
  return undefined;
}

function revisionList(what: string, revisions: string[]): string[] {
  if (revisions.length === 0) throw new InvalidAlembicArgumentError(what, '', 'at least one is needed');
  return revisions.map((revision) => revisionSymbol(what, revision));
}

/**
 * Revision symbols: ids, prefixes, `head`, `heads`, `base`, `label@head`, `a:b`, `+1`, `-1`,
 * `head-2`, `label@-1`. A positional starting with "-" is only safe for negative numbers (argparse
 * treats anything else as an option), and whitespace has no meaning in a symbol.
 */
function revisionSymbol(what: string, value: string): string {
  checkedToken(what, value);
  if (value.startsWith('-') && !/^-\d+$/.test(value)) {
    throw new InvalidAlembicArgumentError(what, value, 'only a relative step like -1 may start with "-"');
  }
  return value;
}

function checkedToken(what: string, value: string): string {
  if (value.length === 0) throw new InvalidAlembicArgumentError(what, value, 'it is empty');
  if (/[\s\0]/.test(value)) throw new InvalidAlembicArgumentError(what, value, 'it contains whitespace');
  return value;
}

// The contract between the CLI's entry point and its subcommands (one file per subcommand).
// Subcommands write through CliIO so tests can run them in-process and read what they printed.
import type { AlembicProjectModel } from '../core/projectModel';
import type { AlembicProjectConfig } from '../core/project/projectConfig';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal (colour, wide output). */
  isTTY: boolean;
  /** Projects kept between commands by a resident server; default: read through the cache file. */
  projects?: ProjectStore;
  /** The built CLI this runs in (absent when tests call main() directly): for `server start`. */
  program?: { launcher: string; buildId(): string };
}

/** Where a command gets the model of a project, given its header cache file. */
export interface ProjectStore {
  load(config: AlembicProjectConfig, cacheFile: string): AlembicProjectModel;
}

/** Exit codes: documented in README's CLI section; keep them stable for CI scripts. */
export const ExitCode = {
  ok: 0,
  /** `check`/`lint` found an error-severity problem. */
  problemsFound: 1,
  /** Bad arguments or an unknown subcommand. */
  usage: 2,
  /** No Alembic project could be found or read at the given path. */
  projectNotFound: 3,
  /** A revision symbol could not be resolved (unknown id, ambiguous prefix, multiple heads...). */
  revisionNotResolved: 4,
  /** `status`: the database has revisions to apply. */
  statusPending: 10,
  /** `status`: the database is at a revision no file defines (Alembic's "Can't locate revision"). */
  statusUnknownRevision: 11,
  /** `status`: the revision files have several heads. */
  statusSeveralHeads: 12,
  /** `status`: the database could not be read within the timeout, or no URL was found. */
  statusUnreachable: 13,
} as const;

export interface CliCommand {
  name: string;
  /** One line for `alembic-workbench --help`. */
  summary: string;
  /** Full help text for `alembic-workbench <name> --help`. */
  usage: string;
  /**
   * `program` is the whole command line (main), handed in rather than imported so that a command
   * that runs other commands (the resident server) does not import main, which imports it.
   */
  run(args: string[], io: CliIO, program?: CliProgram): Promise<number>;
}

/** Runs one whole command line, as `alembic-workbench ...` would; returns the exit code. */
export type CliProgram = (argv: string[], io: CliIO) => Promise<number>;

/** Thrown for bad arguments; the entry point prints the message and the command's usage. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

// When the database is reachable only inside the compose network, the state comes from
// `alembic current` run by the runner (e.g. `docker compose exec backend alembic current`). Its
// output has no machine-readable form, so it is parsed defensively:
//   plain:    `12a9efe6d93b (head) (mergepoint)`, one line per current revision, empty = base
//   verbose:  `Current revision(s) for <url>:` then `Rev: <id> (head) ...` blocks
//   failure:  `FAILED: Can't locate revision identified by '<id>'` (stdout, exit 255) -> the
//             database holds an id no file defines; anything else is an error.
// Log lines (`INFO  [alembic.runtime.migration] ...`) go to stderr and are ignored; so is any other
// line that can't be a revision (SQLAlchemy's echo, prints from env.py).
import { maskUrlPassword } from '../util/maskSecrets';

export interface AlembicCurrentRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/** Runs `alembic current` (the runner's job; any mode: compose exec, local, custom). */
export type RunAlembicCurrent = (options?: { signal?: AbortSignal; verbose?: boolean }) => Promise<AlembicCurrentRun>;

export interface AlembicCurrentState {
  /** Revision ids the database is at, as Alembic printed them; empty = base. */
  rows: string[];
  /** False when Alembic stopped at an unknown revision: other rows may exist that it never printed. */
  complete: boolean;
  /** Markers Alembic printed per revision: head, mergepoint, branchpoint, effective head. */
  markers: Record<string, string[]>;
}

export class AlembicCurrentError extends Error {
  override name = 'AlembicCurrentError';
  constructor(
    message: string,
    readonly exitCode: number | null,
  ) {
    super(message);
  }
}

const MARKER = /\s\((head|effective head|current|branchpoint|mergepoint)\)/g;
// Alembic ids are usually 12 hex digits, but any identifier-like string is allowed (`--rev-id`).
const PLAIN_LINE = /^([A-Za-z0-9_][A-Za-z0-9_.-]*)((?:\s\((?:head|effective head|current|branchpoint|mergepoint)\))*)\s*$/;
const VERBOSE_REV = /^Rev:\s+(\S+)((?:\s\((?:head|effective head|current|branchpoint|mergepoint)\))*)/;
const UNKNOWN_REVISION = /Can't locate revision identified by '([^']+)'/;

export function parseAlembicCurrentOutput(run: AlembicCurrentRun): AlembicCurrentState {
  const stdoutLines = run.stdout.split(/\r?\n/);
  const failed = stdoutLines.find((line) => line.startsWith('FAILED:'));
  const unknown = UNKNOWN_REVISION.exec(failed ?? '') ?? UNKNOWN_REVISION.exec(run.stderr);
  if (unknown) return { rows: [unknown[1]!], complete: false, markers: { [unknown[1]!]: [] } };
  if (run.exitCode !== 0 || failed) throw new AlembicCurrentError(`alembic current failed: ${failureReason(run, failed)}`, run.exitCode);

  const rows: string[] = [];
  const markers: Record<string, string[]> = {};
  const verbose = stdoutLines.some((line) => line.startsWith('Current revision(s) for '));
  for (const line of stdoutLines) {
    const match = verbose ? VERBOSE_REV.exec(line) : PLAIN_LINE.exec(line.trim());
    if (!match) continue;
    const id = match[1]!;
    if (!rows.includes(id)) rows.push(id);
    markers[id] = [...(match[2] ?? '').matchAll(MARKER)].map((marker) => marker[1]!);
  }
  return { rows: rows.sort(), complete: true, markers };
}

/** Runs `alembic current` through the given runner function and parses it. */
export async function readAlembicCurrent(run: RunAlembicCurrent, options: { signal?: AbortSignal } = {}): Promise<AlembicCurrentState> {
  return parseAlembicCurrentOutput(await run({ signal: options.signal }));
}

function failureReason(run: AlembicCurrentRun, failed: string | undefined): string {
  if (failed) return maskUrlPassword(failed.slice('FAILED:'.length).trim());
  // A Python traceback ends with the exception line; docker compose says why on stderr too.
  const stderrLines = run.stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !/^(INFO|DEBUG|WARNI?N?G?)\s+\[/.test(line));
  const last = stderrLines[stderrLines.length - 1] ?? run.stdout.trim().split(/\r?\n/).pop() ?? '';
  return maskUrlPassword(last || `exit code ${run.exitCode ?? 'unknown'}`);
}

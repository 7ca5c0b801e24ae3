// The database state of a project, as one plain snapshot the editor renders (tree icons, status
// bar "Alembic: <current> (N pending)", an "unreachable" state) and the CLI prints.
//
// Sources (`status.source`): `database` reads the version table directly; `alembic` asks
// `alembic current` through the runner; `auto` reads directly and falls back to `alembic current`
// when the database can't be reached from this machine (typically: it lives only on the compose
// network).
//
// Trust: reading a database connects to a host named by workspace files (alembic.ini, compose
// files, settings) and `alembic current` runs the workspace's env.py. Call this only for a trusted
// workspace; the caller (the VS Code layer) checks Workspace Trust before every call.
//
// Event-free and promise-based: callers decide when to refresh (after a runner command, on a timer)
// and what to do with the snapshot; `lastStatus` keeps the latest one per project.
import { AlembicCurrentError, type RunAlembicCurrent, readAlembicCurrent } from './alembicCurrentFallback';
import { connectionKey, DatabaseConnectionPool } from './connectionPool';
import { DEFAULT_DATABASE_TIMEOUT_MS } from './databaseClient';
import { DatabaseUnreachableError } from './databaseErrors';
import { computeDatabaseState, type RevisionDatabaseState, type RevisionGraphView } from './databaseState';
import type { DatabaseTarget } from './databaseTargets';
import { TableStatsCache } from './tableStats';
import { endRunSessions } from './runSessions';
import { DEFAULT_VERSION_TABLE, describeVersionTable, readVersionTable, type VersionTableName } from './versionTable';
import { maskSecrets } from '../util/maskSecrets';

export type StatusSource = 'auto' | 'database' | 'alembic';

export interface DatabaseStatusProject {
  id: string;
  versionTable?: VersionTableName;
  /** The runner's `alembic current` for this project; without it there is no fallback. */
  runAlembicCurrent?: RunAlembicCurrent;
}

export interface DatabaseStatusProblem {
  code: 'unknown-revision' | 'overlapping-rows' | 'unreachable' | 'not-configured' | 'alembic-failed' | 'incomplete';
  severity: 'error' | 'warning' | 'info';
  message: string;
  revision?: string;
}

export interface DatabaseStatus {
  projectId: string;
  targetId: string;
  targetName: string;
  /** Where the rows came from; `none` when nothing could be read. */
  source: 'database' | 'alembic' | 'none';
  reachable: boolean;
  /** Whether the version table exists; undefined when the rows came from `alembic current`. */
  initialised?: boolean;
  rows: string[];
  current: string[];
  applied: string[];
  /** In upgrade order. */
  pending: string[];
  unknown: string[];
  /** Per revision: applied | current | pending | unknown. */
  states: Record<string, RevisionDatabaseState>;
  upToDate: boolean;
  problems: DatabaseStatusProblem[];
  /** One line for people: "at 12a9efe6d93b (head)", "at 3635499bffaa, 4 pending", "unreachable: ...". */
  message: string;
  /** Secondary explanations (host mapping, fallback used, driver quirks). */
  notes: string[];
  /** When the database could not be read: the typed reason. */
  error?: { kind: string; message: string };
  readAt: number;
  durationMs: number;
}

export interface ReadStatusOptions {
  source?: StatusSource;
  signal?: AbortSignal;
}

export interface DatabaseStatusServiceOptions {
  timeoutMs?: number;
  /** Freshness of table statistics for lint messages. */
  tableStatsTtlMs?: number;
}

type RowsRead = { source: 'database' | 'alembic'; rows: string[]; initialised?: boolean; complete: boolean; notes: string[] };

export class DatabaseStatusService {
  private readonly pool: DatabaseConnectionPool;
  private readonly latest = new Map<string, DatabaseStatus>();
  private readonly inFlight = new Map<string, Promise<RowsRead>>();
  private readonly tableStatsCaches = new Map<string, { client: unknown; cache: TableStatsCache }>();

  constructor(private readonly options: DatabaseStatusServiceOptions = {}) {
    this.pool = new DatabaseConnectionPool({ timeoutMs: options.timeoutMs ?? DEFAULT_DATABASE_TIMEOUT_MS });
  }

  /**
   * Reads the target's rows and computes the state against `graph`. Never throws for database or
   * runner failures: they come back as `reachable: false` with a message. Only for trusted workspaces.
   */
  async readDatabaseStatus(
    project: DatabaseStatusProject,
    target: DatabaseTarget,
    graph: RevisionGraphView,
    options: ReadStatusOptions = {},
  ): Promise<DatabaseStatus> {
    const started = Date.now();
    const source = options.source ?? 'auto';
    // Concurrent refreshes of the same target and connection share one read; each computes with its
    // own graph. A typed password is another connection: it must not join a read made without it.
    const key = `${project.id}\u0000${target.id}\u0000${source}\u0000${target.spec ? connectionKey(target.spec) : ''}`;
    const shared = this.inFlight.get(key);
    let read = shared;
    if (!read) {
      read = this.readRows(project, target, source, options.signal);
      this.inFlight.set(key, read);
      read.finally(() => this.inFlight.delete(key)).catch(() => undefined);
    }
    let status: DatabaseStatus;
    try {
      let rows: RowsRead;
      try {
        rows = await read;
      } catch (error) {
        // The read we joined was cancelled by its own caller, not by us: read again.
        if (!shared || !isCancellation(error) || options.signal?.aborted) throw error;
        rows = await this.readRows(project, target, source, options.signal);
      }
      status = buildStatus(project, target, graph, rows, started);
    } catch (error) {
      status = unreachableStatus(project, target, error, started);
    }
    this.latest.set(project.id, status);
    return status;
  }

  /** The last snapshot read for a project (any target), for views that render before a refresh ends. */
  lastStatus(projectId: string): DatabaseStatus | undefined {
    return this.latest.get(projectId);
  }

  /** Cached table statistics on a target (PostgreSQL only), for lint messages. */
  tableStatsFor(target: DatabaseTarget): TableStatsCache | undefined {
    if (!target.spec || target.spec.dialect !== 'postgresql') return undefined;
    const client = this.pool.clientFor({ id: target.id, spec: target.spec });
    const existing = this.tableStatsCaches.get(target.id);
    if (existing && existing.client === client) return existing.cache;
    const cache = new TableStatsCache(client, { ttlMs: this.options.tableStatsTtlMs });
    this.tableStatsCaches.set(target.id, { client, cache });
    return cache;
  }

  /** Terminates a cancelled run's sessions on a target (see runSessions.ts); their pids. */
  endRunSessions(target: DatabaseTarget, applicationName: string): Promise<number[]> {
    if (!target.spec) return Promise.reject(target.error ?? new Error('no database URL'));
    return endRunSessions(this.pool.clientFor({ id: target.id, spec: target.spec }), applicationName);
  }

  /** Closes the connections of a target that is gone. */
  async forgetTarget(targetId: string): Promise<void> {
    this.tableStatsCaches.delete(targetId);
    await this.pool.release(targetId);
  }

  async dispose(): Promise<void> {
    this.tableStatsCaches.clear();
    this.latest.clear();
    await this.pool.dispose();
  }

  private async readRows(project: DatabaseStatusProject, target: DatabaseTarget, source: StatusSource, signal?: AbortSignal): Promise<RowsRead> {
    const notes = [...target.notes];
    const runner = project.runAlembicCurrent;
    const viaAlembic = async (why?: string): Promise<RowsRead> => {
      if (!runner) throw new AlembicCurrentError('no runner is available to run `alembic current`', null);
      const state = await readAlembicCurrent(runner, { signal });
      return { source: 'alembic', rows: state.rows, complete: state.complete, notes: why ? [...notes, why] : notes };
    };

    if (source === 'alembic') return viaAlembic();

    if (!target.spec) {
      const reason = target.error?.message ?? 'no database URL';
      if (source === 'auto' && runner) return viaAlembic(`not read directly: ${reason}; read with \`alembic current\` instead`);
      throw target.error ?? new DatabaseUnreachableError('other', reason);
    }
    if (source === 'auto' && runner && target.onlyInsideCompose) {
      // Don't wait for a DNS failure or read a file that isn't there.
      return viaAlembic(`${target.onlyInsideCompose}; read with \`alembic current\``);
    }

    const client = this.pool.clientFor({ id: target.id, spec: target.spec });
    try {
      const table = project.versionTable ?? DEFAULT_VERSION_TABLE;
      const contents = await readVersionTable(client, table, { signal });
      const readNotes = [...notes, ...client.notes];
      if (!contents.exists) readNotes.push(`no ${describeVersionTable(contents.table)} table: the database is not initialised (base)`);
      return { source: 'database', rows: contents.rows, initialised: contents.exists, complete: true, notes: readNotes };
    } catch (error) {
      const fallBack =
        source === 'auto' &&
        runner &&
        error instanceof DatabaseUnreachableError &&
        error.kind !== 'cancelled' &&
        error.kind !== 'query-timeout';
      if (!fallBack) throw error;
      try {
        return await viaAlembic(`the database is not reachable from this machine (${error.message}); read with \`alembic current\``);
      } catch (alembicError) {
        throw new DatabaseUnreachableError(
          (error as DatabaseUnreachableError).kind,
          `${(error as Error).message}; \`alembic current\` failed too: ${messageOf(alembicError, target.spec.secrets)}`,
          (error as DatabaseUnreachableError).code,
        );
      }
    }
  }
}

/**
 * The same snapshot computed against another graph, without asking the database again: a
 * revision file was added, removed or re-parented, so which revisions are applied, current and
 * pending changes while the rows in the version table do not. A status that could not be read is
 * returned as it is.
 */
export function restateDatabaseStatus(status: DatabaseStatus, graph: RevisionGraphView): DatabaseStatus {
  if (!status.reachable || status.source === 'none') return status;
  const read: RowsRead = {
    source: status.source,
    rows: status.rows,
    initialised: status.initialised,
    complete: !status.problems.some((problem) => problem.code === 'incomplete'),
    notes: status.notes,
  };
  const restated = buildStatus({ id: status.projectId }, { id: status.targetId, name: status.targetName }, graph, read, Date.now());
  // When the database was read is what a reader of the snapshot wants to know, not when we recomputed it.
  return { ...restated, readAt: status.readAt, durationMs: status.durationMs };
}

function buildStatus(
  project: Pick<DatabaseStatusProject, 'id'>,
  target: Pick<DatabaseTarget, 'id' | 'name'>,
  graph: RevisionGraphView,
  read: RowsRead,
  started: number,
): DatabaseStatus {
  const state = computeDatabaseState(read.rows, graph);
  const problems: DatabaseStatusProblem[] = [...state.problems];
  if (!read.complete) {
    problems.push({
      code: 'incomplete',
      severity: 'warning',
      message: '`alembic current` stopped at a revision it could not locate; the database may hold more revisions than shown',
    });
  }
  return {
    projectId: project.id,
    targetId: target.id,
    targetName: target.name,
    source: read.source,
    reachable: true,
    initialised: read.initialised,
    rows: state.rows,
    current: state.current,
    applied: state.applied,
    pending: state.pending,
    unknown: state.unknown,
    states: Object.fromEntries(state.states),
    upToDate: state.upToDate,
    problems,
    message: summarise(read, state, graph),
    notes: read.notes,
    readAt: Date.now(),
    durationMs: Date.now() - started,
  };
}

function summarise(read: RowsRead, state: ReturnType<typeof computeDatabaseState>, graph: RevisionGraphView): string {
  const pending = state.pending.length;
  const pendingText = pending > 0 ? `, ${pending} pending` : '';
  if (state.unknown.length > 0) return `at ${state.unknown.join(', ')}, which no revision file defines${pendingText}`;
  if (state.rows.length === 0) {
    const base = read.initialised === false ? 'not initialised (base)' : 'at base (no revision applied)';
    return `${base}${pendingText}`;
  }
  const heads = new Set(graph.heads);
  const current = state.current.map((id) => (heads.has(id) ? `${id} (head)` : id)).join(', ');
  return pending === 0 ? `at ${current}, up to date` : `at ${current}${pendingText}`;
}

function unreachableStatus(project: DatabaseStatusProject, target: DatabaseTarget, error: unknown, started: number): DatabaseStatus {
  const kind = error instanceof DatabaseUnreachableError ? error.kind : error instanceof AlembicCurrentError ? 'alembic-failed' : (error as { kind?: string })?.kind ?? 'other';
  const message = messageOf(error, target.spec?.secrets);
  const notConfigured = !target.spec && !(error instanceof AlembicCurrentError);
  return {
    projectId: project.id,
    targetId: target.id,
    targetName: target.name,
    source: 'none',
    reachable: false,
    rows: [],
    current: [],
    applied: [],
    pending: [],
    unknown: [],
    states: {},
    upToDate: false,
    problems: [
      {
        code: notConfigured ? 'not-configured' : error instanceof AlembicCurrentError ? 'alembic-failed' : 'unreachable',
        severity: notConfigured ? 'info' : 'warning',
        message,
      },
    ],
    message,
    notes: [...target.notes],
    error: { kind, message },
    readAt: Date.now(),
    durationMs: Date.now() - started,
  };
}

function isCancellation(error: unknown): boolean {
  return (error instanceof DatabaseUnreachableError && error.kind === 'cancelled') || (error as Error)?.name === 'AbortError';
}

function messageOf(error: unknown, secrets: readonly string[] = []): string {
  return maskSecrets(error instanceof Error ? error.message : String(error), secrets);
}

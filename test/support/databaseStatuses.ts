// DatabaseStatus values as the database layer hands them over, for tests of what consumes them
// (restateDatabaseStatus, the tree and status bar models). One literal, so a new field of
// DatabaseStatus is added in one place.
import type { DatabaseStatus } from '../../src/core/db/databaseStatusService';

/** A status read from the version table (`rows`), before any state is computed from the graph. */
export function statusAsRead(rows: string[], overrides: Partial<DatabaseStatus> = {}): DatabaseStatus {
  return {
    projectId: 'p',
    targetId: `p#${overrides.targetName ?? 'project'}`,
    targetName: 'project',
    source: 'database',
    reachable: true,
    initialised: true,
    rows,
    current: [],
    applied: [],
    pending: [],
    unknown: [],
    states: {},
    upToDate: false,
    problems: [],
    message: '',
    notes: [],
    readAt: 0,
    durationMs: 0,
    ...overrides,
  };
}

// A hand-written table rebuild (SQLite cannot ALTER most things, so projects do it themselves):
//   rename T to T_tmp, create T, INSERT INTO T ... SELECT ... FROM T_tmp, drop T_tmp; or
//   create T_new, INSERT INTO T_new ... SELECT ... FROM T, drop T, rename T_new to T (SQLite's docs).
// The four steps are one change of T, not a rename, a new table and a dropped one: the rows are
// copied and T keeps its name. The copy is the evidence; without it nothing is a rebuild.
import { bindArguments, operationTable, type MigrationOperation } from './migrationOperations';
import { staticString } from './pythonExpressions';

export interface TableRebuild {
  /** The table rebuilt (its name before and after). */
  table: string;
  /** The name the rows pass through (`users_tmp`, `users_new`). */
  temporary: string;
  /** The rename, create, copy and drop operations. */
  operations: Set<MigrationOperation>;
}

type TableEvent =
  | { kind: 'rename'; from: string; to: string; operation: MigrationOperation }
  | { kind: 'create' | 'drop'; table: string; operation: MigrationOperation }
  | { kind: 'copy'; into: string; from: string; operation: MigrationOperation };

const COPY_SOURCE = /\bSELECT\b[\s\S]*?\bFROM\s+(?:["`[]?\w+["`\]]?\.)?["`[]?(\w+)/i;

/** The table-level steps of a function's operations, in order (op.* and raw SQL alike). */
function tableEvents(operations: readonly MigrationOperation[]): TableEvent[] {
  const events: TableEvent[] = [];
  for (const operation of operations) {
    const table = operation.receiver === 'op' ? operationTable(operation)?.toLowerCase() : undefined;
    if (table) {
      if (operation.name === 'rename_table') {
        const to = staticString(bindArguments(operation).get('new_table_name')?.value)?.toLowerCase();
        if (to) events.push({ kind: 'rename', from: table, to, operation });
      } else if (operation.name === 'create_table') events.push({ kind: 'create', table, operation });
      else if (operation.name === 'drop_table') events.push({ kind: 'drop', table, operation });
    }
    for (const statement of operation.sql?.statements ?? []) {
      const table = statement.table?.toLowerCase();
      if (statement.kind === 'create_table' && table) events.push({ kind: 'create', table, operation });
      else if (statement.kind === 'drop_table') for (const each of statement.tables ?? []) events.push({ kind: 'drop', table: each.toLowerCase(), operation });
      else if (statement.kind === 'insert' && table) {
        const from = COPY_SOURCE.exec(statement.text)?.[1]?.toLowerCase();
        if (from && from !== table) events.push({ kind: 'copy', into: table, from, operation });
      } else if (statement.kind === 'alter_table' && table) {
        for (const action of statement.actions ?? []) {
          if (action.kind === 'rename_table' && action.newName) events.push({ kind: 'rename', from: table, to: action.newName.toLowerCase(), operation });
        }
      }
    }
  }
  return events;
}

/** Event positions by what the rebuild search asks for, so each "next such event" is a binary search, not a scan. */
class EventIndex {
  private readonly positions = new Map<string, number[]>();

  constructor(events: readonly TableEvent[]) {
    events.forEach((event, position) => {
      const keys =
        event.kind === 'copy' ? [key('copy', event.into), key('copy', event.into, event.from)] : event.kind === 'rename' ? [key('rename', event.from, event.to)] : [key(event.kind, event.table)];
      for (const each of keys) {
        const list = this.positions.get(each);
        if (list) list.push(position);
        else this.positions.set(each, [position]);
      }
    });
  }

  /** Position of the first event after `after` with this key, or -1. */
  next(eventKey: string, after: number): number {
    const list = this.positions.get(eventKey);
    if (!list) return -1;
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (list[middle] > after) high = middle;
      else low = middle + 1;
    }
    return low < list.length ? list[low] : -1;
  }
}

const key = (...parts: string[]) => parts.join('\0');

/** The rebuilds among a function's operations. */
export function findTableRebuilds(operations: readonly MigrationOperation[]): TableRebuild[] {
  const events = tableEvents(operations);
  const index = new EventIndex(events);
  const rebuilds: TableRebuild[] = [];
  events.forEach((event, position) => {
    if (event.kind === 'rename') {
      // rename T -> X, create T, copy X into T, drop X.
      const [table, temporary] = [event.from, event.to];
      const create = index.next(key('create', table), position);
      const copy = create < 0 ? -1 : index.next(key('copy', table, temporary), create);
      const drop = copy < 0 ? -1 : index.next(key('drop', temporary), copy);
      if (drop >= 0) rebuilds.push({ table, temporary, operations: new Set([event, events[create], events[copy], events[drop]].map((step) => step.operation)) });
    } else if (event.kind === 'create') {
      // create N, copy T into N, drop T, rename N -> T.
      const temporary = event.table;
      const copy = index.next(key('copy', temporary), position);
      const table = copy < 0 ? undefined : (events[copy] as { from: string }).from;
      const drop = table === undefined ? -1 : index.next(key('drop', table), copy);
      const rename = drop < 0 || table === undefined ? -1 : index.next(key('rename', temporary, table), drop);
      if (table !== undefined && rename >= 0) rebuilds.push({ table, temporary, operations: new Set([event, events[copy], events[drop], events[rename]].map((step) => step.operation)) });
    }
  });
  return rebuilds;
}

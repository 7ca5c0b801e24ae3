// Inputs for the tree and status bar model tests: the example project's real graph, database
// statuses computed by the real core from version-table rows, and package.json's menu clauses.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { revisionGraphView } from '../../../src/core/db/databaseState';
import { restateDatabaseStatus, type DatabaseStatus } from '../../../src/core/db/databaseStatusService';
import { loadProjectConfig } from '../../../src/core/project/projectConfig';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import type { RevisionGraph } from '../../../src/core/revisions/revisionGraph';
import { statusAsRead } from '../../support/databaseStatuses';
import { EXAMPLE_PROJECT, REPO_ROOT } from '../../support/realAlembic';

export const EXAMPLE_INI = path.join(EXAMPLE_PROJECT, 'backend', 'alembic.ini');

export function exampleModel(): AlembicProjectModel {
  return AlembicProjectModel.load(loadProjectConfig(EXAMPLE_INI));
}

/** A status as the database layer produces it after reading `rows` from the version table. */
export function statusFromRows(graph: RevisionGraph, rows: string[], targetName = 'project'): DatabaseStatus {
  return restateDatabaseStatus(statusAsRead(rows, { targetName }), revisionGraphView(graph));
}

export function unreachableStatus(message = 'unreachable: connection refused at 127.0.0.1:5433', kind = 'refused'): DatabaseStatus {
  // Nothing was read, so whether the version table exists is not known: no `initialised` at all.
  const { initialised: _notKnown, ...status } = statusAsRead([], {
    source: 'none',
    reachable: false,
    problems: [{ code: 'unreachable', severity: 'warning', message }],
    message,
    error: { kind, message },
  });
  return status;
}

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

/**
 * Whether package.json shows `command` in the Revisions view's item context menu for an item with
 * this contextValue: evaluates the `viewItem =~ /.../` part of each `when` clause (the rest of the
 * clause is about the view and context keys, given as `contextKeys`).
 */
export function itemMenuShows(command: string, contextValue: string, contextKeys: Record<string, boolean> = {}): boolean {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuEntry[]> } };
  const entries = manifest.contributes.menus['view/item/context'].filter((entry) => entry.command === command && !entry.group?.startsWith('inline'));
  return entries.some((entry) => evaluateWhen(entry.when ?? 'true', contextValue, contextKeys));
}

function evaluateWhen(when: string, contextValue: string, contextKeys: Record<string, boolean>): boolean {
  return when.split('&&').every((rawTerm) => {
    const term = rawTerm.trim();
    const regex = /^viewItem =~ \/(.*)\/$/.exec(term);
    if (regex) return new RegExp(regex[1]).test(contextValue);
    if (term === 'view == alembicWorkbench.revisions') return true;
    const negated = term.startsWith('!');
    const key = negated ? term.slice(1) : term;
    if (!(key in contextKeys)) throw new Error(`the test does not know the context key in "${term}"`);
    return negated ? !contextKeys[key] : contextKeys[key];
  });
}

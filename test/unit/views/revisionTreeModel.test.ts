import assert from 'node:assert/strict';
import path from 'node:path';
import { generateHistory } from '../../../bench/support/historyGenerator';
import { loadProjectConfig } from '../../../src/core/project/projectConfig';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import { parseRevisionFile } from '../../../src/core/revisions/revisionFile';
import { RevisionGraph } from '../../../src/core/revisions/revisionGraph';
import {
  buildProjectTree,
  childrenOf,
  liftHeads,
  parseCreateDate,
  RelativeDates,
  revisionTooltipMarkdown,
  shortRevisionIds,
  treeRoots,
  unreadableConfigNode,
  type BranchGroupNodeData,
  type ProjectTreeInput,
  type RevisionTreeNode,
  type RevisionTreeNodeData,
} from '../../../src/views/revisionTreeModel';
import type { FindingCounts } from '../../../src/core/lint/findings';
import { graphOf, ids } from '../revisions/graphFixtures';
import { EXAMPLE_PROJECT } from '../../support/realAlembic';
import { exampleModel, itemMenuShows, statusFromRows, unreachableStatus } from './treeTestKit';

const MERGE = 'b5e2a7d9c3f8';
const BRANCH_POINT = 'e91f4c6b0a38';
const BASE = '4b1d3f0a9c21';

function input(graph: RevisionGraph, extra: Partial<ProjectTreeInput> = {}): ProjectTreeInput {
  return { projectId: 'p', label: 'backend', graph, ...extra };
}

function revisions(nodes: RevisionTreeNode[]): RevisionTreeNodeData[] {
  return nodes.filter((node): node is RevisionTreeNodeData => node.kind === 'revision');
}

function groups(nodes: RevisionTreeNode[]): BranchGroupNodeData[] {
  return nodes.filter((node): node is BranchGroupNodeData => node.kind === 'branch');
}

describe('revision tree model', () => {
  const model = exampleModel();
  const graph = model.graph;
  const newest = parseCreateDate(graph.get(MERGE)?.file.createDate);
  const threeHoursLater = (newest ?? 0) + 3 * 3600_000;

  describe('flat history of the example project', () => {
    const tree = buildProjectTree(input(graph), { groupByBranch: false, now: threeHoursLater });
    const rows = revisions(treeRoots([tree]));

    it('lists every revision once, newest first, in `alembic history` order (one head: nothing lifted)', () => {
      assert.equal(rows.length, 12);
      assert.deepEqual(rows.map((row) => row.revision), ids(graph.history()));
      assert.equal(rows[0].revision, MERGE);
      assert.equal(rows[rows.length - 1].revision, BASE);
      assert.equal(new Set(rows.map((row) => row.key)).size, rows.length);
    });

    it('labels each item with its short id and message', () => {
      assert.equal(rows[0].label, 'b5e2a7d merge tags and user mappings branches');
      assert.equal(rows[0].shortId, 'b5e2a7d');
      assert.deepEqual(rows[0].revisionReference, { projectId: 'p', revision: MERGE });
    });

    it('marks head, merge point, branch point, base and branch labels in flags, contextValue and description', () => {
      const byId = new Map(rows.map((row) => [row.revision, row]));
      assert.equal(byId.get(MERGE)?.contextValue, 'revision:unknown:head,mergepoint,labelled');
      assert.equal(byId.get(BRANCH_POINT)?.contextValue, 'revision:unknown:branchpoint');
      assert.equal(byId.get(BASE)?.contextValue, 'revision:unknown:base');
      assert.equal(byId.get('2c8d7e9f1b60')?.contextValue, 'revision:unknown:labelled');
      assert.equal(byId.get('c3a9e1b27d44')?.contextValue, 'revision:unknown:');
      assert.equal(byId.get(MERGE)?.description, '(tags) head, merge point · 3 hours ago');
      assert.equal(byId.get(BRANCH_POINT)?.description.startsWith('branch point · 3 hours ago'), true);
      assert.deepEqual(byId.get(MERGE)?.branchLabels, ['tags']);
    });

    it('without a database every state is unknown and the project says how many revisions it has', () => {
      assert.ok(rows.every((row) => row.state === 'unknown' && row.databaseState === 'unknown'));
      assert.equal(tree.pendingCount, undefined);
      assert.equal(tree.project.description, '12 revisions');
    });

    it('finds each item by revision id and by file', () => {
      const node = graph.get(BRANCH_POINT);
      assert.equal(tree.byRevision.get(BRANCH_POINT)?.filePath, node?.file.filePath);
      assert.equal(tree.byFile.get(path.resolve(node?.file.filePath ?? ''))?.revision, BRANCH_POINT);
      assert.equal(tree.byKey.get(rows[3].key), rows[3]);
    });
  });

  describe('database states', () => {
    it('after upgrading to the branch point: ancestors applied, it current, both branches and the merge pending', () => {
      const status = statusFromRows(graph, [BRANCH_POINT]);
      const tree = buildProjectTree(input(graph, { database: status }), { groupByBranch: false, now: threeHoursLater });
      const byId = new Map(revisions(treeRoots([tree])).map((row) => [row.revision, row]));
      assert.equal(byId.get(BRANCH_POINT)?.state, 'current');
      assert.equal(byId.get(BRANCH_POINT)?.contextValue, 'revision:current:branchpoint');
      assert.match(byId.get(BRANCH_POINT)?.description ?? '', /^branch point · current · /);
      for (const applied of [BASE, '8e7c2a6d5f10', 'c3a9e1b27d44', '17f05d8e3b92', 'a64b9c0e2f57', '5d2e8f1a7c03']) assert.equal(byId.get(applied)?.state, 'applied', applied);
      for (const pending of [MERGE, '9f3b6a2d4e15', '2c8d7e9f1b60', 'd7c1f8e4a2b6', '6a0e5b3c8d29']) assert.equal(byId.get(pending)?.state, 'pending', pending);
      assert.equal(tree.pendingCount, 5);
      assert.equal(tree.project.description, '12 revisions · at e91f4c6 · 5 pending');
    });

    it('at head: everything applied, the merge current, the project up to date', () => {
      const tree = buildProjectTree(input(graph, { database: statusFromRows(graph, [MERGE]) }), { groupByBranch: false });
      const rows = revisions(treeRoots([tree]));
      assert.equal(rows[0].state, 'current');
      assert.ok(rows.slice(1).every((row) => row.state === 'applied'));
      assert.equal(tree.pendingCount, 0);
      assert.equal(tree.project.description, '12 revisions · up to date');
    });

    it('an unreachable database leaves states unknown and says so on the project', () => {
      const tree = buildProjectTree(input(graph, { database: unreachableStatus() }), { groupByBranch: false });
      assert.ok(revisions(treeRoots([tree])).every((row) => row.state === 'unknown'));
      assert.equal(tree.pendingCount, undefined);
      assert.equal(tree.project.description, '12 revisions · database unreachable');
      assert.match(revisionTooltipMarkdown(tree.byRevision.get(MERGE)!, tree), /Database: unknown: unreachable: connection refused/);
    });

    it('a version-table row no file defines becomes an error message at the top', () => {
      const tree = buildProjectTree(input(graph, { database: statusFromRows(graph, ['0123456789ab']) }), { groupByBranch: false });
      const top = treeRoots([tree])[0];
      assert.equal(top.kind, 'message');
      assert.equal(top.kind === 'message' && top.severity, 'error');
      assert.equal(top.kind === 'message' && top.label, 'Database is at 0123456789ab');
      assert.match((top.kind === 'message' && top.detail) || '', /Can't locate revision identified by '0123456789ab'/);
      assert.equal(tree.project.description, '12 revisions · at unknown 0123456789ab');
    });

    it('Restricted Mode: unknown states, and tooltips say why', () => {
      const tree = buildProjectTree(input(graph, { databaseUnavailable: 'untrusted' }), { groupByBranch: false });
      assert.equal(tree.project.description, '12 revisions · Restricted Mode');
      assert.match(revisionTooltipMarkdown(tree.byRevision.get(BASE)!, tree), /Database: unknown: Restricted Mode reads no database/);
    });
  });

  describe('problems', () => {
    const findings = (error: number, warning = 0): FindingCounts => ({ error, warning, info: 0 });

    it('a revision with lint errors is a problem; its database state stays in the flags for the menus', () => {
      const file = graph.get(BRANCH_POINT)!.file.filePath;
      const status = statusFromRows(graph, ['5d2e8f1a7c03']);
      const tree = buildProjectTree(input(graph, { database: status, findingsFor: (filePath) => (filePath === file ? findings(1, 2) : undefined) }), { groupByBranch: false });
      const node = tree.byRevision.get(BRANCH_POINT)!;
      assert.equal(node.state, 'problem');
      assert.equal(node.databaseState, 'pending');
      assert.equal(node.contextValue, 'revision:problem:branchpoint,pending');
      assert.match(revisionTooltipMarkdown(node, tree), /Findings: 1 error, 2 warnings/);
      // Warnings alone are no problem.
      const warned = buildProjectTree(input(graph, { findingsFor: () => findings(0, 3) }), { groupByBranch: false });
      assert.equal(warned.byRevision.get(BRANCH_POINT)?.state, 'unknown');
    });

    it('a dangling down_revision, a cycle and a duplicate id make problems without lint', () => {
      const broken = graphOf([
        { id: 'aaa1' },
        { id: 'bbb2', down: 'missing9' },
        { id: 'ccc3', down: 'ddd4' },
        { id: 'ddd4', down: 'ccc3' },
        { id: 'eee5', down: 'aaa1', message: 'first' },
        { id: 'eee5', down: 'aaa1', message: 'second', fileName: 'eee5_again.py' },
      ]);
      const tree = buildProjectTree(input(broken), { groupByBranch: false });
      const byId = new Map(revisions(treeRoots([tree])).map((row) => [row.revision, row]));
      assert.equal(byId.get('aaa1')?.state, 'unknown');
      assert.equal(byId.get('bbb2')?.state, 'problem');
      assert.match(byId.get('bbb2')?.graphErrors[0] ?? '', /names missing9/);
      assert.equal(byId.get('ccc3')?.state, 'problem');
      assert.equal(byId.get('ddd4')?.state, 'problem');
      assert.equal(byId.get('eee5')?.state, 'problem');
      // The shadowed file is listed on its own, so it can be opened and fixed.
      const messages = treeRoots([tree]).filter((node) => node.kind === 'message');
      assert.equal(messages.length, 1);
      assert.equal(messages[0].kind === 'message' && messages[0].description, 'duplicate id eee5: ignored by Alembic');
      assert.equal(revisions(treeRoots([tree])).length, broken.size);
    });

    it('a file without a revision id is listed as a message that opens the file', () => {
      const files = graphOf([{ id: 'aaa1' }]).files;
      const withBroken = RevisionGraph.build([...files, parseRevisionFile('"""no id"""\ndown_revision = None\n', '/project/versions/broken.py')]);
      const tree = buildProjectTree(input(withBroken), { groupByBranch: false });
      const message = treeRoots([tree]).find((node) => node.kind === 'message');
      assert.ok(message && message.kind === 'message');
      assert.equal(message.label, 'broken.py');
      assert.equal(message.filePath, '/project/versions/broken.py');
      assert.equal(message.severity, 'error');
    });
  });

  describe('menus in package.json match the contextValues', () => {
    const keys = { 'alembicWorkbench.multipleHeads': true };
    it('upgrade to here: pending and unknown revisions, and problems that are pending or unknown', () => {
      assert.ok(itemMenuShows('alembicWorkbench.upgradeToRevision', 'revision:pending:head'));
      assert.ok(itemMenuShows('alembicWorkbench.upgradeToRevision', 'revision:unknown:'));
      assert.ok(itemMenuShows('alembicWorkbench.upgradeToRevision', 'revision:problem:branchpoint,pending'));
      assert.ok(!itemMenuShows('alembicWorkbench.upgradeToRevision', 'revision:applied:base'));
      assert.ok(!itemMenuShows('alembicWorkbench.upgradeToRevision', 'revision:current:head'));
      assert.ok(!itemMenuShows('alembicWorkbench.upgradeToRevision', 'revision:problem:head,current'));
    });
    it('downgrade to here: applied, current and unknown revisions', () => {
      assert.ok(itemMenuShows('alembicWorkbench.downgradeToRevision', 'revision:applied:base'));
      assert.ok(itemMenuShows('alembicWorkbench.downgradeToRevision', 'revision:current:head'));
      assert.ok(itemMenuShows('alembicWorkbench.downgradeToRevision', 'revision:problem:mergepoint,applied'));
      assert.ok(!itemMenuShows('alembicWorkbench.downgradeToRevision', 'revision:pending:head'));
    });
    it('merge heads: only on heads, only with several heads', () => {
      assert.ok(itemMenuShows('alembicWorkbench.mergeHeads', 'revision:pending:head', keys));
      assert.ok(itemMenuShows('alembicWorkbench.mergeHeads', 'revision:problem:head,labelled,pending', keys));
      assert.ok(!itemMenuShows('alembicWorkbench.mergeHeads', 'revision:pending:branchpoint', keys));
      assert.ok(!itemMenuShows('alembicWorkbench.mergeHeads', 'revision:pending:head', { 'alembicWorkbench.multipleHeads': false }));
    });
    it('stamp, show SQL, copy id and reveal: every revision, never a group or message', () => {
      for (const command of ['stampRevision', 'showSql', 'copyRevisionId', 'revealRevisionFile']) {
        assert.ok(itemMenuShows(`alembicWorkbench.${command}`, 'revision:applied:'), command);
        assert.ok(!itemMenuShows(`alembicWorkbench.${command}`, 'branch'), command);
        assert.ok(!itemMenuShows(`alembicWorkbench.${command}`, 'message'), command);
      }
    });
  });

  describe('heads on top', () => {
    it('lifts a head Alembic lists under older revisions to the top, keeping the rest in history order', () => {
      const forked = graphOf([
        { id: 'base1' },
        { id: 'main1', down: 'base1' },
        { id: 'b1', down: 'main1' },
        { id: 'a1', down: 'main1' },
        { id: 'a2', down: 'a1' },
        { id: 'c1', down: 'base1' },
      ]);
      assert.deepEqual(ids(forked.history()), ['b1', 'a2', 'a1', 'main1', 'c1', 'base1']);
      const rows = revisions(treeRoots([buildProjectTree(input(forked), { groupByBranch: false })]));
      assert.deepEqual(rows.map((row) => row.revision), ['b1', 'a2', 'c1', 'a1', 'main1', 'base1']);
      assert.ok(rows.slice(0, 3).every((row) => row.flags.includes('head')));
      assert.deepEqual(ids(liftHeads(graph.history())), ids(graph.history()));
    });
  });

  describe('group by branch', () => {
    it('cuts the example history at the branch point and the merge', () => {
      const status = statusFromRows(graph, [BRANCH_POINT]);
      const tree = buildProjectTree(input(graph, { database: status }), { groupByBranch: true, now: threeHoursLater });
      const found = groups(treeRoots([tree]));
      assert.deepEqual(
        found.map((group) => [group.label, group.children.map((child) => child.revision)]),
        [
          ['head b5e2a7d', [MERGE]],
          ['tags', ['9f3b6a2d4e15', '2c8d7e9f1b60']],
          ['6a0e5b3..d7c1f8e', ['d7c1f8e4a2b6', '6a0e5b3c8d29']],
          ['4b1d3f0..e91f4c6', [BRANCH_POINT, '5d2e8f1a7c03', 'a64b9c0e2f57', '17f05d8e3b92', 'c3a9e1b27d44', '8e7c2a6d5f10', BASE]],
        ],
      );
      assert.deepEqual(
        found.map((group) => group.description),
        ['1 revision · from a merge · 1 pending', '2 revisions · merges into b5e2a7d · 2 pending', '2 revisions · merges into b5e2a7d · 2 pending', '7 revisions · from base · then branches'],
      );
      assert.ok(found.every((group) => group.expanded));
      assert.deepEqual(found.map((group) => group.state), ['pending', 'pending', 'pending', 'current']);
      // Every revision is in exactly one group, with the group as its parent.
      const all = found.flatMap((group) => group.children.map((child) => [child.revision, child.parentKey === group.key]));
      assert.equal(all.length, 12);
      assert.ok(all.every(([, parented]) => parented));
      assert.equal(childrenOf(found[1]).length, 2);
    });

    it('a fully applied old segment starts collapsed; heads and pending work start expanded', () => {
      const tree = buildProjectTree(input(graph, { database: statusFromRows(graph, [MERGE]) }), { groupByBranch: true });
      assert.deepEqual(groups(treeRoots([tree])).map((group) => group.expanded), [true, false, false, false]);
    });

    it('a linear history is one group named after its head; unmerged heads come first', () => {
      const linear = graphOf([{ id: 'aaaa0000aaaa' }, { id: 'bbbb1111bbbb', down: 'aaaa0000aaaa' }]);
      const one = groups(treeRoots([buildProjectTree(input(linear), { groupByBranch: true })]));
      assert.deepEqual(one.map((group) => [group.label, group.children.length, group.description]), [['head bbbb111', 2, '2 revisions · from base']]);

      const forked = graphOf([{ id: 'base1' }, { id: 'x1', down: 'base1' }, { id: 'y1', down: 'base1', labels: ['feature'] }, { id: 'y2', down: 'y1' }]);
      const split = groups(treeRoots([buildProjectTree(input(forked), { groupByBranch: true })]));
      assert.deepEqual(split.map((group) => group.label), ['head x1', 'feature', 'base1']);
      assert.equal(split[1].description, '2 revisions · head');
      assert.equal(split[2].description, '1 revision · from base · then branches');
    });
  });

  describe('several projects', () => {
    it('one project: its content at the top (an empty one leaves the welcome view to speak); several: one node each', () => {
      const empty = buildProjectTree({ projectId: 'e', label: 'empty', graph: graphOf([]) }, { groupByBranch: false });
      const example = buildProjectTree(input(graph), { groupByBranch: false });
      assert.deepEqual(treeRoots([empty]), []);
      const roots = treeRoots([example, empty]);
      assert.deepEqual(roots.map((root) => root.kind === 'project' && root.label), ['backend', 'empty']);
      assert.equal(childrenOf(roots[1])[0].kind === 'message' && childrenOf(roots[1])[0].label, 'No revisions yet');
      assert.equal(childrenOf(roots[0]).length, 12);
      assert.equal(revisions(childrenOf(roots[0]))[0].parentKey, roots[0].key);
    });
  });

  describe('tooltips', () => {
    it('carry the full id, what it revises, the date, the file, findings and database state', () => {
      const status = statusFromRows(graph, [BRANCH_POINT]);
      const tree = buildProjectTree(input(graph, { database: status, displayRoot: EXAMPLE_PROJECT }), { groupByBranch: false, now: threeHoursLater });
      const merge = revisionTooltipMarkdown(tree.byRevision.get(MERGE)!, tree);
      assert.match(merge, /^\*\*b5e2a7d9c3f8\*\* · \(tags\) head merge point/);
      assert.match(merge, /merge tags and user mappings branches/);
      assert.match(merge, /Revises: `9f3b6a2d4e15`, `d7c1f8e4a2b6`/);
      assert.match(merge, /Created: 2026-\d\d-\d\d .* \(3 hours ago\)/);
      assert.match(merge, /File: backend\/alembic\/versions\/.*b5e2a7d9c3f8/);
      assert.match(merge, /Findings: none/);
      assert.match(merge, /Database: pending: not applied yet \(the database is at e91f4c6\)/);
      assert.match(revisionTooltipMarkdown(tree.byRevision.get(BRANCH_POINT)!, tree), /Database: \*\*current\*\*: the database is at this revision/);
      assert.match(revisionTooltipMarkdown(tree.byRevision.get(BASE)!, tree), /Revises: — \(base\)/);
    });
  });

  describe('short ids and dates', () => {
    it('short ids are 7 characters, longer where two ids share a prefix; other ids stay whole', () => {
      const short = shortRevisionIds(['abcdef012345', 'abcdef098765', '123456789abc', '0001_initial', 'ffff']);
      assert.equal(short.get('abcdef012345'), 'abcdef01');
      assert.equal(short.get('abcdef098765'), 'abcdef09');
      assert.equal(short.get('123456789abc'), '1234567');
      assert.equal(short.get('0001_initial'), '0001_initial');
      assert.equal(short.get('ffff'), 'ffff');
    });

    it('reads Create Date as local time, or with its offset when Alembic wrote one', () => {
      assert.equal(parseCreateDate('2026-11-25 22:25:52.115245'), new Date(2026, 10, 25, 22, 25, 52, 115).getTime());
      assert.equal(parseCreateDate('2026-11-25 22:25:52.115245+01:00'), Date.UTC(2026, 10, 25, 21, 25, 52, 115));
      assert.equal(parseCreateDate('2026-11-25 22:25'), new Date(2026, 10, 25, 22, 25).getTime());
      assert.equal(parseCreateDate('yesterday'), undefined);
      assert.equal(parseCreateDate(undefined), undefined);
    });

    it('describes dates relative to now, also those in the future (another machine\'s clock)', () => {
      const now = new Date(2026, 10, 26, 12, 0, 0).getTime();
      const dates = new RelativeDates('en', now);
      assert.equal(dates.describe('2026-11-26 11:59:30'), 'now');
      assert.equal(dates.describe('2026-11-26 11:15:00'), '45 minutes ago');
      assert.equal(dates.describe('2026-11-25 11:00:00'), 'yesterday');
      assert.equal(dates.describe('2026-11-12 12:00:00'), '2 weeks ago');
      assert.equal(dates.describe('2025-06-01 12:00:00'), 'last year');
      assert.equal(dates.describe('2026-11-28 12:00:00'), 'in 2 days');
      assert.equal(dates.describe('not a date'), undefined);
    });
  });

  describe('large generated histories', () => {
    for (const shape of ['linear', 'branched'] as const) {
      it(`5000 revisions (${shape}): every revision once in both modes, unique keys`, () => {
        const history = generateHistory(5000, shape);
        try {
          const big = AlembicProjectModel.load(loadProjectConfig(path.join(history.root, 'alembic.ini'))).graph;
          const status = statusFromRows(big, [big.history()[2500].id]);
          const flat = buildProjectTree(input(big, { database: status }), { groupByBranch: false });
          const rows = revisions(treeRoots([flat]));
          assert.equal(rows.length, 5000);
          assert.equal(rows[0].revision, history.heads[0]);
          assert.equal(new Set(rows.map((row) => row.key)).size, 5000);
          assert.equal(new Set(rows.map((row) => row.shortId)).size, 5000);
          assert.equal(flat.pendingCount, status.pending.length);
          assert.equal(rows.filter((row) => row.state === 'pending').length, status.pending.length);
          if (shape === 'linear') assert.equal(flat.pendingCount, 2500);
          const grouped = buildProjectTree(input(big, { database: status }), { groupByBranch: true });
          const segments = groups(treeRoots([grouped]));
          const members = segments.flatMap((group) => group.children.map((child) => child.revision));
          assert.equal(members.length, 5000);
          assert.equal(new Set(members).size, 5000);
          // Linear: one segment. Branched: the base alone, then per block of five: two 2-revision branches and the merge.
          assert.equal(segments.length, shape === 'linear' ? 1 : 1 + ((5000 - 1) / 5 | 0) * 3);
        } finally {
          history.cleanup();
        }
      });
    }
  });

  describe('real project layouts', () => {
    it('labels a Flask-Migrate project, and shows a config it cannot read with the reason and the fix', () => {
      const graph = exampleModel().graph;
      const flask = buildProjectTree({ projectId: 'p', label: 'migrations', graph, flaskMigrateEvidence: "env.py uses Flask's current_app" }, { groupByBranch: false });
      assert.match(flask.project.description, /^Flask-Migrate · \d+ revisions/);
      const flavor = flask.project.children[0];
      assert.equal(flavor.kind === 'message' && flavor.label, 'Flask-Migrate project');
      const broken = unreadableConfigNode(
        { id: '/w/tools/alembic.ini#alembic', file: '/w/tools/alembic.ini', message: "No 'script_location' key found in configuration (/w/tools/alembic.ini, section [alembic]). Add `script_location = ...`" },
        '/w',
      );
      assert.deepEqual([broken.label, broken.severity, broken.filePath], ['tools/alembic.ini', 'error', '/w/tools/alembic.ini']);
      assert.match(broken.detail ?? '', /Add `script_location/);
      // A lone project keeps its node when an unreadable config sits beside it, so both are seen.
      const roots = treeRoots([flask], [broken]);
      assert.deepEqual(roots.map((node) => node.kind), ['project', 'message']);
      assert.equal(treeRoots([flask])[0].kind, 'message');
    });
  });
});

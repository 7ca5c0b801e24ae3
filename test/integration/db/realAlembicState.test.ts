// Applied / pending / current on a project made by the real Alembic, after real `alembic upgrade`s,
// read directly from PostgreSQL (and SQLite), and cross-checked three ways against Alembic itself:
// `alembic current` names the same rows, and a following real `alembic upgrade heads` runs exactly
// the revisions we called pending.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseAlembicCurrentOutput, type RunAlembicCurrent } from '../../../src/core/db/alembicCurrentFallback';
import { DatabaseStatusService } from '../../../src/core/db/databaseStatusService';
import { resolveDatabaseTargets, type DatabaseTarget } from '../../../src/core/db/databaseTargets';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres';
import { generateBranchedProject, REV, upgradedRevisions, type GeneratedProject } from './alembicProjectKit';
import { closedPort, timed } from './dbTestKit';

async function projectTarget(project: GeneratedProject, iniUrl: string): Promise<DatabaseTarget> {
  const { selected } = await resolveDatabaseTargets({
    projectId: project.directory,
    baseDirectory: project.directory,
    iniUrl,
    iniFile: project.iniFile,
    settings: {},
    environment: {},
  });
  assert.ok(selected?.spec, selected?.error?.message);
  return selected;
}

function realAlembicCurrent(project: GeneratedProject): RunAlembicCurrent {
  return async () => {
    const run = project.alembic(['current']);
    return { stdout: run.stdout, stderr: run.stderr, exitCode: run.code };
  };
}

describe('database state of a real Alembic project (PostgreSQL)', function () {
  this.timeout(180_000);
  let db: ScratchDatabase;
  let project: GeneratedProject;
  let target: DatabaseTarget;
  const service = new DatabaseStatusService();

  before(async () => {
    db = await createScratchDatabase('real_alembic');
    project = generateBranchedProject({ sqlalchemyUrl: db.sqlalchemyUrl });
    target = await projectTarget(project, db.sqlalchemyUrl);
  });
  after(async () => {
    await service.dispose();
    await db?.drop();
    if (project) rmSync(project.directory, { recursive: true, force: true });
  });

  const checkpoints: Array<{ name: string; upgrades: string[][]; rows: string[]; pending: string[] }> = [
    { name: 'fresh database (no version table)', upgrades: [], rows: [], pending: Object.values(REV) },
    { name: 'after upgrade bbbb00000002', upgrades: [['upgrade', REV.b]], rows: [REV.b], pending: [REV.c, REV.d, REV.e, REV.merge, REV.reports] },
    { name: 'after upgrading one branch', upgrades: [['upgrade', REV.d]], rows: [REV.d], pending: [REV.e, REV.merge, REV.reports] },
    {
      name: 'two heads applied on branches',
      upgrades: [['upgrade', REV.d], ['upgrade', REV.e]],
      rows: [REV.d, REV.e],
      pending: [REV.merge, REV.reports],
    },
    // Alembic writes only the dependent revision: its dependency is applied without a row of its own.
    { name: 'a root that depends_on a branch revision', upgrades: [['upgrade', REV.reports]], rows: [REV.reports], pending: [REV.e, REV.merge] },
    { name: 'all heads', upgrades: [['upgrade', 'heads']], rows: [REV.merge, REV.reports], pending: [] },
  ];

  for (const checkpoint of checkpoints) {
    it(checkpoint.name, async () => {
      project.alembicOk(['downgrade', 'base']);
      for (const args of checkpoint.upgrades) project.alembicOk(args);

      const status = await service.readDatabaseStatus({ id: 'p' }, target, project.graph, { source: 'database' });
      assert.equal(status.source, 'database');
      assert.equal(status.reachable, true, status.message);
      assert.deepEqual(status.rows, [...checkpoint.rows].sort());
      assert.deepEqual([...status.pending].sort(), [...checkpoint.pending].sort());
      for (const id of status.current) assert.equal(status.states[id], 'current');
      for (const id of status.pending) assert.equal(status.states[id], 'pending');
      assert.equal(status.applied.length + status.pending.length, Object.keys(REV).length);

      // 1. Alembic names the same current revisions.
      const current = parseAlembicCurrentOutput({ ...project.alembic(['current']), exitCode: 0 });
      assert.deepEqual(current.rows, status.current);

      // 2. The `alembic current` source gives the same state.
      const viaAlembic = await service.readDatabaseStatus({ id: 'p', runAlembicCurrent: realAlembicCurrent(project) }, target, project.graph, { source: 'alembic' });
      assert.equal(viaAlembic.source, 'alembic');
      assert.deepEqual(viaAlembic.pending, status.pending);
      assert.deepEqual(viaAlembic.applied, status.applied);

      // 3. What Alembic then upgrades is exactly what we called pending.
      const upgrade = project.alembicOk(['upgrade', 'heads']);
      assert.deepEqual(upgradedRevisions(upgrade), [...status.pending].sort());
      const after = await service.readDatabaseStatus({ id: 'p' }, target, project.graph, { source: 'database' });
      assert.equal(after.upToDate, true);
      assert.match(after.message, /up to date/);
    });
  }

  it('the messages a person reads', async () => {
    project.alembicOk(['downgrade', 'base']);
    await db.query('DROP TABLE alembic_version');
    const fresh = await service.readDatabaseStatus({ id: 'p' }, target, project.graph);
    assert.equal(fresh.initialised, false);
    assert.equal(fresh.message, 'not initialised (base), 7 pending');
    project.alembicOk(['upgrade', REV.c]);
    const atC = await service.readDatabaseStatus({ id: 'p' }, target, project.graph);
    assert.equal(atC.message, `at ${REV.c}, 4 pending`);
    assert.deepEqual(atC.pending.slice(0, 2), [REV.d, REV.e]);
  });

  it('an unknown revision in the table: the problem, and the same id through alembic current', async () => {
    project.alembicOk(['upgrade', REV.c]);
    await db.query(`UPDATE alembic_version SET version_num = '0badc0ffee42'`);
    const status = await service.readDatabaseStatus({ id: 'p' }, target, project.graph, { source: 'database' });
    assert.deepEqual(status.unknown, ['0badc0ffee42']);
    assert.equal(status.states['0badc0ffee42'], 'unknown');
    assert.match(status.message, /^at 0badc0ffee42, which no revision file defines/);
    assert.equal(status.problems[0]?.code, 'unknown-revision');

    const real = project.alembic(['current']);
    assert.equal(real.code, 255);
    const viaAlembic = await service.readDatabaseStatus({ id: 'p', runAlembicCurrent: realAlembicCurrent(project) }, target, project.graph, { source: 'alembic' });
    assert.deepEqual(viaAlembic.unknown, ['0badc0ffee42']);
    assert.ok(viaAlembic.problems.some((problem) => problem.code === 'incomplete'));
    await db.query(`UPDATE alembic_version SET version_num = '${REV.c}'`);
  });

  it('auto: falls back to alembic current when the database is unreachable from here', async () => {
    const unreachable = await projectTarget(project, `postgresql://app:hunter22@127.0.0.1:${await closedPort()}/app`);
    const status = await service.readDatabaseStatus({ id: 'p', runAlembicCurrent: realAlembicCurrent(project) }, unreachable, project.graph, { source: 'auto' });
    assert.equal(status.source, 'alembic');
    assert.equal(status.reachable, true);
    assert.deepEqual(status.rows, [REV.c]);
    assert.match(status.notes.join('\n'), /not reachable from this machine \(unreachable: connection refused.*read with `alembic current`/);
    assert.ok(!JSON.stringify(status).includes('hunter22'));

    // `database` only: no fallback, a clear unreachable state.
    const direct = await service.readDatabaseStatus({ id: 'p', runAlembicCurrent: realAlembicCurrent(project) }, unreachable, project.graph, { source: 'database' });
    assert.equal(direct.reachable, false);
    assert.equal(direct.source, 'none');
    assert.match(direct.message, /^unreachable: connection refused/);
    assert.equal(direct.error?.kind, 'refused');

    // Both sources down: one message with both reasons, still bounded.
    const { value: both, ms } = await timed(() =>
      service.readDatabaseStatus(
        { id: 'p', runAlembicCurrent: async () => ({ stdout: '', stderr: 'service "backend" is not running\n', exitCode: 1 }) },
        unreachable,
        project.graph,
        { source: 'auto' },
      ),
    );
    assert.equal(both?.reachable, false);
    assert.match(both!.message, /connection refused.*`alembic current` failed too: alembic current failed: service "backend" is not running/);
    assert.ok(ms < 5000);
    assert.equal(service.lastStatus('p'), both);
  });

  it('shares one read between concurrent refreshes and keeps one pool per target', async () => {
    const reads = await Promise.all([1, 2, 3].map(() => service.readDatabaseStatus({ id: 'p' }, target, project.graph)));
    assert.deepEqual(new Set(reads.map((status) => status.rows.join())).size, 1);
    const stats = service.tableStatsFor(target);
    assert.ok(stats);
    assert.equal(service.tableStatsFor(target), stats);
  });
});

describe('database state with a custom version table and schema (real Alembic)', function () {
  this.timeout(120_000);
  it('reads the table Alembic wrote', async () => {
    const db = await createScratchDatabase('custom_table');
    const service = new DatabaseStatusService();
    let project: GeneratedProject | undefined;
    try {
      await db.query('CREATE SCHEMA meta');
      project = generateBranchedProject({ sqlalchemyUrl: db.sqlalchemyUrl, versionTable: 'aw_versions', versionTableSchema: 'meta' });
      project.alembicOk(['upgrade', REV.d]);
      assert.deepEqual(await db.query(`SELECT version_num FROM meta.aw_versions`), [{ version_num: REV.d }]);
      const target = await projectTarget(project, db.sqlalchemyUrl);
      const custom = await service.readDatabaseStatus({ id: 'c', versionTable: { table: 'aw_versions', schema: 'meta' } }, target, project.graph);
      assert.deepEqual(custom.rows, [REV.d]);
      assert.deepEqual([...custom.pending].sort(), [REV.e, REV.merge, REV.reports]);
      // Looking at the default name finds nothing: "not initialised", which is what a wrong setting looks like.
      const defaultName = await service.readDatabaseStatus({ id: 'c' }, target, project.graph);
      assert.equal(defaultName.initialised, false);
    } finally {
      await service.dispose();
      await db.drop();
      if (project) rmSync(project.directory, { recursive: true, force: true });
    }
  });
});

describe('database state of a real Alembic project (SQLite)', function () {
  this.timeout(120_000);
  it('reads the version table of the SQLite file Alembic upgraded', async () => {
    const project = generateBranchedProject({ sqlalchemyUrl: 'sqlite:///app.db' });
    const service = new DatabaseStatusService();
    try {
      const target = await projectTarget(project, 'sqlite:///app.db');
      assert.equal(target.spec?.dialect === 'sqlite' && target.spec.file, path.join(project.directory, 'app.db'));
      // No file yet: an empty database, as Alembic sees it (`alembic current` prints no revision);
      // reading it must not create the file.
      const missing = await service.readDatabaseStatus({ id: 's' }, target, project.graph, { source: 'database' });
      assert.equal(missing.reachable, true, missing.message);
      assert.equal(missing.initialised, false);
      assert.deepEqual(missing.rows, []);
      assert.equal(missing.pending.length, [...project.graph.revisionIds()].length);
      assert.ok(missing.notes.some((note) => /no SQLite file at .*app\.db yet/.test(note)), missing.notes.join('\n'));
      assert.equal(existsSync(path.join(project.directory, 'app.db')), false, 'reading created the file');
      assert.doesNotMatch(project.alembicOk(["current"]).stdout, /[0-9a-f]{12}/);
      // A folder that does not exist is a wrong path, not an empty database.
      const nowhere = await projectTarget(project, 'sqlite:///no_such_folder/app.db');
      const wrong = await service.readDatabaseStatus({ id: 's2' }, nowhere, project.graph, { source: 'database' });
      assert.equal(wrong.reachable, false);
      assert.match(wrong.message, /no SQLite database at .*no_such_folder.*app\.db, and no folder/);
      rmSync(path.join(project.directory, 'app.db'), { force: true });

      project.alembicOk(['upgrade', REV.e]);
      const status = await service.readDatabaseStatus({ id: 's' }, target, project.graph, { source: 'database' });
      assert.equal(status.reachable, true, status.message);
      assert.deepEqual(status.rows, [REV.e]);
      assert.deepEqual(status.applied, [REV.a, REV.b, REV.c, REV.e]);
      assert.deepEqual(upgradedRevisions(project.alembicOk(['upgrade', 'heads'])), [...status.pending].sort());
      const after = await service.readDatabaseStatus({ id: 's' }, target, project.graph, { source: 'database' });
      assert.deepEqual(after.rows, [REV.merge, REV.reports]);
      assert.equal(after.upToDate, true);
    } finally {
      await service.dispose();
      rmSync(project.directory, { recursive: true, force: true });
    }
  });
});

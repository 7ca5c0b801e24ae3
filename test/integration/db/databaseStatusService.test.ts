// How the status service chooses its source and behaves when callers overlap or give up.
// `alembic current` is the real Alembic on a generated project; the compose network can't exist
// here (no Docker engine), so a compose file that names the database by service name stands in
// for it, and the "runner" is the real Alembic run locally.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunAlembicCurrent } from '../../../src/core/db/alembicCurrentFallback';
import { readComposeProject } from '../../../src/core/compose/composeProject';
import { DatabaseStatusService } from '../../../src/core/db/databaseStatusService';
import { resolveDatabaseTargets, type DatabaseTarget } from '../../../src/core/db/databaseTargets';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres';
import { generateBranchedProject, REV, type GeneratedProject } from './alembicProjectKit';
import { blackholePort } from './dbTestKit';

describe('DatabaseStatusService sources', function () {
  this.timeout(120_000);
  let db: ScratchDatabase;
  let project: GeneratedProject;
  let runAlembicCurrent: RunAlembicCurrent;
  let runs = 0;

  before(async () => {
    db = await createScratchDatabase('status_service');
    project = generateBranchedProject({ sqlalchemyUrl: db.sqlalchemyUrl });
    project.alembicOk(['upgrade', REV.e]);
    runAlembicCurrent = async () => {
      runs++;
      const run = project.alembic(['current']);
      return { stdout: run.stdout, stderr: run.stderr, exitCode: run.code };
    };
  });
  after(async () => {
    await db?.drop();
    if (project) rmSync(project.directory, { recursive: true, force: true });
  });

  async function targetFor(inputs: Partial<Parameters<typeof resolveDatabaseTargets>[0]>): Promise<DatabaseTarget> {
    const { selected } = await resolveDatabaseTargets({
      projectId: 'p',
      baseDirectory: project.directory,
      settings: { urlEnvironmentVariable: 'DATABASE_URL' },
      environment: {},
      ...inputs,
    });
    return selected!;
  }

  it('auto: a compose-only host goes straight to alembic current, without waiting for DNS', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'aw-compose-'));
    try {
      writeFileSync(
        path.join(folder, 'docker-compose.yml'),
        'services:\n  backend:\n    environment:\n      DATABASE_URL: postgresql+psycopg2://app:${DB_PASSWORD}@postgres:5432/app\n  postgres:\n    image: postgres:15\n',
      );
      writeFileSync(path.join(folder, '.env'), 'DB_PASSWORD=compose-secret\n');
      const compose = readComposeProject([path.join(folder, 'docker-compose.yml')], { environment: {} });
      const target = await targetFor({ compose });
      assert.equal(target.composeHost?.service, 'postgres');
      const service = new DatabaseStatusService();
      try {
        const before = runs;
        const status = await service.readDatabaseStatus({ id: 'p', runAlembicCurrent }, target, project.graph, { source: 'auto' });
        assert.equal(runs, before + 1);
        assert.equal(status?.source, 'alembic');
        assert.deepEqual(status?.current, [REV.e]);
        assert.match(status!.notes.join('\n'), /only reachable inside the compose network/);
        assert.ok(!JSON.stringify(status).includes('compose-secret'));
        // Straight to alembic: the note of the compose-only branch, never the one written after a
        // connection (and its DNS lookup) failed. Asserted on state, not time: alembic's own start
        // takes seconds on a loaded machine.
        assert.match(status!.notes.join('\n'), /only reachable inside the compose network; read with `alembic current`/);
        assert.doesNotMatch(status!.notes.join('\n'), /not reachable from this machine/);
      } finally {
        await service.dispose();
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('auto: a URL we cannot read directly (MySQL) uses alembic current and says why', async () => {
    const target = await targetFor({ iniUrl: 'mysql+pymysql://app:pw@db/app' });
    const service = new DatabaseStatusService();
    try {
      const status = await service.readDatabaseStatus({ id: 'p', runAlembicCurrent }, target, project.graph, { source: 'auto' });
      assert.equal(status.source, 'alembic');
      assert.match(status.notes.join('\n'), /not PostgreSQL: database state for mysql/);
      const direct = await service.readDatabaseStatus({ id: 'p', runAlembicCurrent }, target, project.graph, { source: 'database' });
      assert.equal(direct.reachable, false);
      assert.equal(direct.problems[0]?.code, 'not-configured');
    } finally {
      await service.dispose();
    }
  });

  it('no URL and no runner: "not configured" with where we looked', async () => {
    const service = new DatabaseStatusService();
    try {
      const status = await service.readDatabaseStatus({ id: 'p' }, await targetFor({}), project.graph);
      assert.equal(status.reachable, false);
      assert.match(status.message, /^no database URL found: looked at DATABASE_URL/);
      const alembicOnly = await service.readDatabaseStatus({ id: 'p' }, await targetFor({}), project.graph, { source: 'alembic' });
      assert.match(alembicOnly.message, /no runner is available/);
    } finally {
      await service.dispose();
    }
  });

  it('a caller that gives up does not cancel another caller sharing the read', async () => {
    const blackhole = await blackholePort();
    const service = new DatabaseStatusService({ timeoutMs: 1500 });
    try {
      const target = await targetFor({ iniUrl: `postgresql://app:pw@127.0.0.1:${blackhole.port}/app` });
      const controller = new AbortController();
      const first = service.readDatabaseStatus({ id: 'p' }, target, project.graph, { source: 'database', signal: controller.signal });
      const second = service.readDatabaseStatus({ id: 'p' }, target, project.graph, { source: 'database' });
      setTimeout(() => controller.abort(), 100);
      const [cancelled, timedOut] = await Promise.all([first, second]);
      assert.equal(cancelled.error?.kind, 'cancelled');
      assert.equal(timedOut.error?.kind, 'timeout');
      assert.match(timedOut.message, /^unreachable: no answer from 127\.0\.0\.1:\d+ within 1\.5 s/);
    } finally {
      blackhole.stop();
      await service.dispose();
    }
  });

  it('dispose closes every pool: the server sees no connection of ours afterwards', async () => {
    const service = new DatabaseStatusService();
    const target = await targetFor({ iniUrl: db.sqlalchemyUrl });
    await service.readDatabaseStatus({ id: 'p' }, target, project.graph);
    const ours = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'alembic-workbench'`;
    assert.equal((await db.query<{ n: number }>(ours, [db.name]))[0]!.n, 1);
    await service.dispose();
    for (let attempt = 0; attempt < 20; attempt++) {
      if ((await db.query<{ n: number }>(ours, [db.name]))[0]!.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail('a connection stayed open after dispose');
  });
});

// The example project (examples/meeting-assistant, real Alembic history with a branch point, a
// labelled branch and a merge): applied/pending after real `alembic upgrade <rev>`, on PostgreSQL
// and on SQLite, and its compose file's database host mapped to the published port.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DatabaseStatusService } from '../../../src/core/db/databaseStatusService';
import { discoverDatabaseTargets } from '../../../src/core/db/databaseTargets';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres';
import { copyToTemp, EXAMPLE_PROJECT, realAlembicOk } from '../../support/realAlembic';
import { graphFromAlembic, upgradedRevisions } from './alembicProjectKit';

const BRANCH_POINT = 'e91f4c6b0a38';
const TAGS_TIP = '9f3b6a2d4e15';
const MAPPINGS_TIP = 'd7c1f8e4a2b6';
const MERGE = 'b5e2a7d9c3f8';

describe('database state of the example project', function () {
  this.timeout(180_000);
  let copy: string;
  let backend: string;
  let db: ScratchDatabase;
  const service = new DatabaseStatusService();

  before(async function () {
    // The example lands from its own branch; until then this suite has nothing to read.
    if (!existsSync(path.join(EXAMPLE_PROJECT, 'backend', 'alembic.ini'))) this.skip();
    copy = copyToTemp(EXAMPLE_PROJECT, 'aw-example-state-');
    backend = path.join(copy, 'backend');
    db = await createScratchDatabase('example_state');
  });
  after(async () => {
    await service.dispose();
    await db?.drop();
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it("maps the compose file's db host to its published port", async () => {
    const { selected, composeFiles } = await discoverDatabaseTargets({
      projectId: 'example',
      baseDirectory: backend,
      iniFile: path.join(backend, 'alembic.ini'),
      iniUrl: 'postgresql+psycopg2://meeting:meeting@localhost:5432/meeting_assistant',
      settings: { urlEnvironmentVariable: 'DATABASE_URL' },
      environment: {},
      searchComposeUpTo: copy,
    });
    assert.deepEqual(composeFiles, [path.join(copy, 'docker-compose.yml')]);
    assert.equal(selected?.origin?.kind, 'compose');
    assert.deepEqual(selected?.composeHost, { host: 'db', service: 'db', publishedAs: { host: '127.0.0.1', port: 5432 } });
    assert.ok(!selected?.spec?.display.includes(':meeting@'));
  });

  for (const [name, upgrades, current, pendingCount] of [
    ['at the branch point', [BRANCH_POINT], [BRANCH_POINT], 5],
    ['one branch applied', [TAGS_TIP], [TAGS_TIP], 3],
    ['both branches applied, not merged', [TAGS_TIP, MAPPINGS_TIP], [TAGS_TIP, MAPPINGS_TIP], 1],
  ] as Array<[string, string[], string[], number]>) {
    it(`PostgreSQL: ${name}`, async () => {
      const env = { DATABASE_URL: db.sqlalchemyUrl };
      realAlembicOk(backend, ['downgrade', 'base'], env);
      for (const revision of upgrades) realAlembicOk(backend, ['upgrade', revision], env);
      const { selected } = await discoverDatabaseTargets({ projectId: 'example', baseDirectory: backend, settings: { urlEnvironmentVariable: 'DATABASE_URL' }, environment: env, searchComposeUpTo: copy });
      const graph = graphFromAlembic(path.join(backend, 'alembic.ini'));
      const status = await service.readDatabaseStatus({ id: 'example' }, selected!, graph, { source: 'database' });
      assert.equal(status.reachable, true, status.message);
      assert.deepEqual(status.current, current);
      assert.equal(status.pending.length, pendingCount);
      assert.ok(status.pending.includes(MERGE));
      assert.deepEqual(upgradedRevisions(realAlembicOk(backend, ['upgrade', 'heads'], env)), [...status.pending].sort());
    });
  }

  it('SQLite: the demo database', async () => {
    const env = { DATABASE_URL: `sqlite:///${path.join(copy, 'demo.db')}` };
    realAlembicOk(backend, ['upgrade', MAPPINGS_TIP], env);
    const { selected } = await discoverDatabaseTargets({ projectId: 'example-sqlite', baseDirectory: backend, settings: { urlEnvironmentVariable: 'DATABASE_URL' }, environment: env, searchComposeUpTo: copy });
    assert.equal(selected?.spec?.dialect, 'sqlite');
    const status = await service.readDatabaseStatus({ id: 'example-sqlite' }, selected!, graphFromAlembic(path.join(backend, 'alembic.ini')), { source: 'database' });
    assert.deepEqual(status.current, [MAPPINGS_TIP]);
    assert.deepEqual([...status.pending].sort(), ['2c8d7e9f1b60', TAGS_TIP, MERGE].sort());
  });
});

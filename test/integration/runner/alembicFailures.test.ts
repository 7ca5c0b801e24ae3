// Each failure the runner recognises, produced for real: the real Alembic 1.8.1 on a copy of the
// example project, a real PostgreSQL (or SQLite) database, real Python errors.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ProjectCommandLock } from '../../../src/core/runner/processRunner';
import { createRunnerProject, localRunner, MERGE_HEAD, type RunnerProject } from './runnerFixture';

describe('runner: recognised failures, produced for real', function () {
  this.timeout(120_000);
  let project: RunnerProject;

  beforeEach(async function () {
    project = await createRunnerProject(this.currentTest?.title.slice(0, 12) ?? 'failure');
  });
  afterEach(async () => project.cleanup());

  it('database not up to date -> offer upgrade head', async () => {
    await project.runOk({ kind: 'upgrade', target: '5d2e8f1a7c03' });
    const result = await project.run({ kind: 'revision', message: 'too early', autogenerate: true });
    assert.equal(result.exitCode, 255);
    assert.equal(result.failure?.kind, 'databaseNotUpToDate');
    assert.deepEqual(result.failure?.suggestedActions, ['upgradeHead', 'showCurrent']);
    assert.match(result.failure!.detail, /FAILED: Target database is not up to date\./);
    assert.deepEqual(result.createdFiles, []);
  });

  it('multiple heads, revision form -> offer merge', async () => {
    await project.runOk({ kind: 'revision', message: 'second head', autogenerate: false, head: '9f3b6a2d4e15', splice: true });
    const result = await project.run({ kind: 'revision', message: 'on which head?', autogenerate: false });
    assert.equal(result.failure?.kind, 'multipleHeads');
    assert.match(result.failure!.summary, /cannot tell which one the new revision should follow/);
    assert.deepEqual(result.failure?.suggestedActions, ['mergeHeads', 'showHistory']);
  });

  it("can't locate the database's revision -> explain, offer stamp --purge", async () => {
    await project.runOk({ kind: 'upgrade', target: 'head' });
    await project.database.query("UPDATE alembic_version SET version_num = '0badc0ffee42'");
    const result = await project.run({ kind: 'upgrade', target: 'head' });
    assert.equal(result.failure?.kind, 'revisionNotFound');
    assert.equal(result.failure?.revision, '0badc0ffee42');
    assert.match(result.failure!.summary, /The database is at revision '0badc0ffee42', which none of this project's migration files defines/);
    assert.deepEqual(result.failure?.suggestedActions, ['stampPurge', 'showCurrent', 'showHistory']);
    // A plain stamp can't step from an unknown revision either; stamp --purge fixes it.
    const plainStamp = await project.run({ kind: 'stamp', revisions: [MERGE_HEAD] });
    assert.equal(plainStamp.failure?.kind, 'revisionNotFound');
    await project.runOk({ kind: 'stamp', revisions: [MERGE_HEAD], purge: true });
    assert.deepEqual(await project.versions(), [MERGE_HEAD]);
  });

  it("can't locate a target revision -> it does not exist", async () => {
    const result = await project.run({ kind: 'upgrade', target: 'deadbeefcafe' });
    assert.equal(result.failure?.kind, 'revisionNotFound');
    assert.match(result.failure!.summary, /^No migration file defines revision 'deadbeefcafe'/);
  });

  it('ambiguous walk: downgrade -1 from the merge point', async () => {
    await project.runOk({ kind: 'upgrade', target: 'head' });
    const result = await project.run({ kind: 'downgrade', target: '-1' });
    assert.equal(result.failure?.kind, 'ambiguousWalk');
    assert.deepEqual(await project.versions(), [MERGE_HEAD], 'nothing was downgraded');
  });

  it('not a head: a new revision on an old one needs --splice', async () => {
    const result = await project.run({ kind: 'revision', message: 'from the past', autogenerate: false, head: '4b1d3f0a9c21' });
    assert.equal(result.failure?.kind, 'notAHead');
    assert.equal(result.failure?.revision, '4b1d3f0a9c21');
    assert.deepEqual(result.failure?.suggestedActions, ['useSplice', 'showHistory']);
  });

  it('relative revision out of range: upgrade +2 at head', async () => {
    await project.runOk({ kind: 'upgrade', target: 'head' });
    const result = await project.run({ kind: 'upgrade', target: '+2' });
    assert.equal(result.failure?.kind, 'relativeRevisionOutOfRange');
  });

  it('env.py import error: a model imports a module that is not installed', async () => {
    const models = path.join(project.backend, 'app', 'modules', 'tags', 'models.py');
    writeFileSync(models, `import sqlalchemy_utils  # noqa\n${readFileSync(models, 'utf8')}`);
    const result = await project.run({ kind: 'current' });
    assert.equal(result.exitCode, 1);
    assert.equal(result.failure?.kind, 'pythonImportError');
    assert.equal(result.failure?.subject, 'sqlalchemy_utils');
    assert.equal(result.failure?.file, models);
    assert.equal(result.failure?.line, 1);
    assert.match(result.failure!.summary, /models\.py \(line 1\) imports the module 'sqlalchemy_utils'/);
    assert.match(result.failure!.detail, /ModuleNotFoundError: No module named 'sqlalchemy_utils'/);
  });

  it('syntax error in a revision file -> the file and line', async () => {
    const file = project.revisionFile('c3a9e1b27d44');
    writeFileSync(file, readFileSync(file, 'utf8').replace('def upgrade() -> None:', 'def upgrade() -> None'));
    const result = await project.run({ kind: 'history' });
    assert.equal(result.failure?.kind, 'pythonSyntaxError');
    assert.equal(result.failure?.file, file);
    assert.equal(result.failure?.line, 19);
  });

  it('database connection refused -> which server, password never shown', async () => {
    const url = 'postgresql+psycopg2://meeting:Sup3r-Secret@127.0.0.1:1/meeting_assistant';
    const result = await project.run({ kind: 'current' }, { env: { DATABASE_URL: url } });
    assert.equal(result.failure?.kind, 'databaseUnavailable');
    assert.match(result.failure!.summary, /The database server at 127\.0\.0\.1:1 refused the connection/);
    assert.ok(!JSON.stringify(result).includes('Sup3r-Secret'));
  });

  it('wrong password and unknown host are told apart', async () => {
    const badPassword = await project.run(
      { kind: 'current' },
      { env: { DATABASE_URL: project.databaseUrl.replace(/:[^:@/]+@/, ':wrong-password@') } },
    );
    assert.match(badPassword.failure!.summary, /refused the password for user "aw_test"/);
    const unknownHost = await project.run({ kind: 'current' }, { env: { DATABASE_URL: 'postgresql+psycopg2://u:p@db.invalid:5432/x' } });
    assert.match(unknownHost.failure!.summary, /The database host "db\.invalid" is unknown here/);
  });

  it('alembic check is not available in 1.8.1', async () => {
    const result = await project.run({ kind: 'check' });
    assert.equal(result.exitCode, 2);
    assert.equal(result.failure?.kind, 'checkNotAvailable');
    assert.deepEqual(result.failure?.suggestedActions, ['upgradeAlembic']);
    assert.match(result.failure!.detail, /invalid choice: 'check'/);
    assert.doesNotMatch(result.failure!.detail, /^usage:/m);
  });

  it('batch mode cannot produce offline SQL on SQLite', async () => {
    const sqliteUrl = `sqlite:///${path.join(project.root, 'demo.db')}`;
    const result = await project.run({ kind: 'upgrade', target: '17f05d8e3b92:a64b9c0e2f57', sql: true }, { env: { DATABASE_URL: sqliteUrl } });
    assert.equal(result.failure?.kind, 'batchModeWithSql');
    assert.deepEqual(result.failure?.suggestedActions, ['runOnline']);
  });

  it('"already exists" after an empty (pass) downgrade', async () => {
    await project.runOk({ kind: 'upgrade', target: 'd7c1f8e4a2b6' });
    await project.runOk({ kind: 'downgrade', target: '-1' });
    const result = await project.run({ kind: 'upgrade', target: 'd7c1f8e4a2b6' });
    assert.equal(result.failure?.kind, 'objectAlreadyExists');
    assert.equal(result.failure?.subject, 'column "display_name" of relation "user_mappings"');
    assert.equal(result.failure?.revision, 'd7c1f8e4a2b6');
    assert.deepEqual(result.failure?.suggestedActions, ['stamp', 'showCurrent']);
  });

  it('CompileError for an unnamed constraint in a downgrade', async () => {
    project.writeRevision(
      'f00000000001',
      MERGE_HEAD,
      "op.create_foreign_key(None, 'transcripts', 'users', ['meeting_id'], ['id'])",
      "op.drop_constraint(None, 'transcripts', type_='foreignkey')",
      'unnamed fk',
    );
    await project.runOk({ kind: 'upgrade', target: 'head' });
    const result = await project.run({ kind: 'downgrade', target: '-1' });
    assert.equal(result.failure?.kind, 'unnamedConstraint');
    assert.equal(result.failure?.revision, 'f00000000001');
    assert.deepEqual(await project.versions(), ['f00000000001']);
  });

  it('a migration the database rejects names the revision (NOT NULL over NULL rows)', async () => {
    await project.runOk({ kind: 'upgrade', target: 'a64b9c0e2f57' });
    await project.database.query('INSERT INTO meetings (title) VALUES (NULL)');
    const result = await project.run({ kind: 'upgrade', target: '+1' });
    assert.equal(result.failure?.kind, 'migrationFailed');
    assert.equal(result.failure?.revision, '5d2e8f1a7c03');
    assert.match(result.failure!.summary, /while running revision 5d2e8f1a7c03: column "title" of relation "meetings" contains null values/);
    assert.deepEqual(await project.versions(), ['a64b9c0e2f57'], 'the failed revision was rolled back');
  });

  it('a dangling down_revision is explained', async () => {
    const file = project.revisionFile('c3a9e1b27d44');
    writeFileSync(file, readFileSync(file, 'utf8').replace("down_revision = '8e7c2a6d5f10'", "down_revision = 'deadbeefcafe'"));
    const result = await project.run({ kind: 'heads' });
    assert.equal(result.failure?.kind, 'danglingRevision');
    assert.match(result.failure!.summary, /Revision c3a9e1b27d44 names deadbeefcafe as its parent/);
  });

  it('a missing config file', async () => {
    const runner = localRunner({ iniPath: path.join(project.backend, 'alembic.staging.ini'), root: project.root }, new ProjectCommandLock());
    const result = await runner.run({ command: { kind: 'heads' } });
    assert.equal(result.failure?.kind, 'configNotFound');
    assert.match(result.commandLine, / -c alembic\.staging\.ini heads$/);
  });

  it('alembic not found: missing executable, or an interpreter without Alembic', async () => {
    const missing = localRunner(project, new ProjectCommandLock(), ['/opt/nowhere/bin/alembic']);
    const notFound = await missing.run({ command: { kind: 'heads' } });
    assert.equal(notFound.failure?.kind, 'alembicNotFound');
    assert.deepEqual(notFound.failure?.suggestedActions, ['installAlembic', 'configureRunner']);

    // The python3 first on PATH here (pyenv) has no Alembic; in the project folder it even finds
    // the migrations folder alembic/ instead.
    const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', cwd: '/' });
    const hasAlembic = spawnSync('python3', ['-c', 'import alembic.config'], { cwd: '/' }).status === 0;
    if (python.status !== 0 || hasAlembic) return;
    const wrongPython = localRunner(project, new ProjectCommandLock(), [python.stdout.trim(), '-m', 'alembic']);
    const noModule = await wrongPython.run({ command: { kind: 'heads' } });
    assert.equal(noModule.failure?.kind, 'alembicNotFound');
    assert.match(noModule.failure!.summary, /does not have Alembic installed/);
  });
});

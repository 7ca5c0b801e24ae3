// Every migration command the workbench offers, end to end: the runner in local mode, the real
// Alembic 1.8.1, a real PostgreSQL database, a temporary copy of the example project. Each step
// checks the database itself afterwards (alembic_version, tables, columns), not just exit codes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCurrentOutput, parseHeadsOutput, parseHistoryOutput, parseVerboseEntries } from '../../../src/core/runner/alembicOutput';
import { offlineUpgradeSql } from '../../../src/core/runner/alembicCommand';
import { createRunnerProject, docstringMessage, MERGE_HEAD, type RunnerProject } from './runnerFixture';

describe('runner, local mode: every command against PostgreSQL (real Alembic)', function () {
  this.timeout(120_000);
  let project: RunnerProject;
  let generated = '';

  before(async () => {
    project = await createRunnerProject('commands');
  });
  after(async () => project.cleanup());

  it('upgrades to head, streaming Alembic progress line by line', async () => {
    const lines: string[] = [];
    const result = await project.runOk({ kind: 'upgrade', target: 'head' }, { onOutput: (line) => lines.push(line) });
    assert.equal(result.commandLine, '/usr/bin/alembic upgrade head');
    assert.equal(result.cwd, project.backend);
    assert.ok(lines.includes('INFO  [alembic.runtime.migration] Running upgrade  -> 4b1d3f0a9c21, create users and meetings tables'), lines.join('\n'));
    assert.deepEqual(await project.versions(), [MERGE_HEAD]);
    assert.deepEqual(await project.tables(), ['meeting_tags', 'meetings', 'tags', 'transcripts', 'user_mappings', 'users']);
  });

  it('shows current (plain and verbose) with the password masked', async () => {
    const plain = parseCurrentOutput((await project.runOk({ kind: 'current' })).stdout);
    assert.deepEqual(plain.revisions.map((entry) => [entry.revision, entry.markers.head, entry.markers.mergePoint]), [[MERGE_HEAD, true, true]]);
    const verbose = await project.runOk({ kind: 'current', verbose: true });
    const parsed = parseCurrentOutput(verbose.stdout);
    assert.equal(parsed.revisions[0].revision, MERGE_HEAD);
    assert.deepEqual(parsed.revisions[0].downRevisions, ['9f3b6a2d4e15', 'd7c1f8e4a2b6']);
    assert.match(parsed.databaseUrl ?? '', /^postgresql\+psycopg2:\/\/aw_test:(XXXXX|\*\*\*)@127\.0\.0\.1:5432\//);
    const password = project.database.connection.password;
    assert.ok(!`${verbose.stdout}${verbose.stderr}${verbose.commandLine}`.includes(`:${password}@`));
  });

  it('shows history (verbose) and heads as parsed data', async () => {
    const history = parseHistoryOutput((await project.runOk({ kind: 'history', verbose: true })).stdout);
    assert.equal(history.length, 12);
    assert.equal(history[0].revision, MERGE_HEAD);
    assert.equal(history[0].path, project.revisionFile(MERGE_HEAD));
    assert.deepEqual(history.find((entry) => entry.revision === 'e91f4c6b0a38')?.branchesInto?.sort(), ['2c8d7e9f1b60', '6a0e5b3c8d29']);
    const plainHistory = parseHistoryOutput((await project.runOk({ kind: 'history', indicateCurrent: true })).stdout);
    assert.deepEqual(plainHistory.filter((entry) => entry.markers.current).map((entry) => entry.revision), [MERGE_HEAD]);
    const heads = parseHeadsOutput((await project.runOk({ kind: 'heads' })).stdout);
    assert.deepEqual(heads.map((head) => [head.revision, head.branchLabels]), [[MERGE_HEAD, ['tags']]]);
  });

  it('generates a migration from a model change and reports the new file on the host', async () => {
    const models = path.join(project.backend, 'app', 'modules', 'meetings', 'models.py');
    writeFileSync(models, readFileSync(models, 'utf8').replace('    location = Column(String(255), nullable=True)\n', '    location = Column(String(255), nullable=True)\n    agenda = Column(String(2000), nullable=True)\n'));
    const result = await project.runOk({ kind: 'revision', message: 'add meeting agenda', autogenerate: true });
    assert.equal(result.createdFiles.length, 1);
    const file = result.createdFiles[0].hostPath!;
    assert.ok(existsSync(file), file);
    assert.equal(path.dirname(file), project.versionsDir);
    assert.match(path.basename(file), /^\d{4}_\d{2}_\d{2}_\d{4}-[0-9a-f]{12}_add_meeting_agenda\.py$/);
    const source = readFileSync(file, 'utf8');
    assert.match(source, /op\.add_column\('meetings', sa\.Column\('agenda', sa\.String\(length=2000\), nullable=True\)\)/);
    assert.equal(docstringMessage(file), 'add meeting agenda');
    assert.deepEqual(result.foreignOwnedFiles, [], 'a local run writes files as the user');
    generated = /^revision = '([0-9a-f]+)'$/m.exec(source)![1];
    assert.deepEqual(await project.versions(), [MERGE_HEAD], 'generating does not migrate');
  });

  it('upgrades +1 and downgrades -1', async () => {
    await project.runOk({ kind: 'upgrade', target: '+1' });
    assert.deepEqual(await project.versions(), [generated]);
    assert.ok((await project.columns('meetings')).has('agenda'));
    await project.runOk({ kind: 'downgrade', target: '-1' });
    assert.deepEqual(await project.versions(), [MERGE_HEAD]);
    assert.ok(!(await project.columns('meetings')).has('agenda'));
  });

  it('runs the round trip (downgrade -1, upgrade head) and reports each step', async () => {
    await project.runOk({ kind: 'upgrade', target: 'head' });
    const steps = await project.runner.roundTrip({ env: { DATABASE_URL: project.databaseUrl } });
    assert.deepEqual(steps.map((step) => [step.commandLine, step.ok]), [
      ['/usr/bin/alembic downgrade -1', true],
      ['/usr/bin/alembic upgrade head', true],
    ]);
    assert.match(steps[0].stderr, new RegExp(`Running downgrade ${generated} -> ${MERGE_HEAD}, add meeting agenda`));
    assert.deepEqual(await project.versions(), [generated]);
    assert.ok((await project.columns('meetings')).has('agenda'));
  });

  it('downgrades to a given revision', async () => {
    await project.runOk({ kind: 'downgrade', target: '5d2e8f1a7c03' });
    assert.deepEqual(await project.versions(), ['5d2e8f1a7c03']);
    assert.deepEqual(await project.tables(), ['meetings', 'transcripts', 'users']);
    const meetings = await project.columns('meetings');
    assert.ok(meetings.has('description'), 'the dropped column is back (empty)');
    assert.equal(meetings.get('title')?.is_nullable, 'NO');
  });

  it('stamps without touching the schema', async () => {
    await project.runOk({ kind: 'stamp', revisions: ['e91f4c6b0a38'] });
    assert.deepEqual(await project.versions(), ['e91f4c6b0a38']);
    assert.ok((await project.columns('meetings')).has('description'), 'stamp ran no migration');
    await project.runOk({ kind: 'stamp', revisions: ['5d2e8f1a7c03'] });
    assert.deepEqual(await project.versions(), ['5d2e8f1a7c03']);
  });

  it('downgrades to base', async () => {
    await project.runOk({ kind: 'downgrade', target: 'base' });
    assert.deepEqual(await project.versions(), []);
    assert.deepEqual(await project.tables(), []);
  });

  it('prints the offline SQL of one revision without touching the database', async () => {
    const result = await project.runOk(offlineUpgradeSql('c3a9e1b27d44', '17f05d8e3b92'));
    assert.match(result.stdout, /CREATE INDEX CONCURRENTLY ix_meetings_created_at ON meetings \(created_at\);/);
    assert.doesNotMatch(result.stdout, /CREATE TABLE/);
    assert.deepEqual(await project.versions(), []);
  });

  it('merges two heads: upgrade head fails first, the merge fixes it', async () => {
    await project.runOk({ kind: 'upgrade', target: 'head' });
    const left = await project.runOk({ kind: 'revision', message: 'left branch', autogenerate: false, revId: 'aaaa00000001' });
    const right = await project.runOk({
      kind: 'revision',
      message: 'right branch',
      autogenerate: false,
      revId: 'bbbb00000002',
      head: generated,
      splice: true,
    });
    assert.equal(left.createdFiles.length, 1);
    assert.equal(right.createdFiles.length, 1);
    const heads = parseHeadsOutput((await project.runOk({ kind: 'heads' })).stdout).map((head) => head.revision).sort();
    assert.deepEqual(heads, ['aaaa00000001', 'bbbb00000002']);

    const blocked = await project.run({ kind: 'upgrade', target: 'head' });
    assert.equal(blocked.ok, false);
    assert.equal(blocked.exitCode, 255);
    assert.equal(blocked.failure?.kind, 'multipleHeads');
    assert.deepEqual(blocked.failure?.suggestedActions, ['mergeHeads', 'upgradeHeads', 'showHistory']);

    const merge = await project.runOk({ kind: 'merge', revisions: ['heads'], message: 'merge left and right' });
    const mergeFile = merge.createdFiles[0].hostPath!;
    assert.match(readFileSync(mergeFile, 'utf8'), /^down_revision = \('(aaaa00000001', 'bbbb00000002|bbbb00000002', 'aaaa00000001)'\)$/m);
    const mergeId = /^revision = '([0-9a-f]+)'$/m.exec(readFileSync(mergeFile, 'utf8'))![1];
    await project.runOk({ kind: 'upgrade', target: 'head' });
    assert.deepEqual(await project.versions(), [mergeId]);
    const show = parseVerboseEntries((await project.runOk({ kind: 'show', revision: mergeId })).stdout)[0];
    assert.equal(show.markers.mergePoint, true);
    assert.equal(show.message, 'merge left and right');
  });
});

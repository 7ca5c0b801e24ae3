// The team guide's steps through the real `docker compose exec` (Docker engine + Compose v2, the
// image with Debian's Alembic), against the run's scratch PostgreSQL: after each step the database
// and the files are checked, as the local-runner integration tests do. Set up by `npm test -- --only
// docker` (scripts/lib/dockerEngine.mjs).
import assert from 'node:assert/strict';
import { chownSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCurrentOutput, parseHeadsOutput, parseHistoryOutput } from '../../src/core/runner/alembicOutput';
import { offlineUpgradeSql, type AlembicCommand } from '../../src/core/runner/alembicCommand';
import type { AlembicRunner, AlembicRunRequest, AlembicRunResult } from '../../src/core/runner/alembicRunner';
import { detectComposeCommand } from '../../src/core/runner/composeCommand';
import { docstringMessage, MERGE_HEAD } from '../integration/runner/runnerFixture';
import { createComposeTestProject, HOST_USER, type ComposeTestProject } from './composeKit';

function chownTree(root: string, uid: number, gid: number): void {
  chownSync(root, uid, gid);
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const child = path.join(root, entry.name);
    if (entry.isDirectory()) chownTree(child, uid, gid);
    else chownSync(child, uid, gid);
  }
}

async function runOk(runner: AlembicRunner, command: AlembicCommand, extra: Omit<AlembicRunRequest, 'command'> = {}): Promise<AlembicRunResult> {
  const result = await runner.run({ ...extra, command });
  assert.ok(result.ok, `${result.commandLine} failed (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

describe('runner, dockerCompose mode through the real `docker compose exec`', function () {
  this.timeout(180_000);
  let project: ComposeTestProject;
  let runner: AlembicRunner;
  let generated = '';

  before(async () => {
    project = await createComposeTestProject('guide');
    runner = project.composeRunner({ files: ['docker-compose.yml'] });
  });
  after(async () => project?.cleanup());

  it('detects Compose v2 (`docker compose`), the one the tier installed, and runs through it', async () => {
    const choice = await detectComposeCommand();
    assert.deepEqual(choice.command, ['docker', 'compose']);
    assert.match(choice.version ?? '', /^Docker Compose version v?2\./);
    runner = project.composeRunner({ files: ['docker-compose.yml'], composeCommand: choice.command });
  });

  it('upgrades head inside the container', async () => {
    const lines: string[] = [];
    const result = await runOk(runner, { kind: 'upgrade', target: 'head' }, { onOutput: (line) => lines.push(line) });
    assert.equal(result.commandLine, `docker compose -f ${project.composeFile} exec -T -w /app -e PGAPPNAME backend alembic upgrade head`);
    assert.ok(lines.some((line) => line.includes('Running upgrade  -> 4b1d3f0a9c21, create users and meetings tables')), lines.join('\n'));
    assert.deepEqual(await project.versions(), [MERGE_HEAD]);
    assert.deepEqual(await project.tables(), ['meeting_tags', 'meetings', 'tags', 'transcripts', 'user_mappings', 'users']);
  });

  it('shows current (verbose) with the password masked, and history --verbose with host paths', async () => {
    const verbose = await runOk(runner, { kind: 'current', verbose: true });
    const parsed = parseCurrentOutput(verbose.stdout);
    assert.equal(parsed.revisions[0].revision, MERGE_HEAD);
    assert.ok(!`${verbose.stdout}${verbose.stderr}`.includes(`:${project.database.connection.password}@`));
    const history = parseHistoryOutput((await runOk(runner, { kind: 'history', verbose: true })).stdout);
    assert.equal(history.length, 12);
    assert.equal(history[0].revision, MERGE_HEAD);
    // Alembic prints the container path; it maps to the file on this machine.
    assert.match(history[0].path ?? '', /^\/app\/alembic\/versions\//);
    assert.equal(project.target.pathMapper!.toHost(history[0].path!), project.revisionFile(MERGE_HEAD));
  });

  it('generates a revision with --autogenerate as the host user (${hostUser}) and opens it at its host path', async () => {
    chownTree(project.backend, HOST_USER.uid, HOST_USER.gid);
    const models = path.join(project.backend, 'app', 'modules', 'meetings', 'models.py');
    writeFileSync(models, readFileSync(models, 'utf8').replace('    location = Column(String(255), nullable=True)\n', '    location = Column(String(255), nullable=True)\n    agenda = Column(String(2000), nullable=True)\n'));
    const asUser = project.composeRunner({ files: ['docker-compose.yml'], user: '${hostUser}' });
    const result = await runOk(asUser, { kind: 'revision', message: 'add meeting agenda', autogenerate: true });
    assert.match(result.commandLine, / exec -T -w \/app --user 1000:1000 -e PGAPPNAME backend alembic revision /);
    const [created] = result.createdFiles;
    assert.match(created.reportedPath, /^\/app\/alembic\/versions\/\d{4}_\d{2}_\d{2}_\d{4}-[0-9a-f]{12}_add_meeting_agenda\.py$/);
    assert.equal(path.dirname(created.hostPath!), project.versionsDir);
    assert.equal(statSync(created.hostPath!).uid, HOST_USER.uid);
    assert.deepEqual(result.foreignOwnedFiles, []);
    const source = readFileSync(created.hostPath!, 'utf8');
    assert.match(source, /op\.add_column\('meetings', sa\.Column\('agenda', sa\.String\(length=2000\), nullable=True\)\)/);
    assert.equal(docstringMessage(created.hostPath!), 'add meeting agenda');
    generated = /^revision = '([0-9a-f]+)'$/m.exec(source)![1];
    assert.deepEqual(await project.versions(), [MERGE_HEAD]);
  });

  it('upgrades +1, downgrades -1, and runs the round trip', async () => {
    await runOk(runner, { kind: 'upgrade', target: '+1' });
    assert.deepEqual(await project.versions(), [generated]);
    assert.ok((await project.columns('meetings')).has('agenda'));
    await runOk(runner, { kind: 'downgrade', target: '-1' });
    assert.deepEqual(await project.versions(), [MERGE_HEAD]);
    assert.ok(!(await project.columns('meetings')).has('agenda'));
    await runOk(runner, { kind: 'upgrade', target: 'head' });
    const steps = await runner.roundTrip();
    assert.deepEqual(steps.map((step) => step.ok), [true, true]);
    assert.match(steps[0].stderr, new RegExp(`Running downgrade ${generated} -> ${MERGE_HEAD}, add meeting agenda`));
    assert.deepEqual(await project.versions(), [generated]);
  });

  it('downgrades to a given revision, stamps, and prints offline SQL without touching the database', async () => {
    await runOk(runner, { kind: 'downgrade', target: '5d2e8f1a7c03' });
    assert.deepEqual(await project.versions(), ['5d2e8f1a7c03']);
    assert.deepEqual(await project.tables(), ['meetings', 'transcripts', 'users']);
    await runOk(runner, { kind: 'stamp', revisions: ['e91f4c6b0a38'] });
    assert.deepEqual(await project.versions(), ['e91f4c6b0a38']);
    assert.ok((await project.columns('meetings')).has('description'), 'stamp ran no migration');
    await runOk(runner, { kind: 'stamp', revisions: ['5d2e8f1a7c03'] });
    const sql = await runOk(runner, offlineUpgradeSql('c3a9e1b27d44', '17f05d8e3b92'));
    assert.match(sql.stdout, /CREATE INDEX CONCURRENTLY ix_meetings_created_at ON meetings \(created_at\);/);
    assert.deepEqual(await project.versions(), ['5d2e8f1a7c03']);
  });

  it('merges two heads generated in the container', async () => {
    await runOk(runner, { kind: 'upgrade', target: 'head' });
    await runOk(runner, { kind: 'revision', message: 'left branch', autogenerate: false, revId: 'aaaa00000001' });
    await runOk(runner, { kind: 'revision', message: 'right branch', autogenerate: false, revId: 'bbbb00000002', head: generated, splice: true });
    const heads = parseHeadsOutput((await runOk(runner, { kind: 'heads' })).stdout).map((head) => head.revision).sort();
    assert.deepEqual(heads, ['aaaa00000001', 'bbbb00000002']);
    const blocked = await runner.run({ command: { kind: 'upgrade', target: 'head' } });
    assert.equal(blocked.failure?.kind, 'multipleHeads');
    const merge = await runOk(runner, { kind: 'merge', revisions: ['heads'], message: 'merge left and right' });
    const mergeFile = merge.createdFiles[0].hostPath!;
    assert.ok(existsSync(mergeFile), mergeFile);
    const mergeId = /^revision = '([0-9a-f]+)'$/m.exec(readFileSync(mergeFile, 'utf8'))![1];
    await runOk(runner, { kind: 'upgrade', target: 'head' });
    assert.deepEqual(await project.versions(), [mergeId]);
  });

  it('detects a revision the container wrote as root, and describes the fix', async () => {
    const result = await runOk(runner, { kind: 'revision', message: 'written by root', autogenerate: false });
    const file = result.createdFiles[0].hostPath!;
    assert.equal(statSync(file).uid, 0, 'the container runs as root without --user');
    assert.equal(result.foreignOwnedFiles.length, 1);
    assert.equal(result.foreignOwnedFiles[0].file, file);
    assert.deepEqual(result.foreignOwnedFiles[0].chownCommand, ['sudo', 'chown', `${HOST_USER.uid}:${HOST_USER.gid}`, file]);
    assert.equal(result.foreignOwnedFiles[0].suggestedComposeUser, '${hostUser}');
  });

  it('a versions folder the container user cannot write: a clear message, nothing half-written', async () => {
    chownTree(project.versionsDir, 0, 0);
    const before = readdirSync(project.versionsDir).sort();
    const result = await project.composeRunner({ files: ['docker-compose.yml'], user: '${hostUser}' }).run({
      command: { kind: 'revision', message: 'no permission', autogenerate: false },
    });
    assert.equal(result.ok, false);
    assert.match(result.stderr, /PermissionError: \[Errno 13\] Permission denied: '\/app\/alembic\/versions\//);
    assert.equal(result.failure?.kind, 'fileNotWritable');
    assert.match(result.failure!.summary, /^Alembic cannot write \/app\/alembic\/versions\/.*: permission denied/);
    assert.deepEqual(readdirSync(project.versionsDir).sort(), before);
  });
});

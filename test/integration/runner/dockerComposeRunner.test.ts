// The dockerCompose path, end to end except the container. This machine has a docker client but
// no Docker engine (and no Compose plugin), so a stand-in `docker` executable, written by this test
// into a temp folder put first on PATH, plays Docker Compose: it checks the exact argv it receives
// (compose file, exec/run, -T, -w, --user, service), then runs the real Alembic in the host folder
// that the service's bind mount maps to, with the service's DATABASE_URL, and prints paths as the
// container would see them (/app/...). Everything else - argv building, path mapping, output
// parsing, failure recognition, real Alembic against real PostgreSQL - is the real thing.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AlembicRunner, listRunningComposeServices } from '../../../src/core/runner/alembicRunner';
import { PathMapper, readComposeProject } from '../../../src/core/runner/composeProjectInfo';
import { ProjectCommandLock } from '../../../src/core/runner/processRunner';
import type { DockerComposeRunnerConfig, RunnerTarget } from '../../../src/core/runner/runnerModes';
import { writeDockerStandIn } from '../../support/dockerStandIn';
import { REAL_ALEMBIC } from '../../support/realAlembic';
import { createRunnerProject, docstringMessage, MERGE_HEAD, type RunnerProject } from './runnerFixture';


describe('runner, dockerCompose mode (stand-in docker, real Alembic + PostgreSQL)', function () {
  this.timeout(120_000);
  let project: RunnerProject;
  let binDir: string;
  let log: string;
  let target: RunnerTarget;
  const hostUser = { uid: 1000, gid: 1000 };

  before(async () => {
    project = await createRunnerProject('compose');
    binDir = path.join(project.root, 'stand-in-bin');
    log = path.join(project.root, 'docker-argv.log');
    writeDockerStandIn(binDir);
    writeFileSync(log, '');
    const compose = readComposeProject([path.join(project.root, 'docker-compose.yml')], { environment: {} });
    target = {
      iniPath: project.iniPath,
      workspaceFolder: project.root,
      pathMapper: PathMapper.fromService(compose.services.get('backend')!),
      hostUser,
    };
  });
  after(async () => project.cleanup());

  function standInEnv(expect: object, scenario = 'ok'): Record<string, string> {
    return {
      PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
      AW_STANDIN_LOG: log,
      AW_STANDIN_EXPECT: JSON.stringify(expect),
      AW_STANDIN_SCENARIO: scenario,
      AW_STANDIN_MOUNT: JSON.stringify({ containerPath: '/app', hostPath: project.backend }),
      AW_STANDIN_ALEMBIC: REAL_ALEMBIC,
      AW_STANDIN_SERVICE_DATABASE_URL: project.databaseUrl,
    };
  }

  function lastArgv(): string[] {
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    return JSON.parse(lines[lines.length - 1]);
  }

  const composeFile = () => path.join(project.root, 'docker-compose.yml');
  const runner = (config: Omit<DockerComposeRunnerConfig, 'mode'>) =>
    new AlembicRunner({ runner: { mode: 'dockerCompose', ...config }, target, lock: new ProjectCommandLock() });

  it('upgrades head through `docker compose exec -T -w /app backend alembic upgrade head`', async () => {
    const result = await runner({ files: ['docker-compose.yml'] }).run({
      command: { kind: 'upgrade', target: 'head' },
      env: standInEnv({ files: [composeFile()], workdir: '/app', user: null, service: 'backend' }),
    });
    assert.ok(result.ok, `${result.stdout}\n${result.stderr}`);
    assert.deepEqual(lastArgv(), ['compose', '-f', composeFile(), 'exec', '-T', '-w', '/app', 'backend', 'alembic', 'upgrade', 'head']);
    assert.equal(result.commandLine, `docker compose -f ${composeFile()} exec -T -w /app backend alembic upgrade head`);
    assert.deepEqual(await project.versions(), [MERGE_HEAD]);
  });

  it('generates a revision as the host user and opens it at its host path', async () => {
    const result = await runner({ files: ['docker-compose.yml'], user: '${hostUser}' }).run({
      command: { kind: 'revision', message: `add "notes"; $(touch /tmp/aw-pwned)`, autogenerate: false },
      env: standInEnv({ files: [composeFile()], workdir: '/app', user: '1000:1000', service: 'backend' }),
    });
    assert.ok(result.ok, `${result.stdout}\n${result.stderr}`);
    assert.deepEqual(lastArgv().slice(3, 12), ['exec', '-T', '-w', '/app', '--user', '1000:1000', 'backend', 'alembic', 'revision']);
    const [created] = result.createdFiles;
    assert.match(created.reportedPath, /^\/app\/alembic\/versions\/\d{4}_\d{2}_\d{2}_\d{4}-[0-9a-f]{12}_add_notes_touch_tmp_aw_pwned\.py$/);
    assert.equal(created.hostPath, path.join(project.backend, created.reportedPath.slice('/app/'.length)));
    assert.ok(existsSync(created.hostPath!));
    assert.equal(statSync(created.hostPath!).uid, 1000);
    assert.equal(docstringMessage(created.hostPath!), `add "notes"; $(touch /tmp/aw-pwned)`);
    assert.deepEqual(result.foreignOwnedFiles, []);
  });

  it('detects a revision the container wrote as root and describes the fix', async () => {
    const result = await runner({ files: ['docker-compose.yml'] }).run({
      command: { kind: 'revision', message: 'written by root', autogenerate: false },
      env: standInEnv({ files: [composeFile()], workdir: '/app', user: null, service: 'backend' }),
    });
    assert.ok(result.ok, `${result.stdout}\n${result.stderr}`);
    const file = result.createdFiles[0].hostPath!;
    assert.equal(statSync(file).uid, 0);
    assert.equal(result.foreignOwnedFiles.length, 1);
    const [problem] = result.foreignOwnedFiles;
    assert.equal(problem.file, file);
    assert.deepEqual(problem.chownCommand, ['sudo', 'chown', '1000:1000', file]);
    assert.equal(problem.suggestedComposeUser, '${hostUser}');
  });

  it('recognises a stopped service, and runs with `run --rm` when the user agrees', async () => {
    const expect = { files: [], workdir: '/app', user: null, service: 'backend' };
    const stopped = await runner({}).run({ command: { kind: 'current' }, env: standInEnv(expect, 'stopped') });
    assert.equal(stopped.failure?.kind, 'composeServiceNotRunning');
    assert.deepEqual(stopped.failure?.suggestedActions, ['startService', 'runWithComposeRun']);
    assert.deepEqual(lastArgv(), ['compose', 'exec', '-T', '-w', '/app', 'backend', 'alembic', 'current']);

    const viaRun = await runner({}).run({ command: { kind: 'current' }, composeRun: true, env: standInEnv(expect, 'stopped') });
    assert.ok(viaRun.ok, viaRun.stderr);
    assert.deepEqual(lastArgv(), ['compose', 'run', '--rm', '-T', '-w', '/app', 'backend', 'alembic', 'current']);
    // The database is at the merge (the revisions generated above are not applied).
    assert.match(viaRun.stdout, new RegExp(`^${MERGE_HEAD} \\(mergepoint\\)$`, 'm'));
  });

  it('lists running services through `docker compose ps`', async () => {
    const savedPath = process.env.PATH;
    process.env.PATH = `${binDir}${path.delimiter}${savedPath ?? ''}`;
    process.env.AW_STANDIN_LOG = log;
    try {
      process.env.AW_STANDIN_SCENARIO = 'stopped';
      assert.deepEqual((await listRunningComposeServices({ mode: 'dockerCompose', files: ['docker-compose.yml'] }, target)).services, ['db']);
      process.env.AW_STANDIN_SCENARIO = 'ok';
      assert.deepEqual((await listRunningComposeServices({ mode: 'dockerCompose' }, target)).services, ['backend', 'db']);
      assert.deepEqual(lastArgv(), ['compose', 'ps', '--services', '--status', 'running']);
    } finally {
      process.env.PATH = savedPath;
      delete process.env.AW_STANDIN_LOG;
      delete process.env.AW_STANDIN_SCENARIO;
    }
  });

  it('recognises a wrong service name and alembic missing in the image', async () => {
    const wrongService = await runner({ service: 'api' }).run({
      command: { kind: 'current' },
      env: standInEnv({ files: [], workdir: '/app', user: null, service: 'api' }),
    });
    assert.equal(wrongService.failure?.kind, 'composeNoSuchService');
    assert.equal(wrongService.failure?.subject, 'api');

    const noAlembic = await runner({ alembicCommand: ['alembic3'] }).run({
      command: { kind: 'current' },
      env: standInEnv({ files: [], workdir: '/app', user: null, service: 'backend' }),
    });
    assert.equal(noAlembic.exitCode, 126);
    assert.equal(noAlembic.failure?.kind, 'alembicNotFound');
  });

  it('recognises the real docker CLI of this machine: it has no Compose plugin', async function () {
    const realDocker = ['/usr/local/bin/docker', '/usr/bin/docker'].find((candidate) => existsSync(candidate));
    if (!realDocker) this.skip();
    const result = await runner({ dockerExecutable: realDocker }).run({ command: { kind: 'current' } });
    assert.equal(result.exitCode, 125);
    assert.equal(result.failure?.kind, 'composeNotAvailable');
    const listed = await listRunningComposeServices({ mode: 'dockerCompose', dockerExecutable: realDocker }, target);
    assert.deepEqual(listed.services, []);
    assert.equal(listed.failure?.kind, 'composeNotAvailable');
  });

  it('reports a missing docker CLI', async () => {
    const result = await runner({ dockerExecutable: '/opt/no-docker/bin/docker' }).run({ command: { kind: 'current' } });
    assert.equal(result.failure?.kind, 'dockerNotFound');
    assert.deepEqual(result.failure?.suggestedActions, ['installDocker', 'configureRunner']);
  });
});

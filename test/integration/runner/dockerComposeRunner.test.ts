// The dockerCompose path, end to end except the container. This machine has a docker client but
// no Docker engine (and no Compose plugin), so a stand-in `docker` executable, written by this test
// into a temp folder put first on PATH, plays Docker Compose: it checks the exact argv it receives
// (compose file, exec/run, -T, -w, --user, service), then runs the real Alembic in the host folder
// that the service's bind mount maps to, with the service's DATABASE_URL, and prints paths as the
// container would see them (/app/...). Everything else - argv building, path mapping, output
// parsing, failure recognition, real Alembic against real PostgreSQL - is the real thing.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AlembicRunner, listRunningComposeServices } from '../../../src/core/runner/alembicRunner';
import { PathMapper, readComposeProject } from '../../../src/core/runner/composeProjectInfo';
import { ProjectCommandLock } from '../../../src/core/runner/processRunner';
import type { DockerComposeRunnerConfig, RunnerTarget } from '../../../src/core/runner/runnerModes';
import { REAL_ALEMBIC } from '../../support/realAlembic';
import { createRunnerProject, docstringMessage, MERGE_HEAD, type RunnerProject } from './runnerFixture';

const STAND_IN = String.raw`#!${process.execPath}
// Stand-in for the docker CLI with the Compose plugin (see the test file for why).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const argv = process.argv.slice(2);
const env = process.env;
fs.appendFileSync(env.AW_STANDIN_LOG, JSON.stringify(argv) + '\n');
const fail = (message, code) => { process.stderr.write(message + '\n'); process.exit(code); };

let i = 0;
if (argv[i++] !== 'compose') fail("docker: unknown command: docker " + argv[0], 1);
const files = [];
while (argv[i] === '-f' || argv[i] === '--project-directory') { if (argv[i] === '-f') files.push(argv[i + 1]); i += 2; }
if (argv[i] === 'ps') {
  if (JSON.stringify(argv.slice(i)) !== JSON.stringify(['ps', '--services', '--status', 'running'])) fail('stand-in: unexpected ps ' + argv.slice(i), 99);
  process.stdout.write(env.AW_STANDIN_SCENARIO === 'stopped' ? 'db\n' : 'backend\ndb\n');
  process.exit(0);
}
const subcommand = argv[i++];
if (subcommand !== 'exec' && subcommand !== 'run') fail('stand-in: expected exec or run, got ' + subcommand, 99);
if (subcommand === 'run' && argv[i++] !== '--rm') fail('stand-in: run without --rm', 99);
if (argv[i++] !== '-T') fail('stand-in: no -T (a TTY would merge stdout and stderr)', 99);
let workdir, user;
while (argv[i] === '-w' || argv[i] === '--user') { if (argv[i] === '-w') workdir = argv[i + 1]; else user = argv[i + 1]; i += 2; }
const service = argv[i++];
const expected = JSON.parse(env.AW_STANDIN_EXPECT);
const got = { files, workdir: workdir ?? null, user: user ?? null, service };
if (JSON.stringify(got) !== JSON.stringify(expected)) fail('stand-in: argv mismatch: got ' + JSON.stringify(got) + ' expected ' + JSON.stringify(expected), 99);
if (service !== 'backend' && service !== 'db') fail('no such service: ' + service, 1);
if (subcommand === 'exec' && env.AW_STANDIN_SCENARIO === 'stopped') fail('service "' + service + '" is not running container #1', 1);
if (argv[i++] !== 'alembic') fail('OCI runtime exec failed: exec failed: unable to start container process: exec: "' + argv[i - 1] + '": executable file not found in $PATH: unknown', 126);

const mount = JSON.parse(env.AW_STANDIN_MOUNT);
const hostDir = (workdir ?? mount.containerPath).replace(mount.containerPath, mount.hostPath);
const result = spawnSync(env.AW_STANDIN_ALEMBIC, argv.slice(i), {
  cwd: hostDir,
  env: { ...env, DATABASE_URL: env.AW_STANDIN_SERVICE_DATABASE_URL, PYTHONDONTWRITEBYTECODE: '1' },
  encoding: 'utf8',
});
// A container writes files as its user: root unless --user says otherwise.
const [uid, gid] = (user ?? '0:0').split(':').map(Number);
for (const match of result.stdout.matchAll(/Generating (.+?) \.\.\.\s+done/g)) fs.chownSync(match[1], uid, gid);
const toContainer = (text) => text.split(mount.hostPath).join(mount.containerPath);
process.stdout.write(toContainer(result.stdout));
process.stderr.write(toContainer(result.stderr));
process.exit(result.status ?? 1);
`;

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
    mkdirSync(binDir);
    writeFileSync(path.join(binDir, 'docker'), STAND_IN);
    chmodSync(path.join(binDir, 'docker'), 0o755);
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

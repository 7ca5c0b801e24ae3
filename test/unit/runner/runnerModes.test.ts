import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PathMapper } from '../../../src/core/compose/pathMapper';
import {
  buildInvocation,
  buildRunningServicesInvocation,
  buildStartServiceInvocation,
  buildStopInContainerInvocation,
  formatCommandLine,
  RunnerConfigurationError,
  shellQuote,
  type RunnerTarget,
} from '../../../src/core/runner/runnerModes';

const workspace = '/home/dev/meeting-assistant';
const target: RunnerTarget = {
  iniPath: `${workspace}/backend/alembic.ini`,
  workspaceFolder: workspace,
  pathMapper: new PathMapper([{ containerPath: '/app', hostPath: `${workspace}/backend` }]),
  hostUser: { uid: 1000, gid: 1001 },
};
const upgradeHead = { kind: 'upgrade', target: 'head' } as const;

describe('runner modes', () => {
  describe('dockerCompose', () => {
    it('runs `docker compose exec -T` in the service, at the container path of the ini folder', () => {
      const invocation = buildInvocation({ mode: 'dockerCompose' }, upgradeHead, target);
      assert.equal(invocation.executable, 'docker');
      assert.deepEqual(invocation.args, ['compose', 'exec', '-T', '-w', '/app', '-e', 'PGAPPNAME', 'backend', 'alembic', 'upgrade', 'head']);
      assert.equal(invocation.cwd, `${workspace}/backend`);
      assert.equal(invocation.commandLine, 'docker compose exec -T -w /app -e PGAPPNAME backend alembic upgrade head');
    });

    it('passes compose files, project directory, workdir, user and a custom alembic command', () => {
      const invocation = buildInvocation(
        {
          mode: 'dockerCompose',
          service: 'api',
          files: ['docker-compose.yml', 'docker-compose.dev.yml'],
          projectDirectory: '.',
          workdir: '/srv/app',
          user: '${hostUser}',
          dockerExecutable: '/usr/local/bin/docker',
          alembicCommand: ['python', '-m', 'alembic'],
        },
        { kind: 'revision', message: 'add "tags"; $(id)', autogenerate: true },
        { ...target, configName: 'tenant', xArguments: ['compare_type=true'] },
      );
      assert.equal(invocation.executable, '/usr/local/bin/docker');
      assert.deepEqual(invocation.args, [
        'compose', '-f', `${workspace}/docker-compose.yml`, '-f', `${workspace}/docker-compose.dev.yml`,
        '--project-directory', workspace, 'exec', '-T', '-w', '/srv/app', '--user', '1000:1001', '-e', 'PGAPPNAME', 'api',
        'python', '-m', 'alembic', '-n', 'tenant', '-x', 'compare_type=true', 'revision', '-m', 'add "tags"; $(id)', '--autogenerate',
      ]);
      assert.equal(invocation.cwd, workspace);
    });

    it('falls back to `run --rm` when asked (the service is not running)', () => {
      const invocation = buildInvocation({ mode: 'dockerCompose', user: '0:0' }, upgradeHead, target, { composeRun: true });
      assert.deepEqual(invocation.args, ['compose', 'run', '--rm', '-T', '-w', '/app', '--user', '0:0', '-e', 'PGAPPNAME', 'backend', 'alembic', 'upgrade', 'head']);
    });

    it('passes -c only for a non-default ini name, relative to the workdir', () => {
      const invocation = buildInvocation({ mode: 'dockerCompose' }, upgradeHead, { ...target, iniPath: `${workspace}/backend/alembic.test.ini` });
      assert.deepEqual(invocation.args.slice(-4), ['-c', 'alembic.test.ini', 'upgrade', 'head']);
    });

    it('leaves the workdir to the image when nothing maps the ini folder', () => {
      const invocation = buildInvocation({ mode: 'dockerCompose' }, upgradeHead, { ...target, pathMapper: undefined });
      assert.deepEqual(invocation.args, ['compose', 'exec', '-T', '-e', 'PGAPPNAME', 'backend', 'alembic', 'upgrade', 'head']);
    });

    it('lists running services with the same files', () => {
      const invocation = buildRunningServicesInvocation({ mode: 'dockerCompose', files: ['c.yml'] }, target);
      assert.deepEqual(invocation.args, ['compose', '-f', `${workspace}/c.yml`, 'ps', '--services', '--status', 'running']);
    });

    it('builds the same argv after each Compose command: docker-compose (v1), podman compose, podman-compose', () => {
      const files = ['docker-compose.yml'];
      const expected = ['-f', `${workspace}/docker-compose.yml`, 'exec', '-T', '-w', '/app', '--user', '1000:1001', '-e', 'PGAPPNAME', 'backend', 'alembic', 'upgrade', 'head'];
      for (const composeCommand of [['docker-compose'], ['podman', 'compose'], ['podman-compose'], ['/opt/bin/docker', 'compose']]) {
        const config = { mode: 'dockerCompose', files, user: '${hostUser}', composeCommand } as const;
        const invocation = buildInvocation(config, upgradeHead, target);
        assert.equal(invocation.executable, composeCommand[0]);
        assert.deepEqual(invocation.args, [...composeCommand.slice(1), ...expected]);
        const run = buildInvocation(config, upgradeHead, target, { composeRun: true });
        assert.deepEqual(run.args.slice(composeCommand.length + 1, composeCommand.length + 4), ['run', '--rm', '-T']);
        assert.deepEqual(buildRunningServicesInvocation(config, target).args, [...composeCommand.slice(1), '-f', `${workspace}/docker-compose.yml`, 'ps', '--services', '--status', 'running']);
        assert.deepEqual(buildStartServiceInvocation(config, target).args, [...composeCommand.slice(1), '-f', `${workspace}/docker-compose.yml`, 'up', '-d', 'backend']);
      }
    });

    it('stops a cancelled run inside the container with the same Compose command, user and service', () => {
      const stop = buildStopInContainerInvocation({ mode: 'dockerCompose', user: '${hostUser}', composeCommand: ['podman-compose'] }, upgradeHead, target);
      assert.equal(stop.executable, 'podman-compose');
      assert.deepEqual(stop.args.slice(0, 6), ['exec', '-T', '--user', '1000:1001', 'backend', 'python3']);
      assert.deepEqual(JSON.parse(stop.args[stop.args.length - 1]), ['alembic', 'upgrade', 'head']);
    });

    it('refuses a service name that would be read as an option', () => {
      assert.throws(() => buildInvocation({ mode: 'dockerCompose', service: '--privileged' }, upgradeHead, target), RunnerConfigurationError);
    });
  });

  describe('local', () => {
    it('runs the configured executable in the folder of alembic.ini', () => {
      const invocation = buildInvocation({ mode: 'local', command: ['/usr/bin/python3', '-m', 'alembic'] }, { kind: 'downgrade', target: '-1' }, target);
      assert.equal(invocation.executable, '/usr/bin/python3');
      assert.deepEqual(invocation.args, ['-m', 'alembic', 'downgrade', '-1']);
      assert.equal(invocation.cwd, `${workspace}/backend`);
      assert.equal(invocation.env?.PYTHONUNBUFFERED, '1');
    });

    it('refuses an empty command', () => {
      assert.throws(() => buildInvocation({ mode: 'local', command: [''] }, upgradeHead, target), RunnerConfigurationError);
    });
  });

  describe('custom', () => {
    const hostile = { kind: 'revision', message: `it's $(touch x); \`id\` "q"\nnext`, autogenerate: true } as const;

    it('splices ${args} as separate elements when it is a whole element', () => {
      const invocation = buildInvocation({ mode: 'custom', template: ['tox', '-e', 'alembic', '--', '${args}'] }, hostile, target);
      assert.equal(invocation.executable, 'tox');
      assert.deepEqual(invocation.args, ['-e', 'alembic', '--', 'revision', '-m', hostile.message, '--autogenerate']);
    });

    it('embeds ${args} shell-quoted, so the shell on the other side gets the same argv back', () => {
      const invocation = buildInvocation({ mode: 'custom', template: ['make', 'alembic', 'ARGS=${args}'] }, hostile, target);
      assert.deepEqual(invocation.args.slice(0, 1), ['alembic']);
      const embedded = invocation.args[1].slice('ARGS='.length);
      assert.deepEqual(shellSplitQuoted(embedded), ['revision', '-m', hostile.message, '--autogenerate']);
    });

    it('quotes the other variables only inside a shell-bound element', () => {
      const spaced: RunnerTarget = { ...target, iniPath: '/home/dev/my project/backend/alembic.ini', workspaceFolder: '/home/dev/my project' };
      const invocation = buildInvocation(
        { mode: 'custom', template: ['ssh', '${service}-host', 'cd ${configDir} && alembic -c ${config} ${args}'], service: 'api' },
        upgradeHead,
        spaced,
      );
      assert.deepEqual(invocation.args, [
        'api-host',
        `cd '/home/dev/my project/backend' && alembic -c '/home/dev/my project/backend/alembic.ini' upgrade head`,
      ]);
      const verbatim = buildInvocation({ mode: 'custom', template: ['run-alembic', '--root=${workspaceFolder}', '${args}'] }, upgradeHead, spaced);
      assert.deepEqual(verbatim.args, ['--root=/home/dev/my project', 'upgrade', 'head']);
    });

    it('refuses templates without ${args}, empty ones and unknown variables', () => {
      assert.throws(() => buildInvocation({ mode: 'custom', template: ['make', 'migrate'] }, upgradeHead, target), /must contain \$\{args\}/);
      assert.throws(() => buildInvocation({ mode: 'custom', template: [] }, upgradeHead, target), RunnerConfigurationError);
      assert.throws(() => buildInvocation({ mode: 'custom', template: ['x', '${args}', '${nope}'] }, upgradeHead, target), /Unknown variable \$\{nope\}/);
    });
  });

  describe('shellQuote / formatCommandLine', () => {
    it('round-trips any argument through a real POSIX shell', () => {
      const samples = ['plain', '', 'two words', `it's`, '"double"', '$(id)', '`id`', 'a;b|c&d', 'new\nline', 'tab\there', 'café ✓', '*.py', '~', '!bang', '\\back'];
      for (const sample of samples) assert.deepEqual(shellSplitQuoted(shellQuote(sample)), [sample], sample);
    });

    it('masks passwords in the displayed command line', () => {
      const line = formatCommandLine(['alembic', '-x', 'url=postgresql://app:s3cret@db/app', 'current']);
      assert.equal(line, 'alembic -x url=postgresql://app:***@db/app current');
      assert.ok(!line.includes('s3cret'));
    });
  });

  it('resolves relative compose paths against the workspace folder', () => {
    const invocation = buildInvocation({ mode: 'dockerCompose', files: ['../shared/compose.yaml'] }, upgradeHead, target);
    assert.equal(invocation.args[2], path.resolve(workspace, '../shared/compose.yaml'));
  });
});

/** The argv a real POSIX shell makes of an already-quoted string. */
function shellSplitQuoted(quoted: string): string[] {
  const result = spawnSync('/bin/sh', ['-c', `set -- ${quoted}; for a in "$@"; do printf '%s\\0' "$a"; done`], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split('\0').slice(0, -1);
}

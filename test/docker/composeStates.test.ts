// What users hit around the container, each real: Cancel during a long migration (the process in
// the container is stopped, not only the client), a stopped service (`run --rm` for real), a
// service name that does not exist, a container where Alembic is not installed, a Compose file
// with a syntax error. Each checks the failure kind, the sentence and the actions offered.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { listRunningComposeServices } from '../../src/core/runner/alembicRunner';
import { MERGE_HEAD } from '../integration/runner/runnerFixture';
import { backendService, createComposeTestProject, type ComposeTestProject } from './composeKit';

/** Waits on a condition of the database, bounded far below the 300 s the migration would take. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, boundMs = 30_000): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('runner, dockerCompose mode: Cancel and service states on the real engine', function () {
  this.timeout(180_000);
  let project: ComposeTestProject;

  before(async () => {
    project = await createComposeTestProject('states');
    // A second service from the same image whose PATH has no Alembic: "Alembic not installed".
    writeFileSync(
      project.composeFile,
      stringify({
        services: {
          backend: backendService(project.databaseUrl),
          bare: backendService(project.databaseUrl, { command: ['/bin/sleep', 'infinity'], environment: { PATH: '/usr/local/bin' } }),
        },
      }),
    );
    assert.equal(project.compose(['up', '-d']).status, 0);
    const upgraded = await project.composeRunner().run({ command: { kind: 'upgrade', target: 'head' } });
    assert.ok(upgraded.ok, upgraded.stderr);
  });
  after(async () => project?.cleanup());

  const sessionsOfAlembic = () =>
    project.database.query<{ pid: number; state: string }>(
      "SELECT pid, state FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
    );

  it('Cancel during a long migration stops the Alembic process in the container and ends its PostgreSQL session', async () => {
    // The server's default: PostgreSQL does not look for a vanished client while a statement runs,
    // so killing Alembic alone would leave pg_sleep(300) running with its locks; the runner ends the
    // run's session itself.
    const check = await project.database.query<{ setting: string }>("SELECT setting FROM pg_settings WHERE name = 'client_connection_check_interval'");
    assert.equal(check[0].setting, '0');
    project.writeRevision('5133b0000001', MERGE_HEAD, 'op.execute("SELECT pg_sleep(300)")', 'pass', 'sleep five minutes');
    const controller = new AbortController();
    const started = Date.now();
    const result = await project.composeRunner().run({
      command: { kind: 'upgrade', target: 'head' },
      signal: controller.signal,
      onOutput: (line) => {
        if (!line.includes('-> 5133b0000001, sleep five minutes')) return;
        // Alembic announced the migration: cancel once PostgreSQL runs its pg_sleep.
        void until(
          () => project.database.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep%' AND state = 'active' AND application_name LIKE 'alembic-workbench-%'",
          ),
          (rows) => rows[0].n === 1,
          'pg_sleep running',
        ).then(() => controller.abort());
      },
    });
    assert.equal(result.cancelled, true);
    assert.equal(result.failure, undefined);
    assert.ok(Date.now() - started < 60_000, 'cancelled long before pg_sleep(300) ends');
    // `docker compose exec -T` does not forward the signal: the runner found the process in the
    // container and stopped it there.
    assert.equal(result.stoppedInContainer?.length, 1, JSON.stringify(result.stoppedInContainer));
    assert.deepEqual(project.containerCommands().filter((line) => /alembic/.test(line)), []);
    // The session carried the run's name (PGAPPNAME through `exec -e`), and the runner ended it.
    assert.match(result.applicationName, /^alembic-workbench-[0-9a-f]{12}$/);
    assert.equal('pids' in result.endedSessions! && result.endedSessions.pids.length, 1, JSON.stringify(result.endedSessions));
    await until(sessionsOfAlembic, (rows) => rows.length === 0, 'sessions of the cancelled Alembic');
    const locks = await project.database.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()',
    );
    assert.equal(locks[0].n, 0);
    assert.deepEqual(await project.versions(), [MERGE_HEAD], 'the transaction of the cancelled migration rolled back');
    project.writeRevision('5133b0000001', MERGE_HEAD, 'pass', 'pass', 'sleep five minutes');
  });

  it('a stopped service: recognised, `run --rm` offered and run for real, nothing left behind', async () => {
    assert.equal(project.compose(['stop', '-t', '0', 'backend']).status, 0);
    const runner = project.composeRunner();
    const listed = await listRunningComposeServices({ mode: 'dockerCompose' }, project.target);
    assert.deepEqual(listed.services, ['bare']);
    const stopped = await runner.run({ command: { kind: 'current' } });
    assert.equal(stopped.failure?.kind, 'composeServiceNotRunning', stopped.stderr);
    assert.equal(stopped.failure?.summary, 'The Compose service "backend" is not running, so Alembic cannot be executed in it.');
    assert.deepEqual(stopped.failure?.suggestedActions, ['startService', 'runWithComposeRun']);

    const oneOff = await runner.run({ command: { kind: 'current' }, composeRun: true });
    assert.ok(oneOff.ok, oneOff.stderr);
    assert.match(oneOff.commandLine, /^docker compose run --rm -T -w \/app -e PGAPPNAME backend alembic current$/);
    assert.match(oneOff.stdout, /^5133b0000001 \(head\)$|^b5e2a7d9c3f8 \(mergepoint\)$/m);
    const containers = project.compose(['ps', '-a', '--format', '{{.Name}}']);
    assert.doesNotMatch(containers.stdout, /backend-run-/, 'the one-off container was removed');
    assert.equal(project.compose(['start', 'backend']).status, 0);
  });

  it('a service name that does not exist', async () => {
    const result = await project.composeRunner({ service: 'api' }).run({ command: { kind: 'current' } });
    assert.equal(result.failure?.kind, 'composeNoSuchService', result.stderr);
    assert.equal(result.failure?.summary, 'The Compose project has no service "api" (its services: backend, bare); set the service that runs Alembic.');
    assert.deepEqual(result.failure?.suggestedActions, ['configureRunner']);
  });

  it('a container without Alembic', async () => {
    const result = await project.composeRunner({ service: 'bare' }).run({ command: { kind: 'current' } });
    assert.equal(result.failure?.kind, 'alembicNotFound', `${result.exitCode} ${result.stderr}`);
    assert.match(result.failure!.summary, /Alembic/);
    assert.ok(result.failure!.suggestedActions.includes('installAlembic'));
  });

  it('a Compose file with a syntax error', async () => {
    const broken = path.join(project.root, 'broken.yml');
    writeFileSync(broken, 'services:\n  backend:\n    image: local/alembic:bookworm\n   command: [sleep\n');
    const result = await project.composeRunner({ files: ['broken.yml'] }).run({ command: { kind: 'current' } });
    assert.equal(result.failure?.kind, 'composeFileInvalid', result.stderr);
    assert.match(result.failure!.summary, /^Docker Compose cannot read its file: /);
    assert.deepEqual(result.failure?.suggestedActions, ['configureRunner', 'showOutput']);
  });
});

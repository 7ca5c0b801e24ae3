// The runner is safe with hostile input and with the user changing their mind: messages reach
// Alembic untouched and run nothing; a cancelled migration leaves no process; a second command on
// a busy project is refused; an untrusted workspace starts nothing. Real Alembic, real PostgreSQL.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createDatabaseClient } from '../../../src/core/db/databaseClient';
import { endRunSessions } from '../../../src/core/db/runSessions';
import { toDatabaseConnectionSpec } from '../../../src/core/db/sqlalchemyUrl';
import { parseVerboseEntries } from '../../../src/core/runner/alembicOutput';
import { AlembicRunner, UntrustedWorkspaceError } from '../../../src/core/runner/alembicRunner';
import { CommandAlreadyRunningError } from '../../../src/core/runner/processRunner';
import { createRunnerProject, docstringMessage, MERGE_HEAD, type RunnerProject } from './runnerFixture';

/** Live (non-zombie) processes of a process group, read from /proc. */
function livingProcessesInGroup(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[2]) === pgid && fields[0] !== 'Z' ? [Number(entry)] : [];
      } catch {
        return [];
      }
    });
}

describe('runner safety (real Alembic, local mode)', function () {
  this.timeout(120_000);
  let project: RunnerProject;

  before(async () => {
    project = await createRunnerProject('safety');
  });
  after(async () => project.cleanup());

  it('writes hostile messages into the revision exactly and runs none of them', async () => {
    const marker = path.join(project.root, 'PWNED');
    const messages = [
      `it's "double" and 'single' quoted`,
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `a; touch ${marker}; echo done && exit 1 | cat`,
      'first line\nsecond line; $(id)',
      'café ✓ 日本語 — ünïcödé',
      '-starts with a dash',
      '%(here)s %% ${HOME} $HOME *.py ~',
    ];
    let head = MERGE_HEAD;
    for (const message of messages) {
      const result = await project.runOk({ kind: 'revision', message, autogenerate: false, head, splice: false });
      const file = result.createdFiles[0]?.hostPath;
      assert.ok(file && existsSync(file), `no file for ${JSON.stringify(message)}`);
      assert.equal(docstringMessage(file), message);
      head = /^revision = '([0-9a-f]+)'$/m.exec(readFileSync(file, 'utf8'))![1];
      // And Alembic itself reads the same message back.
      const shown = parseVerboseEntries((await project.runOk({ kind: 'show', revision: head })).stdout)[0];
      assert.equal(shown.message, message);
    }
    assert.equal(existsSync(marker), false, 'no shell ran any part of a message');
    assert.equal(existsSync(path.join(project.backend, 'PWNED')), false);
  });

  it('custom mode: an embedded ${args} survives a real shell with a hostile message', async () => {
    const marker = path.join(project.root, 'PWNED-CUSTOM');
    const message = `custom "runner"; $(touch ${marker}) \`touch ${marker}\` it's`;
    const runner = new AlembicRunner({
      runner: { mode: 'custom', template: ['/bin/sh', '-c', 'cd ${configDir} && exec /usr/bin/alembic ${args}'] },
      target: { iniPath: project.iniPath, workspaceFolder: project.root },
    });
    const result = await runner.run({ command: { kind: 'revision', message, autogenerate: false } });
    assert.ok(result.ok, result.stderr);
    assert.equal(docstringMessage(result.createdFiles[0].hostPath!), message);
    assert.equal(existsSync(marker), false);
  });

  describe('a long migration (SELECT pg_sleep(30))', () => {
    let sleepy: string;
    before(async () => {
      const base = (await project.runOk({ kind: 'heads' })).stdout.split(' ')[0];
      sleepy = '5133b0000001';
      project.writeRevision(sleepy, base, 'op.execute("SELECT pg_sleep(30)")', 'pass', 'sleep thirty seconds');
      await project.runOk({ kind: 'upgrade', target: base });
    });

    it('cancelled, its PostgreSQL session is ended too: the server would otherwise run pg_sleep on', async () => {
      // As the extension wires it: the host's own connection ends the cancelled run's sessions.
      const client = createDatabaseClient(toDatabaseConnectionSpec(project.databaseUrl));
      const runner = new AlembicRunner({
        runner: { mode: 'local', command: ['/usr/bin/alembic'] },
        target: { iniPath: project.iniPath, workspaceFolder: project.root },
        lock: project.lock,
        endRunSessions: (applicationName) => endRunSessions(client, applicationName),
      });
      const sessionsNamed = async (name: string) =>
        (await project.database.query<{ pid: number; query: string }>('SELECT pid, query FROM pg_stat_activity WHERE application_name = $1', [name]));
      const controller = new AbortController();
      try {
        const result = await runner.run({
          command: { kind: 'upgrade', target: 'head' },
          env: { DATABASE_URL: project.databaseUrl, PYTHONDONTWRITEBYTECODE: '1' },
          signal: controller.signal,
          onOutput: (line) => {
            if (!line.includes(`-> ${sleepy}, sleep thirty seconds`)) return;
            // Cancel once PostgreSQL runs the statement for this run's session (named by PGAPPNAME).
            const poll = async (): Promise<void> => {
              const rows = await project.database.query<{ n: number }>(
                "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'alembic-workbench-%' AND query LIKE 'SELECT pg_sleep%' AND state = 'active' AND datname = current_database()",
              );
              if (rows[0].n === 1) controller.abort();
              else setTimeout(() => void poll(), 100);
            };
            void poll();
          },
        });
        assert.equal(result.cancelled, true);
        assert.ok(result.endedSessions && 'pids' in result.endedSessions, JSON.stringify(result.endedSessions));
        assert.equal(result.endedSessions.pids.length, 1);
        // pg_terminate_backend signals; the session goes as soon as the backend handles it.
        for (;;) {
          const left = await sessionsNamed(result.applicationName);
          if (left.length === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.notDeepEqual(await project.versions(), [sleepy]);
      } finally {
        await client.close();
      }
    });

    it('is refused a second command while it runs, and cancelled leaves no process behind', async () => {
      const controller = new AbortController();
      let pid = 0;
      let secondStarted = false;
      let refused: unknown;
      const started = Date.now();
      const result = await project.run(
        { kind: 'upgrade', target: 'head' },
        {
          signal: controller.signal,
          onStart: (started) => {
            pid = started;
          },
          onOutput: (line) => {
            if (!line.includes(`-> ${sleepy}, sleep thirty seconds`)) return;
            // Alembic is now inside pg_sleep: try a second command, then cancel.
            project
              .run({ kind: 'current' }, { onStart: () => (secondStarted = true) })
              .catch((error: unknown) => (refused = error))
              .finally(() => setTimeout(() => controller.abort(), 300));
          },
        },
      );
      assert.ok(refused instanceof CommandAlreadyRunningError, `second command: ${String(refused)}`);
      assert.match((refused as Error).message, /"\/usr\/bin\/alembic upgrade head" is still running/);
      assert.equal(secondStarted, false, 'the refused command started no process');

      assert.equal(result.cancelled, true);
      assert.equal(result.ok, false);
      assert.equal(result.failure, undefined, 'a cancel is not reported as a failure');
      assert.ok(Date.now() - started < 15_000, 'cancelled long before pg_sleep(30) ends');
      assert.ok(pid > 0);
      assert.deepEqual(livingProcessesInGroup(pid), [], 'no process of the run is left');
      assert.equal(existsSync(`/proc/${pid}`) && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')), false);
      // The revision's transaction never committed.
      assert.notDeepEqual(await project.versions(), [sleepy]);
      // And the project is free again.
      await project.runOk({ kind: 'current' });
    });
  });

  it('starts no process in an untrusted workspace', async () => {
    const runner = new AlembicRunner({
      runner: { mode: 'local', command: ['/usr/bin/alembic'] },
      target: { iniPath: project.iniPath, workspaceFolder: project.root },
      isTrusted: () => false,
    });
    let started = false;
    await assert.rejects(
      runner.run({ command: { kind: 'upgrade', target: 'head' }, onStart: () => (started = true) }),
      (error: unknown) => error instanceof UntrustedWorkspaceError && /not trusted/.test(error.message),
    );
    await assert.rejects(runner.roundTrip({ onStart: () => (started = true) }), UntrustedWorkspaceError);
    assert.equal(started, false);
  });
});

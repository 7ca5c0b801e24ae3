import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AlembicCurrentError, parseAlembicCurrentOutput, readAlembicCurrent } from '../../../src/core/db/alembicCurrentFallback';
import { ALEMBIC_CORPUS } from '../../support/realAlembic';

const LOG = 'INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\nINFO  [alembic.runtime.migration] Will assume transactional DDL.\n';

describe('parseAlembicCurrentOutput', () => {
  it('empty output is base', () => {
    assert.deepEqual(parseAlembicCurrentOutput({ stdout: '', stderr: LOG, exitCode: 0 }), { rows: [], complete: true, markers: {} });
  });

  it('reads one revision with markers', () => {
    const state = parseAlembicCurrentOutput({ stdout: '12a9efe6d93b (head) (mergepoint)\n', stderr: LOG, exitCode: 0 });
    assert.deepEqual(state.rows, ['12a9efe6d93b']);
    assert.deepEqual(state.markers['12a9efe6d93b'], ['head', 'mergepoint']);
  });

  it('reads several heads and non-hex ids, ignoring noise lines', () => {
    const stdout = [
      '2026-01-01 10:00:00,000 INFO sqlalchemy.engine.Engine select version()',
      'b560279929ea (head)',
      '0002_add_users (effective head)',
      '00895308c34d (branchpoint)',
      '',
    ].join('\n');
    const state = parseAlembicCurrentOutput({ stdout, stderr: LOG, exitCode: 0 });
    assert.deepEqual(state.rows, ['0002_add_users', '00895308c34d', 'b560279929ea']);
    assert.deepEqual(state.markers['0002_add_users'], ['effective head']);
  });

  it('reads the verbose form from its Rev: lines only', () => {
    const stdout = [
      'Current revision(s) for postgresql+psycopg2://app:XXXXX@127.0.0.1:5432/app:',
      'Rev: 12a9efe6d93b (head) (mergepoint)',
      'Merges: 470db97f7b91, b560279929ea',
      'Branch names: tags',
      'Path: /app/alembic/versions/x.py',
      '',
      '    merge tags and recording branches',
      '',
      '    Revision ID: 12a9efe6d93b',
      '',
    ].join('\n');
    assert.deepEqual(parseAlembicCurrentOutput({ stdout, stderr: '', exitCode: 0 }).rows, ['12a9efe6d93b']);
  });

  it("turns Can't locate revision into an unknown row (incomplete)", () => {
    const state = parseAlembicCurrentOutput({
      stdout: "FAILED: Can't locate revision identified by '0badc0ffee42'\n",
      stderr: `${LOG}ERROR [alembic.util.messaging] Can't locate revision identified by '0badc0ffee42'\n`,
      exitCode: 255,
    });
    assert.deepEqual(state, { rows: ['0badc0ffee42'], complete: false, markers: { '0badc0ffee42': [] } });
  });

  it('reports other failures with the reason, password masked', () => {
    assert.throws(
      () =>
        parseAlembicCurrentOutput({
          stdout: '',
          stderr: 'Traceback (most recent call last):\n  File "x"\nsqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "db" failed for postgresql://app:hunter2@db/app\n',
          exitCode: 1,
        }),
      (error: unknown) =>
        error instanceof AlembicCurrentError && /OperationalError/.test(error.message) && !error.message.includes('hunter2') && error.exitCode === 1,
    );
    assert.throws(
      () => parseAlembicCurrentOutput({ stdout: '', stderr: 'service "backend" is not running\n', exitCode: 1 }),
      /alembic current failed: service "backend" is not running/,
    );
    assert.throws(() => parseAlembicCurrentOutput({ stdout: 'FAILED: No config file "alembic.ini" found\n', stderr: '', exitCode: 255 }), /No config file/);
  });

  it('readAlembicCurrent passes the signal to the runner', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const state = await readAlembicCurrent(
      async (options) => {
        seen = options?.signal;
        return { stdout: 'abc123 (head)\n', stderr: '', exitCode: 0 };
      },
      { signal: controller.signal },
    );
    assert.equal(seen, controller.signal);
    assert.deepEqual(state.rows, ['abc123']);
  });

  // Extra input: real Alembic 1.8.1 outputs recorded in the shared corpus, when it is present.
  const corpusCases: Array<[string, string[]]> = [
    ['15_cli_commands/output/current', ['12a9efe6d93b']],
    ['15_cli_commands/output/current_verbose', ['12a9efe6d93b']],
    ['15_cli_commands/output/current_at_enum', ['360bc644b6f4']],
    ['13_branch_and_merge/output/14_current_before_merge', ['00895308c34d']],
    ['16_errors/e3_unknown_revision/output/e3_current_UNKNOWN_DB_REVISION', ['0badc0ffee42']],
  ];
  for (const [name, rows] of corpusCases) {
    const base = path.join(ALEMBIC_CORPUS, name);
    it(`corpus: ${path.basename(name)}`, function () {
      if (!existsSync(`${base}.stdout.txt`)) this.skip();
      const stdout = readFileSync(`${base}.stdout.txt`, 'utf8');
      const stderr = readFileSync(`${base}.stderr.txt`, 'utf8');
      const exitCode = stdout.startsWith('FAILED') ? 255 : 0;
      assert.deepEqual(parseAlembicCurrentOutput({ stdout, stderr, exitCode }).rows, rows);
    });
  }
});

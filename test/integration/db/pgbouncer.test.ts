// Through a real PgBouncer (transaction pooling, as in many staging setups): it refuses timeouts
// sent at connect time ("unsupported startup parameter: statement_timeout"); the client must notice,
// connect again without them, and still read the version table within its deadline.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readVersionTable } from '../../../src/core/db/versionTable';
import { createScratchDatabase, testPostgresConnection, type ScratchDatabase } from '../../support/postgres';
import { clientForUrl, closedPort } from './dbTestKit';

const PGBOUNCER = '/usr/sbin/pgbouncer';

describe('reading through PgBouncer', function () {
  this.timeout(60_000);
  let db: ScratchDatabase;
  let bouncer: ChildProcess | undefined;
  let folder: string;
  let port: number;

  before(async function () {
    // Installed by `npm test` (scripts/lib/system.mjs); a bare machine without it can't run this.
    if (!existsSync(PGBOUNCER)) this.skip();
    db = await createScratchDatabase('pgbouncer');
    const connection = testPostgresConnection();
    folder = mkdtempSync(path.join(tmpdir(), 'aw-pgbouncer-'));
    port = await closedPort();
    writeFileSync(path.join(folder, 'users.txt'), `"${connection.user}" "${connection.password}"\n`);
    writeFileSync(
      path.join(folder, 'pgbouncer.ini'),
      [
        '[databases]',
        `* = host=${connection.host} port=${connection.port}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${port}`,
        'unix_socket_dir =',
        'auth_type = plain',
        `auth_file = ${path.join(folder, 'users.txt')}`,
        'pool_mode = transaction',
        `logfile = ${path.join(folder, 'pgbouncer.log')}`,
        '',
      ].join('\n'),
    );
    // PgBouncer refuses to run as root; as root, hand it to the postgres user.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      const { uid, gid } = postgresUser();
      for (const file of ['', 'users.txt', 'pgbouncer.ini']) chownSync(path.join(folder, file), uid, gid);
    }
    bouncer = spawn(PGBOUNCER, [...(asRoot ? ['-u', 'postgres'] : []), path.join(folder, 'pgbouncer.ini')], { stdio: 'ignore' });
    for (let attempt = 0; attempt < 50; attempt++) {
      const log = existsSync(path.join(folder, 'pgbouncer.log')) ? readFileSync(path.join(folder, 'pgbouncer.log'), 'utf8') : '';
      if (log.includes('listening on')) return;
      if (bouncer.exitCode !== null) throw new Error(`pgbouncer exited: ${log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('pgbouncer did not start');
  });
  after(async () => {
    bouncer?.kill();
    await db?.drop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('reads the version table (after dropping the refused startup parameters)', async () => {
    await db.query(`CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)`);
    await db.query(`INSERT INTO alembic_version VALUES ('abc123def456')`);
    const { user, password } = testPostgresConnection();
    const client = clientForUrl(`postgresql+psycopg2://${user}:${password}@127.0.0.1:${port}/${db.name}`);
    try {
      assert.deepEqual((await readVersionTable(client)).rows, ['abc123def456']);
      assert.deepEqual((await readVersionTable(client)).rows, ['abc123def456']);
    } finally {
      await client.close();
    }
  });
});

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith('postgres:'));
  if (!line) throw new Error('no postgres user on this machine');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

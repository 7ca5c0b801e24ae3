// A database that is down, slow, unreachable or refuses us answers with a clear message in bounded
// time, and never shows the password. Real PostgreSQL 15 and real sockets on loopback.
import assert from 'node:assert/strict';
import pg from 'pg';
import { createDatabaseClient } from '../../../src/core/db/databaseClient';
import { DatabaseUnreachableError } from '../../../src/core/db/databaseErrors';
import { toDatabaseConnectionSpec } from '../../../src/core/db/sqlalchemyUrl';
import { readVersionTable } from '../../../src/core/db/versionTable';
import { createScratchDatabase, testPostgresConnection, type ScratchDatabase } from '../../support/postgres';
import { blackholePort, clientForUrl, closedPort, silentServer, timed } from './dbTestKit';

// The brief's bound: a down database answers within 3 s. Assert well under a non-flaky 5 s.
const TIMEOUT_MS = 3000;
const UPPER_BOUND_MS = 5000;

function assertUnreachable(error: unknown, kind: DatabaseUnreachableError['kind'], message: RegExp, secret?: string): void {
  assert.ok(error instanceof DatabaseUnreachableError, `expected DatabaseUnreachableError, got ${String(error)}`);
  assert.equal(error.kind, kind, error.message);
  assert.match(error.message, message);
  if (secret) {
    for (const text of [error.message, String(error), error.stack ?? '', JSON.stringify(error)]) {
      assert.ok(!text.includes(secret), `the password leaked: ${text}`);
    }
  }
}

describe('database connection failures', function () {
  this.timeout(60_000);
  let db: ScratchDatabase;
  const { user, host, port } = testPostgresConnection();

  before(async () => {
    db = await createScratchDatabase('failures');
  });
  after(async () => {
    await db?.drop();
  });

  it('wrong password: a clear message without the password', async () => {
    const secret = 'Wr0ng-P4ss%word';
    const client = clientForUrl(`postgresql+psycopg2://${user}:${encodeURIComponent(secret)}@${host}:${port}/${db.name}`, TIMEOUT_MS);
    try {
      const { error, ms } = await timed(() => readVersionTable(client));
      assertUnreachable(error, 'authentication-failed', new RegExp(`^authentication failed: wrong password for user "${user}" at ${host}:${port}$`), secret);
      assert.ok(!(error as Error).message.includes(encodeURIComponent(secret)));
      assert.ok(ms < UPPER_BOUND_MS, `${ms} ms`);
    } finally {
      await client.close();
    }
  });

  it('no password where the server wants one: "password required", and no backend left waiting', async () => {
    const own = await createScratchDatabase('no_password');
    const client = clientForUrl(`postgresql://${user}@${host}:${port}/${own.name}`, TIMEOUT_MS);
    try {
      const { error } = await timed(() => readVersionTable(client));
      assertUnreachable(error, 'password-required', /a password is required for user/);
    } finally {
      await client.close();
      // pg alone would leave the half-authenticated socket open and the server would hold the
      // backend for authentication_timeout (60 s), blocking DROP DATABASE that long.
      const { ms } = await timed(() => own.drop());
      assert.ok(ms < UPPER_BOUND_MS, `DROP DATABASE waited ${ms} ms for a backend we left behind`);
    }
  });

  it('a database that does not exist', async () => {
    const client = clientForUrl(db.sqlalchemyUrl.replace(db.name, `${db.name}_missing`), TIMEOUT_MS);
    try {
      const { error } = await timed(() => readVersionTable(client));
      assertUnreachable(error, 'database-missing', /database ".*_missing" does not exist/, db.connection.password);
    } finally {
      await client.close();
    }
  });

  it('closed port: "unreachable: connection refused" at once', async () => {
    const closed = await closedPort();
    const client = clientForUrl(`postgresql://app:hunter22@127.0.0.1:${closed}/app`, TIMEOUT_MS);
    try {
      const { error, ms } = await timed(() => readVersionTable(client));
      assertUnreachable(error, 'refused', new RegExp(`^unreachable: connection refused at 127\\.0\\.0\\.1:${closed}`), 'hunter22');
      assert.ok(ms < TIMEOUT_MS - 500, `waited for the connect timeout: ${ms} ms`);
    } finally {
      await client.close();
    }
  });

  it('blackholed address (SYNs dropped): "unreachable" after the timeout, bounded', async () => {
    const blackhole = await blackholePort();
    const client = clientForUrl(`postgresql://app:hunter22@127.0.0.1:${blackhole.port}/app`, TIMEOUT_MS);
    try {
      const { error, ms } = await timed(() => readVersionTable(client));
      assertUnreachable(error, 'timeout', /^unreachable: no answer from 127\.0\.0\.1:\d+ within 3 s/, 'hunter22');
      assert.ok(ms >= TIMEOUT_MS - 100, `gave up before the timeout: ${ms} ms`);
      assert.ok(ms < UPPER_BOUND_MS, `${ms} ms`);
      // A second read on the same pool is bounded too (no queued waiter left behind).
      const again = await timed(() => readVersionTable(client));
      assert.ok(again.error instanceof DatabaseUnreachableError && again.ms < UPPER_BOUND_MS, `${again.ms} ms`);
    } finally {
      blackhole.stop();
      await client.close();
    }
  });

  it('a server that accepts and never answers: bounded as well', async () => {
    const silent = await silentServer();
    const client = clientForUrl(`postgresql://app:hunter22@127.0.0.1:${silent.port}/app?sslmode=disable`, TIMEOUT_MS);
    try {
      const { error, ms } = await timed(() => readVersionTable(client));
      assertUnreachable(error, 'timeout', /^unreachable: no answer from/, 'hunter22');
      assert.ok(ms < UPPER_BOUND_MS, `${ms} ms`);
    } finally {
      await silent.stop();
      await client.close();
    }
  });

  it('an unknown host name (a compose service name seen from outside)', async () => {
    const client = clientForUrl('postgresql://app:hunter22@db.invalid:5432/app', TIMEOUT_MS);
    try {
      const { error, ms } = await timed(() => readVersionTable(client));
      assertUnreachable(error, 'host-not-found', /^unreachable: host "db\.invalid" not found/, 'hunter22');
      assert.ok(ms < UPPER_BOUND_MS, `${ms} ms`);
    } finally {
      await client.close();
    }
  });

  it('a version table locked by a running migration: gives up within the timeout', async () => {
    await db.query('CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)');
    const locker = new pg.Client(db.connection);
    await locker.connect();
    const client = clientForUrl(db.sqlalchemyUrl, TIMEOUT_MS);
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE');
      const { error, ms } = await timed(() => readVersionTable(client));
      assertUnreachable(error, 'query-timeout', /locked by another session \(a migration may be running\)/);
      assert.ok(ms < UPPER_BOUND_MS, `${ms} ms`);
      await locker.query('ROLLBACK');
      // The pool recovers once the lock is gone.
      assert.deepEqual((await readVersionTable(client)).rows, []);
    } finally {
      await locker.end();
      await client.close();
    }
  });

  it('sslmode: prefer falls back to plain text; require says the server has no TLS', async () => {
    const preferClient = clientForUrl(`${db.sqlalchemyUrl}?sslmode=prefer`, TIMEOUT_MS);
    const requireClient = clientForUrl(`${db.sqlalchemyUrl}?sslmode=require`, TIMEOUT_MS);
    try {
      assert.equal(typeof (await readVersionTable(preferClient)).exists, 'boolean');
      const ssl = (await db.query<{ ssl: string }>('SHOW ssl'))[0]!.ssl;
      const required = await timed(() => readVersionTable(requireClient));
      if (ssl === 'off') assertUnreachable(required.error, 'tls', /does not support TLS, but sslmode is require/, db.connection.password);
      else assert.equal(required.error, undefined);
    } finally {
      await preferClient.close();
      await requireClient.close();
    }
  });

  it('a unix socket: reaches the server (which answers with its own auth rule)', async () => {
    const client = createDatabaseClient(toDatabaseConnectionSpec(`postgresql+psycopg2://${user}:x@/${db.name}?host=/var/run/postgresql`), { timeoutMs: TIMEOUT_MS });
    try {
      const { error, value } = await timed(() => readVersionTable(client));
      // Debian's pg_hba uses peer authentication on the socket: the server answered, so the socket works.
      if (error) assertUnreachable(error, 'authentication-failed', /Peer authentication failed|password/);
      else assert.equal(value?.exists, true);
    } finally {
      await client.close();
    }
  });

  it('cancellation: an aborted read stops at once', async () => {
    const blackhole = await blackholePort();
    const client = clientForUrl(`postgresql://app:pw@127.0.0.1:${blackhole.port}/app`, TIMEOUT_MS);
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const { error, ms } = await timed(() => readVersionTable(client, undefined, { signal: controller.signal }));
      assertUnreachable(error, 'cancelled', /cancelled/);
      assert.ok(ms < TIMEOUT_MS - 500, `waited for the connect timeout: ${ms} ms`);
    } finally {
      blackhole.stop();
      await client.close();
    }
  });
});

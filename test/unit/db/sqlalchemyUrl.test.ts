import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { DatabaseUrlError } from '../../../src/core/db/databaseErrors';
import {
  parseSqlalchemyUrl,
  toDatabaseConnectionSpec,
  toPgClientConfig,
  type PostgresConnectionSpec,
} from '../../../src/core/db/sqlalchemyUrl';

function pgSpec(url: string): PostgresConnectionSpec {
  const spec = toDatabaseConnectionSpec(url);
  assert.equal(spec.dialect, 'postgresql');
  return spec as PostgresConnectionSpec;
}

describe('SQLAlchemy URL -> pg connection', () => {
  const forms: Array<[string, string, string]> = [
    ['postgresql://app:secret@db:5432/meetings', 'psycopg2', 'prefer'],
    ['postgres://app:secret@db:5432/meetings', 'psycopg2', 'prefer'],
    ['postgresql+psycopg2://app:secret@db:5432/meetings', 'psycopg2', 'prefer'],
    ['postgresql+psycopg://app:secret@db:5432/meetings', 'psycopg', 'prefer'],
    ['postgresql+asyncpg://app:secret@db:5432/meetings', 'asyncpg', 'prefer'],
    ['postgresql+pg8000://app:secret@db:5432/meetings', 'pg8000', 'disable'],
  ];
  for (const [url, driver, tls] of forms) {
    it(`converts ${url.split(':')[0]}`, () => {
      const spec = pgSpec(url);
      assert.equal(spec.driver, driver);
      assert.deepEqual(
        { host: spec.clientConfig.host, port: spec.clientConfig.port, user: spec.clientConfig.user, password: spec.clientConfig.password, database: spec.clientConfig.database },
        { host: 'db', port: 5432, user: 'app', password: 'secret', database: 'meetings' },
      );
      assert.equal(spec.tls.mode, tls);
      assert.ok(!spec.display.includes('secret'), spec.display);
      assert.deepEqual(spec.secrets, ['secret']);
    });
  }

  it('warns that SQLAlchemy 1.4 refuses postgres://', () => {
    assert.match(pgSpec('postgres://u:p@h/d').notes.join('\n'), /postgresql:\/\//);
  });

  it('decodes percent-encoded user and password', () => {
    const spec = pgSpec('postgresql://us%40er:p%40ss%3Aw%2Fo%25rd@localhost/db');
    assert.equal(spec.clientConfig.user, 'us@er');
    assert.equal(spec.clientConfig.password, 'p@ss:w/o%rd');
  });

  it('keeps a raw @ in the password and says how to fix it', () => {
    const spec = pgSpec('postgresql://app:p@ss@db/app');
    assert.equal(spec.clientConfig.password, 'p@ss');
    assert.equal(spec.clientConfig.host, 'db');
    assert.match(spec.notes.join('\n'), /%40/);
  });

  it('reads IPv6 hosts with and without port', () => {
    assert.equal(pgSpec('postgresql://u:p@[::1]:5433/d').clientConfig.host, '::1');
    assert.equal(pgSpec('postgresql://u:p@[::1]:5433/d').clientConfig.port, 5433);
    assert.equal(pgSpec('postgresql://u:p@[fe80::1]/d').clientConfig.port, 5432);
    assert.equal(pgSpec('postgresql://u:p@[::1]:5433/d').location, '[::1]:5433/d');
  });

  it('reads unix-socket host= forms', () => {
    const spec = pgSpec('postgresql+psycopg2://app@/meetings?host=/var/run/postgresql');
    assert.equal(spec.clientConfig.host, '/var/run/postgresql');
    assert.equal(spec.tls.mode, 'disable');
    assert.match(spec.location, /socket/);
    const withPort = pgSpec('postgresql://app:pw@/meetings?host=/tmp&port=5433');
    assert.equal(withPort.clientConfig.port, 5433);
    const pg8000 = pgSpec('postgresql+pg8000://app@/meetings?unix_sock=/run/postgresql/.s.PGSQL.5434');
    assert.equal(pg8000.clientConfig.host, '/run/postgresql');
    assert.equal(pg8000.clientConfig.port, 5434);
  });

  it('takes the first of several hosts (SQLAlchemy 2 multi-host) and says so', () => {
    const spec = pgSpec('postgresql+psycopg2://u:p@/d?host=h1:5433&host=h2:5434');
    assert.equal(spec.clientConfig.host, 'h1');
    assert.equal(spec.clientConfig.port, 5433);
    assert.match(spec.notes.join('\n'), /several hosts/);
  });

  it('maps sslmode for libpq drivers', () => {
    assert.equal(pgSpec('postgresql://u:p@h/d?sslmode=disable').tls.mode, 'disable');
    assert.equal(pgSpec('postgresql://u:p@h/d?sslmode=require').tls.mode, 'require');
    assert.equal(pgSpec('postgresql://u:p@h/d?sslmode=verify-full&sslrootcert=/etc/ca.pem').tls.rootCertFile, '/etc/ca.pem');
    assert.equal(pgSpec('postgresql://u:p@h/d?sslmode=require&sslrootcert=/etc/ca.pem').tls.mode, 'verify-ca');
    assert.deepEqual(toPgClientConfig('postgresql://u:p@h/d?sslmode=require').ssl, { rejectUnauthorized: false });
    assert.equal(toPgClientConfig('postgresql://u:p@h/d?sslmode=disable').ssl, false);
    assert.throws(() => pgSpec('postgresql://u:p@h/d?sslmode=sometimes'), (error: unknown) => error instanceof DatabaseUrlError && /sslmode="sometimes"/.test(error.message));
  });

  it("reads asyncpg's ssl= spelling", () => {
    assert.equal(pgSpec('postgresql+asyncpg://u:p@h/d?ssl=require').tls.mode, 'require');
    assert.equal(pgSpec('postgresql+asyncpg://u:p@h/d?ssl=true').tls.mode, 'require');
    assert.equal(pgSpec('postgresql+asyncpg://u:p@h/d?ssl=false').tls.mode, 'disable');
    assert.equal(pgSpec('postgresql+asyncpg://u:p@h/d?ssl=verify-full').tls.mode, 'verify-full');
    assert.match(pgSpec('postgresql+asyncpg://u:p@h/d?sslmode=require').notes.join('\n'), /asyncpg spells TLS "ssl="/);
  });

  it('passes application_name, options and connect_timeout, notes unknown options', () => {
    const spec = pgSpec('postgresql://u:p@h/d?application_name=me&options=-csearch_path%3Dapp&connect_timeout=2&foo=bar&client_encoding=utf8');
    assert.equal(spec.clientConfig.application_name, 'me');
    assert.equal(spec.clientConfig.options, '-csearch_path=app');
    assert.equal(spec.clientConfig.connectionTimeoutMillis, 2000);
    assert.deepEqual(spec.notes, ['query option "foo" is not used to read the version table']);
  });

  it('defaults port 5432 and notes a missing host', () => {
    const spec = pgSpec('postgresql://u:p@/d');
    assert.equal(spec.clientConfig.port, 5432);
    assert.equal(spec.clientConfig.host, undefined);
    assert.match(spec.notes.join('\n'), /names no host/);
  });

  it('rejects bad ports with the password masked', () => {
    assert.throws(
      () => toDatabaseConnectionSpec('postgresql://app:hunter2@db:54x32/app'),
      (error: unknown) => error instanceof DatabaseUrlError && error.kind === 'invalid-port' && !error.message.includes('hunter2'),
    );
    assert.throws(() => toDatabaseConnectionSpec('postgresql://app:pw@db:70000/app'), /invalid port "70000"/);
  });

  it('explains what it cannot convert', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['mysql+pymysql://u:hunter2@h/d', 'unsupported-dialect', /^not PostgreSQL: database state for mysql is read with `alembic current`/],
      ['mssql+pyodbc://u:hunter2@dsn', 'unsupported-dialect', /not PostgreSQL: database state for mssql/],
      ['', 'empty', /no database URL/],
      ['driver://user:pass@localhost/dbname', 'placeholder', /template's placeholder/],
      ['just some words hunter2', 'not-a-url', /not a SQLAlchemy URL/],
      ['postgres-ql://u:hunter2@h/d', 'not-a-url', /not a SQLAlchemy URL/],
      ['sqlite://', 'in-memory', /in-memory/],
    ];
    for (const [url, kind, message] of cases) {
      assert.throws(
        () => toDatabaseConnectionSpec(url),
        (error: unknown) => error instanceof DatabaseUrlError && error.kind === kind && message.test(error.message) && !error.message.includes('hunter2'),
        url,
      );
    }
  });

  it('converts SQLite file URLs, relative ones against the ini folder', () => {
    const relative = toDatabaseConnectionSpec('sqlite:///data/app.db', { baseDirectory: '/work/project/backend' });
    assert.equal(relative.dialect, 'sqlite');
    assert.equal(relative.dialect === 'sqlite' && relative.file, path.resolve('/work/project/backend/data/app.db'));
    const absolute = toDatabaseConnectionSpec('sqlite+pysqlite:////var/lib/app.db', { baseDirectory: '/x' });
    assert.equal(absolute.dialect === 'sqlite' && absolute.file, '/var/lib/app.db');
    const uri = toDatabaseConnectionSpec('sqlite:///file:app.db?mode=ro&uri=true', { baseDirectory: '/x' });
    assert.equal(uri.dialect === 'sqlite' && uri.file, '/x/app.db');
    const aiosqlite = toDatabaseConnectionSpec('sqlite+aiosqlite:///./app.db', { baseDirectory: '/x' });
    assert.equal(aiosqlite.dialect === 'sqlite' && aiosqlite.file, '/x/app.db');
  });

  it('lets libpq keywords in the query override the URL (as psycopg2 merges them)', () => {
    const spec = pgSpec('postgresql://u:p@h/d?user=other&dbname=elsewhere&port=6000');
    assert.equal(spec.clientConfig.user, 'other');
    assert.equal(spec.clientConfig.database, 'elsewhere');
    assert.equal(spec.clientConfig.port, 6000);
  });
});

// The parser must read URLs as SQLAlchemy itself does: ask the real SQLAlchemy (1.4, with Alembic).
describe('SQLAlchemy URL parsing matches SQLAlchemy make_url', () => {
  const urls = [
    'postgresql://app:secret@db:5432/meetings',
    'postgresql+psycopg2://us%40er:p%40ss%3Aw%2Fo%25rd@localhost/db',
    'postgresql+asyncpg://u:p@[::1]:5433/d?ssl=require',
    'postgresql://u:pa/ss@host/db',
    'postgresql://u:p?ss@host/db?sslmode=require',
    'postgresql+psycopg2://app@/meetings?host=/var/run/postgresql',
    'postgresql://host:5432/db',
    'postgresql://host/db@x',
    'postgresql://u@h',
    'postgresql://u:@h:1/d?a=1&a=2&b=x+y',
    'sqlite:///relative/app.db',
    'sqlite:////abs/app.db',
    'mysql+pymysql://u:p@h:3306/d?charset=utf8mb4',
  ];
  let expected: Array<Record<string, unknown>> = [];

  before(function () {
    const script = `
import json, sys
from sqlalchemy.engine import make_url
out = []
for raw in json.loads(sys.stdin.read()):
    u = make_url(raw)
    out.append({"drivername": u.drivername, "username": u.username, "password": u.password, "host": u.host,
                "port": u.port, "database": u.database,
                "query": {k: list(v) if isinstance(v, tuple) else [v] for k, v in u.query.items()}})
print(json.dumps(out))
`;
    const result = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(urls), encoding: 'utf8' });
    if (result.status !== 0) {
      // SQLAlchemy comes with Alembic on these machines; without it this comparison can't run.
      if (/No module named 'sqlalchemy'/.test(result.stderr)) this.skip();
      throw new Error(result.stderr);
    }
    expected = JSON.parse(result.stdout);
  });

  urls.forEach((url, index) => {
    it(url, () => {
      const parsed = parseSqlalchemyUrl(url);
      const want = expected[index]!;
      assert.deepEqual(
        {
          drivername: parsed.drivername,
          username: parsed.username ?? null,
          password: parsed.password ?? null,
          host: parsed.host ?? null,
          port: parsed.port ?? null,
          database: parsed.database ?? null,
          query: parsed.query,
        },
        want,
      );
    });
  });
});

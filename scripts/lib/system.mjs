// Makes a fresh Debian machine ready for the test suites: the system packages the tests drive
// (real Alembic, PostgreSQL, Chromium for the UI walk, ripgrep and Kerberos headers for
// code-server's install) and a running PostgreSQL with a test role. As root it installs what is
// missing through apt; otherwise it prints the exact command and stops.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Each requirement: how to tell it is present, and the apt packages that provide it. */
export const SYSTEM_REQUIREMENTS = [
  { what: 'Alembic (Debian)', present: () => existsSync('/usr/bin/alembic') && pythonImports('alembic, sqlalchemy, psycopg2'), packages: ['alembic', 'python3-alembic', 'python3-sqlalchemy', 'python3-psycopg2'] },
  { what: 'Flask-Migrate (Debian; `flask db` tests)', present: () => existsSync('/usr/bin/flask') && pythonImports('flask_migrate, flask_sqlalchemy'), packages: ['python3-flask-migrate', 'python3-flask-sqlalchemy'] },
  { what: 'PostgreSQL 15', present: () => existsSync('/usr/lib/postgresql/15/bin/postgres') && existsSync('/usr/bin/pg_ctlcluster'), packages: ['postgresql-15', 'postgresql-client-15'] },
  { what: 'PgBouncer (database state through a pooler)', present: () => existsSync('/usr/sbin/pgbouncer'), packages: ['pgbouncer'] },
  { what: 'Chromium (UI walk)', present: () => existsSync('/usr/bin/chromium'), packages: ['chromium'] },
  { what: 'ripgrep (code-server search)', present: () => existsSync('/usr/bin/rg'), packages: ['ripgrep'] },
  { what: 'Kerberos headers (code-server install)', present: () => existsSync('/usr/include/gssapi/gssapi.h') || existsSync('/usr/include/gssapi.h'), packages: ['libkrb5-dev'] },
  { what: 'C++ toolchain (code-server native modules)', present: () => existsSync('/usr/bin/g++') && existsSync('/usr/bin/make'), packages: ['g++', 'make'] },
];

function pythonImports(modules) {
  return spawnSync('/usr/bin/python3', ['-c', `import ${modules}`], { stdio: 'ignore' }).status === 0;
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Installs missing apt packages (as root) or explains how; returns false when something is missing. */
export function ensureSystemPackages({ log = console.log } = {}) {
  const missing = SYSTEM_REQUIREMENTS.filter((requirement) => !requirement.present());
  if (missing.length === 0) return true;
  const packages = [...new Set(missing.flatMap((requirement) => requirement.packages))];
  log(`Missing: ${missing.map((requirement) => requirement.what).join(', ')}`);
  if (!isRoot()) {
    log(`Install them with:\n  sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`);
    return false;
  }
  log(`Installing with apt: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update'], { env }) !== 0) return false;
  if (run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env }) !== 0) return false;
  return SYSTEM_REQUIREMENTS.every((requirement) => requirement.present());
}

export const TEST_PG = {
  host: '127.0.0.1',
  port: Number(process.env.AW_TEST_PG_PORT ?? 5432),
  user: 'aw_test',
  password: 'aw_test',
};

function pgReady() {
  return spawnSync('pg_isready', ['-q', '-h', TEST_PG.host, '-p', String(TEST_PG.port)], { stdio: 'ignore' }).status === 0;
}

function psqlAsPostgres(sql) {
  // `su` keeps this an argv array: the SQL is one argument to psql, never a shell string.
  return spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', 'exec psql -X -q -v ON_ERROR_STOP=1 -f -'], {
    input: sql,
    encoding: 'utf8',
  });
}

/** Starts the local cluster when needed and makes sure the test role exists. */
export async function ensurePostgres({ log = console.log } = {}) {
  if (!pgReady()) {
    if (!isRoot()) {
      log(`PostgreSQL is not running on ${TEST_PG.host}:${TEST_PG.port}. Start it with:\n  sudo pg_ctlcluster 15 main start`);
      return false;
    }
    log('Starting PostgreSQL 15 (pg_ctlcluster 15 main start)');
    const listed = spawnSync('pg_lsclusters', ['-h'], { encoding: 'utf8' }).stdout ?? '';
    if (!/^15\s+main\s/m.test(listed)) run('pg_createcluster', ['15', 'main']);
    run('pg_ctlcluster', ['15', 'main', 'start']);
    for (let attempt = 0; attempt < 50 && !pgReady(); attempt++) await new Promise((resolve) => setTimeout(resolve, 200));
    if (!pgReady()) {
      log('PostgreSQL did not become ready; see /var/log/postgresql/postgresql-15-main.log');
      return false;
    }
  }
  if (isRoot()) {
    const created = psqlAsPostgres(
      `DO $$ BEGIN
         IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${TEST_PG.user}') THEN
           CREATE ROLE ${TEST_PG.user} LOGIN CREATEDB PASSWORD '${TEST_PG.password}';
         END IF;
       END $$;`,
    );
    if (created.status !== 0) {
      log(`Could not create the test role: ${created.stderr}`);
      return false;
    }
  }
  return true;
}

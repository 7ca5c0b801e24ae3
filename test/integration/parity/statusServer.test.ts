// `alembic-workbench status` answered by the resident server must be exactly what a fresh process
// prints and exits with, against real databases at the states the real Alembic leaves (PostgreSQL 15
// pending and up to date, a SQLite file, an unreachable port), with the database chosen by the
// caller's environment, not the server's: DATABASE_URL, and PGPASSWORD, which pg reads from
// process.env itself (the server is started with a wrong one, the caller gives the right one or none).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUILT_CLI, ensureCliBuilt } from '../../support/builtCli';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres';
import { realAlembicOk } from '../../support/realAlembic';
import { closedPort } from '../db/dbTestKit';

const REV = { a: '5f5f00000001', b: '5f5f00000002' } as const;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('status through the resident server (alembic-workbench server)', function () {
  this.timeout(180_000);
  let database: ScratchDatabase;
  let project: string;
  let cacheDir: string;
  let sqliteFile: string;
  /** The scratch database's URL without its password: pg must find it in PGPASSWORD. */
  let passwordlessUrl: string;

  /** The caller's environment: only what each test gives (no DATABASE_URL or PG* from the developer's shell). */
  function run(args: string[], env: Record<string, string> = {}): Run {
    const result = spawnSync(process.execPath, [BUILT_CLI, ...args], {
      cwd: project,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ALEMBIC_WORKBENCH_CACHE_DIR: cacheDir, ...env },
      timeout: 60_000,
    });
    if (result.error) throw result.error;
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  }
  function answered(): number | undefined {
    const status = run(['server', 'status']);
    if (status.code !== 0) return undefined;
    return Number(/answered (\d+) command/.exec(status.stdout)?.[1]);
  }
  /** Served and fresh: the same output and exit code. Returns the served run. */
  function sameServedAndAlone(args: string[], env: Record<string, string> = {}): Run {
    const before = answered();
    const served = run(['status', ...args], env);
    assert.equal(answered(), (before ?? NaN) + 1, `status ${args.join(' ')} was not answered by the server`);
    const alone = run(['status', ...args], { ...env, ALEMBIC_WORKBENCH_NO_SERVER: '1' });
    assert.deepEqual(served, alone, `status ${args.join(' ')}`);
    return served;
  }

  before(async () => {
    ensureCliBuilt();
    database = await createScratchDatabase('status_server');
    const { host, port, user } = database.connection;
    passwordlessUrl = `postgresql+psycopg2://${encodeURIComponent(user)}@${host}:${port}/${database.name}`;
    project = mkdtempSync(path.join(tmpdir(), 'aw-status-server-'));
    realAlembicOk(project, ['init', 'alembic']);
    const iniFile = path.join(project, 'alembic.ini');
    writeFileSync(iniFile, readFileSync(iniFile, 'utf8').replace(/^sqlalchemy\.url = .*$/m, `sqlalchemy.url = ${passwordlessUrl.replace(/%/g, '%%')}`));
    realAlembicOk(project, ['revision', '-m', 'create users', '--rev-id', REV.a]);
    realAlembicOk(project, ['revision', '-m', 'create meetings', '--rev-id', REV.b]);
    sqliteFile = path.join(project, 'half.db');
  });
  beforeEach(() => {
    cacheDir = mkdtempSync(path.join(tmpdir(), 'aw-status-srv-'));
    // The server's own environment holds a wrong password: a served status must never use it.
    const started = run(['server', 'start'], { PGPASSWORD: 'not-the-password' });
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /^Started: heads, history, show, check, graph, status now answer from it\./);
  });
  afterEach(() => {
    run(['server', 'stop']);
    rmSync(cacheDir, { recursive: true, force: true });
  });
  after(async () => {
    if (project) rmSync(project, { recursive: true, force: true });
    await database?.drop();
  });

  it('PostgreSQL pending then up to date, in every format, with the password from the caller', () => {
    const env = { PGPASSWORD: database.connection.password };
    const pending = sameServedAndAlone([], env);
    assert.equal(pending.code, 10, pending.stdout + pending.stderr);
    assert.match(pending.stdout, new RegExp(`Pending: +2, in upgrade order:\\n  ${REV.a}  create users\\n  ${REV.b}  create meetings\\n`));
    realAlembicOk(project, ['upgrade', REV.a], env);
    assert.equal(JSON.parse(sameServedAndAlone(['--json'], env).stdout).current[0], REV.a);
    realAlembicOk(project, ['upgrade', 'head'], env);
    const upToDate = sameServedAndAlone(['--format', 'github'], env);
    assert.equal(upToDate.code, 0);
    assert.match(upToDate.stdout, /^::notice title=alembic-workbench status%3A up to date::/m);
    realAlembicOk(project, ['downgrade', 'base'], env);
  });

  it('without a password in the caller\'s environment, unreachable as in a fresh process (not the server\'s)', () => {
    const served = sameServedAndAlone(['--json']);
    assert.equal(served.code, 13);
    assert.equal(JSON.parse(served.stdout).database.error.kind, 'password-required');
  });

  it('DATABASE_URL of the caller: a SQLite file half way', () => {
    // env.py reads sqlalchemy.url: a copy of the ini pointed at the SQLite file brings it half way.
    const sqliteIni = path.join(project, 'sqlite.ini');
    writeFileSync(sqliteIni, readFileSync(path.join(project, 'alembic.ini'), 'utf8').replace(/^sqlalchemy\.url = .*$/m, `sqlalchemy.url = sqlite:///${sqliteFile}`));
    realAlembicOk(project, ['-c', sqliteIni, 'upgrade', REV.a]);
    const served = sameServedAndAlone([], { DATABASE_URL: `sqlite:///${sqliteFile}` });
    assert.equal(served.code, 10, served.stdout + served.stderr);
    assert.match(served.stdout, /^Database: .*DATABASE_URL.*sqlite\)\nCurrent: +5f5f00000001\n/);
  });

  it('an unreachable --url: the same message and exit 13, the URL never printed', async () => {
    const url = `postgresql://aw_test:secret-in-url@127.0.0.1:${await closedPort()}/nowhere`;
    const served = sameServedAndAlone(['--url', url, '--timeout', '2']);
    assert.equal(served.code, 13);
    assert.ok(!served.stdout.includes('secret-in-url') && !served.stdout.includes('nowhere'), served.stdout);
  });
});

// `alembic-workbench status` against real databases brought to each state by the real Alembic 1.8.1:
// base, half-way, head, a revision applied and then deleted from the files (committed in git, so
// the report can say where it went), two heads; on PostgreSQL 15 and on SQLite. The built CLI runs
// as a process, so the exit codes are the ones a deploy script sees.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUILT_CLI, ensureCliBuilt } from '../../support/builtCli';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres';
import { realAlembicOk } from '../../support/realAlembic';
import { TEST_CACHE_DIR } from '../../unit/cli/runCli';
import { closedPort } from '../db/dbTestKit';

const REV = { a: 'a1a100000001', b: 'b2b200000002', c: 'c3c300000003', gone: 'dead00000004', side: 'e5e500000005' } as const;

interface StatusRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function runStatus(cwd: string, args: string[], env: Record<string, string> = {}): StatusRun {
  const started = performance.now();
  const result = spawnSync(process.execPath, [BUILT_CLI, 'status', ...args], {
    cwd,
    encoding: 'utf8',
    // No DATABASE_URL from the developer's shell: each test says where the database is.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ALEMBIC_WORKBENCH_CACHE_DIR: TEST_CACHE_DIR, ...env },
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, ms: performance.now() - started };
}

function git(cwd: string, args: string[]): string {
  const result = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** A linear project a -> b -> c made by the real Alembic, in a git repository. */
function makeProject(sqlalchemyUrl: string): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'aw-status-'));
  realAlembicOk(directory, ['init', 'alembic']);
  const iniFile = path.join(directory, 'alembic.ini');
  writeFileSync(iniFile, readFileSync(iniFile, 'utf8').replace(/^sqlalchemy\.url = .*$/m, `sqlalchemy.url = ${sqlalchemyUrl.replace(/%/g, '%%')}`));
  realAlembicOk(directory, ['revision', '-m', 'create users', '--rev-id', REV.a]);
  realAlembicOk(directory, ['revision', '-m', 'create meetings', '--rev-id', REV.b]);
  realAlembicOk(directory, ['revision', '-m', 'add meeting status', '--rev-id', REV.c]);
  git(directory, ['init', '-q']);
  git(directory, ['add', '.']);
  git(directory, ['commit', '-q', '-m', 'three revisions']);
  return directory;
}

function revisionFileOf(directory: string, revision: string): string {
  const versions = path.join(directory, 'alembic', 'versions');
  const name = readdirSync(versions).find((file) => file.startsWith(revision));
  assert.ok(name, `no file for ${revision}`);
  return path.join(versions, name);
}

interface StatusJson {
  version: number;
  state: string;
  exitCode: number;
  database: { target: string; origin: string; dialect: string | null; reachable: boolean; initialised: boolean | null; error: { kind: string } | null };
  current: string[];
  heads: string[];
  pending: Array<{ revision: string; message: string | null }>;
  unknown: Array<{ revision: string; git: { kind: string; commits?: Array<{ subject: string; files: Array<{ status: string; path: string }> }> } }>;
}

function statusJson(run: StatusRun): StatusJson {
  assert.equal(run.stderr, '', run.stderr);
  return JSON.parse(run.stdout) as StatusJson;
}

function walkThroughStates(label: string, setUp: () => Promise<{ url: string; env: Record<string, string>; args: string[]; cleanUp(): Promise<void> }>) {
  describe(`status on ${label}, at each state the real Alembic leaves`, function () {
    this.timeout(180_000);
    let directory: string;
    let url: string;
    let args: string[];
    let env: Record<string, string>;
    let cleanUp: () => Promise<void>;

    before(async () => {
      ensureCliBuilt();
      ({ url, env, args, cleanUp } = await setUp());
      directory = makeProject(url);
    });
    after(async () => {
      await cleanUp?.();
      if (directory) rmSync(directory, { recursive: true, force: true });
    });

    it('base: every revision pending, in upgrade order (exit 10)', () => {
      const run = runStatus(directory, [...args, '--json'], env);
      const report = statusJson(run);
      assert.equal(run.code, 10);
      assert.equal(report.state, 'pending');
      assert.equal(report.database.initialised, false);
      assert.deepEqual(report.current, []);
      assert.deepEqual(report.pending.map((item) => item.revision), [REV.a, REV.b, REV.c]);
      assert.equal(report.pending[0].message, 'create users');
    });

    it('half-way: the current revision and what is left (exit 10)', () => {
      realAlembicOk(directory, ['upgrade', REV.b]);
      const run = runStatus(directory, args, env);
      assert.equal(run.code, 10, run.stdout + run.stderr);
      assert.match(run.stdout, new RegExp(`Current: +${REV.b}\\n`));
      assert.match(run.stdout, new RegExp(`Pending: +1, in upgrade order:\\n  ${REV.c}  add meeting status\\n`));
      const report = statusJson(runStatus(directory, [...args, '--json'], env));
      assert.deepEqual(report.current, [REV.b]);
      assert.deepEqual(report.pending.map((item) => item.revision), [REV.c]);
    });

    it('head: up to date (exit 0), and a notice for GitHub', () => {
      realAlembicOk(directory, ['upgrade', 'head']);
      const report = statusJson(runStatus(directory, [...args, '--json'], env));
      assert.equal(report.exitCode, 0);
      assert.equal(report.state, 'up-to-date');
      assert.deepEqual(report.current, [REV.c]);
      assert.deepEqual(report.pending, []);
      const github = runStatus(directory, [...args, '--format', 'github'], env);
      assert.equal(github.code, 0);
      assert.match(github.stdout, /^::notice title=alembic-workbench status%3A up to date::/m);
    });

    it('a revision applied and then deleted from the files: unknown, with its git history (exit 11)', () => {
      realAlembicOk(directory, ['revision', '-m', 'add recordings', '--rev-id', REV.gone]);
      git(directory, ['add', '.']);
      git(directory, ['commit', '-q', '-m', 'add recordings']);
      realAlembicOk(directory, ['upgrade', 'head']);
      const file = revisionFileOf(directory, REV.gone);
      unlinkSync(file);
      git(directory, ['commit', '-q', '-am', 'drop the recordings revision']);

      const run = runStatus(directory, [...args, '--json'], env);
      assert.equal(run.code, 11, run.stdout + run.stderr);
      const report = statusJson(run);
      assert.equal(report.state, 'unknown-revision');
      assert.deepEqual(report.unknown.map((item) => item.revision), [REV.gone]);
      const history = report.unknown[0].git;
      assert.equal(history.kind, 'found');
      assert.deepEqual(history.commits?.map((commit) => commit.subject), ['drop the recordings revision', 'add recordings']);
      assert.deepEqual(history.commits?.[0].files.map((item) => item.status), ['D']);

      const text = runStatus(directory, args, env);
      assert.equal(text.code, 11);
      assert.match(text.stdout, new RegExp(`Unknown: +${REV.gone}: no revision file defines it\\n  git: deleted in [0-9a-f]+ \\(\\d{4}-\\d\\d-\\d\\d, "drop the recordings revision"\\)`));
      const github = runStatus(directory, [...args, '--format', 'github'], env);
      assert.match(github.stdout, new RegExp(`^::error title=alembic-workbench status%3A unknown revision::The database .* is at ${REV.gone}`, 'm'));

      // Back to a database Alembic can read: the same real Alembic, the file restored for the downgrade.
      git(directory, ['checkout', '-q', 'HEAD~1', '--', path.relative(directory, file)]);
      realAlembicOk(directory, ['downgrade', REV.c]);
      unlinkSync(file);
      assert.equal(runStatus(directory, args, env).code, 0);
    });

    it('two heads in the files (exit 12), even with the database at one of them', () => {
      realAlembicOk(directory, ['revision', '-m', 'add tags', '--rev-id', REV.side, '--head', REV.b, '--splice']);
      const run = runStatus(directory, [...args, '--json'], env);
      assert.equal(run.code, 12, run.stdout + run.stderr);
      const report = statusJson(run);
      assert.equal(report.state, 'several-heads');
      assert.deepEqual([...report.heads].sort(), [REV.c, REV.side]);
      assert.deepEqual(report.pending.map((item) => item.revision), [REV.side]);
      unlinkSync(revisionFileOf(directory, REV.side));
    });
  });
}

walkThroughStates('PostgreSQL (--url)', async () => {
  const db: ScratchDatabase = await createScratchDatabase('status_cli');
  return { url: db.sqlalchemyUrl, env: {}, args: ['--url', db.sqlalchemyUrl], cleanUp: () => db.drop() };
});

walkThroughStates('PostgreSQL (DATABASE_URL)', async () => {
  const db: ScratchDatabase = await createScratchDatabase('status_cli_env');
  return { url: db.sqlalchemyUrl, env: { DATABASE_URL: db.sqlalchemyUrl }, args: [], cleanUp: () => db.drop() };
});

walkThroughStates('SQLite (the project\'s sqlalchemy.url)', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'aw-status-sqlite-'));
  return { url: `sqlite:///${path.join(folder, 'app.db')}`, env: {}, args: [], cleanUp: async () => rmSync(folder, { recursive: true, force: true }) };
});

describe('status: targets, secrets and an unreachable database', function () {
  this.timeout(180_000);
  let db: ScratchDatabase;
  let directory: string;

  before(async () => {
    ensureCliBuilt();
    db = await createScratchDatabase('status_targets');
    directory = makeProject(db.sqlalchemyUrl);
    realAlembicOk(directory, ['upgrade', REV.a]);
    // From here the project's own URL points nowhere: a named target or --url must be what is read.
    const iniFile = path.join(directory, 'alembic.ini');
    writeFileSync(iniFile, readFileSync(iniFile, 'utf8').replace(/^sqlalchemy\.url = .*$/m, 'sqlalchemy.url = postgresql://nobody@127.0.0.1:1/none'));
  });
  after(async () => {
    await db?.drop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('--target picks a named target from .vscode/settings.json (JSONC), read through its variable', () => {
    const settingsDir = path.join(directory, '.vscode');
    mkdirSync(settingsDir, { recursive: true });
    writeFileSync(
      path.join(settingsDir, 'settings.json'),
      `{\n  // staging is read from its variable\n  "alembicWorkbench.database.targets": [\n    { "name": "staging", "urlEnvironmentVariable": "STAGING_URL" },\n  ],\n}\n`,
    );
    const run = runStatus(directory, ['--target', 'staging', '--json'], { STAGING_URL: db.sqlalchemyUrl });
    const report = statusJson(run);
    assert.equal(report.database.target, 'staging');
    assert.equal(report.database.origin, 'database target "staging" (STAGING_URL from the environment)');
    assert.equal(report.state, 'pending');
    assert.deepEqual(report.current, [REV.a]);
    assert.deepEqual(report.pending.map((item) => item.revision), [REV.b, REV.c]);

    const unknownTarget = runStatus(directory, ['--target', 'prod'], {});
    assert.equal(unknownTarget.code, 2);
    assert.match(unknownTarget.stderr, /no database target "prod" in \.vscode\/settings\.json; targets: staging/);
  });

  it("--environment-file (or the envFile setting) supplies the URL variable, as Alembic's env.py would get it", () => {
    writeFileSync(path.join(directory, '.env.status'), `# the app's variables\nexport DATABASE_URL="${db.sqlalchemyUrl}"\n`);
    const fromOption = runStatus(directory, ['--environment-file', '.env.status', '--json'], { DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/shell' });
    const report = statusJson(fromOption);
    assert.equal(fromOption.code, 10);
    assert.deepEqual(report.current, [REV.a]);

    const settingsDir = path.join(directory, '.vscode');
    mkdirSync(settingsDir, { recursive: true });
    writeFileSync(path.join(settingsDir, 'settings.json'), '{ "alembicWorkbench.runner.envFile": ".env.status" }\n');
    const fromSetting = runStatus(directory, ['--json'], {});
    assert.equal(fromSetting.code, 10, fromSetting.stdout + fromSetting.stderr);
    assert.deepEqual(statusJson(fromSetting).current, [REV.a]);

    const missing = runStatus(directory, ['--environment-file', 'nowhere.env'], {});
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nowhere\.env, can't be read: it does not exist/);
    rmSync(settingsDir, { recursive: true, force: true });
  });

  it('never prints the password nor the URL given with --url', () => {
    const secret = 'S3cret-pa55';
    const url = `postgresql://aw_status_user:${secret}@127.0.0.1:${db.connection.port}/${db.name}`;
    for (const format of ['text', 'json', 'github']) {
      const run = runStatus(directory, ['--url', url, '--format', format], {});
      assert.equal(run.code, 13, run.stdout + run.stderr);
      const output = run.stdout + run.stderr;
      assert.ok(!output.includes(secret), output);
      assert.ok(!output.includes(url), output);
      assert.ok(!output.includes(`aw_status_user:`), output);
    }
    const json = JSON.parse(runStatus(directory, ['--url', url, '--json'], {}).stdout) as StatusJson;
    assert.equal(json.database.origin, '--url');
    assert.equal(json.database.error?.kind, 'authentication-failed');
  });

  it('a closed port: exit 13 within the bounded timeout', async () => {
    const port = await closedPort();
    const run = runStatus(directory, ['--url', `postgresql://aw_test:aw_test@127.0.0.1:${port}/x`, '--json', '--timeout', '2'], {});
    assert.equal(run.code, 13);
    const report = JSON.parse(run.stdout) as StatusJson;
    assert.equal(report.state, 'unreachable');
    assert.equal(report.database.reachable, false);
    assert.equal(report.database.error?.kind, 'refused');
    assert.ok(run.ms < 15_000, `took ${run.ms} ms`);
  });

  it('no URL anywhere: exit 13 and says where it looked', () => {
    writeFileSync(path.join(directory, 'alembic.ini'), readFileSync(path.join(directory, 'alembic.ini'), 'utf8').replace(/^sqlalchemy\.url = .*$/m, 'sqlalchemy.url ='));
    const run = runStatus(directory, [], {});
    assert.equal(run.code, 13);
    assert.match(run.stdout, /no database URL found: looked at DATABASE_URL \(environment\), sqlalchemy\.url in alembic\.ini/);
  });
});

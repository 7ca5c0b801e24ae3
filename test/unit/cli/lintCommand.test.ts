import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CliUsageError, type CliIO } from '../../../src/cli/cliTypes';
import { createLintCommand, lintCommand } from '../../../src/cli/lintCommand';
import { migration } from '../lint/lintTestKit';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], cwd: string, command = lintCommand): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd, env: {}, isTTY: false };
  const code = await command.run(args, io);
  return { code, stdout, stderr };
}

const RISKY = migration(`op.drop_column('meetings', 'description')`, `op.add_column('meetings', sa.Column('description', sa.String(length=500), nullable=True))`);
const BROKEN = migration(`op.create_foreign_key(None, 'meetings', 'users', ['owner_id'], ['id'], postgresql_not_valid=True)`, `op.drop_constraint(None, 'meetings', type_='foreignkey')`);
const SAFE = migration(`op.add_column('meetings', sa.Column('location', sa.String(length=255), nullable=True))`, `op.drop_column('meetings', 'location')`);
const SQLITE_RISK = migration(`op.alter_column('meetings', 'title', existing_type=sa.VARCHAR(length=200), nullable=False)`, `op.alter_column('meetings', 'title', existing_type=sa.VARCHAR(length=200), nullable=True)`);

/** Replaces the test kit's fixed header ids (abc123 revises 0000aaaa) with `id` revising `down`. */
function withRevisionIds(text: string, id: string, down: string | undefined): string {
  return text
    .replace('Revision ID: abc123', `Revision ID: ${id}`)
    .replace('Revises: 0000aaaa', `Revises: ${down ?? ''}`)
    .replace("revision = 'abc123'", `revision = '${id}'`)
    .replace("down_revision = '0000aaaa'", `down_revision = ${down ? `'${down}'` : 'None'}`);
}

/**
 * The projects here set lock_timeout once in env.py, as docs/rules/missing-lock-timeout.md advises,
 * so their findings are the other rules' (AW110 would otherwise add one per PostgreSQL file); the
 * AW110 test below writes a project without it.
 */
const ENV_PY_WITH_LOCK_TIMEOUT = `from alembic import context
from sqlalchemy import engine_from_config, pool

connectable = engine_from_config(context.config.get_section(context.config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool, connect_args={"options": "-c lock_timeout=5s"})
with connectable.connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
`;
const ENV_PY_WITHOUT_TIMEOUT = ENV_PY_WITH_LOCK_TIMEOUT.replace(', connect_args={"options": "-c lock_timeout=5s"}', '');

/** Every project folder a test made, removed after the suite. */
const madeFolders: string[] = [];
after(() => {
  for (const folder of madeFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A throw-away Alembic project: alembic.ini + alembic/versions with the given files. */
function makeProject(files: Record<string, string>, url = 'postgresql+psycopg2://app:secret@db/app', pyproject?: string, envPy = ENV_PY_WITH_LOCK_TIMEOUT): string {
  const root = mkdtempSync(path.join(tmpdir(), 'aw-lint-cli-'));
  madeFolders.push(root);
  const versions = path.join(root, 'backend', 'alembic', 'versions');
  mkdirSync(versions, { recursive: true });
  writeFileSync(path.join(root, 'backend', 'alembic', 'env.py'), envPy);
  writeFileSync(path.join(root, 'backend', 'alembic.ini'), `[alembic]\nscript_location = %(here)s/alembic\nsqlalchemy.url = ${url}\n\n[loggers]\nkeys = root\n`);
  // Chain the files into one consistent history (ids from their names) so that lint's findings are
  // not mixed with the revision-graph findings (AW6xx) that the kit's shared fake header would cause.
  let previous: string | undefined;
  for (const [name, text] of Object.entries(files)) {
    if (name === '__init__.py') {
      writeFileSync(path.join(versions, name), text);
      continue;
    }
    const id = name.replace(/(_.*)?\.py$/, '');
    writeFileSync(path.join(versions, name), withRevisionIds(text, id, previous));
    previous = id;
  }
  if (pyproject) writeFileSync(path.join(root, 'backend', 'pyproject.toml'), pyproject);
  return root;
}

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

describe('alembic-workbench lint (CLI command, in process)', () => {
  it('lints the discovered project\'s versions folder; exit 1 on an error finding, 0 on warnings only', async () => {
    const root = makeProject({ 'a1_drop.py': RISKY, '__init__.py': '', 'b2_fk.py': BROKEN });
    const backend = path.join(root, 'backend');
    const failing = await run([], backend);
    assert.equal(failing.code, 1);
    assert.match(failing.stdout, /^alembic\/versions\/a1_drop\.py:20:5: warning AW201 dropping-column: /m);
    assert.match(failing.stdout, /^alembic\/versions\/b2_fk\.py:20:5: error AW304 unnamed-constraint: /m);
    assert.match(failing.stdout, /2 errors, 1 warning, 0 info in 2 files\.\n$/);
    assert.doesNotMatch(failing.stdout + failing.stderr, /secret/);
    const warningsOnly = await run(['alembic/versions/a1_drop.py'], backend);
    assert.equal(warningsOnly.code, 0);
  });

  it('run from a repository root (as CI does): lints the one project below, and asks to choose among several', async () => {
    const root = makeProject({ 'a1_drop.py': RISKY });
    const fromRoot = await run(['--format', 'github'], root);
    assert.equal(fromRoot.code, 0, fromRoot.stderr);
    assert.equal(fromRoot.stderr, `Using backend/alembic.ini (no alembic.ini in ${root}).\n`);
    assert.match(fromRoot.stdout, /^::warning file=backend\/alembic\/versions\/a1_drop\.py,line=20,.*title=AW201 dropping-column::/m);
    mkdirSync(path.join(root, 'reports', 'alembic', 'versions'), { recursive: true });
    writeFileSync(path.join(root, 'reports', 'alembic.ini'), '[alembic]\nscript_location = %(here)s/alembic\n');
    const several = await run([], root);
    assert.equal(several.code, 3);
    assert.match(several.stderr, /2 Alembic projects below .*; choose one with -c:\n\s+-c backend\/alembic\.ini\n\s+-c reports\/alembic\.ini/);
  });

  it('reports metadata.create_all in the app code (AW615) on a whole-project lint, honouring suppressions and --new-since', async () => {
    const root = makeProject({ 'a1_safe.py': SAFE });
    const backend = path.join(root, 'backend');
    mkdirSync(path.join(backend, 'app'), { recursive: true });
    const main = path.join(backend, 'app', 'main.py');
    writeFileSync(main, 'from app.db import Base, engine\n\n\ndef startup():\n    Base.metadata.create_all(bind=engine)\n');
    const whole = await run([], backend);
    assert.equal(whole.code, 0, 'a warning');
    assert.match(whole.stdout, /^app\/main\.py:5:5: warning AW615 create-all-at-startup: Base\.metadata\.create_all creates tables outside Alembic/m);
    // CI on a branch: only the new revision files are looked at.
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'base');
    const newSince = await run(['--new-since', 'HEAD'], backend);
    assert.doesNotMatch(newSince.stdout, /AW615/);
    writeFileSync(main, 'from app.db import Base, engine\n\n\ndef startup():\n    # alembic-workbench: ignore[create-all-at-startup] (local demo only)\n    Base.metadata.create_all(bind=engine)\n');
    assert.doesNotMatch((await run([], backend)).stdout, /AW615/);
  });

  it('AW110: once per file without lock_timeout, nothing once env.py sets it', async () => {
    const twoLocks = migration(`op.add_column('meetings', sa.Column('location', sa.String(length=255), nullable=True))\nop.create_index('ix_meetings_location', 'meetings', ['location'])`, `op.drop_index('ix_meetings_location', table_name='meetings')\nop.drop_column('meetings', 'location')`);
    const bare = makeProject({ 'a1_safe.py': SAFE, 'b2_two.py': twoLocks }, undefined, undefined, ENV_PY_WITHOUT_TIMEOUT);
    const without = await run(['--format', 'json'], path.join(bare, 'backend'));
    assert.equal(without.code, 0);
    const findings = JSON.parse(without.stdout) as Array<{ file: string; code: string; line: number }>;
    assert.deepEqual(findings.filter((finding) => finding.code === 'AW110').map((finding) => `${finding.file}:${finding.line}`), ['alembic/versions/a1_safe.py:20', 'alembic/versions/b2_two.py:20']);
    const covered = makeProject({ 'a1_safe.py': SAFE, 'b2_two.py': twoLocks });
    const withTimeout = JSON.parse((await run(['--format', 'json'], path.join(covered, 'backend'))).stdout) as Array<{ code: string }>;
    assert.deepEqual(withTimeout.map((finding) => finding.code), ['AW104']);
  });

  it('takes files and folders (recursively), relative to cwd', async () => {
    const root = makeProject({ 'a1_safe.py': SAFE });
    mkdirSync(path.join(root, 'extra', 'nested'), { recursive: true });
    writeFileSync(path.join(root, 'extra', 'nested', 'x1.py'), RISKY);
    const result = await run(['extra', 'backend/alembic/versions/a1_safe.py', '--format', 'json'], root);
    assert.equal(result.code, 0);
    // No project is found from cwd, so nothing says lock_timeout is set: AW110 on each file (PostgreSQL by default).
    assert.deepEqual(JSON.parse(result.stdout).map((finding: { file: string; code: string }) => `${finding.file} ${finding.code}`), [
      'backend/alembic/versions/a1_safe.py AW110',
      'extra/nested/x1.py AW110',
      'extra/nested/x1.py AW201',
    ]);
    const missing = await run(['no/such/file.py'], root);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or folder/);
  });

  it('lint FILE reports only that file: not the filename findings of the others, and "in 1 file"', async () => {
    const root = makeProject({ 'a1_drop.py': RISKY, 'b2_safe.py': SAFE });
    const backend = path.join(root, 'backend');
    // A file whose name does not hold its revision id: a filename-mismatch (AW6xx) of that file.
    writeFileSync(path.join(backend, 'alembic', 'versions', 'renamed.py'), withRevisionIds(SAFE, 'c3', 'b2'));
    const whole = await run([], backend);
    assert.match(whole.stdout, /^alembic\/versions\/renamed\.py:\d+:\d+: warning AW6\d\d filename-mismatch/m);
    const one = await run(['alembic/versions/a1_drop.py'], backend);
    assert.doesNotMatch(one.stdout, /renamed\.py/);
    assert.match(one.stdout, /^alembic\/versions\/a1_drop\.py:20:5: warning AW201 /m);
    assert.match(one.stdout, /0 errors, 1 warning, 0 info in 1 file\.\n$/);
  });

  it('infers the dialect when env.py replaces a placeholder sqlite URL, and says which dialect a finding is for', async () => {
    const root = makeProject({ 'a1_test.py': SQLITE_RISK }, 'sqlite:///placeholder.db');
    const backend = path.join(root, 'backend');
    writeFileSync(path.join(backend, 'alembic', 'env.py'), 'config.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])\nconnection.exec_driver_sql("SET lock_timeout = \'5s\'")\n');
    writeFileSync(path.join(backend, 'requirements.txt'), 'psycopg2-binary==2.9.9\n');
    const postgres = await run(['--format', 'json'], backend);
    assert.deepEqual(JSON.parse(postgres.stdout).map((finding: { code: string }) => finding.code), ['AW103']);
    writeFileSync(path.join(backend, 'requirements.txt'), 'psycopg2-binary==2.9.9\naiosqlite\n');
    const both = JSON.parse((await run(['--format', 'json'], backend)).stdout) as Array<{ code: string; message: string }>;
    assert.deepEqual(both.map((finding) => finding.code).sort(), ['AW103', 'AW401', 'AW401']);
    assert.ok(both.every((finding) => finding.message.startsWith(finding.code === 'AW401' ? '[SQLite] ' : '[PostgreSQL] ')), JSON.stringify(both));
  });

  it('reads the dialect from sqlalchemy.url (sqlite) unless --dialect says otherwise', async () => {
    const root = makeProject({ 'a1_test.py': SQLITE_RISK }, 'sqlite:///%(here)s/app.db');
    const backend = path.join(root, 'backend');
    const sqlite = await run(['--format', 'json'], backend);
    assert.deepEqual(JSON.parse(sqlite.stdout).map((finding: { code: string; line: number }) => `${finding.code}@${finding.line}`), ['AW401@20', 'AW401@24']);
    const postgres = await run(['--format', 'json', '--dialect', 'postgresql'], backend);
    assert.deepEqual(JSON.parse(postgres.stdout).map((finding: { code: string }) => finding.code), ['AW103']);
  });

  it('applies [tool.alembic-workbench] from pyproject.toml and fails on configuration problems', async () => {
    const configured = makeProject({ 'a1_test.py': RISKY }, undefined, '[tool.alembic-workbench.rules]\ndropping-column = "error"\n');
    assert.equal((await run([], path.join(configured, 'backend'))).code, 1);
    const broken = makeProject({ 'a1_test.py': SAFE }, undefined, '[tool.alembic-workbench]\ndialekt = "sqlite"\n');
    const result = await run([], path.join(broken, 'backend'));
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^pyproject\.toml:2:1: error config: Unknown key "dialekt"/m);
    const json = await run(['--format', 'json'], path.join(broken, 'backend'));
    assert.equal(json.stdout, '[]\n');
    assert.match(json.stderr, /Unknown key "dialekt"/);
  });

  it('--new-since lints only revision files added since the ref (committed or untracked)', async () => {
    const root = makeProject({ 'a1_old.py': RISKY });
    git(root, 'init', '-q');
    git(root, 'add', '.');
    git(root, 'commit', '-qm', 'base');
    git(root, 'checkout', '-qb', 'feature');
    const versions = path.join(root, 'backend', 'alembic', 'versions');
    writeFileSync(path.join(versions, 'b2_committed.py'), BROKEN);
    git(root, 'add', '.');
    git(root, 'commit', '-qm', 'new revision');
    writeFileSync(path.join(versions, 'c3_untracked.py'), RISKY);
    writeFileSync(path.join(versions, 'a1_old.py'), `${RISKY}\n# edited, not added\n`);
    const result = await run(['--new-since', 'main', '--format', 'json'], path.join(root, 'backend'));
    assert.deepEqual([...new Set(JSON.parse(result.stdout).map((finding: { file: string }) => finding.file))], ['alembic/versions/b2_committed.py', 'alembic/versions/c3_untracked.py']);
    assert.equal(result.code, 1);
    const badRef = await run(['--new-since', 'no-such-branch'], path.join(root, 'backend'));
    assert.equal(badRef.code, 2);
    assert.match(badRef.stderr, /--new-since no-such-branch: .*(unknown revision|bad revision|ambiguous argument)/);
  });

  it('reports usage errors and a missing project clearly', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'aw-lint-empty-'));
    madeFolders.push(empty);
    await assert.rejects(run(['--format', 'xml'], empty), (error: Error) => error instanceof CliUsageError && /--format must be one of text, json, sarif, github/.test(error.message));
    await assert.rejects(run(['--dialect', 'db2'], empty), CliUsageError);
    await assert.rejects(run(['--bogus'], empty), CliUsageError);
    const none = await run([], empty);
    assert.equal(none.code, 3);
    assert.match(none.stderr, /no alembic\.ini found/);
    const badConfig = await run(['-c', path.join(empty, 'missing.ini')], empty);
    assert.equal(badConfig.code, 3);
    const help = await run(['--help'], empty);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--new-since <git-ref>/);
  });

  it('uses an injected project locator and shows its graph problems as AW6xx findings', async () => {
    const root = makeProject({ 'a1_test.py': SAFE });
    const versions = path.join(root, 'backend', 'alembic', 'versions');
    const command = createLintCommand({
      locateProject: () => ({
        projectRoot: path.join(root, 'backend'),
        versionsFolders: [versions],
        // The URL's libpq options set lock_timeout (AW110 satisfied), so only the graph problem shows.
        sqlalchemyUrl: 'postgresql://x/app?options=-c%20lock_timeout%3D5s',
        graphProblems: [{ name: 'multiple-heads', severity: 'warning', message: 'Multiple heads: a1, b2', file: path.join(versions, 'a1.py') }],
      }),
    });
    const result = await run(['--format', 'github'], root, command);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '::warning file=backend/alembic/versions/a1.py,line=1,endLine=1,col=1,endColumn=1,title=AW605 multiple-heads::Multiple heads%3A a1, b2\n'.replace('%3A', ':'));
  });

  it('sarif output is a single JSON document', async () => {
    const root = makeProject({ 'a1_test.py': BROKEN });
    const result = await run(['--format', 'sarif'], path.join(root, 'backend'));
    assert.equal(result.code, 1);
    const log = JSON.parse(result.stdout);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs[0].results.length, 2);
  });
});

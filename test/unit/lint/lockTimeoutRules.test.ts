// AW110 missing-lock-timeout: once per file, at the first strong lock on an existing PostgreSQL
// table taken with no lock_timeout / statement_timeout in force (upgrade() or env.py).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLintContext } from '../../../src/core/lint/lintContext';
import { lintMigration } from '../../../src/core/lint/lintEngine';
import { inferProjectDialects } from '../../../src/core/lint/projectDialects';
import { applyFix, assertValidPython, HEADER, lineOf, lint, migration, type LintOptionsForTest } from './lintTestKit';

const withRule: LintOptionsForTest = { lockTimeoutRule: true };
const aw110 = (source: string, options: LintOptionsForTest = {}) =>
  lint(source, { ...withRule, ...options }).findings.filter((finding) => finding.code === 'AW110');
const lines = (source: string, options: LintOptionsForTest = {}) => aw110(source, options).map((finding) => finding.range.start.line + 1);

describe('AW110 missing-lock-timeout', () => {
  it('reports once per file, at the first strong lock, naming the operation, the table and the lock', () => {
    const source = migration(`
op.create_table('notes', sa.Column('id', sa.Integer(), primary_key=True))
op.create_index('ix_notes_id', 'notes', ['id'])
op.add_column('meetings', sa.Column('location', sa.String(length=255), nullable=True))
op.create_index('ix_meetings_location', 'meetings', ['location'])
op.drop_column('users', 'nickname')
`);
    const findings = aw110(source);
    assert.deepEqual(findings.map((finding) => `${finding.range.start.line + 1}:${finding.severity}`), [`${lineOf(source, "op.add_column('meetings'")}:warning`]);
    assert.match(findings[0].message, /^op\.add_column on meetings takes an ACCESS EXCLUSIVE lock with no lock_timeout set: .*queues behind it/);
    assert.deepEqual(findings[0].tables, [{ name: 'meetings' }]);
  });

  it('names the lock each kind of DDL takes, raw SQL included', () => {
    assert.match(aw110(migration(`op.create_index('ix', 'users', ['email'])`))[0].message, /^op\.create_index on users takes a SHARE lock/);
    assert.match(aw110(migration(`op.create_foreign_key('fk', 'meetings', 'users', ['owner_id'], ['id'])`))[0].message, /SHARE ROW EXCLUSIVE/);
    assert.match(aw110(migration(`op.execute("ALTER TABLE users ADD COLUMN age integer")`))[0].message, /^ALTER TABLE on users takes an ACCESS EXCLUSIVE lock/);
    assert.match(aw110(migration(`op.execute("TRUNCATE sessions")`))[0].message, /^TRUNCATE on sessions/);
    const batch = migration(`with op.batch_alter_table('users') as batch_op:\n    batch_op.drop_column('nickname')`);
    assert.match(aw110(batch)[0].message, /^batch_op\.drop_column on users/);
  });

  it('is satisfied by a timeout set before the first strong lock (SET, SET LOCAL, statement_timeout, set_config)', () => {
    const addColumn = "op.add_column('meetings', sa.Column('location', sa.String(length=255), nullable=True))";
    for (const set of [
      `op.execute("SET lock_timeout = '5s'")`,
      `op.execute("SET LOCAL lock_timeout = '5s'")`,
      `op.execute("set lock_timeout to 5000")`,
      `op.execute("SET statement_timeout = '60s'")`,
      `op.execute("SELECT set_config('lock_timeout', '5s', true)")`,
      `op.get_bind().exec_driver_sql("SET SESSION lock_timeout = '5s'")`,
    ]) {
      assert.deepEqual(lines(migration(`${set}\n${addColumn}`)), [], set);
    }
    // Set too late: the first ALTER already waited without it.
    const late = migration(`${addColumn}\nop.execute("SET lock_timeout = '5s'")`);
    assert.deepEqual(lines(late), [lineOf(late, 'op.add_column')]);
  });

  it('SET LOCAL ends with its transaction: a lock after autocommit_block() is unbounded again; a session SET carries on', () => {
    const body = (set: string) =>
      migration(`
op.execute("${set} lock_timeout = '5s'")
op.add_column('meetings', sa.Column('location', sa.String(length=255), nullable=True))
with op.get_context().autocommit_block():
    op.create_index('ix_meetings_location', 'meetings', ['location'], postgresql_concurrently=True)
op.drop_column('users', 'nickname')
`);
    const local = body('SET LOCAL');
    assert.deepEqual(lines(local), [lineOf(local, 'op.drop_column')]);
    assert.deepEqual(lines(body('SET')), []);
  });

  it('stays quiet for new tables, concurrent index work, VALIDATE CONSTRAINT, non-strong operations, other dialects and the policy', () => {
    assert.deepEqual(lines(migration(`op.create_table('t', sa.Column('id', sa.Integer()))\nop.add_column('t', sa.Column('c', sa.Integer()))`)), []);
    assert.deepEqual(lines(migration(`with op.get_context().autocommit_block():\n    op.create_index('ix', 'users', ['email'], postgresql_concurrently=True)\n    op.execute("DROP INDEX CONCURRENTLY ix_old")`)), []);
    assert.deepEqual(lines(migration(`op.execute("ALTER TABLE meetings VALIDATE CONSTRAINT fk_meetings_owner")`)), []);
    assert.deepEqual(lines(migration(`op.execute("UPDATE users SET active = true WHERE id < 100")\nop.create_table('t', sa.Column('id', sa.Integer()))`)), []);
    const addColumn = migration(`op.add_column('meetings', sa.Column('location', sa.String(length=255), nullable=True))`);
    assert.equal(lines(addColumn).length, 1);
    assert.deepEqual(lines(addColumn, { dialect: 'mysql' }), []);
    assert.deepEqual(lines(addColumn, { dialect: 'sqlite' }), []);
    assert.deepEqual(lines(addColumn, { config: '[tool.alembic-workbench]\nmigrations-before-serving = true\n' }), []);
    assert.deepEqual(lines(addColumn, { config: '[tool.alembic-workbench.rules]\nmissing-lock-timeout = "off"\n' }), []);
  });

  it('is satisfied by the project: env.py setting a timeout, or the URL carrying one', () => {
    const source = migration(`op.add_column('meetings', sa.Column('location', sa.String(length=255), nullable=True))`);
    const findings = (context: ReturnType<typeof createLintContext>) => lintMigration(source, { filePath: '/p/versions/abc123_test.py', context }).findings.filter((finding) => finding.code === 'AW110');
    assert.equal(findings(createLintContext({ dialect: 'postgresql' })).length, 1);
    assert.deepEqual(findings(createLintContext({ dialect: 'postgresql', sqlalchemyUrl: 'postgresql://app@db/app?options=-c%20lock_timeout%3D5s' })), []);
    assert.equal(findings(createLintContext({ dialect: 'postgresql', sqlalchemyUrl: 'postgresql://app@db/lock_timeout_demo' })).length, 1);

    const root = mkdtempSync(path.join(tmpdir(), 'aw-lock-timeout-'));
    try {
      mkdirSync(path.join(root, 'alembic', 'versions'), { recursive: true });
      const envPy = path.join(root, 'alembic', 'env.py');
      const inferred = () =>
        inferProjectDialects({ projectFolder: root, scriptLocation: path.join(root, 'alembic'), sqlalchemyUrl: 'postgresql://app@db/app', versionsFolders: [path.join(root, 'alembic', 'versions')], stopAt: root });
      const contextFor = () => createLintContext({ sqlalchemyUrl: 'postgresql://app@db/app', inferredDialects: inferred() });
      for (const setting of [
        'engine = engine_from_config(section, prefix="sqlalchemy.", connect_args={"options": "-c lock_timeout=5s"})\n',
        'with engine.connect() as connection:\n    connection.exec_driver_sql("SET lock_timeout = \'5s\'")\n    context.configure(connection=connection)\n',
        'context.configure(connection=connection, transaction_per_migration=True)\ncontext.execute("SET statement_timeout = \'60s\'")\n',
      ]) {
        writeFileSync(envPy, `from alembic import context\n${setting}`);
        assert.deepEqual(findings(contextFor()), [], setting);
      }
      // A comment that mentions it sets nothing.
      writeFileSync(envPy, 'from alembic import context\n# TODO: set lock_timeout\ncontext.configure(connection=connection)\n');
      assert.equal(findings(contextFor()).length, 1);
      // An explicit dialect still reads the project's env.py for the timeout.
      writeFileSync(envPy, 'engine = create_engine(url, connect_args={"options": "-c lock_timeout=5s"})\n');
      assert.deepEqual(findings(createLintContext({ dialect: 'postgresql', inferredDialects: inferred() })), []);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the quick fix sets lock_timeout at the top of upgrade(), after its docstring, with the op alias; the finding is then gone', () => {
    const source = migration(`"""Add the location."""\nop.create_table('t', sa.Column('id', sa.Integer()))\nop.add_column('meetings', sa.Column('location', sa.String(length=255), nullable=True))`);
    const [finding] = aw110(source);
    assert.equal(finding.fix?.title, 'Set lock_timeout at the top of upgrade()');
    const fixed = applyFix(source, finding);
    assertValidPython(fixed);
    assert.match(fixed, /def upgrade\(\) -> None:\n {4}"""Add the location\."""\n {4}op\.execute\("SET lock_timeout = '5s'"\)\n {4}op\.create_table/);
    assert.deepEqual(lines(fixed), []);

    const aliased = `${HEADER.replace('from alembic import op', 'from alembic import op as migrate')}

def upgrade():
    migrate.drop_column('users', 'nickname')


def downgrade():
    migrate.add_column('users', sa.Column('nickname', sa.String()))
`;
    const [aliasedFinding] = aw110(aliased);
    const aliasedFixed = applyFix(aliased, aliasedFinding);
    assertValidPython(aliasedFixed);
    assert.match(aliasedFixed, /def upgrade\(\):\n {4}migrate\.execute\("SET lock_timeout = '5s'"\)\n {4}migrate\.drop_column/);
    assert.deepEqual(lines(aliasedFixed), []);
  });
});

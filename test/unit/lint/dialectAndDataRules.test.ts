import assert from 'node:assert/strict';
import { codesOf as allCodesOf, findingFor, HEADER, lineOf, lint, migration, type LintOptionsForTest } from './lintTestKit';

const family = (prefix: string) => (source: string, options?: LintOptionsForTest) => allCodesOf(source, options).filter((code) => code.startsWith(prefix));
const at = (source: string, code: string, text: string) => `${code}@${lineOf(source, text)}`;

describe('dialect rule (AW401)', () => {
  const codesOf = family('AW4');
  const source = migration(
    `
op.alter_column('meetings', 'duration_seconds', existing_type=sa.INTEGER(), type_=sa.BigInteger())
op.create_foreign_key('fk_t_m', 'transcripts', 'meetings', ['meeting_id'], ['id'])
op.drop_column('meetings', 'description')
`,
    `op.drop_constraint('fk_t_m', 'transcripts', type_='foreignkey')`,
  );
  it('fires on SQLite for ALTER-type operations outside batch mode, in both functions', () => {
    assert.deepEqual(codesOf(source, { dialect: 'sqlite' }), [
      at(source, 'AW401', 'op.alter_column'),
      at(source, 'AW401', 'op.create_foreign_key'),
      at(source, 'AW401', 'op.drop_column'),
      at(source, 'AW401', 'op.drop_constraint'),
    ]);
    const findings = lint(source, { dialect: 'sqlite' }).findings.filter((finding) => finding.code === 'AW401');
    assert.deepEqual(findings.map((finding) => finding.severity), ['error', 'error', 'info', 'error']);
    assert.match(findings[0].message, /near "ALTER": syntax error/);
  });
  it('stays quiet in batch mode, for renames and add_column (SQLite can do those), suppressed, and on PostgreSQL', () => {
    const batch = migration(`
with op.batch_alter_table('meetings', schema=None) as batch_op:
    batch_op.alter_column('duration_seconds', existing_type=sa.INTEGER(), type_=sa.BigInteger())
op.alter_column('meetings', 'title', new_column_name='name')
op.add_column('meetings', sa.Column('x', sa.Integer(), nullable=True))
op.drop_column('meetings', 'y')  # alembic-workbench: ignore[sqlite-alter-outside-batch]
`);
    assert.deepEqual(codesOf(batch, { dialect: 'sqlite' }), []);
    assert.deepEqual(codesOf(source, { dialect: 'postgresql' }), []);
  });
});

describe('data migration and raw SQL rules (AW501-AW503)', () => {
  const codesOf = family('AW5');

  describe('AW501 data-migration-mixed', () => {
    it('fires once, on the first data change, when a revision also changes schema', () => {
      const source = migration(`
op.add_column('meetings', sa.Column('new_field', sa.String()))
op.execute("UPDATE meetings SET new_field = 'default' WHERE new_field IS NULL")
op.bulk_insert(sa.table('users', sa.column('id')), [{'id': 1}])
`);
      // The UPDATE backfills the column just added (part of that schema change); the seed rows of users are the data migration.
      assert.deepEqual(codesOf(source), [at(source, 'AW501', 'op.bulk_insert')]);
      assert.match(findingFor(source, 'AW501').message, /1 statement, e\.g\. INSERT users/);
      const underLock = migration(`
op.alter_column('meetings', 'title', type_=sa.Text(), existing_type=sa.String(80))
op.execute("UPDATE meetings SET title = trim(title)")
`);
      assert.match(findingFor(underLock, 'AW501').message, /1 statement, e\.g\. UPDATE meetings.*still holds its ACCESS EXCLUSIVE lock on meetings/);
    });
    it('counts Core statements and connection executes as data changes', () => {
      const source = migration(`
op.create_index('ix', 'users', ['a'])
conn = op.get_bind()
conn.execute(sa.text("DELETE FROM sessions WHERE expired"))
`);
      assert.deepEqual(codesOf(source), [at(source, 'AW501', 'conn.execute')]);
    });
    it('stays quiet for backfill-then-NOT NULL on an existing column, and still fires when the NOT NULL is on another column', () => {
      // Polar's recipe: raw UPDATE of the column, then alter_column(nullable=False) of that same column.
      const raw = migration(`
op.execute("UPDATE organizations SET sso_enforced = false WHERE sso_enforced IS NULL")
op.alter_column('organizations', 'sso_enforced', existing_type=sa.Boolean(), nullable=False)
`);
      assert.deepEqual(codesOf(raw), []);
      // Neutron's: a module helper runs a Core update(), then SET NOT NULL in raw SQL.
      const helper = migration(
        `
upgrade_existing_records()
op.execute("ALTER TABLE networks ALTER COLUMN mtu SET NOT NULL")
`,
        undefined,
        `${HEADER}

networks = sa.Table('networks', sa.MetaData(), sa.Column('mtu', sa.Integer()))


def upgrade_existing_records():
    op.get_bind().execute(networks.update().where(networks.c.mtu.is_(None)).values(mtu=1500))`,
      );
      assert.deepEqual(codesOf(helper).filter((code) => code.startsWith('AW501')), []);
      const otherColumn = migration(`
op.execute("UPDATE organizations SET name = lower(name) WHERE name IS NOT NULL")
op.alter_column('organizations', 'sso_enforced', existing_type=sa.Boolean(), nullable=False)
`);
      assert.deepEqual(codesOf(otherColumn), [at(otherColumn, 'AW501', 'op.execute')]);
    });
    it('stays quiet for pure data migrations, seed rows of a new table, and suppressed', () => {
      assert.deepEqual(codesOf(migration(`op.execute("UPDATE meetings SET status = 'x' WHERE status IS NULL")`)), []);
      const seed = migration(`
roles = op.create_table('roles', sa.Column('id', sa.Integer()), sa.Column('name', sa.String()))
op.bulk_insert(roles, [{'id': 1, 'name': 'admin'}])
op.execute("INSERT INTO roles (id, name) VALUES (2, 'user')")
`);
      assert.deepEqual(codesOf(seed), []);
      assert.deepEqual(
        codesOf(migration(`op.add_column('m', sa.Column('f', sa.String()))\n# alembic-workbench: ignore[data-migration-mixed]\nop.execute("UPDATE m SET f = 'x' WHERE f IS NULL")`)),
        [],
      );
    });
  });

  describe('AW502 unbounded-update', () => {
    it('fires on UPDATE/DELETE without WHERE in literal SQL and Core statements, in both functions', () => {
      const source = migration(
        `
op.execute("UPDATE meetings SET status = 'scheduled'")
op.execute(sa.table('users').update().values(active=True))
`,
        `op.execute("DELETE FROM meetings")`,
      );
      assert.deepEqual(codesOf(source).filter((code) => code.startsWith('AW502')), [
        at(source, 'AW502', 'UPDATE meetings'),
        at(source, 'AW502', ".update()"),
        at(source, 'AW502', 'DELETE FROM'),
      ]);
      assert.match(findingFor(source, 'AW502').message, /UPDATE meetings without WHERE rewrites every row/);
    });
    it('stays quiet with a WHERE, on a table created in this revision, suppressed', () => {
      assert.deepEqual(codesOf(migration(`op.execute("UPDATE meetings SET status = 'x' WHERE status IS NULL")`)), []);
      assert.deepEqual(codesOf(migration(`op.create_table('t', sa.Column('a', sa.Integer()))\nop.execute("UPDATE t SET a = 1")`)), []);
      assert.deepEqual(codesOf(migration(`op.execute("DELETE FROM cache")  # alembic-workbench: ignore[AW502]`)), []);
    });
  });

  describe('AW503 raw-sql-ddl-risk', () => {
    it('fires on risky DDL in literal SQL', () => {
      const source = migration(`
op.execute("ALTER TABLE meetings ALTER COLUMN title TYPE text")
op.execute("CREATE INDEX ix_meetings_title ON meetings (title)")
op.execute("DROP TABLE legacy")
op.execute("ALTER TABLE meetings ADD CONSTRAINT fk FOREIGN KEY (owner_id) REFERENCES users (id), ALTER title SET NOT NULL")
op.execute("TRUNCATE audit_log")
`);
      assert.deepEqual(codesOf(source).filter((code) => code.startsWith('AW503')), [
        at(source, 'AW503', 'TYPE text'),
        at(source, 'AW503', 'CREATE INDEX'),
        at(source, 'AW503', 'DROP TABLE'),
        at(source, 'AW503', 'ADD CONSTRAINT'),
        at(source, 'AW503', 'ADD CONSTRAINT'),
        at(source, 'AW503', 'TRUNCATE'),
      ]);
      assert.match(findingFor(source, 'AW503').message, /^Raw SQL: ALTER COLUMN title TYPE rewrites meetings/);
    });
    it('knows ALTER TYPE ... ADD VALUE fails in a transaction before PostgreSQL 12', () => {
      const source = migration(`op.execute("ALTER TYPE mood ADD VALUE 'sleepy'")`);
      assert.deepEqual(codesOf(source), []);
      assert.deepEqual(codesOf(source, { postgresVersion: 11 }), [at(source, 'AW503', 'op.execute')]);
    });
    it('stays quiet for the safe forms, new tables, suppression; lock advice only on PostgreSQL', () => {
      const safe = migration(`
op.execute("CREATE TABLE t (id int)")
op.execute("CREATE INDEX ix_t ON t (id)")
op.execute("ALTER TABLE meetings ADD CONSTRAINT fk FOREIGN KEY (owner_id) REFERENCES users (id) NOT VALID")
op.execute("ALTER TABLE meetings VALIDATE CONSTRAINT fk")
with op.get_context().autocommit_block():
    op.execute("CREATE INDEX CONCURRENTLY ix_m ON meetings (title)")
op.execute("DROP TABLE legacy")  # alembic-workbench: ignore[AW503]
`);
      assert.deepEqual(codesOf(safe), []);
      assert.deepEqual(codesOf(migration(`op.execute("CREATE INDEX ix ON meetings (title)")`), { dialect: 'sqlite' }), []);
    });
  });
});

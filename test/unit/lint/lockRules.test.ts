import assert from 'node:assert/strict';
import { codesOf as allCodesOf, findingFor, lineOf, lint as lintAll, migration, type LintOptionsForTest } from './lintTestKit';

// Only this family's findings: the migrations here have placeholder downgrades that other rules flag.
const codesOf = (source: string, options?: LintOptionsForTest) => allCodesOf(source, options).filter((code) => code.startsWith('AW1'));
const lint = (source: string, options?: LintOptionsForTest) => {
  const result = lintAll(source, options);
  return { ...result, findings: result.findings.filter((finding) => finding.code.startsWith('AW1')) };
};

const at = (source: string, code: string, text: string) => `${code}@${lineOf(source, text)}`;

describe('lock and rewrite rules (AW101-AW109)', () => {
  describe('AW101 changing-column-type', () => {
    const source = migration(`
op.alter_column('meetings', 'duration_seconds', existing_type=sa.INTEGER(), type_=sa.BigInteger(), existing_nullable=True)
op.alter_column('transcripts', 'content', existing_type=sa.VARCHAR(length=1000), type_=sa.Text(), existing_nullable=True)
op.alter_column('transcripts', 'note', type_=sa.Text())
`);
    it('fires: a rewrite is a warning, a known-safe widening is info, an unknown old type a warning', () => {
      const findings = lint(source).findings;
      assert.deepEqual(
        findings.map((finding) => `${finding.code}@${finding.range.start.line + 1}:${finding.severity}`),
        [`AW101@${lineOf(source, 'duration_seconds')}:warning`, `AW101@${lineOf(source, "'content'")}:info`, `AW101@${lineOf(source, "'note'")}:warning`],
      );
      assert.match(findings[0].message, /meetings\.duration_seconds from INTEGER to BIGINT rewrites meetings .*ACCESS EXCLUSIVE/);
      assert.match(findings[1].message, /only widens the limit, so PostgreSQL only updates the catalog/);
      assert.match(findings[2].message, /old type is not given/);
    });
    it('points at the callee, zero-based', () => {
      const finding = findingFor(source, 'AW101');
      const line = lineOf(source, 'duration_seconds') - 1;
      assert.deepEqual(finding.range, { start: { line, column: 4 }, end: { line, column: 19 } });
    });
    it('stays quiet for a same-type change, a new table, a suppressed line, and SQLite', () => {
      assert.deepEqual(codesOf(migration(`op.alter_column('t', 'c', existing_type=sa.VARCHAR(length=50), type_=sa.String(length=50))`)), []);
      assert.deepEqual(codesOf(migration(`op.create_table('t', sa.Column('c', sa.Integer()))\nop.alter_column('t', 'c', existing_type=sa.INTEGER(), type_=sa.BigInteger())`)), []);
      assert.deepEqual(codesOf(migration(`op.alter_column('t', 'c', existing_type=sa.INTEGER(), type_=sa.BigInteger())  # alembic-workbench: ignore[AW101]`)), []);
      assert.deepEqual(codesOf(migration(`with op.batch_alter_table('t') as batch_op:\n    batch_op.alter_column('c', existing_type=sa.INTEGER(), type_=sa.BigInteger())`), { dialect: 'sqlite' }), []);
    });
    it('leaves narrowing to AW204, unless AW204 is off', () => {
      const narrowing = migration(`op.alter_column('t', 'c', existing_type=sa.VARCHAR(length=50), type_=sa.String(length=20))`);
      const typeCodes = (options?: LintOptionsForTest) => allCodesOf(narrowing, options).filter((code) => /^AW(101|204)/.test(code));
      assert.deepEqual(typeCodes(), [at(narrowing, 'AW204', 'op.alter_column')]);
      assert.deepEqual(typeCodes({ config: '[tool.alembic-workbench.rules]\nAW204 = "off"\n' }), [at(narrowing, 'AW101', 'op.alter_column')]);
    });
    it('also reads batch operations on PostgreSQL', () => {
      const source = migration(`with op.batch_alter_table('t') as batch_op:\n    batch_op.alter_column('c', existing_type=sa.INTEGER(), type_=sa.BigInteger())`);
      assert.deepEqual(codesOf(source), [at(source, 'AW101', 'batch_op.alter_column')]);
    });
  });

  describe('AW102 adding-required-column', () => {
    it('fires on NOT NULL without server_default (a Python default= does not count)', () => {
      const source = migration(`
op.add_column('users', sa.Column('age', sa.Integer(), nullable=False))
op.add_column('users', sa.Column('kind', sa.String(), nullable=False, default='x'))
`);
      const findings = lint(source).findings;
      assert.deepEqual(
        findings.map((finding) => `${finding.code}@${finding.range.start.line + 1}`),
        [at(source, 'AW102', "'age'"), at(source, 'AW102', "'kind'")],
      );
      assert.equal(findings[0].severity, 'error');
      assert.match(findings[0].message, /users\.age without a server_default fails as soon as users has a row/);
      assert.match(findings[1].message, /default= is applied by SQLAlchemy to new INSERTs only/);
    });
    it('stays quiet for nullable columns, server defaults, new tables, suppressions, on every dialect', () => {
      const quiet = migration(`
op.add_column('users', sa.Column('a', sa.Integer(), nullable=True))
op.add_column('users', sa.Column('b', sa.Integer()))
op.add_column('users', sa.Column('c', sa.Boolean(), server_default=sa.text('true'), nullable=False))
op.create_table('t', sa.Column('id', sa.Integer(), nullable=False))
op.add_column('t', sa.Column('d', sa.Integer(), nullable=False))
# alembic-workbench: ignore[adding-required-column]
op.add_column('users', sa.Column('e', sa.Integer(), nullable=False))
`);
      for (const dialect of ['postgresql', 'sqlite', 'mysql'] as const) assert.deepEqual(codesOf(quiet, { dialect }), []);
      const loud = migration(`op.add_column('users', sa.Column('e', sa.Integer(), nullable=False))`);
      assert.deepEqual(codesOf(loud, { dialect: 'sqlite' }), [at(loud, 'AW102', 'op.add_column')]);
    });
  });

  describe('AW103 setting-not-null', () => {
    const source = migration(`op.alter_column('meetings', 'title', existing_type=sa.VARCHAR(length=200), nullable=False)`);
    it('fires with version-specific advice', () => {
      assert.deepEqual(codesOf(source), [at(source, 'AW103', 'op.alter_column')]);
      assert.match(findingFor(source, 'AW103').message, /On PostgreSQL 15: backfill NULLs, add CHECK \(title IS NOT NULL\) NOT VALID/);
      assert.match(findingFor(source, 'AW103', { postgresVersion: 11 }).message, /PostgreSQL 11 can't skip the scan/);
    });
    it('stays quiet for nullable=True, new tables, suppression above, SQLite', () => {
      assert.deepEqual(codesOf(migration(`op.alter_column('meetings', 'title', nullable=True)`)), []);
      assert.deepEqual(codesOf(migration(`op.create_table('meetings', sa.Column('title', sa.String()))\nop.alter_column('meetings', 'title', nullable=False)`)), []);
      assert.deepEqual(codesOf(migration(`# alembic-workbench: ignore[AW103]\nop.alter_column('meetings', 'title', nullable=False)`)), []);
      assert.deepEqual(codesOf(migration(`with op.batch_alter_table('meetings') as b:\n    b.alter_column('title', nullable=False)`), { dialect: 'sqlite' }), []);
    });
  });

  describe('AW104 non-concurrent-index', () => {
    it('fires on an existing table and offers the concurrent form', () => {
      const source = migration(`op.create_index(op.f('ix_users_email'), 'users', ['email'], unique=False)`);
      assert.deepEqual(codesOf(source), [at(source, 'AW104', 'op.create_index')]);
      const finding = findingFor(source, 'AW104');
      assert.match(finding.message, /ix_users_email on users without CONCURRENTLY takes a SHARE lock/);
      assert.ok(finding.fix);
    });
    it('stays quiet when concurrent (in an autocommit block), on a new table, suppressed, or not PostgreSQL', () => {
      assert.deepEqual(
        codesOf(migration(`with op.get_context().autocommit_block():\n    op.create_index('ix', 'users', ['email'], postgresql_concurrently=True)`)),
        [],
      );
      assert.deepEqual(codesOf(migration(`op.create_table('tags', sa.Column('id', sa.Integer()))\nop.create_index('ix', 'tags', ['id'])`)), []);
      assert.deepEqual(codesOf(migration(`op.create_index('ix', 'users', ['email'])  # alembic-workbench: ignore[non-concurrent-index]`)), []);
      assert.deepEqual(codesOf(migration(`op.create_index('ix', 'users', ['email'])`), { dialect: 'mysql' }), []);
    });
  });

  describe('AW105 concurrent-index-in-transaction', () => {
    it('fires for op calls and raw SQL outside autocommit_block, in upgrade and downgrade', () => {
      const source = migration(
        `
op.create_index('ix', 'users', ['email'], postgresql_concurrently=True)
op.execute('CREATE INDEX CONCURRENTLY ix2 ON users (name)')
`,
        `op.drop_index('ix', table_name='users', postgresql_concurrently=True)`,
      );
      assert.deepEqual(codesOf(source), [at(source, 'AW105', 'op.create_index'), at(source, 'AW105', 'op.execute'), at(source, 'AW105', 'op.drop_index')]);
      assert.equal(findingFor(source, 'AW105').severity, 'error');
    });
    it('stays quiet inside autocommit_block (also through a context variable) and on other dialects', () => {
      const source = migration(`
ctx = op.get_context()
with ctx.autocommit_block():
    op.create_index('ix', 'users', ['email'], postgresql_concurrently=True)
    op.execute('DROP INDEX CONCURRENTLY ix_old')
`);
      assert.deepEqual(codesOf(source), []);
      assert.deepEqual(codesOf(migration(`op.create_index('ix', 'users', ['email'], postgresql_concurrently=True)`), { dialect: 'sqlite' }), []);
    });
  });

  describe('AW106 non-concurrent-index-drop', () => {
    it('fires on drop_index without postgresql_concurrently', () => {
      const source = migration(`op.drop_index('ix_users_email', table_name='users')`);
      assert.deepEqual(codesOf(source), [at(source, 'AW106', 'op.drop_index')]);
      assert.match(findingFor(source, 'AW106').message, /ACCESS EXCLUSIVE lock on users/);
    });
    it('stays quiet when concurrent, for an index created in this revision, suppressed, other dialect', () => {
      assert.deepEqual(codesOf(migration(`with op.get_context().autocommit_block():\n    op.drop_index('ix', table_name='users', postgresql_concurrently=True)`)), []);
      assert.deepEqual(codesOf(migration(`op.create_index('ix', 'users', ['a'], postgresql_concurrently=True)\nop.drop_index('ix', table_name='users')`)).filter((code) => code.startsWith('AW106')), []);
      assert.deepEqual(codesOf(migration(`op.drop_index('ix', table_name='users')  # alembic-workbench: ignore[AW106]`)), []);
      assert.deepEqual(codesOf(migration(`op.drop_index('ix', table_name='users')`), { dialect: 'mysql' }), []);
    });
  });

  describe('AW107 foreign-key-lock', () => {
    it('fires between existing tables', () => {
      const source = migration(`op.create_foreign_key('fk_meetings_owner_id_users', 'meetings', 'users', ['owner_id'], ['id'])`);
      assert.deepEqual(codesOf(source), [at(source, 'AW107', 'op.create_foreign_key')]);
      assert.match(findingFor(source, 'AW107').message, /SHARE ROW EXCLUSIVE locks on both tables and scans all of meetings/);
    });
    it('stays quiet with postgresql_not_valid=True, on a new source table, suppressed, other dialect', () => {
      assert.deepEqual(codesOf(migration(`op.create_foreign_key('fk', 'meetings', 'users', ['owner_id'], ['id'], postgresql_not_valid=True)`)), []);
      assert.deepEqual(
        codesOf(migration(`op.create_table('meetings', sa.Column('owner_id', sa.Integer()))\nop.create_foreign_key('fk', 'meetings', 'users', ['owner_id'], ['id'])`)),
        [],
      );
      assert.deepEqual(codesOf(migration(`# alembic-workbench: ignore[foreign-key-lock]\nop.create_foreign_key('fk', 'meetings', 'users', ['owner_id'], ['id'])`)), []);
      assert.deepEqual(codesOf(migration(`op.create_foreign_key('fk', 'meetings', 'users', ['owner_id'], ['id'])`), { dialect: 'mysql' }), []);
    });
  });

  describe('AW108 unique-constraint-lock', () => {
    it('fires on create_unique_constraint and create_primary_key on existing tables', () => {
      const source = migration(`
op.create_unique_constraint('uq_user_mappings_provider_external_id', 'user_mappings', ['provider', 'external_id'])
op.create_primary_key('pk_tags', 'tags', ['id'])
`);
      assert.deepEqual(codesOf(source), [at(source, 'AW108', 'op.create_unique_constraint'), at(source, 'AW108', 'op.create_primary_key')]);
      assert.match(findingFor(source, 'AW108').message, /UNIQUE USING INDEX uq_user_mappings_provider_external_id/);
    });
    it('stays quiet on new tables, suppressed, other dialect', () => {
      assert.deepEqual(codesOf(migration(`op.create_table('t', sa.Column('a', sa.Integer()))\nop.create_unique_constraint('uq', 't', ['a'])`)), []);
      assert.deepEqual(codesOf(migration(`op.create_unique_constraint('uq', 't', ['a'])  # alembic-workbench: ignore[AW108]`)), []);
      assert.deepEqual(codesOf(migration(`op.create_unique_constraint('uq', 't', ['a'])`), { dialect: 'sqlite' }).filter((code) => code.startsWith('AW108')), []);
    });
  });

  describe('AW109 volatile-default', () => {
    it('fires on volatile defaults (warning) and on now() (info on PostgreSQL 11+)', () => {
      const source = migration(`
op.add_column('users', sa.Column('token', sa.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False))
op.add_column('users', sa.Column('seen', sa.DateTime(), server_default=sa.func.now()))
op.add_column('users', sa.Column('r', sa.Float(), server_default=sa.text("random()")))
`);
      const findings = lint(source).findings;
      assert.deepEqual(
        findings.map((finding) => `${finding.code}@${finding.range.start.line + 1}:${finding.severity}`),
        [`AW109@${lineOf(source, "'token'")}:warning`, `AW109@${lineOf(source, "'seen'")}:info`, `AW109@${lineOf(source, "'r'")}:warning`],
      );
      assert.match(findings[0].message, /gen_random_uuid\(\) on new column users\.token is volatile/);
      assert.match(findings[1].message, /every existing row of users gets the migration's timestamp/);
    });
    it('depends on the PostgreSQL version: before 11 any default rewrites', () => {
      const source = migration(`op.add_column('users', sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False))`);
      assert.deepEqual(codesOf(source), []);
      assert.deepEqual(codesOf(source, { postgresVersion: 10 }), [at(source, 'AW109', 'op.add_column')]);
      assert.deepEqual(codesOf(source, { config: '[tool.alembic-workbench]\npostgres-version = 10\n' }), [at(source, 'AW109', 'op.add_column')]);
    });
    it('stays quiet for constant defaults, new tables, suppression, other dialect', () => {
      const volatile = `sa.Column('t', sa.UUID(), server_default=sa.text('gen_random_uuid()'))`;
      assert.deepEqual(codesOf(migration(`op.add_column('users', sa.Column('a', sa.String(), server_default='x'))`)), []);
      assert.deepEqual(codesOf(migration(`op.create_table('n', sa.Column('id', sa.Integer()))\nop.add_column('n', ${volatile})`)), []);
      assert.deepEqual(codesOf(migration(`op.add_column('users', ${volatile})  # alembic-workbench: ignore[AW109]`)), []);
      assert.deepEqual(codesOf(migration(`op.add_column('users', ${volatile})`), { dialect: 'sqlite' }), []);
    });
  });
});

// Each fix's exact resulting text, and that the result is valid Python for the real CPython parser.
import assert from 'node:assert/strict';
import { applyTextEdits, OverlappingEditsError } from '../../../src/core/lint/findings';
import { applyFix, assertValidPython, HEADER, lint, migration, type LintOptionsForTest } from './lintTestKit';

function fixed(source: string, code: string, options: LintOptionsForTest = {}, which = 0): string {
  const finding = lint(source, options).findings.filter((item) => item.code === code)[which];
  assert.ok(finding, `no ${code} finding #${which}`);
  const result = applyFix(source, finding);
  assertValidPython(result);
  return result;
}

describe('fixes', () => {
  it('AW104: adds postgresql_concurrently=True and wraps the statement in an autocommit block (multi-line call re-indented)', () => {
    const source = migration(`
op.create_index(op.f('ix_meetings_created_at'), 'meetings', ['created_at'], unique=False)
op.create_index('ix_a', 'users',
                ['email', 'name'],
                unique=True,
)`);
    assert.equal(
      fixed(source, 'AW104', {}, 0),
      migration(`
with op.get_context().autocommit_block():
    op.create_index(op.f('ix_meetings_created_at'), 'meetings', ['created_at'], unique=False, postgresql_concurrently=True)
op.create_index('ix_a', 'users',
                ['email', 'name'],
                unique=True,
)`),
    );
    assert.equal(
      fixed(source, 'AW104', {}, 1),
      migration(`
op.create_index(op.f('ix_meetings_created_at'), 'meetings', ['created_at'], unique=False)
with op.get_context().autocommit_block():
    op.create_index('ix_a', 'users',
                    ['email', 'name'],
                    unique=True, postgresql_concurrently=True,
    )`),
    );
  });

  it('AW104 inside an existing autocommit block only adds the keyword; uses the file\'s op alias', () => {
    const source = `from alembic import op as o\n\ndef upgrade():\n    with o.get_context().autocommit_block():\n        o.create_index('ix', 'users', ['email'])\n    o.create_index('ix2', 'users', ['name'])\n\ndef downgrade():\n    pass\n`;
    assert.equal(
      fixed(source, 'AW104', {}, 0),
      `from alembic import op as o\n\ndef upgrade():\n    with o.get_context().autocommit_block():\n        o.create_index('ix', 'users', ['email'], postgresql_concurrently=True)\n    o.create_index('ix2', 'users', ['name'])\n\ndef downgrade():\n    pass\n`,
    );
    assert.equal(
      fixed(source, 'AW104', {}, 1),
      `from alembic import op as o\n\ndef upgrade():\n    with o.get_context().autocommit_block():\n        o.create_index('ix', 'users', ['email'])\n    with o.get_context().autocommit_block():\n        o.create_index('ix2', 'users', ['name'], postgresql_concurrently=True)\n\ndef downgrade():\n    pass\n`,
    );
  });

  it('AW105: wraps raw CREATE INDEX CONCURRENTLY without changing the SQL string', () => {
    const source = migration(`op.execute("""\n    CREATE INDEX CONCURRENTLY ix_x\n    ON users (email)\n""")`);
    assert.equal(
      fixed(source, 'AW105'),
      migration(`with op.get_context().autocommit_block():\n    op.execute("""\n    CREATE INDEX CONCURRENTLY ix_x\n    ON users (email)\n""")`),
    );
  });

  it('AW106: drops the index concurrently in an autocommit block', () => {
    const source = migration(`op.drop_index('ix_users_email', table_name='users')`);
    assert.equal(
      fixed(source, 'AW106'),
      migration(`with op.get_context().autocommit_block():\n    op.drop_index('ix_users_email', table_name='users', postgresql_concurrently=True)`),
    );
  });

  it('AW107: adds NOT VALID and validates in an autocommit block', () => {
    const source = migration(`op.create_foreign_key('fk_meetings_owner_id_users', 'meetings', 'users', ['owner_id'], ['id'], ondelete='SET NULL')`);
    assert.equal(
      fixed(source, 'AW107'),
      migration(`
op.create_foreign_key('fk_meetings_owner_id_users', 'meetings', 'users', ['owner_id'], ['id'], ondelete='SET NULL', postgresql_not_valid=True)
with op.get_context().autocommit_block():
    op.execute('ALTER TABLE meetings VALIDATE CONSTRAINT fk_meetings_owner_id_users')`),
    );
  });

  it('AW203: replaces a drop+create table with rename_table both ways', () => {
    const source = migration(
      `
op.create_table('user_identity_mappings',
sa.Column('id', sa.Integer(), nullable=False),
sa.PrimaryKeyConstraint('id')
)
op.drop_table('user_mappings')`,
      `
op.create_table('user_mappings',
sa.Column('id', sa.INTEGER(), autoincrement=True, nullable=False),
sa.PrimaryKeyConstraint('id', name='user_mappings_pkey')
)
op.drop_table('user_identity_mappings')`,
    );
    assert.equal(
      fixed(source, 'AW203'),
      migration(`op.rename_table('user_mappings', 'user_identity_mappings')`, `op.rename_table('user_identity_mappings', 'user_mappings')`),
    );
  });

  it('AW203: replaces a drop+add column with alter_column(new_column_name=...) both ways', () => {
    const source = migration(
      `op.add_column('meetings', sa.Column('summary', sa.Text(), nullable=True))\nop.drop_column('meetings', 'description')`,
      `op.add_column('meetings', sa.Column('description', sa.TEXT(), autoincrement=False, nullable=True))\nop.drop_column('meetings', 'summary')`,
    );
    assert.equal(
      fixed(source, 'AW203'),
      migration(`op.alter_column('meetings', 'description', new_column_name='summary')`, `op.alter_column('meetings', 'summary', new_column_name='description')`),
    );
  });

  it('AW301: appends a downgrade() reversing the upgrade, with the same annotation', () => {
    const source = `${HEADER}\n\ndef upgrade() -> None:\n    op.create_table('tags', sa.Column('id', sa.Integer(), nullable=False))\n    op.create_index('ix_tags_id', 'tags', ['id'])\n`;
    assert.equal(
      fixed(source, 'AW301'),
      `${HEADER}\n\ndef upgrade() -> None:\n    op.create_table('tags', sa.Column('id', sa.Integer(), nullable=False))\n    op.create_index('ix_tags_id', 'tags', ['id'])\n\n\ndef downgrade() -> None:\n    op.drop_index('ix_tags_id', table_name='tags')\n    op.drop_table('tags')\n`,
    );
  });

  it('AW302: replaces `pass` with the reversed upgrade (batch blocks kept together, views dropped, Enum types dropped on PostgreSQL)', () => {
    const source = migration(
      `
op.create_table('tags', sa.Column('id', sa.Integer(), nullable=False), sa.Column('kind', sa.Enum('a', 'b', name='tag_kind')))
with op.batch_alter_table('meetings') as batch_op:
    batch_op.add_column(sa.Column('tag_id', sa.Integer(), nullable=True))
    batch_op.create_index('ix_meetings_tag_id', ['tag_id'])
op.alter_column('meetings', 'title', existing_type=sa.VARCHAR(length=200), nullable=False)
op.execute("CREATE VIEW v AS SELECT 1")`,
      `# ### commands auto generated by Alembic - please adjust! ###\npass\n# ### end Alembic commands ###`,
    );
    assert.equal(
      fixed(source, 'AW302'),
      migration(
        `
op.create_table('tags', sa.Column('id', sa.Integer(), nullable=False), sa.Column('kind', sa.Enum('a', 'b', name='tag_kind')))
with op.batch_alter_table('meetings') as batch_op:
    batch_op.add_column(sa.Column('tag_id', sa.Integer(), nullable=True))
    batch_op.create_index('ix_meetings_tag_id', ['tag_id'])
op.alter_column('meetings', 'title', existing_type=sa.VARCHAR(length=200), nullable=False)
op.execute("CREATE VIEW v AS SELECT 1")`,
        `# ### commands auto generated by Alembic - please adjust! ###
op.execute('DROP VIEW IF EXISTS v')
op.alter_column('meetings', 'title', nullable=True, existing_type=sa.VARCHAR(length=200))
with op.batch_alter_table('meetings') as batch_op:
    batch_op.drop_index('ix_meetings_tag_id')
    batch_op.drop_column('tag_id')

op.drop_table('tags')
sa.Enum('a', 'b', name='tag_kind').drop(op.get_bind(), checkfirst=True)
# ### end Alembic commands ###`,
      ),
    );
  });

  it('AW302 offers no fix when part of the upgrade is irreversible', () => {
    const source = migration(`op.create_table('t', sa.Column('id', sa.Integer()))\nop.drop_column('users', 'legacy')`, 'pass');
    const finding = lint(source).findings.find((item) => item.code === 'AW302');
    assert.ok(finding);
    assert.equal(finding.fix, undefined);
  });

  it('AW303: inserts the missing inverse at the top of downgrade()', () => {
    const source = migration(
      `op.create_table('tags', sa.Column('id', sa.Integer()))\nop.create_index(op.f('ix_users_email'), 'users', ['email'], unique=False)`,
      `"""Undo."""\nop.drop_table('tags')`,
    );
    assert.equal(
      fixed(source, 'AW303'),
      migration(
        `op.create_table('tags', sa.Column('id', sa.Integer()))\nop.create_index(op.f('ix_users_email'), 'users', ['email'], unique=False)`,
        `"""Undo."""\nop.drop_index(op.f('ix_users_email'), table_name='users')\nop.drop_table('tags')`,
      ),
    );
  });

  it('AW304: names the unnamed constraint in upgrade and downgrade alike (either finding carries the same fix)', () => {
    const source = migration(
      `op.create_foreign_key(None, 'meetings', 'users', ['owner_id'], ['id'], ondelete='SET NULL')`,
      `op.drop_constraint(None, 'meetings', type_='foreignkey')`,
    );
    const expected = migration(
      `op.create_foreign_key('fk_meetings_owner_id_users', 'meetings', 'users', ['owner_id'], ['id'], ondelete='SET NULL')`,
      `op.drop_constraint('fk_meetings_owner_id_users', 'meetings', type_='foreignkey')`,
    );
    assert.equal(fixed(source, 'AW304', {}, 0), expected);
    assert.equal(fixed(source, 'AW304', {}, 1), expected);
    // Applying both findings' fixes together is fine: identical edits are applied once.
    const both = lint(source).findings.filter((finding) => finding.code === 'AW304').flatMap((finding) => finding.fix!.edits);
    assert.equal(applyTextEdits(source, both), expected);
  });

  it('AW304: unique and primary key names; batch operations; long names are cut to 63 characters', () => {
    const source = migration(`
op.create_unique_constraint(None, 'users', ['email', 'tenant_id'])
with op.batch_alter_table("transcripts", schema=None) as batch_op:
    batch_op.create_foreign_key(None, "meetings", ["meeting_id"], ["id"])
op.create_primary_key(None, 'a_really_long_table_name_that_keeps_going_and_going_on_and_on_for_ever', ['id'])
`);
    assert.match(fixed(source, 'AW304', {}, 0), /op\.create_unique_constraint\('uq_users_email', 'users'/);
    assert.match(fixed(source, 'AW304', {}, 1), /batch_op\.create_foreign_key\("fk_transcripts_meeting_id_meetings", "meetings"/);
    const long = /create_primary_key\('([^']+)'/.exec(fixed(source, 'AW304', {}, 2))![1];
    assert.equal(long.length, 63);
    assert.match(long, /^pk_a_really_long_table_name_.*_[0-9a-f]{8}$/);
  });

  it('AW305: creates the Enum type before add_column, and drops it after drop_column', () => {
    const upgrade = `op.add_column('meetings', sa.Column('visibility', sa.Enum('PRIVATE', 'TEAM', name='meeting_visibility'), nullable=True))`;
    const source = migration(upgrade, `op.drop_column('meetings', 'visibility')`);
    assert.equal(
      fixed(source, 'AW305', {}, 0),
      migration(`sa.Enum('PRIVATE', 'TEAM', name='meeting_visibility').create(op.get_bind(), checkfirst=True)\n${upgrade}`, `op.drop_column('meetings', 'visibility')`),
    );
    assert.equal(
      fixed(source, 'AW305', {}, 1),
      migration(upgrade, `op.drop_column('meetings', 'visibility')\nsa.Enum('PRIVATE', 'TEAM', name='meeting_visibility').drop(op.get_bind(), checkfirst=True)`),
    );
  });

  it('AW401: moves a SQLite ALTER into batch mode (table argument removed, continuation lines re-indented)', () => {
    const source = migration(`
op.alter_column('meetings', 'duration_seconds',
           existing_type=sa.INTEGER(),
           type_=sa.BigInteger(),
           existing_nullable=True)
op.drop_constraint('fk_t_m', table_name='transcripts', type_='foreignkey', schema='app')`);
    assert.equal(
      fixed(source, 'AW401', { dialect: 'sqlite' }, 0),
      migration(`
with op.batch_alter_table('meetings') as batch_op:
    batch_op.alter_column('duration_seconds',
               existing_type=sa.INTEGER(),
               type_=sa.BigInteger(),
               existing_nullable=True)
op.drop_constraint('fk_t_m', table_name='transcripts', type_='foreignkey', schema='app')`),
    );
    assert.equal(
      fixed(source, 'AW401', { dialect: 'sqlite' }, 1),
      migration(`
op.alter_column('meetings', 'duration_seconds',
           existing_type=sa.INTEGER(),
           type_=sa.BigInteger(),
           existing_nullable=True)
with op.batch_alter_table('transcripts', schema='app') as batch_op:
    batch_op.drop_constraint('fk_t_m', type_='foreignkey')`),
    );
  });

  it('refuses overlapping edits instead of corrupting the file', () => {
    const range = { start: { line: 0, column: 0 }, end: { line: 0, column: 3 } };
    assert.throws(() => applyTextEdits('abcdef', [{ range, newText: 'x' }, { range: { start: { line: 0, column: 2 }, end: { line: 0, column: 4 } }, newText: 'y' }]), OverlappingEditsError);
    assert.equal(applyTextEdits('abcdef', [{ range, newText: 'x' }, { range, newText: 'x' }]), 'xdef');
  });
});

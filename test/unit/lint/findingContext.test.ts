// What findings carry for the editor beyond their message: the tables they concern (for the size
// note), the other places they refer to (relatedInformation), and the size note itself.
import assert from 'node:assert/strict';
import type { TableStats } from '../../../src/core/db/tableStats';
import { tableSizeNote, tablesToMeasure, withTableSizeNote } from '../../../src/core/lint/tableSizeNotes';
import { findingFor, lint, lineOf, migration } from './lintTestKit';

describe('finding tables', () => {
  it('records the table of an op call, with its schema', () => {
    const source = migration(`op.alter_column('meetings', 'duration', existing_type=sa.INTEGER(), type_=sa.BigInteger(), schema='app')`);
    assert.deepEqual(findingFor(source, 'AW101').tables, [{ name: 'meetings', schema: 'app' }]);
  });

  it('records the table of a batch_alter_table block and its schema', () => {
    const source = migration(
      `with op.batch_alter_table('transcripts', schema='app') as batch_op:\n    batch_op.alter_column('language', existing_type=sa.VARCHAR(length=50), nullable=False)`,
      `with op.batch_alter_table('transcripts', schema='app') as batch_op:\n    batch_op.alter_column('language', existing_type=sa.VARCHAR(length=50), nullable=True)`,
    );
    assert.deepEqual(findingFor(source, 'AW103').tables, [{ name: 'transcripts', schema: 'app' }]);
    const plain = migration(`with op.batch_alter_table('meetings', schema=None) as batch_op:\n    batch_op.alter_column('title', existing_type=sa.VARCHAR(length=200), nullable=False)`);
    assert.deepEqual(findingFor(plain, 'AW103').tables, [{ name: 'meetings' }]);
  });

  it('AW107 names both tables a foreign key locks; AW203 the table whose rows are lost', () => {
    const fk = migration(`op.create_foreign_key('fk_m_u', 'meetings', 'users', ['owner_id'], ['id'], referent_schema='auth')`);
    assert.deepEqual(findingFor(fk, 'AW107').tables, [{ name: 'meetings' }, { name: 'users', schema: 'auth' }]);
    const rename = migration(
      `op.create_table('people', sa.Column('id', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('id'))\nop.drop_table('users')`,
      `op.create_table('users', sa.Column('id', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('id'))\nop.drop_table('people')`,
    );
    assert.deepEqual(findingFor(rename, 'AW203').tables, [{ name: 'users' }]);
  });
});

describe('related locations', () => {
  it('AW203 points at the create that replaces the dropped table', () => {
    const source = migration(
      `op.create_table('people', sa.Column('id', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('id'))\nop.drop_table('users')`,
      `op.create_table('users', sa.Column('id', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('id'))\nop.drop_table('people')`,
    );
    const related = findingFor(source, 'AW203').related;
    assert.equal(related?.length, 1);
    assert.equal(related![0].range.start.line + 1, lineOf(source, "op.create_table('people'"));
    assert.match(related![0].message, /table people is created here/);
  });

  it('AW302 and AW301 point at the upgrade operations left in place', () => {
    const empty = migration(`op.add_column('users', sa.Column('nick', sa.String(20), nullable=True))\nop.create_index('ix_users_nick', 'users', ['nick'])`, 'pass');
    const related = findingFor(empty, 'AW302').related ?? [];
    assert.deepEqual(related.map((item) => item.range.start.line + 1), [lineOf(empty, 'op.add_column'), lineOf(empty, 'op.create_index')]);
    assert.match(related[0].message, /adds column users\.nick: not undone/);
    const missing = migration(`op.add_column('users', sa.Column('nick', sa.String(20), nullable=True))`).replace(/\n\ndef downgrade\(\) -> None:\n[\s\S]*$/, '\n');
    assert.equal(findingFor(missing, 'AW301').related?.[0].range.start.line, lineOf(missing, 'op.add_column') - 1);
  });

  it('AW303 points at downgrade(); AW304 at the drop_constraint that needs the same name', () => {
    const partial = migration(`op.add_column('users', sa.Column('nick', sa.String(20), nullable=True))\nop.add_column('users', sa.Column('age', sa.Integer(), nullable=True))`, `op.drop_column('users', 'age')`);
    const aw303 = findingFor(partial, 'AW303');
    assert.equal(aw303.related![0].range.start.line + 1, lineOf(partial, 'def downgrade'));
    const unnamed = migration(`op.create_foreign_key(None, 'meetings', 'users', ['owner_id'], ['id'])`, `op.drop_constraint(None, 'meetings', type_='foreignkey')`);
    const created = lint(unnamed).findings.filter((item) => item.code === 'AW304');
    assert.equal(created.length, 2);
    assert.equal(created[0].related![0].range.start.line + 1, lineOf(unnamed, 'op.drop_constraint'));
    assert.equal(created[1].related![0].range.start.line + 1, lineOf(unnamed, 'op.create_foreign_key'));
  });
});

describe('table size notes', () => {
  const stats = (table: string, rows: number | undefined, bytes: number, schema = 'public'): TableStats => ({ schema, table, estimatedRows: rows, totalBytes: bytes });
  const known = new Map([
    ['meetings', stats('meetings', 2_300_000, 1.1 * 1024 ** 3)],
    ['users', stats('users', 1234, 8 * 1024 * 1024)],
    ['transcripts', stats('transcripts', undefined, 16384, 'app')],
  ]);
  const lookup = (table: { table: string }) => known.get(table.table);

  it('says what the operation does to the table and how big it is', () => {
    const rewrite = findingFor(migration(`op.alter_column('meetings', 'duration', existing_type=sa.INTEGER(), type_=sa.BigInteger())`), 'AW101');
    assert.equal(tableSizeNote(rewrite, lookup), 'Rewrites meetings: ~2.3M rows, 1.1 GB.');
    assert.equal(withTableSizeNote(rewrite.message, 'Rewrites meetings: ~2.3M rows, 1.1 GB.'), `${rewrite.message}\nRewrites meetings: ~2.3M rows, 1.1 GB.`);
    const widening = findingFor(migration(`op.alter_column('meetings', 'title', existing_type=sa.VARCHAR(length=50), type_=sa.String(length=200))`), 'AW101');
    assert.equal(widening.severity, 'info');
    assert.equal(tableSizeNote(widening, lookup), 'Locks meetings: ~2.3M rows, 1.1 GB.');
    const fk = findingFor(migration(`op.create_foreign_key('fk_m_u', 'meetings', 'users', ['owner_id'], ['id'])`), 'AW107');
    assert.equal(tableSizeNote(fk, lookup), 'Scans meetings: ~2.3M rows, 1.1 GB; locks users: ~1.2k rows, 8 MB.');
  });

  it('says rows are unknown for a never analysed table and names a non-public schema', () => {
    const finding = { code: 'AW103', severity: 'warning' as const, tables: [{ name: 'transcripts', schema: 'app' }] };
    assert.equal(tableSizeNote(finding, lookup), 'Scans app.transcripts: 16 kB, rows unknown (never analysed).');
  });

  it('only for the lock, rewrite and rename-as-drop rules, and only with known statistics', () => {
    const drop = findingFor(migration(`op.drop_column('meetings', 'description')`), 'AW201');
    assert.deepEqual(tablesToMeasure(drop), []);
    assert.equal(tableSizeNote(drop, lookup), undefined);
    const unknownTable = findingFor(migration(`op.alter_column('other', 'x', existing_type=sa.INTEGER(), type_=sa.BigInteger())`), 'AW101');
    assert.equal(tableSizeNote(unknownTable, lookup), undefined);
    assert.equal(withTableSizeNote('message', undefined), 'message');
  });
});

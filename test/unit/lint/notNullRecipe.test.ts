// The safe way to make a column required, done in one revision (the alembic-add-column-not-null
// snippet): add it nullable, backfill it in an autocommit block, add CHECK (col IS NOT NULL) NOT VALID,
// VALIDATE it apart, SET NOT NULL (PostgreSQL 12+ skips the scan), drop the check. Each step is what
// AW103, AW501 and AW303 advise, so none of them may report it; the unsafe variants still are.
import assert from 'node:assert/strict';
import { codesOf, findingFor, lineOf, migration } from './lintTestKit';

const at = (source: string, code: string, text: string) => `${code}@${lineOf(source, text)}`;

const RECIPE = migration(
  `
op.execute("SET lock_timeout = '5s'")
op.add_column('meetings', sa.Column('status', sa.String(length=20), nullable=True))
with op.get_context().autocommit_block():
    op.execute("UPDATE meetings SET status = 'scheduled' WHERE status IS NULL")
op.create_check_constraint('ck_meetings_status_not_null', 'meetings', 'status IS NOT NULL', postgresql_not_valid=True)
with op.get_context().autocommit_block():
    op.execute('ALTER TABLE meetings VALIDATE CONSTRAINT ck_meetings_status_not_null')
op.alter_column('meetings', 'status', existing_type=sa.String(length=20), nullable=False)
op.drop_constraint('ck_meetings_status_not_null', 'meetings', type_='check')
`,
  `op.drop_column('meetings', 'status')`,
);

describe('add a required column without a long lock, in one revision', () => {
  it('is reported by no rule on PostgreSQL 12+', () => {
    assert.deepEqual(codesOf(RECIPE), []);
    assert.deepEqual(codesOf(RECIPE, { postgresVersion: 12 }), []);
  });

  it('AW103: before PostgreSQL 12 SET NOT NULL still scans, whatever check exists', () => {
    assert.deepEqual(codesOf(RECIPE, { postgresVersion: 11 }), [at(RECIPE, 'AW103', "op.alter_column('meetings'")]);
    assert.match(findingFor(RECIPE, 'AW103', { postgresVersion: 11 }).message, /can't skip the scan/);
  });

  it('AW103: a check left NOT VALID, dropped before SET NOT NULL, or on another column proves nothing', () => {
    const notValidated = RECIPE.replace(/ {4}with op\.get_context\(\)\.autocommit_block\(\):\n {8}op\.execute\('ALTER TABLE meetings VALIDATE[^\n]*\n/, '');
    assert.notEqual(notValidated, RECIPE);
    assert.deepEqual(codesOf(notValidated), [at(notValidated, 'AW103', "op.alter_column('meetings'")]);

    const droppedFirst = RECIPE.replace(
      /( {4}op\.alter_column\('meetings'[^\n]*\n)( {4}op\.drop_constraint[^\n]*\n)/,
      '$2$1',
    );
    assert.notEqual(droppedFirst, RECIPE);
    assert.deepEqual(codesOf(droppedFirst), [at(droppedFirst, 'AW103', "op.alter_column('meetings'")]);

    const otherColumn = RECIPE.replace("'status IS NOT NULL'", "'title IS NOT NULL'");
    assert.deepEqual(codesOf(otherColumn), [at(otherColumn, 'AW103', "op.alter_column('meetings'")]);
  });

  it('AW103: the proof may be written in raw SQL, or be a check added valid', () => {
    const rawSql = migration(
      `
op.execute('ALTER TABLE meetings ADD CONSTRAINT meetings_title_nn CHECK ("title" IS NOT NULL) NOT VALID')
with op.get_context().autocommit_block():
    op.execute('ALTER TABLE meetings VALIDATE CONSTRAINT meetings_title_nn')
op.alter_column('meetings', 'title', existing_type=sa.String(length=200), nullable=False)
op.execute('ALTER TABLE meetings DROP CONSTRAINT meetings_title_nn')
`,
      `op.alter_column('meetings', 'title', existing_type=sa.String(length=200), nullable=True)`,
    );
    assert.deepEqual(codesOf(rawSql).filter((code) => code.startsWith('AW103')), []);
    const addedValid = migration(
      `
op.create_check_constraint('meetings_title_nn', 'meetings', '(title IS NOT NULL)')
op.alter_column('meetings', 'title', existing_type=sa.String(length=200), nullable=False)
`,
      `op.alter_column('meetings', 'title', existing_type=sa.String(length=200), nullable=True)\nop.drop_constraint('meetings_title_nn', 'meetings', type_='check')`,
    );
    assert.deepEqual(codesOf(addedValid).filter((code) => code.startsWith('AW103')), []);
  });

  it('AW501: a backfill of the new column in an autocommit block is part of adding it; other data changes still count', () => {
    // The same UPDATE with no add_column of that column before it is a data migration beside schema changes.
    const notNew = RECIPE.replace(/ {4}op\.add_column\('meetings'[^\n]*\n/, '');
    assert.notEqual(notNew, RECIPE);
    assert.ok(codesOf(notNew).includes(at(notNew, 'AW501', 'UPDATE meetings')), codesOf(notNew).join(', '));
    const otherTable = RECIPE.replace('UPDATE meetings SET status', 'UPDATE users SET status');
    assert.ok(codesOf(otherTable).includes(at(otherTable, 'AW501', 'UPDATE users')), codesOf(otherTable).join(', '));
  });

  it('AW303: a check the upgrade creates and drops itself needs no undoing; one it keeps does', () => {
    const kept = RECIPE.replace(/ {4}op\.drop_constraint\('ck_meetings_status_not_null'[^\n]*\n/, '');
    assert.notEqual(kept, RECIPE);
    assert.deepEqual(codesOf(kept), [at(kept, 'AW303', 'op.create_check_constraint')]);
    // Dropped before it is created (a re-create), the new one is still the upgrade's to undo.
    const recreated = migration(
      `
op.drop_constraint('ck_meetings_positive', 'meetings', type_='check')
op.create_check_constraint('ck_meetings_positive', 'meetings', 'duration > 0')
`,
      `op.execute('SELECT 1')`,
    );
    assert.ok(codesOf(recreated).includes(at(recreated, 'AW303', 'op.create_check_constraint')), codesOf(recreated).join(', '));
  });
});

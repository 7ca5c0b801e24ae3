import assert from 'node:assert/strict';
import { classifySql, isDataStatement, isSchemaStatement, SQL_PLACEHOLDER } from '../../../src/core/lint/sqlStatements';

describe('sqlStatements: the tolerant SQL classifier', () => {
  it('splits on top-level semicolons only (not in strings, quoted names, dollar quotes or comments)', () => {
    const statements = classifySql(`
      UPDATE users SET note = 'a;b' WHERE id = 1; -- trailing; comment
      INSERT INTO "weird;name" VALUES (1);
      DO $$ BEGIN PERFORM 1; END $$;
      /* block ; comment */ DELETE FROM t WHERE x = E'\\';'`);
    assert.deepEqual(
      statements.map((statement) => [statement.kind, statement.table]),
      [
        ['update', 'users'],
        ['insert', 'weird;name'],
        ['do_block', undefined],
        ['delete', 't'],
      ],
    );
  });

  it('finds WHERE at the top level only (a subquery WHERE does not bound an UPDATE)', () => {
    const [bounded, unbounded, cte, deleteAll] = classifySql(`
      UPDATE meetings SET status = 'x' WHERE status IS NULL;
      UPDATE meetings SET owner_id = (SELECT id FROM users WHERE email = 'a');
      WITH old AS (SELECT id FROM t WHERE x) UPDATE t SET y = 1;
      DELETE FROM ONLY public.sessions`);
    assert.equal(bounded.hasWhere, true);
    assert.equal(unbounded.hasWhere, false);
    assert.equal(cte.kind, 'update');
    assert.equal(cte.hasWhere, false);
    assert.deepEqual([deleteAll.kind, deleteAll.table, deleteAll.hasWhere], ['delete', 'sessions', false]);
  });

  it('reads CREATE/DROP INDEX with CONCURRENTLY, UNIQUE, IF [NOT] EXISTS and the table', () => {
    const [create, createNoName, drop] = classifySql(`
      CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_users_email ON ONLY public.users (email);
      create index on meetings (created_at);
      DROP INDEX IF EXISTS ix_a, ix_b`);
    assert.deepEqual([create.kind, create.unique, create.concurrently, create.name, create.table], ['create_index', true, true, 'ix_users_email', 'users']);
    assert.deepEqual([createNoName.concurrently, createNoName.name, createNoName.table], [false, undefined, 'meetings']);
    assert.deepEqual([drop.kind, drop.concurrently, drop.names], ['drop_index', false, ['ix_a', 'ix_b']]);
  });

  it("reads MySQL's DROP PRIMARY KEY / FOREIGN KEY / INDEX as constraint and index drops, not as dropped columns", () => {
    const [statement] = classifySql('ALTER TABLE ml2_port_bindings DROP PRIMARY KEY, ADD PRIMARY KEY(port_id, host), DROP FOREIGN KEY fk_a, DROP INDEX ix_b, DROP KEY ix_c');
    assert.deepEqual(
      statement.actions!.map((action) => [action.kind, action.constraintKind ?? null, action.column ?? action.constraintName ?? null]),
      [
        ['drop_constraint', 'primary_key', null],
        ['add_constraint', 'primary_key', null],
        ['drop_constraint', 'foreign_key', 'fk_a'],
        ['other', null, null],
        ['other', null, null],
      ],
    );
  });

  it('splits ALTER TABLE into actions', () => {
    const [statement] = classifySql(
      `ALTER TABLE "Meetings" ALTER COLUMN title TYPE varchar(20) USING title::varchar(20), ALTER title SET NOT NULL,
       ADD COLUMN n int NOT NULL, ADD COLUMN u uuid DEFAULT gen_random_uuid(), DROP COLUMN IF EXISTS old,
       ADD CONSTRAINT fk_x FOREIGN KEY (a) REFERENCES b(id) NOT VALID, ADD CONSTRAINT uq USING INDEX ix,
       ADD UNIQUE (a, b), VALIDATE CONSTRAINT fk_x, RENAME COLUMN a TO b`,
    );
    assert.equal(statement.kind, 'alter_table');
    assert.equal(statement.table, 'Meetings');
    assert.deepEqual(
      statement.actions!.map((action) => [action.kind, action.column ?? action.constraintName ?? null]),
      [
        ['alter_column_type', 'title'],
        ['set_not_null', 'title'],
        ['add_column', 'n'],
        ['add_column', 'u'],
        ['drop_column', 'old'],
        ['add_constraint', 'fk_x'],
        ['add_constraint', 'uq'],
        ['add_constraint', null],
        ['validate_constraint', 'fk_x'],
        ['rename_column', 'a'],
      ],
    );
    const actions = statement.actions!;
    assert.equal(actions[2].notNull, true);
    assert.equal(actions[2].defaultExpression, undefined);
    assert.equal(actions[3].defaultExpression, 'gen_random_uuid()');
    assert.deepEqual([actions[5].constraintKind, actions[5].notValid], ['foreign_key', true]);
    assert.equal(actions[6].usingIndex, true);
    assert.equal(actions[7].constraintKind, 'unique');
    assert.equal(actions[9].newName, 'b');
  });

  it('classifies views, types, tables, truncate and refresh', () => {
    const kinds = classifySql(`
      CREATE OR REPLACE VIEW meeting_stats AS SELECT 1;
      CREATE MATERIALIZED VIEW mv AS SELECT 1;
      CREATE TYPE mood AS ENUM ('a', 'b');
      ALTER TYPE mood ADD VALUE 'c';
      CREATE TABLE IF NOT EXISTS t (id int);
      DROP TABLE IF EXISTS a, b CASCADE;
      TRUNCATE TABLE logs;
      REFRESH MATERIALIZED VIEW CONCURRENTLY mv;
      SELECT 1;
      GRANT SELECT ON t TO x`).map((statement) => [statement.kind, statement.name ?? statement.table ?? null]);
    assert.deepEqual(kinds, [
      ['create_view', 'meeting_stats'],
      ['create_view', 'mv'],
      ['create_type', 'mood'],
      ['alter_type', 'mood'],
      ['create_table', 't'],
      ['drop_table', 'a'],
      ['truncate', 'logs'],
      ['refresh_materialized_view', 'mv'],
      ['select', null],
      ['other', null],
    ]);
  });

  it('treats template placeholders and bind parameters as opaque tokens', () => {
    const [update, alter] = classifySql(`UPDATE ${SQL_PLACEHOLDER} SET a = :value WHERE id = %(id)s; ALTER TABLE t ALTER c TYPE int USING c::int`);
    assert.equal(update.kind, 'update');
    assert.equal(update.table, undefined);
    assert.equal(update.hasWhere, true);
    assert.equal(alter.actions![0].kind, 'alter_column_type');
  });

  it('never throws on garbage and unterminated input', () => {
    for (const text of ["'unterminated", '$$ never closed', '/* open', '"open', ';;;', '', 'ALTER TABLE', 'UPDATE', ')))((', 'CREATE INDEX ON']) {
      assert.doesNotThrow(() => classifySql(text));
    }
  });

  it('tells data statements from schema statements', () => {
    const [update, create, select] = classifySql('UPDATE t SET a = 1; CREATE INDEX i ON t (a); SELECT 1');
    assert.equal(isDataStatement(update), true);
    assert.equal(isSchemaStatement(update), false);
    assert.equal(isSchemaStatement(create), true);
    assert.equal(isSchemaStatement(select), false);
  });
});

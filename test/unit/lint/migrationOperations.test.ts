import assert from 'node:assert/strict';
import { argument, extractMigration, operationTable, readColumnDefinition, type MigrationOperation } from '../../../src/core/lint/migrationOperations';
import { staticString } from '../../../src/core/lint/pythonExpressions';
import { migration } from './lintTestKit';

const summary = (operations: MigrationOperation[]) =>
  operations.map((operation) =>
    [operation.functionKind, operation.receiver, operation.name, operationTable(operation) ?? '-', operation.inAutocommitBlock ? 'autocommit' : ''].join(' ').trim(),
  );

describe('migrationOperations: what a migration runs', () => {
  it('reads op calls, batch_op calls (any alias), autocommit blocks and their tables', () => {
    const source = migration(
      `
op.create_table('tags', sa.Column('id', sa.Integer(), nullable=False))
with op.batch_alter_table('meetings', schema=None) as b:
    b.add_column(sa.Column('x', sa.String(length=5), nullable=True))
    b.alter_column('title', existing_type=sa.VARCHAR(length=200), nullable=False)
with op.get_context().autocommit_block():
    op.create_index('ix_a', 'users', ['email'], postgresql_concurrently=True)
if True:
    op.drop_column('meetings', 'old')
`,
      `op.drop_table('tags')`,
    );
    const file = extractMigration(source);
    assert.deepEqual(summary(file.operations), [
      'upgrade op create_table tags',
      'upgrade batch add_column meetings',
      'upgrade batch alter_column meetings',
      'upgrade op create_index users autocommit',
      'upgrade op drop_column meetings',
      'downgrade op drop_table tags',
    ]);
    assert.equal(file.operations[1].batch?.alias, 'b');
    assert.equal(staticString(argument(file.operations[2], 'column_name')), 'title');
  });

  it('resolves import aliases: from alembic import op as o, from sqlalchemy import Column, String', () => {
    const source = `from alembic import op as o
from sqlalchemy import Column, String as Str
import sqlalchemy

def upgrade():
    o.add_column('users', Column('nick', Str(30), nullable=False))
    op.drop_table('not_alembic')  # "op" is unbound here, yet still read as Alembic's op

def downgrade():
    o.drop_column('users', 'nick')
`;
    const file = extractMigration(source);
    assert.equal(file.opAlias, 'o');
    assert.deepEqual(summary(file.operations), ['upgrade op add_column users', 'upgrade op drop_table not_alembic', 'downgrade op drop_column users']);
    const column = readColumnDefinition(argument(file.operations[0], 'column'));
    assert.equal(column?.name, 'nick');
    assert.equal(column?.nullable, false);
    assert.equal(column?.type?.display, 'VARCHAR(30)');
  });

  it('does not mistake other objects for op (a local named like a batch alias outside its block)', () => {
    const source = migration(`
with op.batch_alter_table('t') as batch_op:
    pass
batch_op.drop_column('c')
helper.create_index('x')
`);
    assert.deepEqual(summary(extractMigration(source).operations).filter((line) => line.startsWith('upgrade')), []);
  });

  it('reads literal SQL from strings, sa.text, text().bindparams(), assigned variables and f-strings', () => {
    const source = `from alembic import op
import sqlalchemy as sa
from sqlalchemy import text

SQL = "DELETE FROM sessions"

def upgrade():
    op.execute("UPDATE meetings SET status = 'x' WHERE status IS NULL")
    op.execute(sa.text("CREATE INDEX CONCURRENTLY ix ON t (a)"))
    op.execute(text("UPDATE users SET a = :v").bindparams(v=1))
    op.execute(SQL)
    table_name = "meetings"
    op.execute(f"UPDATE {table_name} SET a = 1")
    sql = "ALTER TABLE t ALTER c TYPE bigint"
    op.execute(sql)

def downgrade():
    pass
`;
    const operations = extractMigration(source).operations;
    assert.deepEqual(
      operations.map((operation) => [operation.sql?.exact, operation.sql?.statements.map((statement) => `${statement.kind}:${statement.table ?? statement.name ?? ''}:${statement.hasWhere ?? ''}`)]),
      [
        [true, ['update:meetings:true']],
        [true, ['create_index:t:']],
        [true, ['update:users:false']],
        [true, ['delete:sessions:false']],
        [false, ['update::false']],
        [true, ['alter_table:t:']],
      ],
    );
  });

  it('reads op.get_bind() connections and SQLAlchemy Core statements', () => {
    const source = `from alembic import op
import sqlalchemy as sa
from sqlalchemy.sql import table, column

users = table("users", column("id", sa.Integer))

def upgrade():
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE users SET a = 1"))
    op.get_bind().execute("DELETE FROM logs WHERE old")
    op.execute(users.update().values(a=1))
    op.execute(users.delete().where(users.c.id == 1))
    op.execute(sa.insert(users).values(id=1))
    op.bulk_insert(users, [{"id": 1}])

def downgrade():
    pass
`;
    const operations = extractMigration(source).operations;
    assert.deepEqual(
      operations.map((operation) => `${operation.receiver}:${operation.name}`),
      ['connection:execute', 'connection:execute', 'op:execute', 'op:execute', 'op:execute', 'op:bulk_insert'],
    );
    assert.equal(operations[0].sql?.statements[0].kind, 'update');
    assert.deepEqual(operations[2].coreStatement, { kind: 'update', table: 'users', hasWhere: false });
    assert.deepEqual(operations[3].coreStatement, { kind: 'delete', table: 'users', hasWhere: true });
    assert.deepEqual(operations[4].coreStatement, { kind: 'insert', table: 'users', hasWhere: false });
    assert.equal(operationTable(operations[5]), 'users');
  });

  it('reads Enum type .create(bind) / .drop(bind), including module-level type objects', () => {
    const source = `from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

mood = postgresql.ENUM('a', 'b', name='mood')

def upgrade():
    mood.create(op.get_bind(), checkfirst=True)
    sa.Enum('x', name='other').create(bind=op.get_bind())
    something.create(op.get_bind())

def downgrade():
    mood.drop(op.get_bind())
`;
    const operations = extractMigration(source).operations;
    assert.deepEqual(
      operations.map((operation) => `${operation.functionKind}:${operation.name}:${operation.enumType?.enumName}`),
      ['upgrade:create_type:mood', 'upgrade:create_type:other', 'downgrade:drop_type:mood'],
    );
  });

  it('describes the functions: empty bodies, placeholders, raises, annotations', () => {
    const source = `def upgrade() -> None:
    """Docstring."""
    # a comment
    pass

def downgrade():
    raise NotImplementedError("irreversible")

def upgrade_engine2():
    ...
`;
    const file = extractMigration(source);
    assert.equal(file.upgrade?.isEmpty, true);
    assert.equal(file.upgrade?.returnAnnotation, '-> None');
    assert.equal(file.upgrade?.placeholderStatements.length, 1);
    assert.equal(file.upgrade?.bodyIndent, '    ');
    assert.equal(file.downgrade?.isEmpty, false);
    assert.equal(file.downgrade?.raises, true);
    assert.deepEqual(file.functions.map((fn) => `${fn.kind}:${fn.name}:${fn.isEmpty}`), ['upgrade:upgrade:true', 'downgrade:downgrade:false', 'upgrade:upgrade_engine2:true']);
  });

  it('comments inside a multi-line call are not arguments', () => {
    const source = migration(`
op.create_foreign_key(None,  # unnamed on purpose
    'meetings', 'users',
    # the columns
    ['owner_id'], ['id'])
`);
    const operation = extractMigration(source).operations[0];
    assert.equal(operation.call.args.positional.length, 5);
    assert.equal(operationTable(operation), 'meetings');
    assert.equal(staticString(argument(operation, 'referent_table')), 'users');
  });

  it('reads files outside the fast parser\'s subset through @lezer/python alike', () => {
    const source = migration(`
table = "meetings"
op.execute(f"UPDATE {table} SET a = 1")
op.drop_column('meetings', 'legacy')
`);
    const operations = extractMigration(source).operations.filter((operation) => operation.functionKind === 'upgrade');
    assert.deepEqual(operations.map((operation) => operation.name), ['execute', 'drop_column']);
    assert.equal(operations[0].sql?.exact, false);
  });

  it('keeps reading past syntax errors', () => {
    const source = `from alembic import op

def upgrade():
    op.drop_column('meetings', 'a')
    op.add_column('meetings', sa.Column('b', sa.Integer(), nullable=False)
    x = = 1

def downgrade():
    op.drop_table('t')
`;
    const names = extractMigration(source).operations.map((operation) => `${operation.functionKind}:${operation.name}`);
    assert.ok(names.includes('upgrade:drop_column'));
    assert.ok(names.includes('downgrade:drop_table'));
  });

  it('never throws on mutated real migrations', () => {
    const source = migration(`
op.add_column('users', sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False))
with op.batch_alter_table('meetings') as batch_op:
    batch_op.alter_column('title', existing_type=sa.VARCHAR(length=200), nullable=False)
op.execute("UPDATE meetings SET a = 1")
`);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 300; round++) {
      const at = Math.floor(random() * source.length);
      const mutated = round % 3 === 0 ? source.slice(0, at) : round % 3 === 1 ? source.slice(0, at) + source.slice(at + 1 + Math.floor(random() * 20)) : source.slice(0, at) + '(["\'\n:'[round % 6] + source.slice(at);
      assert.doesNotThrow(() => extractMigration(mutated), `round ${round}`);
    }
  });
});

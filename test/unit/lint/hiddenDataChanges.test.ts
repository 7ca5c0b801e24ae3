// Data changes hidden in code (issue 15, item 6): module helpers called from upgrade(), ORM sessions
// on the migration's connection, Core statements on the connection, row-by-row loops.
import assert from 'node:assert/strict';
import { extractMigration } from '../../../src/core/lint/migrationOperations';
import { codesOf, findingFor, lineOf, migration } from './lintTestKit';

const at = (source: string, code: string, text: string) => `${code}@${lineOf(source, text)}`;
const aw5 = (source: string) => codesOf(source).filter((code) => code.startsWith('AW5'));

describe('data changes hidden in code', () => {
  it('follows calls to functions of the same module, with the caller\'s function kind', () => {
    const source = `${migration(`op.add_column('users', sa.Column('plan', sa.String(20)))\n_fill_plans()`, `op.drop_column('users', 'plan')`)}

def _fill_plans():
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM sessions"))
    _fill_plans()
`;
    const operations = extractMigration(source).operations;
    const hidden = operations.find((operation) => operation.name === 'execute');
    assert.equal(hidden?.functionKind, 'upgrade');
    assert.equal(operations.filter((operation) => operation.name === 'execute').length, 1, 'a helper calling itself is read once');
    assert.deepEqual(aw5(source), [at(source, 'AW501', 'conn.execute'), at(source, 'AW502', 'conn.execute')]);
    // A helper nobody calls runs nothing.
    assert.deepEqual(aw5(source.replace('\n    _fill_plans()\n\n\ndef downgrade', '\n\n\ndef downgrade')), []);
  });

  it('binds a helper\'s parameters to the call\'s arguments', () => {
    const source = `${migration(`_rename_column('users', new='full_name')`, `op.alter_column('users', 'full_name', new_column_name='name')`)}

def _rename_column(table, new):
    op.alter_column(table, 'name', new_column_name=new)
`;
    assert.match(findingFor(source, 'AW205').message, /^Renaming users\.name to full_name/);
  });

  it('reads ORM writes of a Session bound to the migration connection, in row-by-row loops too', () => {
    const source = migration(`
op.add_column('orgs', sa.Column('slug', sa.String(80)))
session = orm.Session(bind=op.get_bind())
for org in session.query(Org):
    org.slug = org.name.lower()
    session.add(org)
session.commit()
`, `op.drop_column('orgs', 'slug')`).replace('import sqlalchemy as sa', 'import sqlalchemy as sa\nfrom sqlalchemy import orm');
    assert.deepEqual(aw5(source), [at(source, 'AW501', 'session.add(org)')]);
    assert.match(findingFor(source, 'AW501').message, /ORM session\.add\(\)/);
    // A session on another engine is not the migration's.
    assert.deepEqual(aw5(source.replace('orm.Session(bind=op.get_bind())', 'orm.Session(bind=other_engine)')), []);
  });

  it('reads conn.execute(update(...)) Core statements', () => {
    const source = migration(`
op.create_index('ix_users_a', 'users', ['a'])
conn = op.get_bind()
users = sa.table('users', sa.column('a'))
conn.execute(sa.update(users).values(a=1))
`);
    assert.deepEqual(aw5(source), [at(source, 'AW501', 'conn.execute'), at(source, 'AW502', 'conn.execute')]);
  });
});

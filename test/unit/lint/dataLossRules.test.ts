import assert from 'node:assert/strict';
import { codesOf as allCodesOf, findingFor, lineOf, migration, type LintOptionsForTest } from './lintTestKit';

const codesOf = (source: string, options?: LintOptionsForTest) => allCodesOf(source, options).filter((code) => code.startsWith('AW2'));
const at = (source: string, code: string, text: string) => `${code}@${lineOf(source, text)}`;

describe('data-loss rules (AW201-AW205)', () => {
  describe('AW201 dropping-column', () => {
    it('fires on op and batch drops, on every dialect', () => {
      const source = migration(`
op.drop_column('meetings', 'description')
with op.batch_alter_table('users') as batch_op:
    batch_op.drop_column('nickname')
`);
      const expected = [at(source, 'AW201', "'description'"), at(source, 'AW201', "'nickname'")];
      assert.deepEqual(codesOf(source), expected);
      assert.deepEqual(codesOf(source, { dialect: 'sqlite' }), expected);
      assert.match(findingFor(source, 'AW201').message, /meetings\.description deletes its data for good/);
    });
    it('stays quiet in downgrade(), when suppressed, and on a table created in the same revision', () => {
      assert.deepEqual(codesOf(migration(`op.add_column('t', sa.Column('c', sa.Integer()))`, `op.drop_column('t', 'c')`)), []);
      assert.deepEqual(codesOf(migration(`op.drop_column('meetings', 'd')  # alembic-workbench: ignore[dropping-column]`)), []);
      assert.deepEqual(codesOf(migration(`op.create_table('t', sa.Column('c', sa.Integer()))\nop.drop_column('t', 'c')`)), []);
    });
  });

  describe('AW202 dropping-table', () => {
    it('fires in upgrade()', () => {
      const source = migration(`op.drop_table('legacy_sessions')`);
      assert.deepEqual(codesOf(source), [at(source, 'AW202', 'op.drop_table')]);
      assert.match(findingFor(source, 'AW202').message, /legacy_sessions deletes all its rows for good/);
    });
    it('stays quiet in downgrade(), suppressed (file-level), for a table created earlier in the same upgrade', () => {
      assert.deepEqual(codesOf(migration(`op.create_table('t', sa.Column('id', sa.Integer()))`, `op.drop_table('t')`)), []);
      assert.deepEqual(codesOf(`# alembic-workbench: ignore-file[AW202]\n${migration(`op.drop_table('legacy')`)}`), []);
      assert.deepEqual(codesOf(migration(`op.create_table('tmp', sa.Column('id', sa.Integer()))\nop.drop_table('tmp')`)), []);
    });
  });

  describe('AW203 rename-as-drop-create', () => {
    const tableRename = migration(
      `
op.create_table('user_identity_mappings',
sa.Column('id', sa.Integer(), nullable=False),
sa.Column('provider', sa.String(length=50), nullable=False),
sa.PrimaryKeyConstraint('id')
)
op.drop_table('user_mappings')
`,
      `
op.create_table('user_mappings',
sa.Column('id', sa.INTEGER(), autoincrement=True, nullable=False),
sa.Column('provider', sa.VARCHAR(length=50), autoincrement=False, nullable=False),
sa.PrimaryKeyConstraint('id', name='user_mappings_pkey')
)
op.drop_table('user_identity_mappings')
`,
    );
    it('fires on a table dropped and re-created with the same columns (and takes over from AW202)', () => {
      assert.deepEqual(codesOf(tableRename), [at(tableRename, 'AW203', "op.drop_table('user_mappings')")]);
      const finding = findingFor(tableRename, 'AW203');
      assert.equal(finding.severity, 'error');
      assert.match(finding.message, /every row of user_mappings is lost.*op\.rename_table\('user_mappings', 'user_identity_mappings'\)/);
    });
    it('fires on a column dropped and added with the same type', () => {
      const source = migration(
        `op.add_column('meetings', sa.Column('summary', sa.Text(), nullable=True))\nop.drop_column('meetings', 'description')`,
        `op.add_column('meetings', sa.Column('description', sa.TEXT(), autoincrement=False, nullable=True))\nop.drop_column('meetings', 'summary')`,
      );
      assert.deepEqual(codesOf(source), [at(source, 'AW203', "op.drop_column('meetings', 'description')")]);
    });
    it('stays quiet when the shapes differ, and gives the drop back to AW202 when it is off', () => {
      const different = tableRename.replace("sa.Column('provider', sa.String(length=50), nullable=False),", "sa.Column('provider', sa.String(length=80), nullable=False),");
      assert.deepEqual(codesOf(different), [at(different, 'AW202', "op.drop_table('user_mappings')")]);
      assert.deepEqual(codesOf(tableRename, { config: '[tool.alembic-workbench.rules]\nrename-as-drop-create = "off"\n' }), [
        at(tableRename, 'AW202', "op.drop_table('user_mappings')"),
      ]);
    });
  });

  describe('AW203: only one candidate matching type, nullability, default and foreign key is a rename', () => {
    // ckan 074_a4ca55f0f45e: the new column has the old one's type but no foreign key (the old one pointed at resource_group).
    const differentForeignKey = migration(
      `op.add_column('resource', sa.Column('package_id', sa.UnicodeText, nullable=False, server_default=''))\nop.drop_column('resource', 'resource_group_id')`,
      `op.add_column('resource', sa.Column('resource_group_id', sa.UnicodeText, sa.ForeignKey('resource_group.id')))\nop.drop_column('resource', 'package_id')`,
    );
    // ckan 027_11e5745c6fc9: one dropped column, three new ones of the same type.
    const threeCandidates = migration(
      `op.add_column('harvested_document', sa.Column('guid', sa.UnicodeText, server_default=u''))
op.add_column('harvested_document', sa.Column('source_id', sa.UnicodeText, sa.ForeignKey('harvest_source.id')))
op.add_column('harvested_document', sa.Column('package_id', sa.UnicodeText, sa.ForeignKey('package.id')))
op.drop_column('harvested_document', 'url')`,
      `op.drop_column('harvested_document', 'package_id')
op.drop_column('harvested_document', 'source_id')
op.drop_column('harvested_document', 'guid')
op.add_column('harvested_document', sa.Column('url', sa.UnicodeText, nullable=False))`,
    );
    it('reports a possible rename as info with no fix, and the drop keeps its AW201 warning', () => {
      for (const [source, drop] of [
        [differentForeignKey, "op.drop_column('resource', 'resource_group_id')"],
        [threeCandidates, "op.drop_column('harvested_document', 'url')"],
      ]) {
        assert.deepEqual(codesOf(source), [at(source, 'AW201', drop), at(source, 'AW203', drop)]);
        const finding = findingFor(source, 'AW203');
        assert.equal(finding.severity, 'info');
        assert.equal(finding.fix, undefined);
        assert.match(finding.message, /^Possible rename: /);
      }
      assert.match(findingFor(threeCandidates, 'AW203').message, /harvested_document\.guid, harvested_document\.source_id, harvested_document\.package_id are created with the same type, but nothing tells which one/);
      assert.equal(findingFor(threeCandidates, 'AW203').related?.length, 3);
      assert.match(findingFor(differentForeignKey, 'AW203').message, /differs in nullability, server default or foreign-key target/);
    });
    it('stays an error with its fix when the one candidate matches in every respect', () => {
      const same = differentForeignKey.replace("sa.Column('package_id', sa.UnicodeText, nullable=False, server_default='')", "sa.Column('package_id', sa.UnicodeText, sa.ForeignKey('resource_group.id'))");
      const finding = findingFor(same, 'AW203');
      assert.equal(finding.severity, 'error');
      assert.ok(finding.fix);
      assert.deepEqual(codesOf(same), [at(same, 'AW203', "op.drop_column('resource', 'resource_group_id')")]);
    });
  });

  describe('AW204 narrowing-column-type', () => {
    it('fires on shorter strings, smaller integers, text to varchar, lower numeric precision', () => {
      const source = migration(`
op.alter_column('transcripts', 'language', existing_type=sa.VARCHAR(length=50), type_=sa.String(length=20), existing_nullable=True)
op.alter_column('meetings', 'duration_seconds', existing_type=sa.BigInteger(), type_=sa.INTEGER())
op.alter_column('transcripts', 'content', existing_type=sa.Text(), type_=sa.VARCHAR(length=1000))
op.alter_column('invoices', 'amount', existing_type=sa.Numeric(12, 2), type_=sa.Numeric(10, 2))
`);
      assert.deepEqual(codesOf(source), [
        at(source, 'AW204', "'language'"),
        at(source, 'AW204', "'duration_seconds'"),
        at(source, 'AW204', "'content'"),
        at(source, 'AW204', "'amount'"),
      ]);
      assert.match(findingFor(source, 'AW204').message, /VARCHAR\(50\) to VARCHAR\(20\) fails \(or truncates, on MySQL\) on values longer than 20 characters/);
    });
    it('asks for postgresql_using when PostgreSQL cannot cast automatically', () => {
      const source = migration(`op.alter_column('t', 'code', existing_type=sa.VARCHAR(length=10), type_=sa.Integer())`);
      assert.match(findingFor(source, 'AW204').message, /postgresql_using='code::integer'/);
      const withUsing = migration(`op.alter_column('t', 'code', existing_type=sa.VARCHAR(length=10), type_=sa.Integer(), postgresql_using='code::integer')`);
      assert.doesNotMatch(findingFor(withUsing, 'AW204').message, /postgresql_using=/);
    });
    it('stays quiet for widenings, in downgrade(), new tables, suppressed, SQLite', () => {
      const narrowing = `op.alter_column('t', 'c', existing_type=sa.VARCHAR(length=50), type_=sa.String(length=20))`;
      assert.deepEqual(codesOf(migration(`op.alter_column('t', 'c', existing_type=sa.VARCHAR(length=20), type_=sa.String(length=50))`)), []);
      assert.deepEqual(codesOf(migration(`op.execute('SELECT 1')`, narrowing)), []);
      assert.deepEqual(codesOf(migration(`op.create_table('t', sa.Column('c', sa.String(50)))\n${narrowing}`)), []);
      assert.deepEqual(codesOf(migration(`${narrowing}  # alembic-workbench: ignore[AW204]`)), []);
      assert.deepEqual(codesOf(migration(`with op.batch_alter_table('t') as batch_op:\n    batch_op.alter_column('c', existing_type=sa.VARCHAR(length=50), type_=sa.String(length=20))`), { dialect: 'sqlite' }), []);
    });
  });

  describe('AW205 renaming-table-or-column', () => {
    it('fires on rename_table and alter_column(new_column_name=...)', () => {
      const source = migration(`
op.rename_table('user_mappings', 'user_identity_mappings')
op.alter_column('meetings', 'title', new_column_name='name', existing_type=sa.String(200))
`);
      assert.deepEqual(codesOf(source), [at(source, 'AW205', 'op.rename_table'), at(source, 'AW205', 'op.alter_column')]);
      assert.match(findingFor(source, 'AW205').message, /Renaming table user_mappings to user_identity_mappings breaks every app instance/);
    });
    it('stays quiet in downgrade(), on a table created in this revision, suppressed', () => {
      assert.deepEqual(codesOf(migration(`op.execute('SELECT 1')`, `op.rename_table('b', 'a')`)), []);
      assert.deepEqual(codesOf(migration(`op.create_table('t', sa.Column('a', sa.Integer()))\nop.alter_column('t', 'a', new_column_name='b')`)), []);
      assert.deepEqual(codesOf(migration(`op.rename_table('a', 'b')  # alembic-workbench: ignore[renaming-table-or-column]`)), []);
    });
  });
});

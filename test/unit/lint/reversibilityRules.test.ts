import assert from 'node:assert/strict';
import { codesOf as allCodesOf, findingFor, HEADER, lineOf, lint, migration, type LintOptionsForTest } from './lintTestKit';

const codesOf = (source: string, options?: LintOptionsForTest) => allCodesOf(source, options).filter((code) => code.startsWith('AW3'));
const at = (source: string, code: string, text: string) => `${code}@${lineOf(source, text)}`;

describe('reversibility rules (AW301-AW305)', () => {
  describe('AW301 missing-downgrade', () => {
    const source = `${HEADER}\n\ndef upgrade() -> None:\n    op.create_table('tags', sa.Column('id', sa.Integer(), nullable=False))\n`;
    it('fires when upgrade() changes schema and there is no downgrade()', () => {
      assert.deepEqual(codesOf(source), [at(source, 'AW301', 'def upgrade')]);
      assert.match(findingFor(source, 'AW301').message, /no downgrade\(\), but upgrade\(\) creates table tags/);
      assert.equal(findingFor(source, 'AW301').severity, 'error');
    });
    it('stays quiet for data-only upgrades, empty upgrades, and when suppressed', () => {
      assert.deepEqual(codesOf(`${HEADER}\ndef upgrade():\n    op.execute("UPDATE t SET a = 1 WHERE a IS NULL")\n`), []);
      assert.deepEqual(codesOf(`${HEADER}\ndef upgrade():\n    pass\n`), []);
      assert.deepEqual(codesOf(`# alembic-workbench: ignore-file[missing-downgrade]\n${source}`), []);
    });
  });

  describe('AW302 empty-downgrade', () => {
    it('fires when downgrade() is pass/docstring/comments while upgrade() changes schema', () => {
      const source = migration(`op.execute("CREATE VIEW meeting_stats AS SELECT 1")`, `"""Nothing to undo."""\n# really\npass`);
      assert.deepEqual(codesOf(source), [at(source, 'AW302', 'def downgrade')]);
      assert.match(findingFor(source, 'AW302').message, /leaves view meeting_stats behind, and the next "alembic upgrade" fails with "already exists"/);
    });
    it('stays quiet for merge revisions (both empty), data-only upgrades, explicit raise, suppression', () => {
      assert.deepEqual(codesOf(migration('pass', 'pass')), []);
      assert.deepEqual(codesOf(migration(`op.execute("UPDATE t SET a = 1 WHERE a IS NULL")`, 'pass')), []);
      assert.deepEqual(codesOf(migration(`op.drop_column('t', 'c')`, 'raise NotImplementedError("irreversible")')), []);
      assert.deepEqual(codesOf(migration(`op.create_table('t', sa.Column('id', sa.Integer()))`, 'pass  # alembic-workbench: ignore[AW302]').replace('def downgrade() -> None:', 'def downgrade() -> None:  # alembic-workbench: ignore[AW302]')), []);
    });
  });

  describe('AW303 downgrade-does-not-reverse', () => {
    const source = migration(
      `
op.create_table('tags', sa.Column('id', sa.Integer(), nullable=False))
op.add_column('meetings', sa.Column('location', sa.String(length=255), nullable=True))
op.create_index(op.f('ix_users_email'), 'users', ['email'], unique=False)
op.create_unique_constraint('uq_users_email', 'users', ['email'])
op.create_foreign_key('fk_meetings_owner_id_users', 'meetings', 'users', ['owner_id'], ['id'])
op.execute("CREATE VIEW meeting_stats AS SELECT 1")
`,
      `op.drop_table('tags')`,
    );
    it('fires for every upgrade step the downgrade never undoes', () => {
      assert.deepEqual(codesOf(source), [
        at(source, 'AW303', 'op.add_column'),
        at(source, 'AW303', 'op.create_index'),
        at(source, 'AW303', 'op.create_unique_constraint'),
        at(source, 'AW303', 'op.create_foreign_key'),
        at(source, 'AW303', 'op.execute'),
      ]);
      assert.match(findingFor(source, 'AW303').message, /upgrade\(\) adds column meetings\.location, but downgrade\(\) never undoes it.*op\.drop_column\('meetings', 'location'\)/);
    });
    it('accepts any inverse: drop of the column, of the table, batch drops, raw SQL', () => {
      const reversed = migration(
        `
op.add_column('meetings', sa.Column('location', sa.String(length=255), nullable=True))
op.create_index('ix_tags_name', 'tags', ['name'])
op.create_foreign_key('fk_x', 'tags', 'users', ['user_id'], ['id'])
op.execute("CREATE VIEW v AS SELECT 1")
op.alter_column('meetings', 'title', existing_type=sa.VARCHAR(length=200), nullable=False)
`,
        `
with op.batch_alter_table('meetings') as batch_op:
    batch_op.drop_column('location')
    batch_op.alter_column('title', existing_type=sa.VARCHAR(length=200), nullable=True)
op.drop_table('tags')
op.execute("DROP VIEW IF EXISTS v")
`,
      );
      assert.deepEqual(codesOf(reversed), []);
    });
    it('stays quiet when downgrade is empty (AW302 covers it) or raises, and when suppressed', () => {
      assert.deepEqual(codesOf(migration(`op.add_column('t', sa.Column('c', sa.Integer()))`, 'raise NotImplementedError()')), []);
      assert.deepEqual(codesOf(migration(`op.add_column('t', sa.Column('c', sa.Integer()))  # alembic-workbench: ignore[AW303]`)), []);
    });
  });

  describe('AW304 unnamed-constraint', () => {
    const source = migration(
      `op.create_foreign_key(None, 'meetings', 'users', ['owner_id'], ['id'], ondelete='SET NULL')`,
      `op.drop_constraint(None, 'meetings', type_='foreignkey')`,
    );
    it('fires on the unnamed create and the unnamed drop, naming the convention and PostgreSQL\'s own name', () => {
      assert.deepEqual(codesOf(source), [at(source, 'AW304', 'op.create_foreign_key'), at(source, 'AW304', 'op.drop_constraint')]);
      const finding = findingFor(source, 'AW304');
      assert.equal(finding.severity, 'error');
      assert.match(finding.message, /PostgreSQL: meetings_owner_id_fkey/);
      assert.match(finding.message, /fk_meetings_owner_id_users \(naming convention "fk_%\(table_name\)s_%\(column_0_name\)s_%\(referred_table_name\)s"/);
    });
    it('covers unique, primary key, check and batch constraints', () => {
      const others = migration(`
op.create_unique_constraint(None, 'users', ['email'])
op.create_primary_key(None, 'tags', ['id'])
op.create_check_constraint(None, 'users', 'age > 0')
with op.batch_alter_table('transcripts') as batch_op:
    batch_op.create_foreign_key(None, 'meetings', ['meeting_id'], ['id'])
`);
      assert.deepEqual(codesOf(others).filter((code) => code.startsWith('AW304')), [
        at(others, 'AW304', 'create_unique_constraint'),
        at(others, 'AW304', 'create_primary_key'),
        at(others, 'AW304', 'create_check_constraint'),
        at(others, 'AW304', 'batch_op.create_foreign_key'),
      ]);
      const batchFinding = lint(others, { dialect: 'sqlite' }).findings.find((finding) => finding.code === 'AW304' && finding.range.start.line + 1 === lineOf(others, 'batch_op.create_foreign_key'));
      assert.match(batchFinding!.message, /Constraint must have a name/);
    });
    it('stays quiet for named constraints and when suppressed', () => {
      assert.deepEqual(
        codesOf(migration(`op.create_foreign_key('fk_a', 'meetings', 'users', ['owner_id'], ['id'])`, `op.drop_constraint('fk_a', 'meetings', type_='foreignkey')`)),
        [],
      );
      assert.deepEqual(codesOf(migration(`op.create_unique_constraint(None, 'users', ['email'])  # alembic-workbench: ignore[AW304, AW303]`)), []);
    });
  });

  describe('AW305 enum-type-lifecycle', () => {
    const raw = migration(
      `op.add_column('meetings', sa.Column('visibility', sa.Enum('PRIVATE', 'TEAM', 'PUBLIC', name='meeting_visibility'), server_default='PRIVATE', nullable=False))`,
      `op.drop_column('meetings', 'visibility')`,
    );
    it('fires when add_column uses a type nobody created (error) and when the downgrade never drops it (warning)', () => {
      const line = lineOf(raw, 'op.add_column');
      const findings = allCodesOf(raw).filter((code) => code.startsWith('AW305'));
      assert.deepEqual(findings, [`AW305@${line}`, `AW305@${line}`]);
      const [missing, leftover] = lint(raw).findings.filter((finding) => finding.code === 'AW305');
      assert.equal(missing.severity, 'error');
      assert.match(missing.message, /type "meeting_visibility" does not exist/);
      assert.equal(leftover.severity, 'warning');
      assert.match(leftover.message, /never drops it: dropping the column leaves the type behind/);
    });
    it('flags types that create_table makes but drop_table leaves behind', () => {
      const source = migration(
        `op.create_table('tasks', sa.Column('id', sa.Integer(), nullable=False), sa.Column('state', sa.Enum('open', 'done', name='task_state'), nullable=False))`,
        `op.drop_table('tasks')`,
      );
      assert.deepEqual(codesOf(source), [at(source, 'AW305', 'op.create_table')]);
      assert.match(findingFor(source, 'AW305').message, /Enum type task_state is created by this upgrade but downgrade\(\) never drops it/);
    });
    it('stays quiet for the hand-fixed form, create_type=False, other dialects', () => {
      const fixed = `${HEADER}from sqlalchemy.dialects import postgresql

meeting_visibility = postgresql.ENUM('PRIVATE', 'TEAM', 'PUBLIC', name='meeting_visibility')


def upgrade() -> None:
    meeting_visibility.create(op.get_bind(), checkfirst=True)
    op.add_column('meetings', sa.Column('visibility', meeting_visibility, server_default='PRIVATE', nullable=False))


def downgrade() -> None:
    op.drop_column('meetings', 'visibility')
    meeting_visibility.drop(op.get_bind(), checkfirst=True)
`;
      assert.deepEqual(allCodesOf(fixed), []);
      const existing = migration(
        `op.add_column('meetings', sa.Column('v', postgresql.ENUM('a', name='mood', create_type=False)))`,
        `op.drop_column('meetings', 'v')`,
      );
      assert.deepEqual(codesOf(existing), []);
      assert.deepEqual(codesOf(raw, { dialect: 'sqlite' }), []);
      assert.deepEqual(codesOf(raw, { dialect: 'mysql' }), []);
    });
  });
});

// A hand-written table rebuild (rename to _tmp, create, copy, drop; or create _new, copy, drop,
// rename) is one change of the table: not a rename (AW205), a lost table (AW202/AW503) or objects
// the downgrade must drop (AW302/AW303). Without the copy it is what it looks like.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLintContext, type Dialect } from '../../../src/core/lint/lintContext';
import { lintMigration } from '../../../src/core/lint/lintEngine';
import { extractMigration } from '../../../src/core/lint/migrationOperations';
import { findTableRebuilds } from '../../../src/core/lint/tableRebuilds';
import { REPO_ROOT } from '../../support/realAlembic';
import { migration, withoutLockTimeoutRule } from './lintTestKit';
import { emptyLintConfig } from '../../../src/core/lint/lintConfig';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'lint-rebuilds');
const THROUGH_TMP = path.join(FIXTURES, 'a1b2c3d4e5f6_rebuild_users_through_tmp.py');
const INTO_NEW = path.join(FIXTURES, 'b1b2c3d4e5f6_rebuild_users_into_new.py');
const NO_COPY = path.join(FIXTURES, 'c1b2c3d4e5f6_rename_to_old_without_copy.py');

/** Every finding but AW110 (lock_timeout has its own tests), as `AW205@18`. */
function codes(file: string, dialect: Dialect, source = readFileSync(file, 'utf8')): string[] {
  const config = withoutLockTimeoutRule(emptyLintConfig());
  return lintMigration(source, { filePath: file, context: createLintContext({ dialect, config }), config }).findings.map((finding) => `${finding.code}@${finding.range.start.line + 1}`);
}

describe('hand-written table rebuilds', () => {
  it('finds both orders, with the table, the temporary name and the four steps', () => {
    for (const [file, temporary] of [[THROUGH_TMP, 'users_tmp'], [INTO_NEW, 'users_new']]) {
      const upgrade = extractMigration(readFileSync(file, 'utf8')).operations.filter((operation) => operation.functionKind === 'upgrade');
      const rebuilds = findTableRebuilds(upgrade);
      assert.deepEqual(rebuilds.map((rebuild) => [rebuild.table, rebuild.temporary, rebuild.operations.size]), [['users', temporary, 4]], file);
    }
    assert.deepEqual(findTableRebuilds(extractMigration(readFileSync(NO_COPY, 'utf8')).operations), []);
  });

  for (const dialect of ['sqlite', 'postgresql'] as const) {
    it(`${dialect}: a rebuild through users_tmp (op.*, reversed the same way) gives no rename, drop or reversal finding`, () => {
      assert.deepEqual(codes(THROUGH_TMP, dialect), []);
    });

    it(`${dialect}: the SQLite docs' order in raw SQL (create users_new, copy, drop users, rename) neither`, () => {
      assert.deepEqual(codes(INTO_NEW, dialect), []);
    });

    it(`${dialect}: without the copy the rows are lost: the rename and the drop are still reported`, () => {
      const source = readFileSync(NO_COPY, 'utf8');
      const line = (text: string) => source.split('\n').findIndex((each) => each.includes(text)) + 1;
      assert.deepEqual(codes(NO_COPY, dialect), [`AW205@${line("op.rename_table('users'")}`, `AW202@${line("op.drop_table('users_old')")}`]);
    });
  }

  it('a copy from another table, or a drop before the copy, is no rebuild', () => {
    const otherSource = migration(`
op.rename_table('users', 'users_tmp')
op.create_table('users', sa.Column('id', sa.Integer(), primary_key=True))
op.execute('INSERT INTO users (id) SELECT id FROM accounts')
op.drop_table('users_tmp')
`);
    assert.deepEqual(codes('/p/versions/abc123_test.py', 'sqlite', otherSource).filter((code) => /^AW20[25]/.test(code)).map((code) => code.split('@')[0]).sort(), ['AW202', 'AW205']);
    const dropFirst = migration(`
op.rename_table('users', 'users_tmp')
op.create_table('users', sa.Column('id', sa.Integer(), primary_key=True))
op.drop_table('users_tmp')
op.execute('INSERT INTO users (id) SELECT id FROM users_tmp')
`);
    assert.deepEqual(codes('/p/versions/abc123_test.py', 'sqlite', dropFirst).filter((code) => /^AW20[25]/.test(code)).map((code) => code.split('@')[0]).sort(), ['AW202', 'AW205']);
  });
});

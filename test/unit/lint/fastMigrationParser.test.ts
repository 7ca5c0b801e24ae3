// The fast path must give exactly @lezer/python's tree (names and ranges of every node) or give up:
// checked on real Alembic output, on the test migrations, and on thousands of mutations of them.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Tree } from '@lezer/common';
import { parseMigrationFast } from '../../../src/core/lint/fastMigrationParser';
import { parsePython } from '../../../src/core/python/pythonSource';
import { typicalMigration } from '../../support/sampleMigrations';
import { ALEMBIC_CORPUS } from '../../support/realAlembic';
import { HEADER, migration } from './lintTestKit';

function dump(tree: Tree): string {
  const nodes: string[] = [];
  tree.iterate({ enter: (node) => void nodes.push(`${node.name}@${node.from}-${node.to}`) });
  return nodes.join(' ');
}

function assertSameTree(source: string, label: string): boolean {
  const fast = parseMigrationFast(source);
  if (!fast) return false;
  assert.equal(dump(fast), dump(parsePython(source)), `${label}: the fast tree differs from @lezer/python's`);
  return true;
}

function pythonFilesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    return statSync(full).isDirectory() ? pythonFilesUnder(full) : name.endsWith('.py') ? [full] : [];
  });
}

const HAND_WRITTEN = [
  migration(`
op.create_table('tags',
sa.Column('id', sa.Integer(), nullable=False),  # the key
sa.Column('name', sa.String(length=50), server_default=sa.text("'x'"), nullable=True),
sa.PrimaryKeyConstraint('id')
)
with op.batch_alter_table('meetings', schema=None) as batch_op:
    batch_op.alter_column('title', existing_type=sa.VARCHAR(length=200), nullable=False, **extra)
    # inside the batch

with op.get_context().autocommit_block():
    op.create_index(op.f('ix_a'), 'users', ['email'], unique=False, postgresql_concurrently=True)
conn = op.get_bind()
conn.execute(sa.text("UPDATE t SET a = :v WHERE b = 'it''s'").bindparams(v=-1))
if True:
    op.execute("SELECT 1" + " -- x")
elif other:
    pass
else:
    op.execute('DELETE FROM %s WHERE id = 1' % name)
for name in ['a', 'b']:
    op.drop_index(name, table_name=None)
op.bulk_insert(users, [{'id': 1, "n": 'a' "b", 'x': (1, 2.5, ...)}, {}])
op.execute("""
    CREATE VIEW v AS
    SELECT 'a\\tb' AS s, E'\\\\x41' AS e  -- \\N{DASH}
""")`),
  `${HEADER}\n\ndef upgrade() -> None:\n    """Docstring."""\n    x: int = 5\n    value = items[0]\n    raise NotImplementedError("no")\n\n\ndef downgrade() -> None: pass\n`,
  `from alembic import op as o, context\nfrom sqlalchemy import (Column,\n    String as Str)  # trailing\nimport sqlalchemy.dialects.postgresql\n\ndef upgrade():\n    return\n`,
  'def upgrade():\n    op.x(a, \\\n        b)\n',
  'x = 1',
  '',
  '# only a comment\n',
];

describe('fastMigrationParser: same tree as @lezer/python, or none', () => {
  it('accepts real Alembic output and the test migrations, with identical trees', () => {
    const corpusFiles = pythonFilesUnder(ALEMBIC_CORPUS).filter((file) => /versions|\d{4}_\d\d_\d\d/.test(file) && !/e4_syntax_error/.test(file));
    let accepted = 0;
    for (const file of corpusFiles) {
      assert.ok(assertSameTree(readFileSync(file, 'utf8'), file), `${file} should take the fast path`);
      accepted++;
    }
    HAND_WRITTEN.forEach((source, index) => {
      assert.ok(assertSameTree(source, `hand-written #${index}`), `hand-written #${index} should take the fast path`);
    });
    assert.ok(assertSameTree(typicalMigration('a1', 'b2', 300), 'typical migration'));
    // CRLF files (Windows checkouts) give the same tree as well.
    HAND_WRITTEN.slice(0, 3).forEach((source, index) => {
      assert.ok(assertSameTree(source.replace(/\n/g, '\r\n'), `hand-written #${index} with CRLF`), `hand-written #${index} (CRLF) should take the fast path`);
    });
    assert.ok(accepted > 20 || corpusFiles.length === 0);
  });

  it('gives up on what is outside the subset or broken', () => {
    const outside = [
      'x = f"{a}"\n',
      'x = lambda: 1\n',
      'class A:\n    pass\n',
      'x = 1; y = 2\n',
      'def f():\n\tpass\n',
      'def f(a, b=1):\n    pass\n',
      '@decorator\ndef f():\n    pass\n',
      'x = [a for a in b]\n',
      'x = a if b else c\n',
      'x = a and b\n',
      'x += 1\n',
      'try:\n    pass\nexcept Exception:\n    pass\n',
      'def f():\n    op.x(\n',
      'def f():\n  op.x()\n    op.y()\n',
      'x = (1,\n',
      "x = 'unterminated\n",
      'def f():\n    pass\n   ',
      'x = 1.\n',
      'from . import x\n',
    ];
    for (const source of outside) assert.equal(parseMigrationFast(source), undefined, JSON.stringify(source));
  });

  it('mutations: the fast path either matches @lezer/python exactly or gives up', () => {
    const sources = [...HAND_WRITTEN.slice(0, 3), typicalMigration('a1', 'b2', 120), HAND_WRITTEN[0].replace(/\n/g, '\r\n')];
    const pieces = ['(', ')', ',', ':', '\n', '    ', '#x', "'", '"', '=', '.', ' ', '\\\n', 'pass', '[', ']', '{', '}', '"""', '1', '%', '-', 'def', 'with', 'as', '\\'];
    let seed = 20261125;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let accepted = 0;
    for (let round = 0; round < 2500; round++) {
      const source = sources[round % sources.length];
      const at = Math.floor(random() * source.length);
      const kind = round % 4;
      const mutated =
        kind === 0
          ? source.slice(0, at)
          : kind === 1
            ? source.slice(0, at) + source.slice(at + 1 + Math.floor(random() * 8))
            : kind === 2
              ? source.slice(0, at) + pieces[Math.floor(random() * pieces.length)] + source.slice(at)
              : source.slice(0, at) + [...source.slice(at, at + 30)].reverse().join('') + source.slice(at + 30);
      if (assertSameTree(mutated, `mutation ${round}`)) accepted++;
    }
    assert.ok(accepted > 500, `only ${accepted} mutations took the fast path`);
  });
});

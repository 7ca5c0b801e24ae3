// Dialect guards: code under `if <bind>.dialect.name == "mysql":` (and its kin) counts for that
// dialect only, and a rule runs once per project dialect, saying which when not all.
import assert from 'node:assert/strict';
import { dialectGuardRegions, guardDialectsAt } from '../../../src/core/lint/dialectGuards';
import { parseMigrationTree } from '../../../src/core/lint/fastMigrationParser';
import { createLintContext, type Dialect } from '../../../src/core/lint/lintContext';
import { lintMigration } from '../../../src/core/lint/lintEngine';
import { HEADER, migration } from './lintTestKit';

/** The dialects the line holding `marker` runs on (undefined: all). */
function dialectsAtMarker(source: string, marker: string): Dialect[] | undefined {
  const regions = dialectGuardRegions(source, parseMigrationTree(source));
  const offset = source.indexOf(marker);
  assert.ok(offset >= 0, `marker ${marker} not in source`);
  const dialects = guardDialectsAt(regions, offset);
  return dialects ? [...dialects].sort() : undefined;
}

function lintFor(source: string, dialects: Dialect[]) {
  const context = createLintContext({ inferredDialects: { dialects, evidence: dialects.map((dialect) => ({ dialect, reason: 'test' })) } });
  return lintMigration(source, { filePath: '/p/versions/abc123_test.py', context }).findings;
}

describe('dialect guards', () => {
  it('reads dialect.name, engine.name and get_context() comparisons, elif and else', () => {
    const source = migration(`
bind = op.get_bind()
if bind.dialect.name == "mysql":
    op.execute("MARK_MYSQL")
elif context.get_context().dialect.name in ("postgresql",):
    op.execute("MARK_PG")
else:
    op.execute("MARK_REST")
op.execute("MARK_ALL")`);
    assert.deepEqual(dialectsAtMarker(source, 'MARK_MYSQL'), ['mysql']);
    assert.deepEqual(dialectsAtMarker(source, 'MARK_PG'), ['postgresql']);
    assert.deepEqual(dialectsAtMarker(source, 'MARK_REST'), ['mssql', 'oracle', 'sqlite']);
    assert.equal(dialectsAtMarker(source, 'MARK_ALL'), undefined);
  });

  it('reads url.startswith (CTFd), `is False`, helper predicates, module constants and negation', () => {
    const source = `${HEADER}
MYSQL_ENGINE = 'mysql'


def upgrade():
    url = str(op.get_bind().engine.url)
    if url.startswith("sqlite") is False:
        op.execute("MARK_NOT_SQLITE")
    if engine.name == MYSQL_ENGINE:
        op.execute("MARK_CONSTANT")
    if not is_postgres():
        op.execute("MARK_NOT_PG")
    if column.name == "mysql":
        op.execute("MARK_UNRELATED")
`;
    assert.deepEqual(dialectsAtMarker(source, 'MARK_NOT_SQLITE'), ['mssql', 'mysql', 'oracle', 'postgresql']);
    assert.deepEqual(dialectsAtMarker(source, 'MARK_CONSTANT'), ['mysql']);
    assert.deepEqual(dialectsAtMarker(source, 'MARK_NOT_PG'), ['mssql', 'mysql', 'oracle', 'sqlite']);
    assert.equal(dialectsAtMarker(source, 'MARK_UNRELATED'), undefined);
  });

  it('an early return leaves the rest of the function to the other dialects', () => {
    const source = migration(`
if op.get_bind().dialect.name != "postgresql":
    return
op.execute("MARK_AFTER")`);
    assert.deepEqual(dialectsAtMarker(source, 'MARK_AFTER'), ['postgresql']);
  });

  it('a PostgreSQL-only rule is silent in a MySQL branch and fires in the else branch', () => {
    const source = migration(
      `
if op.get_bind().dialect.name == "mysql":
    op.create_index("ix_a", "accounts", ["email"])
else:
    op.create_index("ix_b", "accounts", ["name"])`,
      `op.drop_index("ix_b", "accounts")`,
    );
    const findings = lintFor(source, ['postgresql']).filter((finding) => finding.code === 'AW104');
    assert.deepEqual(
      findings.map((finding) => finding.range.start.line + 1),
      [source.split('\n').findIndex((line) => line.includes('"ix_b", "accounts", ["name"]')) + 1],
    );
  });

  it('with several project dialects, a finding for some of them says which', () => {
    const source = migration(`op.create_index("ix_a", "accounts", ["email"])`, `op.drop_index("ix_a", "accounts")`);
    const findings = lintFor(source, ['postgresql', 'sqlite']);
    const index = findings.find((finding) => finding.code === 'AW104');
    assert.ok(index, 'non-concurrent index found');
    assert.match(index.message, /^\[PostgreSQL\] /);
    // A rule of every dialect that says the same thing on both is reported once, unlabelled.
    const reversibility = lintFor(migration(`op.drop_column("accounts", "email")`, 'pass'), ['postgresql', 'sqlite']);
    const dropped = reversibility.filter((finding) => finding.code === 'AW201');
    assert.equal(dropped.length, 1);
    assert.doesNotMatch(dropped[0].message, /^\[/);
  });

  it('a SQLite-only finding inside a MySQL branch is dropped even when the project runs on SQLite', () => {
    const source = migration(`
if op.get_bind().dialect.name == "mysql":
    op.alter_column("accounts", "email", nullable=False)`);
    const findings = lintFor(source, ['mysql', 'sqlite']);
    assert.equal(findings.filter((finding) => finding.code === 'AW401').length, 0);
    assert.ok(lintFor(migration(`op.alter_column("accounts", "email", nullable=False)`), ['mysql', 'sqlite']).some((finding) => finding.code === 'AW401' && finding.message.startsWith('[SQLite] ')));
  });
});

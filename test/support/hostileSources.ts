// Revision files shaped to break a reader: nesting past every limit, binary bytes, NULs,
// unterminated strings, a 20 000-operation file. Deterministic (seeded), so a failure replays.
import { seededRandom } from './seededRandom';

const HEADER = `"""hostile\n\nRevision ID: h1\nRevises: a1\nCreate Date: 2025-01-01\n"""\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = 'h1'\ndown_revision = 'a1'\n\n\n`;
const body = (upgrade: string) => `${HEADER}def upgrade():\n${upgrade}\n\ndef downgrade():\n    op.drop_column('t', 'x')\n`;

/** A file of `count` operations, each on its own table: what a squashed history can look like. */
export function manyOperations(count: number): string {
  const lines: string[] = [];
  for (let index = 0; index < count; index++) {
    lines.push(index % 2 ? `    op.add_column('t${index}', sa.Column('c', sa.String(length=20), nullable=True))` : `    op.create_index('ix_${index}', 't${index}', ['c'])`);
  }
  return body(lines.join('\n'));
}

export function hostileSources(): Array<{ name: string; source: string }> {
  const n = 20_000;
  const next = seededRandom(20251206);
  const bytes = Buffer.alloc(64 * 1024);
  for (let index = 0; index < bytes.length; index++) bytes[index] = Math.floor(next() * 256);
  return [
    { name: 'nested parentheses', source: body(`    x = ${'('.repeat(n)}1${')'.repeat(n)}`) },
    { name: 'nested lists', source: body(`    x = ${'['.repeat(n)}1${']'.repeat(n)}`) },
    { name: 'nested dicts', source: body(`    x = ${'{1: '.repeat(n)}1${'}'.repeat(n)}`) },
    { name: 'nested calls', source: body(`    op.execute(${'f('.repeat(n)}1${')'.repeat(n)})`) },
    { name: 'unclosed brackets', source: body(`    x = ${'(['.repeat(n)}`) },
    { name: 'call chain', source: body(`    op${'.f()'.repeat(n)}`) },
    { name: 'attribute chain', source: body(`    x = op${'.a'.repeat(n)}`) },
    { name: 'subscript chain', source: body(`    x = a${'[0]'.repeat(n)}`) },
    { name: 'operator chain', source: body(`    op.execute("a"${' + "b"'.repeat(n)})`) },
    { name: 'modulo chain', source: body(`    op.execute("%s"${' % "b"'.repeat(n)})`) },
    { name: 'unary run', source: body(`    x = ${'-'.repeat(n)}1`) },
    { name: 'not run', source: body(`    x = ${'not '.repeat(n)}1`) },
    { name: 'lambda run', source: body(`    x = ${'lambda: '.repeat(n)}1`) },
    { name: 'nested blocks', source: body(Array.from({ length: 2000 }, (_, depth) => `${'    '.repeat(depth + 1)}if x:`).join('\n') + `\n${'    '.repeat(2001)}op.drop_table('t')`) },
    { name: 'nested f-strings', source: body(`    op.execute(f"${'{f"'.repeat(2000)}x${'"}'.repeat(2000)}")`) },
    { name: 'brackets in an f-string', source: body(`    op.execute(f"{${'('.repeat(n)}1${')'.repeat(n)}}")`) },
    { name: 'brackets in SQL', source: body(`    op.execute("SELECT ${'('.repeat(n)}1${')'.repeat(n)}")`) },
    { name: 'deep header value', source: `revision = 'h1'\ndown_revision = ${'('.repeat(n)}'a1'${')'.repeat(n)}\n` },
    { name: 'deep header in a block', source: `revision = 'h1'\nif True:\n    down_revision = ${'('.repeat(n)}'a1'${')'.repeat(n)}\n` },
    { name: 'header call chain', source: `revision = 'h1'\ndown_revision = x${'.f()'.repeat(n)}\n` },
    { name: 'binary bytes (utf-8)', source: bytes.toString('utf8') },
    { name: 'binary bytes (latin-1)', source: bytes.toString('latin1') },
    { name: 'binary after the header', source: HEADER + bytes.toString('latin1') },
    { name: 'NUL bytes', source: body(`    op.add_column('t', sa.Column('x\u0000', sa.Integer()))\n\u0000\u0000    op.drop_table('\u0000')`).replace(/\n/g, '\n\u0000') },
    { name: 'unterminated string', source: body(`    op.execute("UPDATE t SET x = 1`) },
    { name: 'unterminated triple string', source: body(`    op.execute("""UPDATE t SET x = 1\n${'    x = 1\n'.repeat(5000)}`) },
    { name: 'unterminated f-string', source: body(`    op.execute(f"{${'('.repeat(150)}`) },
    { name: 'quotes only', source: `'''"""`.repeat(n) },
    { name: 'backslashes', source: '\\\n'.repeat(n) + HEADER },
    { name: '20 000 operations', source: manyOperations(20_000) },
  ];
}

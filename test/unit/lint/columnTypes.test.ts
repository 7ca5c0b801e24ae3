import assert from 'node:assert/strict';
import { compareColumnTypes, readColumnType } from '../../../src/core/lint/columnTypes';
import { extractMigration } from '../../../src/core/lint/migrationOperations';

/** Reads the type_ of `op.alter_column('t', 'c', type_=<type>)`. */
function typeOf(expression: string) {
  const source = `from alembic import op\nimport sqlalchemy as sa\nfrom sqlalchemy.dialects import postgresql\nfrom sqlalchemy import String, Integer\n\ndef upgrade():\n    op.alter_column('t', 'c', type_=${expression})\n`;
  const operation = extractMigration(source).operations[0];
  return readColumnType(operation.call.args.keywords.find((keyword) => keyword.name === 'type_')?.value);
}

const change = (from: string, to: string) => compareColumnTypes(typeOf(from), typeOf(to)!).kind;

describe('columnTypes', () => {
  it('reads the spellings autogenerate writes (model types and reflected types)', () => {
    assert.equal(typeOf('sa.String(length=50)')?.display, 'VARCHAR(50)');
    assert.equal(typeOf('sa.VARCHAR(length=50)')?.display, 'VARCHAR(50)');
    assert.equal(typeOf('String(50)')?.display, 'VARCHAR(50)');
    assert.equal(typeOf('sa.INTEGER()')?.display, 'INTEGER');
    assert.equal(typeOf('sa.BigInteger')?.display, 'BIGINT');
    assert.equal(typeOf('sa.Numeric(10, 2)')?.display, 'NUMERIC(10, 2)');
    assert.equal(typeOf('postgresql.TIMESTAMP(timezone=True)')?.display, 'TIMESTAMP WITH TIME ZONE');
    assert.equal(typeOf("sa.Enum('a', 'b', name='mood')")?.enumName, 'mood');
    assert.deepEqual(typeOf("postgresql.ENUM('a', name='mood', create_type=False)")?.createType, false);
    assert.equal(typeOf('sa.Text().with_variant(sa.String(10), "mysql")')?.display, 'TEXT');
    assert.equal(typeOf('myapp.types.Text()'), undefined);
  });

  it('classifies changes: safe widenings, rewrites, narrowings', () => {
    assert.equal(change('sa.VARCHAR(length=1000)', 'sa.Text()'), 'safe-widening');
    assert.equal(change('sa.VARCHAR(length=50)', 'sa.String(length=100)'), 'safe-widening');
    assert.equal(change('sa.VARCHAR(length=50)', 'sa.String(length=50)'), 'same');
    assert.equal(change('sa.VARCHAR(length=50)', 'sa.String(length=20)'), 'narrowing');
    assert.equal(change('sa.Text()', 'sa.String(length=200)'), 'narrowing');
    assert.equal(change('sa.INTEGER()', 'sa.BigInteger()'), 'widening');
    assert.equal(change('sa.BigInteger()', 'sa.Integer()'), 'narrowing');
    assert.equal(change('sa.Numeric(10, 2)', 'sa.Numeric(12, 2)'), 'safe-widening');
    assert.equal(change('sa.Numeric(10, 2)', 'sa.Numeric(8, 2)'), 'narrowing');
    assert.equal(change('sa.Numeric(10, 2)', 'sa.Numeric(12, 1)'), 'narrowing');
    assert.equal(change('sa.Numeric(10, 2)', 'sa.Numeric(12, 4)'), 'widening');
    assert.equal(change('sa.Float()', 'sa.Integer()'), 'narrowing');
    assert.equal(change('sa.DateTime()', 'sa.Date()'), 'narrowing');
    assert.equal(change('sa.String(length=20)', 'sa.Integer()'), 'narrowing');
    assert.equal(change('sa.Integer()', 'sa.Text()'), 'widening');
    assert.equal(compareColumnTypes(undefined, typeOf('sa.Text()')!).kind, 'unknown');
  });
});

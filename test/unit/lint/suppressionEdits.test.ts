// "Ignore for this line" / "Ignore in this file": the exact text each edit produces, that CPython
// still parses it, and that the engine then really stops reporting the finding (and only it).
import assert from 'node:assert/strict';
import { applyTextEdits } from '../../../src/core/lint/findings';
import { ignoreInFileEdit, ignoreOnLineEdit } from '../../../src/core/lint/suppressionEdits';
import { assertValidPython, codesOf, findingFor, HEADER, lint, migration } from './lintTestKit';

function ignoreLine(source: string, code: string): string {
  const finding = findingFor(source, code);
  const edit = ignoreOnLineEdit(source, code, finding.range);
  assert.ok(edit, `no line edit for ${code}`);
  const result = applyTextEdits(source, [edit]);
  assertValidPython(result);
  return result;
}

function ignoreFile(source: string, code: string): string {
  const edit = ignoreInFileEdit(source, code);
  assert.ok(edit, `no file edit for ${code}`);
  const result = applyTextEdits(source, [edit]);
  assertValidPython(result);
  return result;
}

describe('suppression edits', () => {
  it('inserts an ignore comment above the statement with its indentation, and the finding goes away', () => {
    const source = migration(`op.drop_column('meetings', 'description')\nop.drop_column('meetings', 'notes')`);
    const result = ignoreLine(source, 'AW201');
    assert.equal(
      result,
      migration(`# alembic-workbench: ignore[AW201]\nop.drop_column('meetings', 'description')\nop.drop_column('meetings', 'notes')`),
    );
    // Only the first statement is silenced.
    assert.deepEqual(codesOf(result), [`AW201@${result.split('\n').findIndex((line) => line.includes("'notes'")) + 1}`]);
  });

  it('keeps the indentation inside a with block (batch_alter_table)', () => {
    const source = migration(
      `with op.batch_alter_table('meetings', schema=None) as batch_op:\n    batch_op.alter_column('title', existing_type=sa.VARCHAR(length=200), nullable=False)`,
      `with op.batch_alter_table('meetings', schema=None) as batch_op:\n    batch_op.alter_column('title', existing_type=sa.VARCHAR(length=200), nullable=True)`,
    );
    const result = ignoreLine(source, 'AW103');
    assert.ok(result.includes(`        # alembic-workbench: ignore[AW103]\n        batch_op.alter_column('title'`), result);
    assert.deepEqual(codesOf(result), []);
  });

  it('extends an ignore comment above the statement instead of adding a second one', () => {
    const source = migration(`# alembic-workbench: ignore[dropping-table]\nop.drop_table('legacy')\nop.drop_column('meetings', 'description')`).replace(
      "# alembic-workbench: ignore[dropping-table]\n    op.drop_table('legacy')",
      "# alembic-workbench: ignore[dropping-table]\n    op.drop_column('legacy', 'x')",
    );
    // The comment names AW202 but the statement under it is an AW201: extend it.
    const result = ignoreLine(source, 'AW201');
    assert.ok(result.includes('# alembic-workbench: ignore[dropping-table, AW201]'), result);
    assert.equal(result.split('alembic-workbench: ignore[').length, 2, 'one comment, extended');
    assert.deepEqual(codesOf(result).map((code) => code.split('@')[0]), ['AW201'], 'the other drop_column is still reported');
  });

  it('extends a trailing ignore comment on the same line', () => {
    const source = migration(
      `op.add_column('meetings', sa.Column('flag', sa.Boolean(), nullable=False))  # alembic-workbench: ignore[AW201]`,
      `op.drop_column('meetings', 'flag')`,
    );
    const result = ignoreLine(source, 'AW102');
    assert.ok(result.includes('# alembic-workbench: ignore[AW201, AW102]'), result);
    assert.deepEqual(codesOf(result), []);
  });

  it('offers nothing for a line inside a docstring (a comment there would be docstring text)', () => {
    const source = HEADER;
    assert.equal(ignoreOnLineEdit(source, 'AW607', { start: { line: 2, column: 13 }, end: { line: 2, column: 19 } }), undefined);
  });

  it('inserts ignore-file after the module docstring and imports', () => {
    const source = migration(`op.drop_column('meetings', 'description')\nop.drop_column('meetings', 'notes')`);
    const result = ignoreFile(source, 'AW201');
    assert.ok(result.includes(`from alembic import op\nimport sqlalchemy as sa\n# alembic-workbench: ignore-file[AW201]\n\n\n# revision identifiers`), result);
    assert.deepEqual(codesOf(result), []);
  });

  it('extends an existing ignore-file comment, and says nothing when the rule is already listed', () => {
    const source = `# alembic-workbench: ignore-file[AW202]\n${migration(`op.drop_column('meetings', 'description')`)}`;
    const result = ignoreFile(source, 'AW201');
    assert.ok(result.startsWith('# alembic-workbench: ignore-file[AW202, AW201]\n'), result);
    assert.deepEqual(codesOf(result), []);
    assert.equal(ignoreInFileEdit(result, 'AW201'), undefined);
    assert.equal(ignoreInFileEdit(result, 'dropping-table'), undefined, 'names and codes are the same rule');
  });

  it('keeps CRLF line endings', () => {
    const source = migration(`op.drop_column('meetings', 'description')`).replace(/\n/g, '\r\n');
    const lineResult = applyTextEdits(source, [ignoreOnLineEdit(source, 'AW201', findingFor(source, 'AW201').range)!]);
    assert.ok(lineResult.includes("    # alembic-workbench: ignore[AW201]\r\n    op.drop_column"), JSON.stringify(lineResult));
    const fileResult = applyTextEdits(source, [ignoreInFileEdit(source, 'AW201')!]);
    assert.ok(fileResult.includes('import sqlalchemy as sa\r\n# alembic-workbench: ignore-file[AW201]\r\n'));
    assert.deepEqual(lint(lineResult).findings, []);
    assert.deepEqual(lint(fileResult).findings, []);
  });

  it('a file with no docstring or imports gets the comment on its first line', () => {
    const source = `def upgrade():\n    op.drop_column('meetings', 'description')\n`;
    assert.equal(applyTextEdits(source, [ignoreInFileEdit(source, 'AW201')!]), `# alembic-workbench: ignore-file[AW201]\n${source}`);
  });
});

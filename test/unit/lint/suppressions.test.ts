import assert from 'node:assert/strict';
import { codesOf, lineOf, lint, migration } from './lintTestKit';

describe('suppressions', () => {
  const risky = `op.drop_column('meetings', 'description')`;

  it('on the line, on the line above (blank and comment lines skipped), by code or name, comma-separated', () => {
    assert.deepEqual(codesOf(migration(`${risky}  # alembic-workbench: ignore[AW201]`)), []);
    assert.deepEqual(codesOf(migration(`# alembic-workbench: ignore[dropping-column]\n${risky}`)), []);
    assert.deepEqual(codesOf(migration(`# alembic-workbench: ignore[AW101, dropping-column]\n# why: the column was never used\n${risky}`)), []);
    assert.deepEqual(codesOf(migration(`${risky}  # noqa: E501  # alembic-workbench: ignore[AW201]`)), []);
  });

  it('anywhere on a multi-line statement', () => {
    const source = migration(`op.alter_column('t', 'c',  # alembic-workbench: ignore[AW204]\n    existing_type=sa.VARCHAR(length=50),\n    type_=sa.String(length=20))`);
    assert.deepEqual(codesOf(source).filter((code) => code.startsWith('AW204')), []);
    const atEnd = migration(`op.alter_column('t', 'c',\n    existing_type=sa.VARCHAR(length=50),\n    type_=sa.String(length=20))  # alembic-workbench: ignore[AW204]`);
    assert.deepEqual(codesOf(atEnd).filter((code) => code.startsWith('AW204')), []);
  });

  it('only the named rules, only that statement', () => {
    const source = migration(`# alembic-workbench: ignore[AW202]\n${risky}\nop.drop_column('meetings', 'other')`);
    assert.deepEqual(codesOf(source).filter((code) => code.startsWith('AW2')), [`AW201@${lineOf(source, 'description')}`, `AW201@${lineOf(source, "'other'")}`]);
    const trailing = migration(`op.drop_column('a', 'b')  # alembic-workbench: ignore[AW201]\n${risky}`);
    assert.deepEqual(codesOf(trailing).filter((code) => code.startsWith('AW2')), [`AW201@${lineOf(trailing, 'description')}`]);
  });

  it('ignore-file anywhere in the file', () => {
    const source = migration(`${risky}\nop.drop_column('meetings', 'other')`, `pass\n# alembic-workbench: ignore-file[AW201, AW302]`);
    assert.deepEqual(codesOf(source), []);
  });

  it('text inside a SQL string is not a suppression comment', () => {
    const source = migration(`op.execute("UPDATE t SET a = 1 -- alembic-workbench: ignore[AW502]")`);
    assert.deepEqual(codesOf(source).filter((code) => code.startsWith('AW502')), [`AW502@${lineOf(source, 'op.execute')}`]);
  });

  it('reports unknown rule names and directives with no rules, with the comment\'s range', () => {
    const source = migration(`${risky}  # alembic-workbench: ignore[AW999, droping-column]\n# alembic-workbench: ignore`);
    const result = lint(source);
    const line = lineOf(source, 'AW999') - 1;
    assert.deepEqual(
      result.configProblems.map((problem) => `${problem.kind}@${problem.range.start.line}: ${problem.message}`),
      [
        `suppression@${line}: Unknown rule "AW999" in a suppression comment.`,
        `suppression@${line}: Unknown rule "droping-column" in a suppression comment (did you mean "dropping-column"?).`,
        `suppression@${line + 1}: "alembic-workbench: ignore" names no rules: write ignore[AW101] or ignore[changing-column-type] (codes or names, comma-separated).`,
      ],
    );
    assert.deepEqual(codesOf(source).filter((code) => code.startsWith('AW201')), [`AW201@${line + 1}`]);
  });
});

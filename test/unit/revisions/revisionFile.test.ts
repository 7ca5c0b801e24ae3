import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findPythonSyntaxError, parseRevisionFile, RevisionFile } from '../../../src/core/revisions/revisionFile';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'revisions');

function textAt(source: string, file: RevisionFile, kind: string, id: string): string {
  const reference = file.references.find((candidate) => candidate.kind === kind && candidate.id === id);
  assert.ok(reference, `no ${kind} reference to ${id}`);
  const lines = source.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
  assert.equal(reference.range.start.line, reference.range.end.line, 'ids never span lines');
  return lines[reference.range.start.line].slice(reference.range.start.column, reference.range.end.column);
}

const TEMPLATE = `"""add meeting tags table

Revision ID: 470db97f7b91
Revises: 00895308c34d
Create Date: 2026-11-25 20:25:20.598116

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '470db97f7b91'
down_revision = '00895308c34d'
branch_labels = ('tags',)
depends_on = None


def upgrade() -> None:
    op.create_table('meeting_tags', sa.Column('id', sa.Integer(), nullable=False))


def downgrade() -> None:
    op.drop_table('meeting_tags')
`;

describe('parseRevisionFile', () => {
  it('reads the header Alembic 1.8 generates, with exact ranges for every id', () => {
    const file = parseRevisionFile(TEMPLATE, '/p/versions/470db97f7b91_add.py');
    assert.equal(file.parsedWith, 'scan');
    assert.equal(file.revision, '470db97f7b91');
    assert.deepEqual(file.downRevisions, ['00895308c34d']);
    assert.equal(file.downRevisionForm, 'string');
    assert.deepEqual(file.branchLabels, ['tags']);
    assert.deepEqual(file.dependsOn, []);
    assert.equal(file.message, 'add meeting tags table');
    assert.equal(file.createDate, '2026-11-25 20:25:20.598116');
    assert.equal(file.docstringRevisionId, '470db97f7b91');
    assert.deepEqual(file.docstringRevises, ['00895308c34d']);
    assert.deepEqual(file.headerIssues, []);
    for (const [kind, id] of [
      ['revision', '470db97f7b91'],
      ['down_revision', '00895308c34d'],
      ['branch_label', 'tags'],
      ['docstring_revision_id', '470db97f7b91'],
      ['docstring_revises', '00895308c34d'],
    ]) {
      assert.equal(textAt(TEMPLATE, file, kind, id), id, `${kind} range`);
    }
    const revisionRef = file.references.find((reference) => reference.kind === 'revision');
    assert.deepEqual(revisionRef?.range, { start: { line: 12, column: 12 }, end: { line: 12, column: 24 } });
    assert.equal(file.assignments.down_revision?.valueText, "'00895308c34d'");
    assert.deepEqual(file.assignments.revision?.range, { start: { line: 12, column: 0 }, end: { line: 12, column: 25 } });
  });

  it('reads annotated, double-quoted headers of newer templates and merge tuples split over lines', () => {
    const source = [
      '"""merge heads',
      '',
      'Revision ID: 9f1c',
      'Revises: aaa1, bbb2',
      '"""',
      'from typing import Sequence, Union',
      '',
      'revision: str = "9f1c"  # the id',
      'down_revision: Union[str, Sequence[str], None] = (',
      '    "aaa1",  # left',
      "    'bbb2',",
      ')',
      'branch_labels: Union[str, Sequence[str], None] = None',
      'depends_on: Union[str, Sequence[str], None] = ["ccc3"]',
      '',
    ].join('\n');
    const file = parseRevisionFile(source, 'x.py');
    assert.equal(file.revision, '9f1c');
    assert.deepEqual(file.downRevisions, ['aaa1', 'bbb2']);
    assert.equal(file.downRevisionForm, 'tuple');
    assert.deepEqual(file.dependsOn, ['ccc3']);
    assert.deepEqual(file.headerIssues, []);
    assert.equal(textAt(source, file, 'down_revision', 'bbb2'), 'bbb2');
    assert.deepEqual(file.references.find((reference) => reference.id === 'bbb2' && reference.kind === 'down_revision')?.range.start, { line: 10, column: 5 });
  });

  it('handles lists, empty tuples, bare tuples, implicit concatenation and empty strings as Alembic does', () => {
    const cases: Array<[string, string[], string]> = [
      ["down_revision = ['a1b2']", ['a1b2'], 'list'],
      ['down_revision = ()', [], 'tuple'],
      ["down_revision = 'a1b2', 'c3d4'", ['a1b2', 'c3d4'], 'tuple'],
      ["down_revision = ('a1' 'b2')", ['a1b2'], 'string'],
      ["down_revision = ''", [], 'none'],
      ['down_revision = None  # first revision', [], 'none'],
      ["down_revision = r'raw1'", ['raw1'], 'string'],
    ];
    for (const [line, expected, form] of cases) {
      const file = parseRevisionFile(`revision = 'x1y2'\n${line}\n`, 'x.py');
      assert.deepEqual(file.downRevisions, expected, line);
      assert.equal(file.downRevisionForm, form, line);
      assert.deepEqual(file.headerIssues, [], line);
    }
  });

  it('reads CRLF files, a byte order mark and tabs with the right ranges', () => {
    const source = `\ufeff"""msg\r\n\r\nRevision ID: abcd1234\r\nRevises: \r\n"""\r\nrevision = 'abcd1234'\r\ndown_revision = None\r\n`;
    const file = parseRevisionFile(source, 'x.py');
    assert.equal(file.revision, 'abcd1234');
    assert.equal(file.message, 'msg');
    assert.deepEqual(file.docstringRevises, []);
    assert.deepEqual(file.references.find((reference) => reference.kind === 'revision')?.range, { start: { line: 5, column: 12 }, end: { line: 5, column: 20 } });
    assert.equal(textAt(source, file, 'docstring_revision_id', 'abcd1234'), 'abcd1234');
  });

  it('keeps the header when the rest of the file has a syntax error', () => {
    const broken = TEMPLATE.replace('def upgrade() -> None:', 'def upgrade() -> None');
    const file = parseRevisionFile(broken, 'x.py');
    assert.equal(file.revision, '470db97f7b91');
    assert.deepEqual(file.downRevisions, ['00895308c34d']);
    const unterminated = TEMPLATE.replace("op.drop_table('meeting_tags')", "op.drop_table('meeting_tags)");
    const second = parseRevisionFile(unterminated, 'x.py');
    assert.equal(second.revision, '470db97f7b91');
    assert.deepEqual(second.downRevisions, ['00895308c34d']);
    const unclosed = `revision = 'r1'\ndown_revision = 'r0'\ndef upgrade():\n    op.execute(sa.text("x"\n`;
    assert.equal(parseRevisionFile(unclosed, 'x.py').revision, 'r1');
    const brokenBeforeHeader = `"""doc"""\nx = (\nrevision = 'r1'\ndown_revision = None\n`;
    const tree = parseRevisionFile(brokenBeforeHeader, 'x.py');
    assert.equal(tree.parsedWith, 'syntax-tree');
  });

  it('ignores header-looking lines inside strings, comments and function bodies', () => {
    const source = [
      '"""doc',
      'revision = "not-this"',
      '"""',
      "revision = 'real1'",
      'down_revision = None',
      '# revision = "comment"',
      'SQL = """',
      'revision = \'in-a-string\'',
      '"""',
      "NOTE = f'{x!r:>{width}} {\"nested\"}'",
      'def upgrade():',
      "    revision = 'local'",
      '    down_revision = "local"',
      'class Helper:',
      "    depends_on = 'attr'",
      '',
    ].join('\n');
    const file = parseRevisionFile(source, 'x.py');
    assert.equal(file.revision, 'real1');
    assert.deepEqual(file.downRevisions, []);
    assert.deepEqual(file.dependsOn, []);
    assert.equal(file.parsedWith, 'scan');
  });

  it('follows Python: the last module-level assignment wins, including ones after the functions', () => {
    const source = `revision = 'old1'\ndown_revision = None\ndef upgrade():\n    pass\nrevision = 'new2'; down_revision = 'old1'\n`;
    const file = parseRevisionFile(source, 'x.py');
    assert.equal(file.revision, 'new2');
    assert.deepEqual(file.downRevisions, ['old1']);
  });

  it('uses the syntax tree for assignments in module-level blocks and for tuple unpacking', () => {
    const inIf = `revision = 'a1'\nif True:\n    down_revision = 'zero'\nelse:\n    down_revision = None\n`;
    const file = parseRevisionFile(inIf, 'x.py');
    assert.equal(file.parsedWith, 'syntax-tree');
    assert.equal(file.revision, 'a1');
    assert.equal(file.downRevisionForm, 'none', 'the last assignment in source order wins');
    const unpacked = parseRevisionFile(`revision, down_revision = 'b2', ('a1', 'z9')\nbranch_labels = depends_on = None\n`, 'x.py');
    assert.equal(unpacked.revision, 'b2');
    assert.deepEqual(unpacked.downRevisions, ['a1', 'z9']);
    assert.deepEqual(unpacked.headerIssues, []);
  });

  it('reports what it cannot read instead of guessing', () => {
    const missing = parseRevisionFile(`"""no header"""\ndown_revision = None\n`, 'x.py');
    assert.equal(missing.revision, undefined);
    assert.deepEqual(missing.headerIssues.map((issue) => issue.code), ['missing-revision']);
    const noDown = parseRevisionFile(`revision = 'a1'\n`, 'x.py');
    assert.equal(noDown.downRevisionForm, 'missing');
    assert.deepEqual(noDown.headerIssues.map((issue) => issue.code), ['missing-down-revision']);
    const computed = parseRevisionFile(`revision = PREFIX + '01'\ndown_revision = get_previous()\nbranch_labels = f'{x}'\n`, 'x.py');
    assert.equal(computed.revision, undefined);
    assert.equal(computed.downRevisionForm, 'unreadable');
    assert.deepEqual(
      computed.headerIssues.map((issue) => [issue.code, issue.variable]),
      [
        ['unreadable-value', 'revision'],
        ['unreadable-value', 'down_revision'],
        ['unreadable-value', 'branch_labels'],
      ],
    );
    assert.match(computed.headerIssues[1].message, /can't be read without running Python/);
    const wrongType = parseRevisionFile(`revision = 42\ndown_revision = ('a', None)\n`, 'x.py');
    assert.deepEqual(wrongType.headerIssues.map((issue) => issue.code), ['wrong-type', 'wrong-type']);
    const illegal = parseRevisionFile(`revision = 'a-b+c@d'\ndown_revision = None\n`, 'x.py');
    assert.equal(illegal.headerIssues[0].code, 'invalid-revision-id');
    assert.equal(illegal.headerIssues[0].message, "Character(s) '+, -, @' not allowed in revision identifier 'a-b+c@d'");
  });

  it('takes the message as Alembic does: the first paragraph of the stripped docstring', () => {
    const file = parseRevisionFile(`"""\n  Two line\nmessage here\n\nRevision ID: x1\n"""\nrevision = 'x1'\ndown_revision = None\n`, 'x.py');
    assert.equal(file.message, 'Two line\nmessage here');
    assert.equal(file.docstring, 'Two line\nmessage here\n\nRevision ID: x1');
    const noDoc = parseRevisionFile(`import os\n"""not a docstring"""\nrevision = 'x1'\ndown_revision = None\n`, 'x.py');
    assert.equal(noDoc.message, undefined);
    const bytesDoc = parseRevisionFile(`b"""bytes are not a docstring"""\nrevision = 'x1'\ndown_revision = None\n`, 'x.py');
    assert.equal(bytesDoc.message, undefined);
    const escaped = parseRevisionFile(`"""caf\\u00e9 \\"quoted\\""""\nrevision = 'x1'\ndown_revision = None\n`, 'x.py');
    assert.equal(escaped.message, 'café "quoted"');
  });

  it('reads the committed header variants (annotated, double quotes, CRLF, custom ids)', () => {
    const expectations: Record<string, { revision: string; down: string[]; labels?: string[]; depends?: string[] }> = {
      'annotated_double_quoted.py': { revision: 'annotated_0001', down: ['custom_base'] },
      'crlf_custom_id.py': { revision: 'custom_base', down: [] },
      'merge_multiline_list.py': { revision: 'merge_custom', down: ['annotated_0001', 'plain_0002'] },
      'plain_single_quoted.py': { revision: 'plain_0002', down: ['custom_base'], labels: ['reports'] },
      'depends_on_label.py': { revision: 'dep_0003', down: ['merge_custom'], depends: ['reports'] },
    };
    for (const [name, expected] of Object.entries(expectations)) {
      const file = parseRevisionFile(readFileSync(path.join(FIXTURES, name), 'utf8'), name);
      assert.equal(file.revision, expected.revision, name);
      assert.deepEqual(file.downRevisions, expected.down, name);
      assert.deepEqual(file.branchLabels, expected.labels ?? [], name);
      assert.deepEqual(file.dependsOn, expected.depends ?? [], name);
      assert.deepEqual(file.headerIssues, [], name);
    }
  });
});

describe('findPythonSyntaxError', () => {
  it('finds the line CPython reports for a missing colon, and nothing in valid files', () => {
    const broken = TEMPLATE.replace('def upgrade() -> None:', 'def upgrade() -> None');
    assert.equal(findPythonSyntaxError(broken)?.start.line, 18);
    assert.equal(findPythonSyntaxError(TEMPLATE), undefined);
    const valid = `def gen():\n    yield\n\nx = 24.\n\f\nasync def f():\n    async with a as b:\n        await b\n`;
    assert.equal(findPythonSyntaxError(valid), undefined);
  });
});

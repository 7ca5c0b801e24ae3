import assert from 'node:assert/strict';
import {
  decodeStringLiteral,
  evaluateLiteral,
  LineIndex,
  namedChildren,
  NOT_A_LITERAL,
  parsePython,
} from '../../../src/core/python/pythonSource';

function valueOfAssignment(source: string): unknown {
  const tree = parsePython(source);
  const assignment = tree.topNode.getChild('AssignStatement');
  assert.ok(assignment, 'expected an assignment');
  const children = namedChildren(assignment);
  return evaluateLiteral(source, children[children.length - 1]);
}

describe('pythonSource', () => {
  it('decodes the string literal forms Alembic headers use', () => {
    assert.equal(decodeStringLiteral(`'abc'`), 'abc');
    assert.equal(decodeStringLiteral(`"abc"`), 'abc');
    assert.equal(decodeStringLiteral(`"""line1\r\nline2"""`), 'line1\nline2');
    assert.equal(decodeStringLiteral(`r'a\\nb'`), 'a\\nb');
    assert.equal(decodeStringLiteral(`'a\\nb\\x41\\u00e9\\101'`), 'a\nbAéA');
    assert.equal(decodeStringLiteral(`u'caf\\u00e9'`), 'café');
    assert.equal(decodeStringLiteral(`'unterminated`), undefined);
    assert.equal(decodeStringLiteral(`f'{x}'`), undefined);
  });

  it('evaluates tuples, lists, None and implicit concatenation', () => {
    assert.deepEqual(valueOfAssignment(`x = ('a', "b",)\n`), ['a', 'b']);
    assert.deepEqual(valueOfAssignment(`x = ["a"]\n`), ['a']);
    assert.equal(valueOfAssignment(`x = None\n`), null);
    assert.equal(valueOfAssignment(`x = "ab" 'cd'\n`), 'abcd');
    assert.equal(valueOfAssignment(`x: str = ("ab")\n`), 'ab');
    assert.equal(valueOfAssignment(`x = some_name\n`), NOT_A_LITERAL);
    assert.equal(valueOfAssignment(`x = ("a", f"{b}")\n`), NOT_A_LITERAL);
  });

  it('maps offsets to zero-based lines and columns for LF, CRLF and CR files', () => {
    const index = new LineIndex('ab\r\ncd\nef\rgh');
    assert.deepEqual(index.position(0), { line: 0, column: 0 });
    assert.deepEqual(index.position(5), { line: 1, column: 1 });
    assert.deepEqual(index.position(7), { line: 2, column: 0 });
    assert.deepEqual(index.position(10), { line: 3, column: 0 });
    assert.equal(index.offset({ line: 1, column: 1 }), 5);
    assert.equal(index.lineCount, 4);
  });
});

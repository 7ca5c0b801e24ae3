import assert from 'node:assert/strict';
import { CommandLineSyntaxError, splitCommandLine } from '../../../src/core/runner/commandLineWords';
import { shellQuote } from '../../../src/core/runner/runnerModes';

describe('splitCommandLine', () => {
  it('splits on whitespace and honours quotes and backslashes', () => {
    assert.deepEqual(splitCommandLine('  /opt/venv/bin/python   -m alembic '), ['/opt/venv/bin/python', '-m', 'alembic']);
    assert.deepEqual(splitCommandLine(`make alembic 'ARGS=\${args}'`), ['make', 'alembic', 'ARGS=${args}']);
    assert.deepEqual(splitCommandLine('"/Program Files/py" -m alembic'), ['/Program Files/py', '-m', 'alembic']);
    assert.deepEqual(splitCommandLine('a\\ b "c\\"d" \'e\\f\''), ['a b', 'c"d', 'e\\f']);
    assert.deepEqual(splitCommandLine('x "" y'), ['x', '', 'y']);
  });

  it('expands nothing: variables, globs and substitutions stay literal', () => {
    assert.deepEqual(splitCommandLine('echo $HOME * $(id) `id` ~'), ['echo', '$HOME', '*', '$(id)', '`id`', '~']);
  });

  it('is the inverse of shellQuote', () => {
    const words = ['ssh', 'staging', "cd /app && alembic ${args}", "it's", 'tab\there', ''];
    assert.deepEqual(splitCommandLine(words.map(shellQuote).join(' ')), words);
  });

  it('refuses an unclosed quote or a trailing backslash', () => {
    assert.throws(() => splitCommandLine('python "-m alembic'), CommandLineSyntaxError);
    assert.throws(() => splitCommandLine("python '-m"), /unclosed single quote/);
    assert.throws(() => splitCommandLine('python \\'), /lone backslash/);
  });
});

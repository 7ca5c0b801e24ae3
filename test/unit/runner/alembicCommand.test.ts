import assert from 'node:assert/strict';
import { alembicArgv, InvalidAlembicArgumentError, isMutatingCommand, offlineUpgradeSql } from '../../../src/core/runner/alembicCommand';

describe('alembicArgv', () => {
  it('builds every command the workbench runs', () => {
    assert.deepEqual(alembicArgv({ kind: 'revision', message: 'add tags', autogenerate: true }), ['revision', '-m', 'add tags', '--autogenerate']);
    assert.deepEqual(alembicArgv({ kind: 'revision', message: 'empty', autogenerate: false }), ['revision', '-m', 'empty']);
    assert.deepEqual(
      alembicArgv({
        kind: 'revision',
        message: 'branch',
        autogenerate: true,
        head: 'e91f4c6b0a38',
        splice: true,
        branchLabel: 'tags',
        revId: 'abc123',
        dependsOn: ['4b1d3f0a9c21'],
        versionPath: 'alembic/versions',
      }),
      [
        'revision', '-m', 'branch', '--autogenerate', '--head', 'e91f4c6b0a38', '--splice', '--branch-label', 'tags',
        '--rev-id', 'abc123', '--depends-on', '4b1d3f0a9c21', '--version-path', 'alembic/versions',
      ],
    );
    assert.deepEqual(alembicArgv({ kind: 'upgrade', target: 'head' }), ['upgrade', 'head']);
    assert.deepEqual(alembicArgv({ kind: 'upgrade', target: '+1' }), ['upgrade', '+1']);
    assert.deepEqual(alembicArgv({ kind: 'upgrade', target: 'tags@head' }), ['upgrade', 'tags@head']);
    assert.deepEqual(alembicArgv({ kind: 'downgrade', target: '-1' }), ['downgrade', '-1']);
    assert.deepEqual(alembicArgv({ kind: 'downgrade', target: 'base' }), ['downgrade', 'base']);
    assert.deepEqual(alembicArgv({ kind: 'downgrade', target: 'a:b', sql: true, tag: 't' }), ['downgrade', 'a:b', '--sql', '--tag', 't']);
    assert.deepEqual(alembicArgv({ kind: 'stamp', revisions: ['heads'] }), ['stamp', 'heads']);
    assert.deepEqual(alembicArgv({ kind: 'stamp', revisions: ['a1', 'b2'], purge: true }), ['stamp', 'a1', 'b2', '--purge']);
    assert.deepEqual(alembicArgv({ kind: 'merge', revisions: ['heads'], message: 'merge heads' }), ['merge', '-m', 'merge heads', 'heads']);
    assert.deepEqual(
      alembicArgv({ kind: 'merge', revisions: ['a1', 'b2'], message: 'm', branchLabel: 'x', revId: 'r1' }),
      ['merge', '-m', 'm', '--branch-label', 'x', '--rev-id', 'r1', 'a1', 'b2'],
    );
    assert.deepEqual(alembicArgv({ kind: 'current' }), ['current']);
    assert.deepEqual(alembicArgv({ kind: 'current', verbose: true }), ['current', '--verbose']);
    assert.deepEqual(alembicArgv({ kind: 'history', verbose: true }), ['history', '--verbose']);
    assert.deepEqual(alembicArgv({ kind: 'history', range: 'base:head', indicateCurrent: true }), ['history', '-r', 'base:head', '--indicate-current']);
    assert.deepEqual(alembicArgv({ kind: 'heads', verbose: true, resolveDependencies: true }), ['heads', '--verbose', '--resolve-dependencies']);
    assert.deepEqual(alembicArgv({ kind: 'branches' }), ['branches']);
    assert.deepEqual(alembicArgv({ kind: 'show', revision: 'head' }), ['show', 'head']);
    assert.deepEqual(alembicArgv({ kind: 'check' }), ['check']);
    assert.deepEqual(alembicArgv(offlineUpgradeSql('c3a9e1b27d44', '17f05d8e3b92')), ['upgrade', 'c3a9e1b27d44:17f05d8e3b92', '--sql']);
  });

  it('puts -c, -n and -x before the command', () => {
    assert.deepEqual(
      alembicArgv({ kind: 'upgrade', target: 'head' }, { config: 'alembic.prod.ini', name: 'tenant', xArguments: ['compare_type=true', 'tenant=a b'] }),
      ['-c', 'alembic.prod.ini', '-n', 'tenant', '-x', 'compare_type=true', '-x', 'tenant=a b', 'upgrade', 'head'],
    );
    // A value starting with "-" would be read as an option: attach it (argparse reads -x-foo as -x "-foo").
    assert.deepEqual(alembicArgv({ kind: 'current' }, { xArguments: ['-weird'] }), ['-x-weird', 'current']);
    assert.deepEqual(alembicArgv({ kind: 'current' }, { config: '-odd.ini' }), ['--config=-odd.ini', 'current']);
  });

  it('keeps any message as exactly one argv element', () => {
    const hostile = [
      `it's "quoted"`,
      '$(touch /tmp/pwned) and `id`',
      'a; rm -rf ~ && echo | cat',
      'line one\nline two\r\nthree',
      'café ✓ 日本語 — ünïcödé',
      '   spaces   ',
      '%(here)s %% ${HOME}',
    ];
    for (const message of hostile) {
      const argv = alembicArgv({ kind: 'revision', message, autogenerate: false });
      assert.deepEqual(argv, ['revision', '-m', message]);
    }
    // argparse would take "-m -fix" for two options: the long form keeps it a value.
    assert.deepEqual(alembicArgv({ kind: 'revision', message: '-fix the thing', autogenerate: false }), ['revision', '--message=-fix the thing']);
    assert.deepEqual(alembicArgv({ kind: 'merge', message: '--sql', revisions: ['heads'] }), ['merge', '--message=--sql', 'heads']);
  });

  it('refuses values that would become options or cannot be an argv element', () => {
    const invalid = (build: () => unknown) => assert.throws(build, InvalidAlembicArgumentError);
    invalid(() => alembicArgv({ kind: 'upgrade', target: '--sql' }));
    invalid(() => alembicArgv({ kind: 'downgrade', target: '-x' }));
    invalid(() => alembicArgv({ kind: 'upgrade', target: 'head ; ls' }));
    invalid(() => alembicArgv({ kind: 'upgrade', target: '' }));
    invalid(() => alembicArgv({ kind: 'stamp', revisions: [] }));
    invalid(() => alembicArgv({ kind: 'merge', revisions: [], message: 'm' }));
    invalid(() => alembicArgv({ kind: 'show', revision: 'a\nb' }));
    invalid(() => alembicArgv({ kind: 'revision', message: 'nul\0byte', autogenerate: false }));
    // Alembic pastes the message into a docstring: these would break the file or change the text.
    assert.throws(() => alembicArgv({ kind: 'revision', message: 'say """hi"""', autogenerate: false }), /break the file/);
    assert.throws(() => alembicArgv({ kind: 'merge', message: 'C:\\temp', revisions: ['heads'] }), /backslash/);
    invalid(() => alembicArgv({ kind: 'revision', message: 'm', autogenerate: false, branchLabel: 'two words' }));
    // Relative steps are fine.
    assert.deepEqual(alembicArgv({ kind: 'downgrade', target: '-12' }), ['downgrade', '-12']);
  });

  it('knows which commands change the database or the versions folder', () => {
    assert.equal(isMutatingCommand({ kind: 'upgrade', target: 'head' }), true);
    assert.equal(isMutatingCommand({ kind: 'upgrade', target: 'a:b', sql: true }), false);
    assert.equal(isMutatingCommand({ kind: 'revision', message: 'x', autogenerate: true }), true);
    assert.equal(isMutatingCommand({ kind: 'history' }), false);
  });
});

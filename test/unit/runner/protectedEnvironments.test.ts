import assert from 'node:assert/strict';
import { describeProtectedMatch, findProtectedMatch, globToRegExp } from '../../../src/core/runner/protectedEnvironments';

describe('protected environments', () => {
  it('matches globs on the whole value, case-insensitively', () => {
    assert.ok(globToRegExp('*prod*').test('db-PROD.internal'));
    assert.ok(globToRegExp('prod-?').test('prod-1'));
    assert.ok(!globToRegExp('prod-?').test('prod-12'));
    assert.ok(!globToRegExp('prod').test('production'));
    // Regex characters in a pattern are literal.
    assert.ok(globToRegExp('db.(main)+').test('db.(main)+'));
    assert.ok(!globToRegExp('db.main').test('dbxmain'));
  });

  it('finds the first pattern that matches any fact, and says which', () => {
    const facts = [
      { kind: 'service', value: 'backend' },
      { kind: 'host', value: 'db-production.example.com' },
      { kind: 'database', value: 'meeting_assistant' },
      { kind: 'url', value: 'postgresql+psycopg2://app:***@db-production.example.com/meeting_assistant' },
    ] as const;
    const match = findProtectedMatch(['*staging*', '*production*', '*prod*'], facts);
    assert.deepEqual(match, { pattern: '*production*', fact: facts[1] });
    assert.equal(describeProtectedMatch(match!), 'the database host db-production.example.com matches the protected pattern "*production*"');
  });

  it('matches nothing for a local database or empty patterns', () => {
    const facts = [
      { kind: 'host', value: '127.0.0.1' },
      { kind: 'database', value: 'meeting_dev' },
    ] as const;
    assert.equal(findProtectedMatch(['*prod*', '*production*'], facts), undefined);
    assert.equal(findProtectedMatch(['', '  '], facts), undefined);
  });
});

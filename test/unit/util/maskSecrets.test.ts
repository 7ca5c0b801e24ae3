import assert from 'node:assert/strict';
import { maskSecrets, maskUrlPassword } from '../../../src/core/util/maskSecrets';

describe('maskUrlPassword', () => {
  it('masks the password of every URL in a text', () => {
    const text = 'tried postgresql+psycopg2://app:s3cret@db:5432/app then mysql://root:toor@localhost/x';
    assert.equal(maskUrlPassword(text), 'tried postgresql+psycopg2://app:***@db:5432/app then mysql://root:***@localhost/x');
  });
  it('masks a password that holds a raw @ up to the host', () => {
    assert.equal(maskUrlPassword('postgresql://app:p@ss@db/app'), 'postgresql://app:***@db/app');
  });
  it('masks passwords that hold / ? # (SQLAlchemy accepts them raw)', () => {
    assert.equal(maskUrlPassword('postgresql://u:pa/ss@host/db'), 'postgresql://u:***@host/db');
    assert.equal(maskUrlPassword('"postgresql://u:p?s#s@host:5432/db" failed'), '"postgresql://u:***@host:5432/db" failed');
    assert.equal(maskUrlPassword('postgresql://u:p@h'), 'postgresql://u:***@h');
  });
  it('keeps URLs without a password as they are', () => {
    for (const text of ['postgresql://app@db/app', 'sqlite:///app.db', 'https://example.org/a:b', 'postgresql://app:@db/x']) {
      assert.equal(maskUrlPassword(text), text);
    }
  });
  it('masks percent-encoded passwords', () => {
    assert.equal(maskUrlPassword('postgresql://u:p%40ss%3A1@h/d'), 'postgresql://u:***@h/d');
  });
});

describe('maskSecrets', () => {
  it('also masks the literal secret and its encoded form outside URLs', () => {
    assert.equal(maskSecrets('password "hunter2" rejected; host=x password=p%40ss', ['hunter2', 'p@ss']), 'password "***" rejected; host=x password=***');
  });
  it('ignores empty and very short secrets (they would mask ordinary words)', () => {
    assert.equal(maskSecrets('a b', ['', 'a', undefined]), 'a b');
  });
});

describe('maskUrlPassword on hostile input', () => {
  it('stays linear on long texts full of URL-like fragments', () => {
    const text = 'a://u:'.repeat(50_000) + 'postgresql://app:secret@db/app';
    const started = performance.now();
    const masked = maskUrlPassword(text);
    assert.ok(performance.now() - started < 2000);
    assert.ok(!masked.includes('secret'));
  });
});

import assert from 'node:assert/strict';
import { maskSecrets, maskUrlPassword } from '../../../src/core/util/maskSecrets';

describe('maskUrlPassword / maskSecrets', () => {
  it('masks the password of every URL and keeps the rest readable', () => {
    assert.equal(
      maskUrlPassword('sqlalchemy.url = postgresql+psycopg2://app:s3cret@db:5432/app and mysql://root:toor@127.0.0.1/x'),
      'sqlalchemy.url = postgresql+psycopg2://app:***@db:5432/app and mysql://root:***@127.0.0.1/x',
    );
  });

  it('masks passwords that contain "@", ":" or encoded characters whole', () => {
    assert.equal(maskUrlPassword('postgresql://app:p@ss:w0rd@db/app'), 'postgresql://app:***@db/app');
    assert.equal(maskUrlPassword('postgresql://app:p%40ss@db/app'), 'postgresql://app:***@db/app');
  });

  it('masks URLs inside quotes and tracebacks', () => {
    assert.equal(
      maskUrlPassword(`create_engine('postgresql://u:pw@h/d') "redis://:tok@cache:6379"`),
      `create_engine('postgresql://u:***@h/d') "redis://:***@cache:6379"`,
    );
  });

  it('leaves URLs without a password and plain text alone', () => {
    const text = 'postgresql://app@db/app https://example.com:8443/path host:5432 Running upgrade a -> b';
    assert.equal(maskUrlPassword(text), text);
    assert.equal(maskUrlPassword('sqlite:////tmp/x.db'), 'sqlite:////tmp/x.db');
  });

  it('also masks password settings in key/value text', () => {
    assert.equal(maskSecrets('host=db user=app password=s3cret dbname=app'), 'host=db user=app password=*** dbname=app');
    assert.equal(maskSecrets(`PGPASSWORD: "x y" and pwd='z'`), 'PGPASSWORD: *** and pwd=***');
    assert.equal(maskSecrets('POSTGRES_PASSWORD=meeting'), 'POSTGRES_PASSWORD=***');
    assert.equal(maskSecrets('password authentication failed for user "app"'), 'password authentication failed for user "app"');
  });
});

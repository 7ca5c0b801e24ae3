import assert from 'node:assert/strict';
import { maskSecretsInText, maskUrlPassword } from '../../../src/core/util/maskSecrets';

describe('maskUrlPassword', () => {
  it('masks the password of SQLAlchemy URLs and nothing else', () => {
    assert.equal(maskUrlPassword('postgresql+psycopg2://app:s3cret@db:5432/app'), 'postgresql+psycopg2://app:***@db:5432/app');
    assert.equal(maskUrlPassword('postgresql://app@db/app'), 'postgresql://app@db/app');
    assert.equal(maskUrlPassword('sqlite:///./app.db'), 'sqlite:///./app.db');
    assert.equal(maskUrlPassword('driver://user:pass@localhost/dbname'), 'driver://user:***@localhost/dbname');
  });

  it('over-masks rather than leaks passwords holding @, / or :', () => {
    for (const password of ['p@ss', 'a/b', 'x:y@z', 'we!rd#%40']) {
      const masked = maskUrlPassword(`postgresql://user:${password}@host/db?sslmode=require`);
      assert.ok(!masked.includes(password), masked);
      assert.ok(masked.endsWith('@host/db?sslmode=require'), masked);
    }
  });

  it('masks password query parameters and URLs inside longer text', () => {
    assert.equal(maskUrlPassword('postgresql://h/db?user=u&password=secret'), 'postgresql://h/db?user=u&password=***');
    const text = `sqlalchemy.exc.OperationalError: could not connect to "postgresql://app:hunter2@db/app" (dsn: host=db password=hunter2)`;
    const masked = maskSecretsInText(text);
    assert.ok(!masked.includes('hunter2'), masked);
    assert.match(masked, /postgresql:\/\/app:\*\*\*@db\/app/);
  });
});

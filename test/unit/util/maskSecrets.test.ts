import assert from 'node:assert/strict';
import { maskSecrets, maskSecretsInText, maskUrlPassword } from '../../../src/core/util/maskSecrets';

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

describe("maskUrlPassword (single URLs)", () => {
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
  it('finishes on long texts full of URL-like fragments', function () {
    // A backtracking pattern would run for minutes here; the timeout is a hang guard, not a speed test.
    this.timeout(20_000);
    const text = 'a://u:'.repeat(50_000) + 'postgresql://app:secret@db/app';
    const masked = maskUrlPassword(text);
    assert.ok(!masked.includes('secret'));
  });
});

// `alembic-workbench lint --url`: the table sizes the editor adds to lock and rewrite findings, in CI.
// The example project migrated by the real Alembic into a scratch PostgreSQL database with rows in
// meetings; the CLI (in-process) given the database with --url prints the size the catalog reports,
// and without --url (or with a database that is down) the same findings come without it.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres';
import { copyToTemp, EXAMPLE_PROJECT, realAlembicOk } from '../../support/realAlembic';
import { runCli } from '../../unit/cli/runCli';
import { closedPort } from '../db/dbTestKit';

interface JsonFinding {
  code: string;
  message: string;
}

function findingsOf(stdout: string): JsonFinding[] {
  const findings = JSON.parse(stdout) as JsonFinding[];
  assert.ok(Array.isArray(findings) && findings.length > 0, stdout);
  return findings;
}

describe('lint --url: table sizes in CI (real Alembic, real PostgreSQL)', function () {
  this.timeout(120_000);
  let database: ScratchDatabase;
  let workspace: string;
  let backend: string;

  before(async () => {
    database = await createScratchDatabase('lint_url_sizes');
    workspace = copyToTemp(EXAMPLE_PROJECT, 'aw-lint-url-');
    backend = path.join(workspace, 'backend');
    realAlembicOk(backend, ['upgrade', 'head'], { DATABASE_URL: database.sqlalchemyUrl });
    await database.query(`INSERT INTO users (id, email, created_at) SELECT g, 'u' || g || '@example.com', now() FROM generate_series(1, 50) AS g`);
    await database.query(
      `INSERT INTO meetings (id, owner_id, title, created_at, duration_seconds) SELECT g, 1 + g % 50, 'meeting ' || g, now(), g FROM generate_series(1, 40000) AS g`,
    );
    await database.query(`ANALYZE users, meetings`);
  });
  after(async () => {
    await database?.drop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('adds "Rewrites meetings: ~40k rows, <size>." to the rewrite finding, and never prints the URL', async () => {
    const plain = await runCli(['lint', '--format', 'json'], { cwd: backend });
    const withSizes = await runCli(['lint', '--format', 'json', '--url', database.sqlalchemyUrl], { cwd: backend });
    assert.equal(withSizes.code, plain.code, withSizes.stderr);
    const before = findingsOf(plain.stdout);
    const after = findingsOf(withSizes.stdout);
    assert.deepEqual(after.map((finding) => finding.code), before.map((finding) => finding.code));
    const rewrite = after.find((finding) => finding.code === 'AW101' && /Rewrites meetings/.test(finding.message));
    assert.ok(rewrite, after.map((finding) => finding.message).join('\n---\n'));
    assert.match(rewrite.message, /\nRewrites meetings: ~4\dk rows, \d+(\.\d)? MB\.$/);
    assert.ok(!before.some((finding) => /Rewrites meetings: ~/.test(finding.message)));
    const output = withSizes.stdout + withSizes.stderr;
    assert.ok(!output.includes(database.sqlalchemyUrl));
    assert.ok(!output.includes(database.connection.password + '@'));
  });

  it('a database that is down: the same findings, a note on stderr, the same exit code', async () => {
    const port = await closedPort();
    const plain = await runCli(['lint', '--format', 'json'], { cwd: backend });
    const down = await runCli(['lint', '--format', 'json', '--url', `postgresql://aw_test:aw_test@127.0.0.1:${port}/x`], { cwd: backend });
    assert.equal(down.code, plain.code);
    assert.deepEqual(findingsOf(down.stdout), findingsOf(plain.stdout));
    assert.match(down.stderr, /note: --url: no table sizes found/);
  });
});

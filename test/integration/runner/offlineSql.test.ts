// Show SQL's plan for one revision, run by the real Alembic 1.8.1 in offline mode on a copy of the
// example project: a plain revision, a base and a merge (whose other branch must not show), and a
// range whose SQL, executed on a real PostgreSQL database, leaves it exactly where Alembic would.
import assert from 'node:assert/strict';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import { loadProjectConfig } from '../../../src/core/project/projectConfig';
import { extractRevisionSteps, planRangeSql, planRevisionSql } from '../../../src/core/runner/offlineSql';
import { createRunnerProject, MERGE_HEAD, type RunnerProject } from './runnerFixture';

describe('offline SQL of one revision (real Alembic, example project)', function () {
  this.timeout(120_000);
  let project: RunnerProject;
  let model: AlembicProjectModel;

  before(async () => {
    project = await createRunnerProject('offline_sql');
    model = AlembicProjectModel.load(loadProjectConfig(project.iniPath));
  });
  after(async () => project.cleanup());

  async function sqlOf(revision: string): Promise<{ text: string; target: string }> {
    const plan = planRevisionSql(model.graph, revision);
    const result = await project.runOk(plan.command);
    return { text: extractRevisionSteps(result.stdout, plan.onlyStepsOf ?? []).text, target: (plan.command as { target: string }).target };
  }

  it('a plain revision: only its own statements, from its parent', async () => {
    const { text, target } = await sqlOf('e91f4c6b0a38');
    assert.equal(target, '5d2e8f1a7c03:e91f4c6b0a38');
    assert.match(text, /^BEGIN;\n\n-- Running upgrade 5d2e8f1a7c03 -> e91f4c6b0a38\n\nALTER TABLE meetings DROP COLUMN description;\n/);
    assert.equal(text.match(/-- Running upgrade/g)?.length, 1);
    assert.match(text, /COMMIT;\s*$/);
  });

  it('a base revision: from base, creating the version table too', async () => {
    const { text, target } = await sqlOf('4b1d3f0a9c21');
    assert.equal(target, 'base:4b1d3f0a9c21');
    assert.match(text, /CREATE TABLE alembic_version/);
    assert.match(text, /CREATE TABLE users/);
    assert.match(text, /CREATE TABLE meetings/);
    assert.match(text, /INSERT INTO alembic_version \(version_num\) VALUES \('4b1d3f0a9c21'\)/);
  });

  it("a merge: only the merge's own version-table step, not the other branch's tables", async () => {
    const plan = planRevisionSql(model.graph, MERGE_HEAD);
    const raw = (await project.runOk(plan.command)).stdout;
    // Starting from one parent, Alembic runs the other branch too: that is what must be cut away.
    assert.ok(raw.match(/-- Running upgrade/g)!.length >= 3, raw);
    const { text, found } = extractRevisionSteps(raw, plan.onlyStepsOf!);
    assert.deepEqual(found, [MERGE_HEAD]);
    assert.equal(text.match(/-- Running upgrade/g)?.length, 1);
    assert.match(text, /-- Running upgrade (9f3b6a2d4e15, d7c1f8e4a2b6|d7c1f8e4a2b6, 9f3b6a2d4e15) -> b5e2a7d9c3f8/);
    assert.match(text, /DELETE FROM alembic_version WHERE alembic_version\.version_num = '(9f3b6a2d4e15|d7c1f8e4a2b6)';/);
    assert.match(text, /UPDATE alembic_version SET version_num='b5e2a7d9c3f8'/);
    assert.doesNotMatch(text, /CREATE TABLE|ALTER TABLE/);
    assert.match(plan.notes[0], /merges 9f3b6a2d4e15, d7c1f8e4a2b6/);
  });

  it('a range: its SQL, run on PostgreSQL, leaves the database at the range end', async () => {
    // Up to the revision before the CONCURRENTLY index, which PostgreSQL refuses in a multi-statement query.
    const plan = planRangeSql(model.graph, 'base', 'c3a9e1b27d44');
    const sql = (await project.runOk(plan.command)).stdout;
    await project.database.query(sql);
    assert.deepEqual(await project.versions(), ['c3a9e1b27d44']);
    assert.deepEqual(await project.tables(), ['meetings', 'transcripts', 'users']);
    assert.ok((await project.columns('meetings')).has('location'));
    // And Alembic agrees on where the database is.
    assert.match((await project.runOk({ kind: 'current' })).stdout, /^c3a9e1b27d44$/m);
  });
});

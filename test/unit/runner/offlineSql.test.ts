import assert from 'node:assert/strict';
import { extractRevisionSteps, OfflineSqlPlanError, planRangeSql, planRevisionSql, splitOfflineSql } from '../../../src/core/runner/offlineSql';
import { graphOf } from '../revisions/graphFixtures';

// The shapes below are Alembic 1.8.1's own offline output (see ../shared/alembic-corpus
// 15_cli_commands/output/upgrade_offline_sql*.stdout.txt and the example project's env.py, which
// sets transaction_per_migration=True).
const ONE_TRANSACTION = `BEGIN;

-- Running upgrade 12e1c988c2b0 -> 140b2240f680

ALTER TABLE meetings ALTER COLUMN title SET NOT NULL;

UPDATE alembic_version SET version_num='140b2240f680' WHERE alembic_version.version_num = '12e1c988c2b0';

-- Running upgrade 140b2240f680 -> 4ee72b094150

ALTER TABLE meetings DROP COLUMN description;

UPDATE alembic_version SET version_num='4ee72b094150' WHERE alembic_version.version_num = '140b2240f680';

COMMIT;

`;

const TRANSACTION_PER_STEP = `BEGIN;

-- Running upgrade e91f4c6b0a38 -> 2c8d7e9f1b60

CREATE TABLE tags (id SERIAL NOT NULL, PRIMARY KEY (id));

INSERT INTO alembic_version (version_num) VALUES ('2c8d7e9f1b60') RETURNING alembic_version.version_num;

COMMIT;

BEGIN;

-- Running upgrade 2c8d7e9f1b60 -> 9f3b6a2d4e15

ALTER TABLE tags ADD COLUMN color VARCHAR(7);

UPDATE alembic_version SET version_num='9f3b6a2d4e15' WHERE alembic_version.version_num = '2c8d7e9f1b60';

COMMIT;

BEGIN;

-- Running upgrade 9f3b6a2d4e15, d7c1f8e4a2b6 -> b5e2a7d9c3f8

DELETE FROM alembic_version WHERE alembic_version.version_num = '9f3b6a2d4e15';

UPDATE alembic_version SET version_num='b5e2a7d9c3f8' WHERE alembic_version.version_num = 'd7c1f8e4a2b6';

COMMIT;

`;

const FROM_BASE_PER_STEP = `BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 4b1d3f0a9c21

CREATE TABLE users (id SERIAL NOT NULL);

INSERT INTO alembic_version (version_num) VALUES ('4b1d3f0a9c21') RETURNING alembic_version.version_num;

COMMIT;

BEGIN;

-- Running upgrade 4b1d3f0a9c21 -> 8e7c2a6d5f10

CREATE TABLE transcripts (id SERIAL NOT NULL);

UPDATE alembic_version SET version_num='8e7c2a6d5f10' WHERE alembic_version.version_num = '4b1d3f0a9c21';

COMMIT;

`;

describe('offline SQL', () => {
  describe('splitOfflineSql', () => {
    it('cuts one big transaction at the step markers, BEGIN before and COMMIT after', () => {
      const sections = splitOfflineSql(ONE_TRANSACTION);
      assert.equal(sections.transactionPerStep, false);
      assert.equal(sections.preamble.trim(), 'BEGIN;');
      assert.deepEqual(sections.steps.map((step) => step.revision), ['140b2240f680', '4ee72b094150']);
      assert.match(sections.steps[1].text, /^-- Running upgrade 140b2240f680 -> 4ee72b094150\n\nALTER TABLE meetings DROP COLUMN description;/);
      assert.doesNotMatch(sections.steps[1].text, /COMMIT/);
      assert.equal(sections.postamble.trim(), 'COMMIT;');
    });

    it('keeps each step with its own BEGIN and COMMIT when every migration is a transaction', () => {
      const sections = splitOfflineSql(TRANSACTION_PER_STEP);
      assert.equal(sections.transactionPerStep, true);
      assert.equal(sections.preamble, '');
      assert.deepEqual(sections.steps.map((step) => step.revision), ['2c8d7e9f1b60', '9f3b6a2d4e15', 'b5e2a7d9c3f8']);
      for (const step of sections.steps) {
        assert.match(step.text, /^BEGIN;\n\n-- Running upgrade /);
        assert.match(step.text.trim(), /COMMIT;$/);
      }
    });

    it('leaves text without markers whole (nothing to cut)', () => {
      const sections = splitOfflineSql('SELECT 1;\n');
      assert.deepEqual(sections.steps, []);
      assert.equal(sections.preamble, 'SELECT 1;\n');
    });
  });

  describe('extractRevisionSteps', () => {
    it("keeps only a merge's own step, a transaction of its own", () => {
      const { text, found } = extractRevisionSteps(TRANSACTION_PER_STEP, ['b5e2a7d9c3f8']);
      assert.deepEqual(found, ['b5e2a7d9c3f8']);
      assert.equal(
        text,
        "BEGIN;\n\n-- Running upgrade 9f3b6a2d4e15, d7c1f8e4a2b6 -> b5e2a7d9c3f8\n\nDELETE FROM alembic_version WHERE alembic_version.version_num = '9f3b6a2d4e15';\n\nUPDATE alembic_version SET version_num='b5e2a7d9c3f8' WHERE alembic_version.version_num = 'd7c1f8e4a2b6';\n\nCOMMIT;\n",
      );
      assert.doesNotMatch(text, /CREATE TABLE tags/);
    });

    it('wraps a later step of one big transaction in its BEGIN and COMMIT', () => {
      const { text } = extractRevisionSteps(ONE_TRANSACTION, ['4ee72b094150']);
      assert.match(text, /^BEGIN;\n\n-- Running upgrade 140b2240f680 -> 4ee72b094150\n/);
      assert.match(text, /COMMIT;\n$/);
      assert.doesNotMatch(text, /SET NOT NULL/);
    });

    it('gives a later step from base without the first step\'s version-table creation', () => {
      const { text } = extractRevisionSteps(FROM_BASE_PER_STEP, ['8e7c2a6d5f10']);
      assert.doesNotMatch(text, /CREATE TABLE alembic_version|CREATE TABLE users/);
      assert.match(text, /^BEGIN;\n\n-- Running upgrade 4b1d3f0a9c21 -> 8e7c2a6d5f10/);
    });

    it('returns the text unchanged when it holds only the wanted step', () => {
      const only = FROM_BASE_PER_STEP.slice(0, FROM_BASE_PER_STEP.indexOf('BEGIN;\n\n-- Running upgrade 4b1d3f0a9c21'));
      assert.equal(extractRevisionSteps(only, ['4b1d3f0a9c21']).text, only);
    });
  });

  describe('planRevisionSql', () => {
    const graph = graphOf([
      { id: 'aaaaaaaaaaaa', down: null },
      { id: 'bbbbbbbbbbbb', down: 'aaaaaaaaaaaa' },
      { id: 'cccccccccccc', down: 'bbbbbbbbbbbb' },
      { id: 'dddddddddddd', down: 'cccccccccccc' },
      { id: 'eeeeeeeeeeee', down: 'bbbbbbbbbbbb' },
      { id: 'ffffffffffff', down: ['dddddddddddd', 'eeeeeeeeeeee'] },
      { id: '111111111111', down: null, labels: ['other'] },
      { id: '222222222222', down: 'cccccccccccc', dependsOn: ['111111111111'] },
    ]);

    it('runs a revision from its parent', () => {
      const plan = planRevisionSql(graph, 'cccccccccccc');
      assert.deepEqual(plan.command, { kind: 'upgrade', target: 'bbbbbbbbbbbb:cccccccccccc', sql: true });
      assert.deepEqual(plan.onlyStepsOf, ['cccccccccccc']);
      assert.deepEqual(plan.notes, []);
    });

    it('runs a base revision from base and says the version table comes with it', () => {
      const plan = planRevisionSql(graph, 'aaaaaaaaaaaa');
      assert.equal(plan.from, 'base');
      assert.equal((plan.command as { target: string }).target, 'base:aaaaaaaaaaaa');
      assert.match(plan.notes[0], /creates the version table/);
    });

    it('runs a merge from the parent that brings the fewest other revisions along, and says so', () => {
      const plan = planRevisionSql(graph, 'ffffffffffff');
      // From dddddddddddd only eeeeeeeeeeee comes along; from eeeeeeeeeeee, cccccccccccc and dddddddddddd would.
      assert.equal(plan.from, 'dddddddddddd');
      assert.deepEqual(plan.onlyStepsOf, ['ffffffffffff']);
      assert.match(plan.notes[0], /merges dddddddddddd, eeeeeeeeeeee.*also runs eeeeeeeeeeee.*only the merge's own step/);
    });

    it('keeps only the revision when depends_on pulls in another branch', () => {
      const plan = planRevisionSql(graph, '222222222222');
      assert.equal(plan.from, 'cccccccccccc');
      assert.match(plan.notes[0], /depends on revisions its parent does not have \(111111111111\)/);
    });

    it('refuses an unknown revision and a dangling parent with a sentence', () => {
      assert.throws(() => planRevisionSql(graph, '999999999999'), OfflineSqlPlanError);
      const dangling = graphOf([{ id: 'aaaaaaaaaaaa', down: 'ffffffffffff' }]);
      assert.throws(() => planRevisionSql(dangling, 'aaaaaaaaaaaa'), /names ffffffffffff as its parent/);
    });
  });

  describe('planRangeSql', () => {
    const graph = graphOf([
      { id: 'aaaaaaaaaaaa', down: null },
      { id: 'bbbbbbbbbbbb', down: 'aaaaaaaaaaaa' },
      { id: 'cccccccccccc', down: 'bbbbbbbbbbbb' },
    ]);

    it('runs from an ancestor (or base) to a revision, whole', () => {
      assert.deepEqual(planRangeSql(graph, 'aaaaaaaaaaaa', 'cccccccccccc').command, { kind: 'upgrade', target: 'aaaaaaaaaaaa:cccccccccccc', sql: true });
      assert.equal(planRangeSql(graph, 'base', 'bbbbbbbbbbbb').onlyStepsOf, undefined);
    });

    it('refuses a range that runs nothing', () => {
      assert.throws(() => planRangeSql(graph, 'cccccccccccc', 'aaaaaaaaaaaa'), /not an ancestor/);
      assert.throws(() => planRangeSql(graph, 'bbbbbbbbbbbb', 'bbbbbbbbbbbb'), /not an ancestor/);
    });
  });
});

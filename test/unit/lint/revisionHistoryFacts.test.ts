import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectRevisionFiles } from '../../../src/cli/lintCommand';
import { lintMigration } from '../../../src/core/lint/lintEngine';
import { createLintContext } from '../../../src/core/lint/lintContext';
import { CreatedEnumTypesCache, learnedDowngradePolicy, projectHistoryFacts, RevisionHistoryFacts } from '../../../src/core/lint/revisionHistoryFacts';
import { loadProjectConfig } from '../../../src/core/project/projectConfig';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import { revisionSource } from '../../support/revisionSource';
import { runCli } from '../cli/runCli';

const file = (id: string) => `/project/versions/${id}_x.py`;

describe('RevisionHistoryFacts: what earlier revisions left in the schema', () => {
  const first = revisionSource({ id: 'a1', upgrade: `op.create_table('rules', sa.Column('direction', sa.Enum('egress', 'ingress', name='directions')))`, downgrade: `op.drop_table('rules')` });
  const unrelated = revisionSource({ id: 'z9', upgrade: `op.create_table('x', sa.Column('k', sa.Enum('p', name='kinds')))` });
  const later = revisionSource({
    id: 'b2',
    down: 'a1',
    upgrade: `op.add_column('limits', sa.Column('direction', sa.Enum('egress', 'ingress', name='directions'), nullable=True))\nop.add_column('limits', sa.Column('kind', sa.Enum('p', name='kinds'), nullable=True))`,
    downgrade: `op.drop_column('limits', 'kind')\nop.drop_column('limits', 'direction')`,
  });
  const facts = RevisionHistoryFacts.fromSources([
    { filePath: file('a1'), source: first },
    { filePath: file('z9'), source: unrelated },
    { filePath: file('b2'), source: later },
  ]);

  it('lists the Enum types created by a revision\'s ancestors only', () => {
    assert.deepEqual([...facts.enumTypesBefore(file('b2'))], ['directions']);
    assert.deepEqual([...facts.enumTypesBefore(file('a1'))], []);
    assert.deepEqual([...facts.enumTypesBefore('/elsewhere.py')], []);
  });

  it('AW305 no longer calls a type missing when an ancestor created it; a type from another branch still is', () => {
    const missing = (earlierEnumTypes?: Set<string>) =>
      lintMigration(later, { filePath: file('b2'), context: createLintContext({ dialect: 'postgresql' }), earlierEnumTypes })
        .findings.filter((finding) => finding.code === 'AW305' && /does not exist/.test(finding.message))
        .map((finding) => /Enum type (\w+)/.exec(finding.message)?.[1]);
    assert.deepEqual(missing(), ['directions', 'kinds']);
    assert.deepEqual(missing(facts.enumTypesBefore(file('b2'))), ['kinds']);
  });

  it("finds Neutron's `directions` type (created in newton by 0f5bef0f87d4) for pike's 2b42d90729da", function () {
    const versions = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'realworld', 'openstack+neutron', 'neutron', 'db', 'migration', 'alembic_migrations', 'versions');
    if (!existsSync(versions)) this.skip(); // ../shared/realworld sits beside the clone in CI and here.
    const { files } = collectRevisionFiles([versions], { recursive: true });
    const facts = RevisionHistoryFacts.fromSources(files.map((filePath) => ({ filePath, source: readFileSync(filePath, 'utf8') })));
    const user = path.join(versions, 'pike', 'expand', '2b42d90729da_qos_add_direction_to_bw_limit_rule_table.py');
    const earlier = facts.enumTypesBefore(user);
    assert.ok(earlier.has('directions'), [...earlier].join(', '));
    const findings = lintMigration(readFileSync(user, 'utf8'), { filePath: user, context: createLintContext({ dialect: 'postgresql' }), earlierEnumTypes: earlier }).findings;
    assert.deepEqual(findings.filter((finding) => finding.code === 'AW305'), []);
  });

  describe('from a project on disk: the editor (projectHistoryFacts on its model) and `lint FILE` (CLI)', () => {
    let root: string;
    const versions = () => path.join(root, 'alembic', 'versions');
    const missingTypes = (findings: Array<{ code: string; message: string }>) =>
      findings.filter((finding) => finding.code === 'AW305' && /does not exist/.test(finding.message)).map((finding) => /Enum type (\w+)/.exec(finding.message)?.[1]);
    beforeEach(() => {
      root = mkdtempSync(path.join(tmpdir(), 'aw-history-'));
      mkdirSync(versions(), { recursive: true });
      writeFileSync(path.join(root, 'alembic.ini'), '[alembic]\nscript_location = %(here)s/alembic\nsqlalchemy.url = postgresql://app@db/app\n');
      writeFileSync(path.join(root, 'alembic', 'env.py'), 'connect_args = {"options": "-c lock_timeout=5s"}\n');
      writeFileSync(path.join(versions(), 'a1_rules.py'), first);
      writeFileSync(path.join(versions(), 'z9_other.py'), unrelated);
      writeFileSync(path.join(versions(), 'b2_limits.py'), later);
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('the editor\'s seam: types created by ancestors, re-read when a file changes', () => {
      const model = AlembicProjectModel.load(loadProjectConfig(path.join(root, 'alembic.ini')));
      const cache = new CreatedEnumTypesCache();
      const user = path.join(versions(), 'b2_limits.py');
      assert.deepEqual([...projectHistoryFacts(model, cache).enumTypesBefore(user)], ['directions']);
      const lintedLikeTheEditor = lintMigration(later, { filePath: user, context: createLintContext({ dialect: 'postgresql' }), earlierEnumTypes: projectHistoryFacts(model, cache).enumTypesBefore(user) });
      assert.deepEqual(missingTypes(lintedLikeTheEditor.findings), ['kinds']);
      // a1 no longer creates the type: the cache sees the new file (size and mtime change).
      writeFileSync(path.join(versions(), 'a1_rules.py'), revisionSource({ id: 'a1', upgrade: `op.create_table('rules', sa.Column('direction', sa.String(10)))`, downgrade: `op.drop_table('rules')` }));
      assert.deepEqual([...projectHistoryFacts(model, cache).enumTypesBefore(user)], []);
    });

    it('`lint FILE` reads the project\'s other revisions for the history', async () => {
      const run = await runCli(['lint', '--format', 'json', path.join('alembic', 'versions', 'b2_limits.py')], { cwd: root });
      const findings = JSON.parse(run.stdout) as Array<{ code: string; message: string; file: string }>;
      assert.deepEqual(missingTypes(findings), ['kinds'], run.stderr);
      assert.ok(findings.every((finding) => finding.file.endsWith('b2_limits.py')));
    });
  });

  it("`lint FILE` on Neutron's 2b42d90729da finds `directions` in the nested folders", async function () {
    const project = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'realworld', 'openstack+neutron', 'neutron', 'db', 'migration');
    if (!existsSync(project)) this.skip(); // ../shared/realworld sits beside the clone in CI and here.
    const user = path.join('alembic_migrations', 'versions', 'pike', 'expand', '2b42d90729da_qos_add_direction_to_bw_limit_rule_table.py');
    const run = await runCli(['lint', '--format', 'json', user], { cwd: project });
    const findings = JSON.parse(run.stdout) as Array<{ code: string; message: string }>;
    assert.deepEqual(findings.filter((finding) => finding.code === 'AW305'), [], run.stderr);
  });
});

describe('learnedDowngradePolicy: the downgrade policy the history shows', () => {
  const withoutDowngrade = (source: string) => source.replace(/\n+def downgrade\(\)[\s\S]*$/, '\n');
  const history = (count: number, withDowngrade: number) =>
    learnedDowngradePolicy(
      Array.from({ length: count }, (_, index) => {
        const source = revisionSource({ id: `r${index}`, down: index === 0 ? undefined : `r${index - 1}`, upgrade: `op.add_column('t', sa.Column('c${index}', sa.Integer()))` });
        return { filePath: file(`r${index}`), source: index < withDowngrade ? source : withoutDowngrade(source) };
      }),
    );

  it('reads "none" when no revision of a long enough history has a downgrade() (Neutron)', () => {
    assert.match(revisionSource({ id: 'x', upgrade: 'pass' }), /def downgrade\(\)/);
    assert.doesNotMatch(withoutDowngrade(revisionSource({ id: 'x', upgrade: 'pass' })), /def downgrade/);
    assert.deepEqual(history(12, 0), { policy: 'none', revisions: 12, withDowngrade: 0 });
  });
  it('reads no policy when some revisions have a downgrade(), or the history is too short to tell', () => {
    assert.equal(history(12, 2), undefined);
    assert.equal(history(5, 0), undefined);
  });
});

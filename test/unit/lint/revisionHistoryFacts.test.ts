import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { collectRevisionFiles } from '../../../src/cli/lintCommand';
import { lintMigration } from '../../../src/core/lint/lintEngine';
import { createLintContext } from '../../../src/core/lint/lintContext';
import { RevisionHistoryFacts } from '../../../src/core/lint/revisionHistoryFacts';
import { revisionSource } from '../../support/revisionSource';

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
  const facts = new RevisionHistoryFacts([
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
    const facts = new RevisionHistoryFacts(files.map((filePath) => ({ filePath, source: readFileSync(filePath, 'utf8') })));
    const user = path.join(versions, 'pike', 'expand', '2b42d90729da_qos_add_direction_to_bw_limit_rule_table.py');
    const earlier = facts.enumTypesBefore(user);
    assert.ok(earlier.has('directions'), [...earlier].join(', '));
    const findings = lintMigration(readFileSync(user, 'utf8'), { filePath: user, context: createLintContext({ dialect: 'postgresql' }), earlierEnumTypes: earlier }).findings;
    assert.deepEqual(findings.filter((finding) => finding.code === 'AW305'), []);
  });
});

describe('RevisionHistoryFacts: the downgrade policy the history shows', () => {
  const withoutDowngrade = (source: string) => source.replace(/\n+def downgrade\(\)[\s\S]*$/, '\n');
  const history = (count: number, withDowngrade: number) =>
    new RevisionHistoryFacts(
      Array.from({ length: count }, (_, index) => {
        const source = revisionSource({ id: `r${index}`, down: index === 0 ? undefined : `r${index - 1}`, upgrade: `op.add_column('t', sa.Column('c${index}', sa.Integer()))` });
        return { filePath: file(`r${index}`), source: index < withDowngrade ? source : withoutDowngrade(source) };
      }),
    );

  it('reads "none" when no revision of a long enough history has a downgrade() (Neutron)', () => {
    assert.match(revisionSource({ id: 'x', upgrade: 'pass' }), /def downgrade\(\)/);
    assert.doesNotMatch(withoutDowngrade(revisionSource({ id: 'x', upgrade: 'pass' })), /def downgrade/);
    assert.deepEqual(history(12, 0).learnedDowngradePolicy(), { policy: 'none', revisions: 12, withDowngrade: 0 });
  });
  it('reads no policy when some revisions have a downgrade(), or the history is too short to tell', () => {
    assert.equal(history(12, 2).learnedDowngradePolicy(), undefined);
    assert.equal(history(5, 0).learnedDowngradePolicy(), undefined);
  });
});

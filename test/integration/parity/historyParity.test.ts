// Parity with the real Alembic 1.8.1 on histories it generated itself: the heads, the full text of
// `history`, `show` for every revision and for every kind of symbol, history ranges, and where
// relative upgrade/downgrade targets land. Every project is made with `alembic init`,
// `alembic revision` and `alembic merge`; ids are fixed with --rev-id so probes can name them.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { generateProject, GeneratedProject, RevisionStep } from './support/alembicBatch';
import { assertParity } from './support/parityProbe';
import { EXAMPLE_PROJECT, ALEMBIC_CORPUS } from '../../support/realAlembic';
import { copyToTemp } from '../../support/realAlembic';
import { seededRandom } from '../../support/seededRandom';

const OFFLINE_URL = (ini: string) => ini.replace(/^sqlalchemy\.url = .*$/m, 'sqlalchemy.url = postgresql://parity:parity@127.0.0.1:5432/parity_offline');

function project(steps: RevisionStep[], iniEdits?: (ini: string) => string): GeneratedProject {
  return generateProject(steps, { iniEdits: (ini) => OFFLINE_URL(iniEdits ? iniEdits(ini) : ini) });
}


const linearSteps = (count: number, prefix = 'a'): RevisionStep[] =>
  Array.from({ length: count }, (_, index) => ({
    kind: 'revision' as const,
    id: `${prefix}${String(index + 1).padStart(3, '0')}c0ffee${index}`,
    message: `step ${index + 1} of the line`,
  }));

describe('parity with Alembic 1.8.1 on generated histories', function () {
  this.timeout(180_000);
  const made: GeneratedProject[] = [];
  after(() => {
    for (const generated of made) generated.cleanup();
  });
  const make = (steps: RevisionStep[], iniEdits?: (ini: string) => string) => {
    const generated = project(steps, iniEdits);
    made.push(generated);
    return generated;
  };

  it('a linear history', async () => {
    const steps = linearSteps(12);
    const { root } = make(steps);
    const ids = steps.map((step) => step.id);
    const result = await assertParity(root, {
      symbols: ['head', 'heads', 'base', '-1', '-3', '-20', ids[3].slice(0, 4), ids[3].slice(0, 6), 'a00', 'zzzz', 'head@x'],
      ranges: [`${ids[2]}:${ids[5]}`, `base:${ids[1]}`, `${ids[9]}:`, `:${ids[0]}`, `${ids[5]}:${ids[2]}`, 'heads:base', `${ids[4]}:heads`],
      upgrades: [
        ['base', '+1'],
        ['base', '+3'],
        [ids[2], '+2'],
        [ids[10], '+2'],
        [ids[0], `${ids[4]}+1`],
        [ids[0], 'head-2'],
        [ids[0], `${ids[6]}-1`],
      ],
      downgrades: [
        [ids[5], '-1'],
        [ids[5], '-6'],
        [ids[5], '-7'],
        [ids[5], `${ids[3]}+1`],
        [ids[5], 'base'],
      ],
    });
    assert.equal(result.revisions, 12);
  });

  it('branches from one point, labelled and spliced, then merged twice', async () => {
    const steps: RevisionStep[] = [
      { kind: 'revision', id: '1a2b3c4d0001', message: 'initial tables' },
      { kind: 'revision', id: '1a2b3c4d0002', message: 'add users' },
      { kind: 'revision', id: 'b1b1b1b10003', message: 'tags branch', branchLabel: 'tags' },
      { kind: 'revision', id: 'b1b1b1b10004', message: 'more tags' },
      { kind: 'revision', id: 'c2c2c2c20005', message: 'recording url', head: '1a2b3c4d0002', splice: true },
      { kind: 'revision', id: 'c2c2c2c20006', message: 'recording size', head: 'c2c2c2c20005' },
      { kind: 'merge', id: 'd3d3d3d30007', message: 'merge tags and recording', revisions: ['heads'] },
      { kind: 'revision', id: 'e4e4e4e40008', message: 'after the merge' },
      { kind: 'revision', id: 'f5f5f5f50009', message: 'left again', head: 'e4e4e4e40008' },
      { kind: 'revision', id: 'f5f5f5f50010', message: 'right again', head: 'e4e4e4e40008', splice: true },
      { kind: 'merge', id: 'a6a6a6a60011', message: 'second merge', revisions: ['f5f5f5f50009', 'f5f5f5f50010'] },
    ];
    const { root } = make(steps);
    await assertParity(root, {
      symbols: ['head', 'heads', 'tags', 'tags@head', 'tags@heads', 'tags@b1b1b1b10003', 'tags@c2c2c2c20005', 'tags@-1', 'b1b1', 'f5f5', 'f5f5f5f50', '-1', '-2'],
      ranges: ['1a2b3c4d0002:d3d3d3d30007', 'b1b1b1b10003:heads', 'b1b1b1b10003:c2c2c2c20006', 'c2c2c2c20005:'],
      upgrades: [
        ['1a2b3c4d0002', '+1'],
        ['1a2b3c4d0002', 'tags@+1'],
        ['1a2b3c4d0002', 'tags@+2'],
        ['b1b1b1b10004', '+1'],
        ['base', 'tags@+3'],
        ['1a2b3c4d0001', 'head-1'],
        ['1a2b3c4d0001', 'e4e4e4e40008-1'],
      ],
      downgrades: [
        ['d3d3d3d30007', '-1'],
        ['b1b1b1b10004', '-1'],
        ['b1b1b1b10004', 'tags@-1'],
        ['e4e4e4e40008', '-1'],
        ['e4e4e4e40008', 'b1b1b1b10003'],
      ],
    });
  });

  it('several bases with branch labels, depends_on between them, and unmerged heads', async () => {
    const steps: RevisionStep[] = [
      { kind: 'revision', id: 'acc00001', message: 'accounts base', head: 'base', branchLabel: 'accounts' },
      { kind: 'revision', id: 'acc00002', message: 'accounts email', head: 'accounts@head' },
      { kind: 'revision', id: 'shop0001', message: 'shop base', head: 'base', branchLabel: 'shop' },
      { kind: 'revision', id: 'shop0002', message: 'orders need accounts', head: 'shop@head', dependsOn: ['acc00002'] },
      { kind: 'revision', id: 'shop0003', message: 'depends on a label', head: 'shop@head', dependsOn: ['accounts'] },
      { kind: 'revision', id: 'rep00001', message: 'reports base', head: 'base', branchLabel: 'reports', dependsOn: ['shop0001'] },
      { kind: 'revision', id: 'acc00003', message: 'accounts again', head: 'accounts@head' },
    ];
    const { root } = make(steps);
    await assertParity(root, {
      symbols: ['heads', 'head', 'accounts@head', 'shop@head', 'reports@head', 'shop', 'accounts@base', 'shop@-1', 'accounts@shop0002', 'acc0', 'base'],
      ranges: ['base:shop@head', 'acc00001:acc00003', 'shop0001:heads'],
      upgrades: [
        ['base', 'accounts@+1'],
        ['base', 'shop@+2'],
        ['acc00001', 'accounts@+1'],
        ['base', '+1'],
        ['acc00002', 'shop0001+1'],
      ],
      downgrades: [
        ['shop0003', 'shop@-1'],
        ['acc00003', 'accounts@-2'],
        ['shop0003', 'shop@base'],
      ],
    });
  });

  it('a three-way merge and a merge of a merge', async () => {
    const steps: RevisionStep[] = [
      { kind: 'revision', id: '3w000001', message: 'root' },
      { kind: 'revision', id: '3w000002', message: 'fork' },
      { kind: 'revision', id: '3wa00003', message: 'first of three', head: '3w000002' },
      { kind: 'revision', id: '3wb00004', message: 'second of three', head: '3w000002', splice: true },
      { kind: 'revision', id: '3wc00005', message: 'third of three', head: '3w000002', splice: true, branchLabel: 'third' },
      { kind: 'merge', id: '3wm00006', message: 'merge all three', revisions: ['3wa00003', '3wb00004', '3wc00005'] },
      { kind: 'revision', id: '3wd00007', message: 'side line', head: '3w000001', splice: true },
      { kind: 'merge', id: '3wm00008', message: 'merge the merge', revisions: ['heads'] },
    ];
    const { root } = make(steps);
    await assertParity(root, {
      symbols: ['head', 'third', 'third@head', '-1', '3wm0', '3wm00'],
      ranges: ['3w000002:3wm00006', '3wd00007:heads', '3wa00003:3wb00004'],
      upgrades: [
        ['3w000002', '+1'],
        ['3w000002', 'third@+1'],
        ['3wa00003', '+1'],
      ],
      downgrades: [
        ['3wm00006', '-1'],
        ['3wc00005', 'third@-1'],
      ],
    });
  });

  it('custom, non-hex revision ids', async () => {
    const steps: RevisionStep[] = [
      { kind: 'revision', id: 'create_users', message: 'create users' },
      { kind: 'revision', id: 'add_email_2024', message: 'add email' },
      { kind: 'revision', id: 'ADD_INDEX', message: 'upper case id' },
      { kind: 'revision', id: 'x1', message: 'a two-character id' },
      { kind: 'revision', id: 'v2.0_rename', message: 'dots in the id' },
    ];
    const { root } = make(steps);
    await assertParity(root, {
      symbols: ['x1', 'x', 'add_', 'add', 'crea', 'v2.0', 'ADD_INDEX', 'head'],
      upgrades: [
        ['create_users', '+2'],
        ['add_email_2024', 'x1+1'],
      ],
      downgrades: [['v2.0_rename', '-2']],
    });
  });

  it('hand-written headers: annotated, double-quoted, CRLF, list merges, depends_on a label', async () => {
    const generated = make([]);
    const fixtures = path.resolve(__dirname, '..', '..', 'fixtures', 'revisions');
    for (const name of readdirSync(fixtures).filter((file) => file.endsWith('.py'))) copyFileSync(path.join(fixtures, name), path.join(generated.versions, name));
    await assertParity(generated.root, {
      symbols: ['head', 'reports', 'reports@head', 'merge_custom', 'annotated', 'dep_'],
      ranges: ['custom_base:merge_custom', 'plain_0002:'],
      upgrades: [
        ['custom_base', '+1'],
        ['custom_base', 'reports@+1'],
        ['base', '+1'],
      ],
      downgrades: [['dep_0003', '-2']],
    });
  });

  it('several version locations, listed with a space separator', async () => {
    const steps: RevisionStep[] = [
      { kind: 'revision', id: 'main0001', message: 'main base', versionPath: 'migrations/versions' },
      { kind: 'revision', id: 'main0002', message: 'main second', head: 'main0001' },
      { kind: 'revision', id: 'extra001', message: 'extra base', head: 'base', branchLabel: 'extra', versionPath: 'extra_versions' },
      { kind: 'revision', id: 'extra002', message: 'extra second', head: 'extra@head' },
      { kind: 'revision', id: 'main0003', message: 'main third', head: 'main0002' },
    ];
    const { root } = make(steps, (ini) =>
      ini
        .replace(/^version_path_separator = .*$/m, 'version_path_separator = space')
        .replace(/^# version_locations = .*$/m, 'version_locations = %(here)s/migrations/versions %(here)s/extra_versions'),
    );
    assert.ok(existsSync(path.join(root, 'extra_versions')));
    await assertParity(root, { symbols: ['heads', 'extra@head', 'extra'], ranges: ['main0001:main0003'] });
  });

  for (const seed of [7, 42, 2024, 31337]) {
    it(`a randomly grown history (seed ${seed}): lines, splices, labels, merges, new bases`, async () => {
      const next = seededRandom(seed);
      const steps: RevisionStep[] = [];
      const heads: string[] = [];
      const all: string[] = [];
      let labels = 0;
      const newId = () => Array.from({ length: 12 }, () => '0123456789abcdef'[Math.floor(next() * 16)]).join('');
      for (let index = 0; index < 36; index++) {
        const id = newId();
        const roll = next();
        if (index === 0 || roll < 0.05) {
          const label = `line${labels++}`;
          steps.push({ kind: 'revision', id, message: `base ${index}`, head: 'base', branchLabel: label });
          heads.push(id);
        } else if (roll < 0.2 && all.length > 1) {
          const from = all[Math.floor(next() * all.length)];
          const label = next() < 0.4 ? `line${labels++}` : undefined;
          steps.push({ kind: 'revision', id, message: `splice from ${from.slice(0, 4)}`, head: from, splice: true, branchLabel: label });
          const at = heads.indexOf(from);
          if (at >= 0) heads.splice(at, 1);
          heads.push(id);
        } else if (roll < 0.32 && heads.length >= 2) {
          const count = Math.min(heads.length, next() < 0.3 ? 3 : 2);
          const merged = heads.splice(0, count);
          steps.push({ kind: 'merge', id, message: `merge ${count}`, revisions: merged });
          heads.push(id);
        } else {
          const from = heads[Math.floor(next() * heads.length)];
          steps.push({ kind: 'revision', id, message: `after ${from.slice(0, 4)}`, head: from });
          heads.splice(heads.indexOf(from), 1, id);
        }
        all.push(id);
      }
      const { root } = make(steps);
      const pick = () => all[Math.floor(next() * all.length)];
      await assertParity(root, {
        symbols: ['heads', 'head', '-1', 'line0@head', 'line0', pick().slice(0, 5), 'line1@-1'],
        ranges: [`${all[0]}:heads`, `${pick()}:${pick()}`, `base:${pick()}`],
        upgrades: [
          ['base', '+1'],
          [pick(), '+1'],
          [pick(), 'line0@+1'],
          [pick(), `${pick()}+1`],
        ],
        downgrades: [
          [pick(), '-1'],
          [pick(), 'line0@-1'],
          [pick(), pick()],
        ],
      });
    });
  }

  it('the curated Alembic corpus history (when present)', async function () {
    const versions = path.join(ALEMBIC_CORPUS, '18_full_versions_dir_postgres', 'versions');
    if (!existsSync(versions)) this.skip();
    const generated = make([]);
    for (const name of readdirSync(versions)) copyFileSync(path.join(versions, name), path.join(generated.versions, name));
    await assertParity(generated.root, {
      symbols: ['head', 'tags@head', '12a', '12', '1', 'b56', '12e1', '-1'],
      ranges: ['360bc644b6f4:00895308c34d', '470db97f7b91:heads'],
      upgrades: [['00895308c34d', 'tags@+1']],
      downgrades: [
        ['12a9efe6d93b', '-1'],
        ['12a9efe6d93b', 'tags@-1'],
      ],
    });
  });

  it('the example project (when it has landed on main)', async function () {
    const backend = path.join(EXAMPLE_PROJECT, 'backend');
    if (!existsSync(path.join(backend, 'alembic.ini'))) this.skip();
    const copy = copyToTemp(backend, 'aw-parity-example-');
    made.push({ root: copy, ini: path.join(copy, 'alembic.ini'), versions: copy, cleanup: () => rmSync(copy, { recursive: true, force: true }) });
    await assertParity(copy, { symbols: ['head', 'heads', '-1'] });
  });
});

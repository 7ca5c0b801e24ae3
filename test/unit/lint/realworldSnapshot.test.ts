// The lint's findings over ../shared/realworld (six real projects nobody here wrote) must equal the
// committed, reviewed snapshot: a change in findings shows up here and in the snapshot's diff.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { realworldLintSnapshot, REALWORLD, SNAPSHOT_COMMAND, SNAPSHOT_FILE } from '../../support/realworldLintSnapshot';

describe('lint findings over ../shared/realworld (snapshot)', function () {
  this.timeout(120_000);

  it('equal test/fixtures/realworld-lint-snapshot.txt', async function () {
    if (!existsSync(REALWORLD)) this.skip(); // CI has ../shared beside the clone; say so rather than pass.
    const actual = await realworldLintSnapshot();
    const expected = readFileSync(SNAPSHOT_FILE, 'utf8').split('\n').filter(Boolean);
    const expectedSet = new Set(expected);
    const actualSet = new Set(actual);
    const gone = expected.filter((line) => !actualSet.has(line));
    const added = actual.filter((line) => !expectedSet.has(line));
    if (gone.length || added.length) {
      const diff = [...gone.map((line) => `- ${line}`), ...added.map((line) => `+ ${line}`)].slice(0, 80).join('\n');
      assert.fail(
        `The lint's findings over ../shared/realworld changed (${gone.length} gone, ${added.length} new):\n${diff}\n\n` +
          `If the change is intended, regenerate the snapshot with \`${SNAPSHOT_COMMAND}\`, review its diff and commit it ` +
          '(and update docs/lint-accuracy.md when the figures move).',
      );
    }
  });
});

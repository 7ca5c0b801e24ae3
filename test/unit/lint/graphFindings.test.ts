import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { graphProblemsToFindings } from '../../../src/core/lint/graphFindings';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import { loadProjectConfig } from '../../../src/core/project/projectConfig';
import type { GraphProblemName } from '../../../src/core/revisions/graphProblems';

/** Project folders the tests made, removed after the suite. */
const madeFolders: string[] = [];
after(() => {
  for (const folder of madeFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

// A Record over the union makes the type checker fail when the core model adds a problem name that
// lint has no AW6xx rule for: every graph problem must reach CI and the editor.
const EVERY_GRAPH_PROBLEM: Record<GraphProblemName, true> = {
  'duplicate-revision': true,
  'dangling-reference': true,
  'revision-cycle': true,
  'missing-revision-id': true,
  'missing-down-revision': true,
  'invalid-revision-id': true,
  'invalid-header': true,
  'unreadable-header': true,
  'duplicate-branch-label': true,
  'multiple-heads': true,
  'filename-mismatch': true,
  'docstring-mismatch': true,
  'syntax-error': true,
  'config-error': true,
};

describe('graph problems as AW6xx findings', () => {
  it('has an AW6xx rule for every problem name of the core model', () => {
    for (const name of Object.keys(EVERY_GRAPH_PROBLEM)) {
      const [finding] = graphProblemsToFindings([{ name, severity: 'error', message: 'm', file: '/x.py' }]);
      assert.ok(finding, `no finding for ${name}`);
      assert.match(finding.code, /^AW6\d\d$/);
      assert.equal(finding.rule, name);
    }
  });

  it('turns the problems of a broken project (read by the core model) into findings at their lines', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'aw-graph-findings-'));
    madeFolders.push(root);
    const versions = path.join(root, 'alembic', 'versions');
    mkdirSync(versions, { recursive: true });
    writeFileSync(path.join(root, 'alembic.ini'), '[alembic]\nscript_location = alembic\n');
    writeFileSync(path.join(versions, 'aaa111_first.py'), `revision = 'aaa111'\ndown_revision = None\n`);
    writeFileSync(path.join(versions, 'bbb222_second.py'), `revision = 'bbb222'\ndown_revision = 'nothere'\n`);
    writeFileSync(path.join(versions, 'ccc-333_third.py'), `revision = 'ccc-333'\ndown_revision = 'aaa111'\n`);
    writeFileSync(path.join(versions, 'ddd444_fourth.py'), `revision = 'ddd444'\n`);
    const model = AlembicProjectModel.load(loadProjectConfig(path.join(root, 'alembic.ini')));
    const found = graphProblemsToFindings(model.problems()).map((finding) => `${path.basename(finding.filePath)}:${finding.range.start.line + 1} ${finding.code} ${finding.rule}`);
    assert.ok(found.includes('bbb222_second.py:2 AW602 dangling-reference'), found.join('\n'));
    assert.ok(found.includes('ccc-333_third.py:1 AW609 invalid-revision-id'), found.join('\n'));
    assert.ok(found.some((line) => line.startsWith('ddd444_fourth.py:') && line.endsWith('AW608 missing-down-revision')), found.join('\n'));
  });
});

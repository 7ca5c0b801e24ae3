// The vscode-free helpers of the VS Code runner layer (src/editorRunner/*.ts without a vscode import).
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildStartServiceInvocation } from '../../../src/core/runner/runnerModes';
import { reportGeneratedRevision, lintSetupForProject } from '../../../src/editorRunner/generatedRevisionReport';
import { chooseLocalCommand, findExecutableOnPath, isDefaultLocalCommand } from '../../../src/editorRunner/localCommand';
import { validateRevisionMessage } from '../../../src/editorRunner/revisionMessageInput';

describe('runner layer helpers', () => {
  describe('chooseLocalCommand', () => {
    it("runs the Python extension's interpreter as `-m alembic` only for the default command, when allowed", () => {
      assert.deepEqual(chooseLocalCommand(['alembic'], true, '/proj/.venv/bin/python'), { command: ['/proj/.venv/bin/python', '-m', 'alembic'], source: 'pythonExtension' });
      assert.deepEqual(chooseLocalCommand(['alembic'], false, '/proj/.venv/bin/python'), { command: ['alembic'], source: 'default' });
      assert.deepEqual(chooseLocalCommand(['alembic'], true, undefined), { command: ['alembic'], source: 'default' });
      assert.deepEqual(chooseLocalCommand(['/usr/bin/alembic'], true, '/proj/.venv/bin/python'), { command: ['/usr/bin/alembic'], source: 'setting' });
      // Without an interpreter from the Python extension, the project's own virtualenv.
      assert.deepEqual(chooseLocalCommand(['alembic'], true, undefined, '/proj/.venv/bin/python'), { command: ['/proj/.venv/bin/python', '-m', 'alembic'], source: 'virtualenv' });
      assert.deepEqual(chooseLocalCommand(['alembic'], true, '/usr/bin/python3', '/proj/.venv/bin/python').source, 'pythonExtension');
      assert.deepEqual(chooseLocalCommand(['/usr/bin/alembic'], true, undefined, '/proj/.venv/bin/python').source, 'setting');
      assert.ok(isDefaultLocalCommand(['alembic']));
      assert.ok(!isDefaultLocalCommand(['alembic', '-c', 'x.ini']));
    });
  });

  describe('findExecutableOnPath', () => {
    let folder: string;
    before(() => {
      folder = mkdtempSync(path.join(tmpdir(), 'aw-path-'));
      mkdirSync(path.join(folder, 'a'));
      mkdirSync(path.join(folder, 'b'));
      mkdirSync(path.join(folder, 'c', 'alembic'), { recursive: true });
      writeFileSync(path.join(folder, 'a', 'alembic'), 'not executable');
      writeFileSync(path.join(folder, 'b', 'alembic'), '#!/bin/sh\n');
      chmodSync(path.join(folder, 'b', 'alembic'), 0o755);
    });
    after(() => rmSync(folder, { recursive: true, force: true }));

    it('skips folders, non-executable files and empty PATH entries', () => {
      const PATH = ['', path.join(folder, 'c'), path.join(folder, 'a'), path.join(folder, 'b')].join(path.delimiter);
      assert.equal(findExecutableOnPath('alembic', { PATH }), path.join(folder, 'b', 'alembic'));
      assert.equal(findExecutableOnPath('alembic', { PATH: path.join(folder, 'c') }), undefined);
      assert.equal(findExecutableOnPath('alembic', {}), undefined);
    });
  });

  describe('validateRevisionMessage', () => {
    it("explains the runner's rules before anything runs", () => {
      assert.match(validateRevisionMessage('   ')!, /Enter a message/);
      assert.match(validateRevisionMessage('say """hi"""')!, /docstring/);
      assert.match(validateRevisionMessage('C:\\path')!, /backslash/);
      for (const fine of ['add "notes"; $(touch /tmp/x) `id` ü', '-leading dash', "it's 100% fine"]) assert.equal(validateRevisionMessage(fine), undefined);
    });
  });

  describe('buildStartServiceInvocation', () => {
    it('starts the service with the same compose files as the runner', () => {
      const invocation = buildStartServiceInvocation(
        { mode: 'dockerCompose', service: 'api', files: ['docker-compose.yml'] },
        { iniPath: '/ws/backend/alembic.ini', workspaceFolder: '/ws' },
      );
      assert.deepEqual(invocation.args, ['compose', '-f', '/ws/docker-compose.yml', 'up', '-d', 'api']);
      assert.equal(invocation.commandLine, 'docker compose -f /ws/docker-compose.yml up -d api');
      assert.throws(() => buildStartServiceInvocation({ mode: 'dockerCompose', service: '--rm' }, { iniPath: '/ws/alembic.ini', workspaceFolder: '/ws' }), /not a Compose service/);
    });
  });

  describe('reportGeneratedRevision', () => {
    const setup = lintSetupForProject(
      { here: '/nonexistent/project', scriptLocation: '/nonexistent/project/alembic', sqlalchemyUrl: 'postgresql://u@h/db', versionLocations: ['/nonexistent/project/alembic/versions'] },
      '/nonexistent',
      'auto',
    );
    const migration = (upgrade: string) =>
      [
        '"""add meeting summary', '', 'Revision ID: 1a2b3c4d5e6f', "Revises: b5e2a7d9c3f8", '', '"""',
        'from alembic import op', 'import sqlalchemy as sa', '', "revision = '1a2b3c4d5e6f'", "down_revision = 'b5e2a7d9c3f8'",
        'branch_labels = None', 'depends_on = None', '', '', 'def upgrade() -> None:', ...upgrade.split('\n').map((line) => `    ${line}`),
        '', '', 'def downgrade() -> None:', "    op.drop_column('meetings', 'summary')", '',
      ].join('\n');

    it('counts risky operations (one per line) and names their rules', () => {
      const report = reportGeneratedRevision(
        migration("op.add_column('meetings', sa.Column('summary', sa.String(length=500), nullable=False))\nop.drop_column('meetings', 'location')"),
        '/p/versions/2026_01_01_0000-1a2b3c4d5e6f_add_meeting_summary.py',
        setup,
      );
      assert.equal(report.riskyOperationCount, 2);
      assert.equal(report.emptyUpgrade, false);
      assert.match(report.headline, /^2026_01_01_0000-1a2b3c4d5e6f_add_meeting_summary\.py: 2 risky operations: /);
      assert.match(report.headline, /adding-required-column \(line 17\)/);
      assert.match(report.headline, /dropping-column \(line 18\)/);
    });

    it('says when autogenerate found nothing', () => {
      const report = reportGeneratedRevision(migration('pass'), '/p/versions/x.py', setup);
      assert.equal(report.emptyUpgrade, true);
      assert.match(report.headline, /no difference between the models and the database/);
    });

    it('says when nothing is risky', () => {
      const addColumn = "op.add_column('meetings', sa.Column('summary', sa.Text(), nullable=True))";
      const report = reportGeneratedRevision(migration(`op.execute("SET lock_timeout = '5s'")\n${addColumn}`), '/p/versions/x.py', setup);
      assert.equal(report.riskyOperationCount, 0);
      assert.match(report.headline, /no risky operations found/);
      // Without the timeout, even this instant ALTER waits behind long queries (AW110).
      const unbounded = reportGeneratedRevision(migration(addColumn), '/p/versions/x.py', setup);
      assert.equal(unbounded.riskyOperationCount, 1);
      assert.match(unbounded.headline, /missing-lock-timeout \(line 17\)/);
    });
  });
});

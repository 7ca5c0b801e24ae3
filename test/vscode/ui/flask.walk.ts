// A Flask-Migrate app beside the example project, as a user meets it: its migrations folder made by
// the real `flask db init` (an alembic.ini without script_location), two revisions, FLASK_APP in
// its .flaskenv. The Revisions view shows it labelled Flask-Migrate with its revisions; Upgrade to
// Head, picked for it in the palette, runs the real `flask db upgrade` (local runner) and the SQLite
// database then holds the table and the head; the output channel shows the `flask db` command line.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { revisionSource } from '../../support/revisionSource';
import type { UiWalk, UiWalkDefinition } from '../harness/uiWalk';

const FLASK = process.env.AW_REAL_FLASK ?? '/usr/bin/flask';
const PYTHON = '/usr/bin/python3';
const ROWS = '.part.sidebar .pane-body .monaco-list-row[role="treeitem"]';

function appSource(databaseFile: string): string {
  return `from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from flask_migrate import Migrate

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///${databaseFile}"
db = SQLAlchemy(app)
migrate = Migrate(app, db)
`;
}

function sqliteRows(databaseFile: string, sql: string): string[] {
  const run = spawnSync(PYTHON, ['-c', 'import sqlite3,sys\nfor row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print(row[0])', databaseFile, sql], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.split('\n').filter(Boolean);
}

async function pickInQuickInput(ui: UiWalk, label: string): Promise<void> {
  const input = await ui.expectVisible('.quick-input-widget .quick-input-box input', `the quick pick offering "${label}"`);
  await input.fill(label);
  await ui.expectVisible(ui.page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: label }), `"${label}" focused in the quick pick`);
  await ui.page.keyboard.press('Enter');
}

export const walk: UiWalkDefinition = {
  name: 'flask',
  description: 'A Flask-Migrate project: labelled in the Revisions view, Upgrade to Head through the real `flask db upgrade`',
  async run(ui: UiWalk) {
    const flaskApp = path.join(ui.workspaceFolder, 'flaskapp');
    const databaseFile = path.join(flaskApp, 'app.db');
    mkdirSync(flaskApp);
    writeFileSync(path.join(flaskApp, 'app.py'), appSource(databaseFile));
    writeFileSync(path.join(flaskApp, '.flaskenv'), 'FLASK_APP=app.py\n');
    const init = spawnSync(FLASK, ['db', 'init'], { cwd: flaskApp, encoding: 'utf8', env: { ...process.env, FLASK_APP: 'app.py', PYTHONDONTWRITEBYTECODE: '1' } });
    assert.equal(init.status, 0, `flask db init failed: ${init.stderr}`);
    const versions = path.join(flaskApp, 'migrations', 'versions');
    writeFileSync(
      path.join(versions, 'f1a5c0000001_create_rooms.py'),
      revisionSource({ id: 'f1a5c0000001', message: 'create rooms', upgrade: "op.create_table('rooms', sa.Column('id', sa.Integer(), primary_key=True))", downgrade: "op.drop_table('rooms')" }),
    );
    writeFileSync(
      path.join(versions, 'f1a5c0000002_add_room_capacity.py'),
      revisionSource({
        id: 'f1a5c0000002',
        down: 'f1a5c0000001',
        message: 'add room capacity',
        upgrade: "with op.batch_alter_table('rooms') as batch:\n    batch.add_column(sa.Column('capacity', sa.Integer(), nullable=True))",
        downgrade: "with op.batch_alter_table('rooms') as batch:\n    batch.drop_column('capacity')",
      }),
    );
    mkdirSync(path.join(ui.workspaceFolder, '.vscode'), { recursive: true });
    writeFileSync(
      path.join(ui.workspaceFolder, '.vscode', 'settings.json'),
      JSON.stringify(
        {
          'alembicWorkbench.runner.mode': 'local',
          // Debian's alembic: the flask beside it (/usr/bin/flask) runs the Flask-Migrate project.
          'alembicWorkbench.runner.local.command': ['/usr/bin/alembic'],
          'alembicWorkbench.runner.local.usePythonExtension': false,
          'remote.autoForwardPorts': false,
        },
        null,
        2,
      ),
    );

    await ui.waitForWorkbench();
    await ui.openActivityBarContainer('Alembic');
    await ui.step('widen the sidebar to read the descriptions', async () => {
      const box = await ui.page.locator('.part.sidebar').boundingBox();
      assert.ok(box, 'no sidebar');
      await ui.page.mouse.move(box.x + box.width - 1, 400);
      await ui.page.mouse.down();
      await ui.page.mouse.move(box.x + box.width + 260, 400, { steps: 8 });
      await ui.page.mouse.up();
      await ui.page.mouse.move(900, 600);
    });
    await ui.step('the Flask-Migrate project beside the example, labelled, with its revisions', async () => {
      const project = ui.page.locator(ROWS, { has: ui.page.locator('.label-name', { hasText: /^flaskapp\/migrations$/ }) }).first();
      await ui.expectVisible(project, 'the Flask-Migrate project row', 30_000);
      await ui.expectVisible(project.locator('.label-description', { hasText: /^Flask-Migrate · 2 revisions/ }), 'its Flask-Migrate description');
      await ui.expectVisible(ui.page.locator(ROWS, { hasText: 'Flask-Migrate project' }), 'the "Flask-Migrate project" row');
      // Both ids share 10 characters: the view shows them whole.
      await ui.expectVisible(ui.page.locator(ROWS, { hasText: /^f1a5c0000002 add room capacity/ }), 'the head revision row');
    });

    await ui.runCommand('Upgrade to Head', 'Alembic');
    await ui.step('pick the Flask-Migrate project: `flask db upgrade` runs, the status bar reports it', async () => {
      await pickInQuickInput(ui, 'flaskapp/migrations');
      await ui.expectVisible(ui.page.locator('.part.statusbar', { hasText: /flaskapp\/migrations upgraded to head: 2 revisions applied/ }), 'the status bar message', 60_000);
      assert.deepEqual(sqliteRows(databaseFile, 'SELECT version_num FROM alembic_version'), ['f1a5c0000002']);
      assert.deepEqual(sqliteRows(databaseFile, "SELECT name FROM pragma_table_info('rooms') ORDER BY cid"), ['id', 'capacity']);
    });

    await ui.runCommand('Show Output', 'Alembic');
    await ui.step('the output channel: Alembic\'s lines and the `flask db upgrade` command line', async () => {
      const output = ui.page.locator('.part.panel .view-lines');
      // Monaco renders spaces as no-break spaces: \s matches both.
      // The line that closes the run (the `$ ...` line that opened it has scrolled up by now).
      await ui.expectVisible(output.filter({ hasText: /flaskapp\/migrations:\s+done:\s+\/usr\/bin\/flask\s+db\s+upgrade\s+head/ }), 'the flask db command line');
    });
  },
};

// Real Alembic layouts beside the example project, inside the real extension host: a Flask-Migrate
// app whose migrations folder the real `flask db init` made (an alembic.ini without
// script_location), and one alembic.ini with two named sections. Each becomes its own project in
// the registry and in the Revisions view, labelled as its team knows it, with the revisions the core
// reads from disk; the Flask-Migrate one runs through `flask db`. Everything is removed afterwards
// and the view goes back to the example project alone.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { loadProjectConfig } from '../../../src/core/project/projectConfig';
import { AlembicProjectModel } from '../../../src/core/projectModel';
import type { AlembicWorkbenchApi } from '../../../src/extension';
import type { WorkspaceProject } from '../../../src/editorProject/projectRegistry';
import type { RevisionTreeNode } from '../../../src/views/revisionTreeModel';
import { revisionSource } from '../../support/revisionSource';
import { harnessLog } from './consoleBridge';
import { EXTENSION_ID, readTestEnvironment } from './testEnvironment';
import { waitFor } from '../../support/waitFor';

const environment = readTestEnvironment();
const FLASK = process.env.AW_REAL_FLASK ?? '/usr/bin/flask';
const FLASK_APP = `from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from flask_migrate import Migrate

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///app.db"
db = SQLAlchemy(app)
migrate = Migrate(app, db)
`;
const ENV_PY = 'from alembic import context\n\nconfig = context.config\n';
const WAIT = { timeoutMs: 30_000 };

async function api(): Promise<AlembicWorkbenchApi> {
  const extension = vscode.extensions.getExtension<AlembicWorkbenchApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  const exports = extension.isActive ? extension.exports : await extension.activate();
  await exports.workbench.projects.ready();
  return exports;
}

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder');
  return folder.uri.fsPath;
}

/** The revision ids under a project node, newest first (group nodes opened), as the view lists them. */
function revisionIdsUnder(api: AlembicWorkbenchApi, node: RevisionTreeNode): string[] {
  const ids: string[] = [];
  const visit = (nodes: RevisionTreeNode[]) => {
    for (const child of nodes) {
      if (child.kind === 'revision') ids.push(child.revision);
      else if (child.kind !== 'message') visit(api.revisionTree.provider.getChildren(child));
    }
  };
  visit(api.revisionTree.provider.getChildren(node));
  return ids;
}

/** The project's revision ids as the core reads them from disk, independent of the extension's registry. */
function coreIds(project: WorkspaceProject): string[] {
  const config = loadProjectConfig(project.config.configFile!, { name: project.config.section });
  return AlembicProjectModel.load(config).graph.revisions().map((node) => node.id).sort();
}

/** What each added project must list, newest first (the histories are linear). */
const EXPECTED_NEWEST_FIRST: Record<string, string[]> = {
  flask: ['f1a5c0000002', 'f1a5c0000001'],
  core: ['c0e000000002', 'c0e000000001'],
  tenant: ['a7e000000001'],
};

suite(`Real layouts: Flask-Migrate and named sections (${environment.trust} workspace)`, () => {
  const created: string[] = [];

  suiteSetup(async function () {
    this.timeout(120_000);
    await api();
    const root = workspaceRoot();
    // A Flask app and its migrations folder, made by Flask-Migrate itself.
    const flaskApp = path.join(root, 'flaskapp');
    created.push(flaskApp);
    mkdirSync(flaskApp);
    writeFileSync(path.join(flaskApp, 'app.py'), FLASK_APP);
    const init = spawnSync(FLASK, ['db', 'init'], { cwd: flaskApp, encoding: 'utf8', env: { ...process.env, FLASK_APP: 'app.py', PYTHONDONTWRITEBYTECODE: '1' } });
    assert.equal(init.status, 0, `flask db init failed: ${init.stderr}`);
    const flaskVersions = path.join(flaskApp, 'migrations', 'versions');
    writeFileSync(path.join(flaskVersions, 'f1a5c0000001_create_rooms.py'), revisionSource({ id: 'f1a5c0000001', message: 'create rooms' }));
    writeFileSync(path.join(flaskVersions, 'f1a5c0000002_add_capacity.py'), revisionSource({ id: 'f1a5c0000002', down: 'f1a5c0000001', message: 'add capacity' }));

    // One alembic.ini, two databases: [core] and [tenant], run as `alembic -n core ...`.
    const tenants = path.join(root, 'tenants');
    created.push(tenants);
    for (const section of ['core', 'tenant']) {
      mkdirSync(path.join(tenants, `${section}_revisions`, 'versions'), { recursive: true });
      writeFileSync(path.join(tenants, `${section}_revisions`, 'env.py'), ENV_PY);
    }
    writeFileSync(
      path.join(tenants, 'alembic.ini'),
      '[core]\nscript_location = core_revisions\nsqlalchemy.url = sqlite:///core.db\n\n[tenant]\nscript_location = tenant_revisions\nsqlalchemy.url = sqlite:///tenant.db\n',
    );
    const core = path.join(tenants, 'core_revisions', 'versions');
    writeFileSync(path.join(core, 'c0e000000001_users.py'), revisionSource({ id: 'c0e000000001', message: 'users' }));
    writeFileSync(path.join(core, 'c0e000000002_roles.py'), revisionSource({ id: 'c0e000000002', down: 'c0e000000001', message: 'roles' }));
    writeFileSync(path.join(tenants, 'tenant_revisions', 'versions', 'a7e000000001_invoices.py'), revisionSource({ id: 'a7e000000001', message: 'invoices' }));
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    for (const folder of created) rmSync(folder, { recursive: true, force: true });
    const { workbench } = await api();
    await waitFor('the example project alone again', () => workbench.projects.projects.length === 1, WAIT);
  });

  test('the Flask-Migrate project and both named sections are projects, labelled as their teams know them', async () => {
    const { workbench } = await api();
    const projects = await waitFor('four projects', () => workbench.projects.projects.length === 4 && workbench.projects.projects, WAIT);
    harnessLog(`projects: ${projects.map((project) => `${project.label} (${project.config.flavor}, ${project.config.section})`).join(', ')}`);
    const flask = projects.find((project) => project.config.flavor === 'flask-migrate');
    assert.ok(flask, 'no Flask-Migrate project');
    assert.equal(flask.config.scriptLocation, path.join(workspaceRoot(), 'flaskapp', 'migrations'));
    assert.match(flask.config.flavorEvidence ?? '', /Flask/);
    const sections = projects.filter((project) => project.config.configFile === path.join(workspaceRoot(), 'tenants', 'alembic.ini'));
    assert.deepEqual(sections.map((project) => project.config.section).sort(), ['core', 'tenant']);
    for (const project of sections) assert.match(project.label, new RegExp(`\\[${project.config.section}\\]$`));
  });

  test('the Revisions view shows each with its revisions and label; the Flask-Migrate one says so', async () => {
    const live = await api();
    const roots = await waitFor(
      'four project nodes',
      () => {
        const nodes = live.revisionTree.provider.getChildren();
        return nodes.length === 4 && nodes.every((node) => node.kind === 'project') && nodes;
      },
      WAIT,
    );
    for (const project of live.workbench.projects.projects) {
      const node = roots.find((candidate) => candidate.kind === 'project' && candidate.projectId === project.id);
      assert.ok(node, `no node for ${project.label}`);
      const item = live.revisionTree.provider.getTreeItem(node);
      assert.equal(item.label, project.label);
      const shown = revisionIdsUnder(live, node);
      assert.deepEqual([...shown].sort(), coreIds(project), project.label);
      const expected = EXPECTED_NEWEST_FIRST[project.config.flavor === 'flask-migrate' ? 'flask' : project.config.section];
      if (expected) assert.deepEqual(shown, expected, project.label);
      if (project.config.flavor === 'flask-migrate') {
        assert.match(String(item.description), /^Flask-Migrate · 2 revisions/);
        const message = live.revisionTree.provider.getChildren(node).find((child) => child.kind === 'message');
        assert.ok(message && message.kind === 'message');
        assert.equal(message.label, 'Flask-Migrate project');
      }
    }
    const labels = roots.map((node) => String(live.revisionTree.provider.getTreeItem(node).label)).sort();
    harnessLog(`tree roots: ${labels.join(', ')}`);
    // Beside another project, each is named by its path: the ini and its section, the migrations folder.
    assert.deepEqual(labels, ['backend', 'flaskapp/migrations', 'tenants/alembic.ini [core]', 'tenants/alembic.ini [tenant]']);
  });

  test('the Flask-Migrate project runs through `flask db`, the named sections through `alembic -n`', async () => {
    const { workbench } = await api();
    for (const project of workbench.projects.projects) {
      const commandLine = workbench.runners.runnerFor(project).invocationFor({ kind: 'upgrade', target: 'head' }).commandLine;
      if (project.config.flavor === 'flask-migrate') assert.match(commandLine, /\bflask db upgrade head$/, commandLine);
      else if (project.config.section !== 'alembic') assert.match(commandLine, new RegExp(`\\balembic -n ${project.config.section} upgrade head$`), commandLine);
    }
  });
});

// The docker compose path inside the real VS Code, on the real Docker engine and Compose v2 (where
// one answers; elsewhere commandsDockerCompose.test.ts runs on a stand-in): a Compose project of the
// workspace whose `backend` service (the test image with Debian's Alembic) bind-mounts ./backend
// at /app and reaches the harness's PostgreSQL on 127.0.0.1 (network_mode: host). The commands
// run `docker compose exec` for real, and each failure the user can meet around the container (a
// stopped service, a service that does not exist, no compose file, the engine unreachable) is
// produced for real, its notification's buttons pressed, and what each button says checked.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import * as vscode from 'vscode';
import type { AlembicRunResult } from '../../../src/core/runner/alembicRunner';
import type { AlembicWorkbenchApi } from '../../../src/extension';
import type { Workbench } from '../../../src/workbench';
import { DOCKER_TEST_IMAGE, whyNoDockerEngine } from './dockerEngineHere';
import { scriptPromptsInSuite } from './scriptedPrompts';
import { EXTENSION_ID, readTestEnvironment } from './testEnvironment';
import { waitFor } from '../../support/waitFor';

const environment = readTestEnvironment();
const MERGE_HEAD = 'b5e2a7d9c3f8';
const COMPOSE_FILE = 'docker-compose.aw-test.yml';
/** Bound for waits on Docker (container starts, exec) on a loaded 2-core machine: far above normal. */
const DOCKER_WAIT = { timeoutMs: 90_000, intervalMs: 200 };

// Development installs only: the vsix phase runs the same extension code, and each run here costs
// minutes of container starts in CI.
if (environment.trust === 'trusted' && environment.install === 'development' && !whyNoDockerEngine()) {
  suite('Alembic commands through the real docker compose (Docker engine + Compose v2)', function () {
    this.timeout(180_000);
    let workbench: Workbench;
    let workspace: string;
    let composeFile: string;
    let scratch: string;
    const created: string[] = [];
    const savedEnvironment: Record<string, string | undefined> = {};
    const configuration = () => vscode.workspace.getConfiguration('alembicWorkbench');
    const projectId = () => workbench.projects.projects[0].id;
    const compose = (args: string[]) => {
      const result = spawnSync('docker', ['compose', '-f', composeFile, ...args], { cwd: workspace, encoding: 'utf8' });
      return { status: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
    };
    const versions = async () => {
      const client = new pg.Client({ connectionString: environment.database });
      await client.connect();
      const rows = await client.query<{ version_num: string }>('SELECT version_num FROM alembic_version').finally(() => client.end());
      return rows.rows.map((row) => row.version_num);
    };
    const running = () => compose(['ps', '--services', '--status', 'running']).stdout.split('\n').includes('backend');
    const setEnvironment = (name: string, value: string | undefined) => {
      if (!(name in savedEnvironment)) savedEnvironment[name] = process.env[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    };
    /** Settings this suite changes, put back after each test. */
    const resetSettings = async () => {
      for (const key of ['runner.dockerCompose.runWhenServiceStopped', 'runner.dockerCompose.service', 'runner.dockerCompose.files', 'runner.dockerCompose.projectDirectory', 'runner.dockerCompose.user', 'runner.mode']) {
        await configuration().update(key, undefined, vscode.ConfigurationTarget.Workspace);
      }
      await configuration().update('runner.dockerCompose.files', [COMPOSE_FILE], vscode.ConfigurationTarget.Workspace);
    };

    suiteSetup(async () => {
      assert.ok(environment.database && process.env.DATABASE_URL, 'the harness gives every server a scratch database');
      const extension = vscode.extensions.getExtension<AlembicWorkbenchApi>(EXTENSION_ID)!;
      workbench = (extension.isActive ? extension.exports : await extension.activate()).workbench;
      await workbench.projects.ready();
      workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
      scratch = mkdtempSync(path.join(tmpdir(), 'aw-vscode-docker-'));
      composeFile = path.join(workspace, COMPOSE_FILE);
      // The example's own compose file builds an image and pulls postgres: no registry here. This one
      // runs the test image; its name is unique so parallel runs on one engine never share containers.
      writeFileSync(
        composeFile,
        [
          `name: aw-vscode-${randomBytes(4).toString('hex')}`,
          'services:',
          '  backend:',
          `    image: ${DOCKER_TEST_IMAGE}`,
          '    command: ["sleep", "infinity"]',
          '    network_mode: host',
          '    working_dir: /app',
          '    volumes: ["./backend:/app"]',
          '    environment:',
          `      DATABASE_URL: ${JSON.stringify(process.env.DATABASE_URL)}`,
          '      PYTHONDONTWRITEBYTECODE: "1"',
          '',
        ].join('\n'),
      );
      const up = compose(['up', '-d']);
      assert.equal(up.status, 0, up.stderr);
      await resetSettings();
      assert.equal(workbench.settingsFor(workbench.projects.projects[0]).runner.mode, 'dockerCompose');
    });

    const prompts = scriptPromptsInSuite(() => workbench);

    teardown(async () => {
      for (const [name, value] of Object.entries(savedEnvironment)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
        delete savedEnvironment[name];
      }
      await resetSettings();
      if (!running()) assert.equal(compose(['up', '-d']).status, 0);
    });

    suiteTeardown(async () => {
      compose(['down', '-t', '0', '--remove-orphans']);
      rmSync(composeFile, { force: true });
      rmSync(scratch, { recursive: true, force: true });
      for (const file of created) rmSync(file, { force: true });
      workbench.projects.reloadFiles(projectId(), created);
      for (const key of ['runner.dockerCompose.files']) await configuration().update(key, undefined, vscode.ConfigurationTarget.Workspace);
      // Leave the database as the suite found it (empty) for the suites after this one.
      const client = new pg.Client({ connectionString: environment.database });
      await client.connect();
      await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public').finally(() => client.end());
      await vscode.commands.executeCommand('alembicWorkbench.refresh');
    });

    test('Upgrade to Head runs in the container: `docker compose exec -T -w /app -e PGAPPNAME backend alembic upgrade head`', async () => {
      const result = await vscode.commands.executeCommand<AlembicRunResult>('alembicWorkbench.upgradeHead');
      assert.ok(result?.ok, `${result?.stdout}\n${result?.stderr}`);
      assert.equal(result.commandLine, `docker compose -f ${composeFile} exec -T -w /app -e PGAPPNAME backend alembic upgrade head`);
      assert.match(result.stderr, /Running upgrade {2}-> 4b1d3f0a9c21, create users and meetings tables/);
      assert.deepEqual(await versions(), [MERGE_HEAD]);
      await waitFor('the tree to know the database is at head', () => workbench.database.statusFor(projectId())?.current.includes(MERGE_HEAD), DOCKER_WAIT);
    });

    test('Generate opens the file the container wrote, at the host path of /app/...', async () => {
      prompts.answer('inputBox', /What will this migration do/, 'container made this');
      const outcome = await vscode.commands.executeCommand<{ result: AlembicRunResult; created?: { file: string } }>('alembicWorkbench.generateEmptyMigration');
      assert.ok(outcome?.result.ok, outcome?.result.stderr);
      const reported = outcome.result.createdFiles[0].reportedPath;
      assert.match(reported, /^\/app\/alembic\/versions\/.*_container_made_this\.py$/);
      const file = outcome.created!.file;
      created.push(file);
      assert.equal(file, path.join(workspace, 'backend', reported.slice('/app/'.length)));
      assert.ok(existsSync(file));
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file);
    });

    test('A stopped service: asked (never silently); Run in a One-off Container runs `run --rm` for real', async () => {
      assert.equal(compose(['stop', '-t', '0', 'backend']).status, 0);
      prompts.answer('message', /The Compose service "backend" is not running/, 'Run in a One-off Container');
      const result = await vscode.commands.executeCommand<AlembicRunResult>('alembicWorkbench.showCurrent', { projectId: projectId() });
      assert.ok(result?.ok, `${result?.stdout}\n${result?.stderr}`);
      assert.equal(result.commandLine, `docker compose -f ${composeFile} run --rm -T -w /app -e PGAPPNAME backend alembic current`);
      assert.match(result.stdout, new RegExp(`^${MERGE_HEAD} `, 'm'));
      assert.doesNotMatch(compose(['ps', '-a', '--format', '{{.Name}}']).stdout, /backend-run-/, 'the one-off container was removed');
      assert.equal(running(), false, 'the service itself stays stopped');
    });

    test('A stopped service: Start backend runs `docker compose up -d backend`, then the command again', async () => {
      assert.equal(compose(['stop', '-t', '0', 'backend']).status, 0);
      prompts.answer('message', /The Compose service "backend" is not running/, 'Start backend');
      const result = await vscode.commands.executeCommand<AlembicRunResult>('alembicWorkbench.showCurrent', { projectId: projectId() });
      assert.ok(result?.ok, `${result?.stdout}\n${result?.stderr}`);
      assert.match(result.commandLine, / exec -T -w \/app -e PGAPPNAME backend alembic current$/);
      assert.equal(running(), true);
    });

    test('runWhenServiceStopped = never: the failure offers Start backend and Retry, which starts it and runs the upgrade', async () => {
      // The revision generated above is pending: the retried upgrade applies it.
      const pending = /^revision = '([0-9a-f]+)'$/m.exec(readFileSync(created[0], 'utf8'))![1];
      assert.deepEqual(await versions(), [MERGE_HEAD]);
      await configuration().update('runner.dockerCompose.runWhenServiceStopped', 'never', vscode.ConfigurationTarget.Workspace);
      assert.equal(compose(['stop', '-t', '0', 'backend']).status, 0);
      prompts.answer('message', /The Compose service "backend" is not running/, 'Start backend and Retry');
      const result = await vscode.commands.executeCommand<AlembicRunResult>('alembicWorkbench.upgradeHead', { projectId: projectId() });
      assert.equal(result?.failure?.kind, 'composeServiceNotRunning', result?.stderr);
      assert.equal(prompts.messages().filter((prompt) => prompt.modal).length, 0, 'no one-off container offered');
      const error = await prompts.waitForMessage(/The Compose service "backend" is not running/);
      assert.deepEqual(error.choices, ['Start backend and Retry', 'Show Output']);
      // The button: the real service starts, and the upgrade runs again in it.
      await waitFor('the retried upgrade to apply the pending revision', async () => (await versions()).includes(pending), DOCKER_WAIT);
      assert.equal(running(), true);
    });

    test('A service that does not exist: Configure Runner picks the real service, and the command then works', async () => {
      await configuration().update('runner.dockerCompose.service', 'api', vscode.ConfigurationTarget.Workspace);
      prompts
        .answer('message', /The Compose project has no service "api"/, 'Configure Runner')
        .answer('pickOne', /How should Alembic run/, '$(server-process) Docker Compose service')
        .answer('pickOne', /Which service of docker-compose\.aw-test\.yml has Alembic/, 'backend')
        .answer('pickOne', /Which user runs Alembic in the container/, "As the image's user")
        .answer('message', /Alembic now runs in the Compose service "backend"/, 'Show Current');
      const result = await vscode.commands.executeCommand<AlembicRunResult>('alembicWorkbench.showCurrent', { projectId: projectId() });
      assert.equal(result?.failure?.kind, 'composeNoSuchService', result?.stderr);
      const error = await prompts.waitForMessage(/The Compose project has no service "api"/);
      assert.match(error.text, /its services: backend\)/);
      assert.deepEqual(error.choices, ['Configure Runner', 'Show Output']);
      await prompts.waitForMessage(/the database is at /, DOCKER_WAIT.timeoutMs);
      assert.equal(workbench.settingsFor(workbench.projects.projects[0]).runner.dockerCompose.service, 'backend');
    });

    test('No compose file: the message says so; Show Output shows the Alembic Workbench output', async () => {
      // A project directory with no compose file in it or above it (Compose searches upwards from there).
      await configuration().update('runner.dockerCompose.files', [], vscode.ConfigurationTarget.Workspace);
      await configuration().update('runner.dockerCompose.projectDirectory', scratch, vscode.ConfigurationTarget.Workspace);
      prompts.answer('message', /Docker Compose found no compose file/, 'Show Output');
      const result = await vscode.commands.executeCommand<AlembicRunResult>('alembicWorkbench.showCurrent', { projectId: projectId() });
      assert.equal(result?.failure?.kind, 'composeNoConfigFile', result?.stderr);
      assert.match(result.stderr, /no configuration file provided/);
      const error = await prompts.waitForMessage(/Docker Compose found no compose file/);
      assert.deepEqual(error.choices, ['Configure Runner', 'Show Output']);
      // The output channel's document, holding this failure's line.
      await waitFor('the Alembic Workbench output shown with the failure', () =>
        vscode.workspace.textDocuments.find(
          (document) => document.uri.scheme === 'output' && /Alembic/.test(decodeURIComponent(document.uri.toString())) && document.getText().includes('found no compose file'),
        ),
      );
    });

    test('The engine unreachable: the real docker CLI error, and Start Docker: How says how to start it', async () => {
      // The engine itself is shared by the machine's runs: point this host's docker CLI at a socket
      // where none listens, which is what the CLI meets when the daemon is down.
      setEnvironment('DOCKER_HOST', `unix://${path.join(scratch, 'no-engine.sock')}`);
      prompts.answer('message', /Docker is not reachable: the Docker daemon is not running/, 'Start Docker: How');
      const result = await vscode.commands.executeCommand<AlembicRunResult>('alembicWorkbench.showCurrent', { projectId: projectId() });
      assert.equal(result?.failure?.kind, 'dockerDaemonUnavailable', result?.stderr);
      assert.match(result.stderr, /Cannot connect to the Docker daemon at unix:\/\/.*no-engine\.sock/);
      const error = await prompts.waitForMessage(/Docker is not reachable/);
      assert.deepEqual(error.choices, ['Start Docker: How', 'Show Output']);
      const how = await prompts.waitForMessage(/^Docker is not reachable$/);
      assert.equal(how.modal, true);
      assert.match(how.detail!, /sudo systemctl start docker/);
      assert.match(how.detail!, /Configure How Alembic Runs → Local/);
    });
  });
}

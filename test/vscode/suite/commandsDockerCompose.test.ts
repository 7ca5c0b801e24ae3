// The docker compose path inside the real VS Code, where NO Docker engine answers (a contributor's
// machine, `@vscode/test-cli` without root): the editor's flow (settings, argv building, path
// mapping back to the host, the stopped-service question and its buttons) with a stand-in `docker`
// (test/support/dockerStandIn.ts) put first on the extension host's PATH. Where the engine answers
// (npm test, CI), commandsDockerComposeEngine.test.ts runs the same flows on the real engine and
// this suite does not run. The stand-in checks the exact argv, then runs the real Alembic 1.8.1 in
// the folder the bind mount maps to, against the harness's PostgreSQL database, printing paths as
// the container sees them.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import * as vscode from 'vscode';
import type { AlembicRunResult } from '../../../src/core/runner/alembicRunner';
import type { AlembicWorkbenchApi } from '../../../src/extension';
import type { Workbench } from '../../../src/workbench';
import { writeDockerStandIn } from '../../support/dockerStandIn';
import { whyNoDockerEngine } from './dockerEngineHere';
import { scriptPromptsInSuite } from './scriptedPrompts';
import { EXTENSION_ID, readTestEnvironment } from './testEnvironment';

const environment = readTestEnvironment();
const MERGE_HEAD = 'b5e2a7d9c3f8';

const noEngine = environment.trust === 'trusted' ? whyNoDockerEngine() : undefined;

if (environment.trust === 'trusted' && noEngine) {
  suite(`Alembic commands through docker compose (stand-in docker: ${noEngine})`, function () {
    this.timeout(60_000);
    let workbench: Workbench;
    let folder: string;
    let argvLog: string;
    let stateFile: string;
    let backend: string;
    const savedEnvironment: Record<string, string | undefined> = {};
    const created: string[] = [];

    const setEnvironment = (name: string, value: string | undefined) => {
      if (!(name in savedEnvironment)) savedEnvironment[name] = process.env[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    };
    const lastArgv = (): string[] => JSON.parse(readFileSync(argvLog, 'utf8').trim().split('\n').pop()!);
    // The calls that run or start something (the runner's `config --services` question left out).
    const allArgv = (): string[][] =>
      readFileSync(argvLog, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((argv: string[]) => ['exec', 'run', 'up'].includes(argv[1]));
    const projectId = () => workbench.projects.projects[0].id;

    suiteSetup(async () => {
      assert.ok(environment.database, 'the harness gives every server a scratch database');
      const extension = vscode.extensions.getExtension<AlembicWorkbenchApi>(EXTENSION_ID)!;
      workbench = (extension.isActive ? extension.exports : await extension.activate()).workbench;
      await workbench.projects.ready();
      backend = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'backend');
      folder = mkdtempSync(path.join(tmpdir(), 'aw-docker-stand-in-'));
      argvLog = path.join(folder, 'argv.log');
      stateFile = path.join(folder, 'started');
      writeFileSync(argvLog, '');
      writeDockerStandIn(path.join(folder, 'bin'));
      // The runner starts processes with the extension host's environment: the stand-in comes first on PATH.
      setEnvironment('PATH', `${path.join(folder, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`);
      setEnvironment('AW_STANDIN_LOG', argvLog);
      setEnvironment('AW_STANDIN_EXPECT', JSON.stringify({ files: [], workdir: '/app', user: null, service: 'backend' }));
      setEnvironment('AW_STANDIN_MOUNT', JSON.stringify({ containerPath: '/app', hostPath: backend }));
      setEnvironment('AW_STANDIN_ALEMBIC', '/usr/bin/alembic');
      setEnvironment('AW_STANDIN_SERVICE_DATABASE_URL', process.env.DATABASE_URL);
      setEnvironment('AW_STANDIN_SCENARIO', 'ok');
      setEnvironment('AW_STANDIN_STATE', undefined);
      // The default runner: docker compose exec backend alembic ...
      await vscode.workspace.getConfiguration('alembicWorkbench').update('runner.mode', undefined, vscode.ConfigurationTarget.Workspace);
      assert.equal(workbench.settingsFor(workbench.projects.projects[0]).runner.mode, 'dockerCompose');
    });

    const prompts = scriptPromptsInSuite(() => workbench);

    suiteTeardown(async () => {
      for (const [name, value] of Object.entries(savedEnvironment)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      for (const file of created) rmSync(file, { force: true });
      workbench.projects.reloadFiles(projectId(), created);
      rmSync(folder, { recursive: true, force: true });
      // Leave the database as the suite found it (empty) for the suites after this one.
      const client = new pg.Client({ connectionString: environment.database });
      await client.connect();
      await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public').finally(() => client.end());
      await vscode.commands.executeCommand('alembicWorkbench.refresh');
    });

    test('Upgrade to Head runs `docker compose exec -T -w /app -e PGAPPNAME backend alembic upgrade head`', async () => {
      const result = await vscode.commands.executeCommand<AlembicRunResult>('alembicWorkbench.upgradeHead');
      assert.ok(result?.ok, `${result?.stdout}\n${result?.stderr}`);
      assert.deepEqual(lastArgv(), ['compose', 'exec', '-T', '-w', '/app', '-e', 'PGAPPNAME', 'backend', 'alembic', 'upgrade', 'head']);
      assert.equal(result.commandLine, 'docker compose exec -T -w /app -e PGAPPNAME backend alembic upgrade head');
      assert.deepEqual(workbench.database.statusFor(projectId())?.current, [MERGE_HEAD]);
    });

    test('Generate opens the file Alembic reported at its container path, mapped to the host', async () => {
      prompts.answer('inputBox', /What will this migration do/, 'container made this');
      const outcome = await vscode.commands.executeCommand<{ result: AlembicRunResult; created?: { file: string } }>('alembicWorkbench.generateEmptyMigration');
      assert.ok(outcome?.result.ok, outcome?.result.stderr);
      const reported = outcome.result.createdFiles[0].reportedPath;
      assert.match(reported, /^\/app\/alembic\/versions\/.*_container_made_this\.py$/);
      const file = outcome.created!.file;
      created.push(file);
      assert.equal(file, path.join(backend, reported.slice('/app/'.length)));
      assert.ok(existsSync(file));
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file);
    });

    test('A stopped service: asked (never silently), it runs in a one-off container with `run --rm`', async () => {
      setEnvironment('AW_STANDIN_SCENARIO', 'stopped');
      prompts.answer('message', /The Compose service "backend" is not running/, 'Run in a One-off Container');
      const result = await vscode.commands.executeCommand<AlembicRunResult>('alembicWorkbench.showCurrent', { projectId: projectId() });
      assert.ok(result?.ok, `${result?.stdout}\n${result?.stderr}`);
      const question = prompts.messages().find((prompt) => prompt.modal)!;
      assert.match(question.detail!, /Run in a One-off Container: docker compose run --rm -T -w \/app -e PGAPPNAME backend alembic current/);
      const calls = allArgv().slice(-2);
      assert.deepEqual(calls, [
        ['compose', 'exec', '-T', '-w', '/app', '-e', 'PGAPPNAME', 'backend', 'alembic', 'current'],
        ['compose', 'run', '--rm', '-T', '-w', '/app', '-e', 'PGAPPNAME', 'backend', 'alembic', 'current'],
      ]);
    });

    test('runWhenServiceStopped = never: no one-off container is offered, only the failure and Start backend', async () => {
      setEnvironment('AW_STANDIN_SCENARIO', 'stopped');
      const configuration = vscode.workspace.getConfiguration('alembicWorkbench');
      await configuration.update('runner.dockerCompose.runWhenServiceStopped', 'never', vscode.ConfigurationTarget.Workspace);
      try {
        const calls = allArgv().length;
        const result = await vscode.commands.executeCommand<AlembicRunResult>('alembicWorkbench.showCurrent', { projectId: projectId() });
        assert.equal(result?.failure?.kind, 'composeServiceNotRunning');
        assert.equal(allArgv().length, calls + 1, 'only the one exec ran');
        assert.equal(prompts.messages().filter((prompt) => prompt.modal).length, 0);
        const error = await prompts.waitForMessage(/The Compose service "backend" is not running/);
        assert.deepEqual(error.choices, ['Start backend and Retry', 'Show Output']);
      } finally {
        setEnvironment('AW_STANDIN_SCENARIO', 'ok');
        await configuration.update('runner.dockerCompose.runWhenServiceStopped', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });

    test('A stopped service: Start backend runs `docker compose up -d backend`, then the command again', async () => {
      setEnvironment('AW_STANDIN_SCENARIO', 'stopped');
      setEnvironment('AW_STANDIN_STATE', stateFile);
      try {
        prompts.answer('message', /The Compose service "backend" is not running/, 'Start backend');
        const result = await vscode.commands.executeCommand<AlembicRunResult>('alembicWorkbench.showCurrent', { projectId: projectId() });
        assert.ok(result?.ok, `${result?.stdout}\n${result?.stderr}`);
        assert.deepEqual(allArgv().slice(-3), [
          ['compose', 'exec', '-T', '-w', '/app', '-e', 'PGAPPNAME', 'backend', 'alembic', 'current'],
          ['compose', 'up', '-d', 'backend'],
          ['compose', 'exec', '-T', '-w', '/app', '-e', 'PGAPPNAME', 'backend', 'alembic', 'current'],
        ]);
      } finally {
        setEnvironment('AW_STANDIN_SCENARIO', 'ok');
        setEnvironment('AW_STANDIN_STATE', undefined);
      }
    });
  });
}

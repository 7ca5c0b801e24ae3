// The Alembic commands inside the real VS Code (code-server 1.100, real extension host), run like
// the palette runs them (vscode.commands.executeCommand), in local mode with the real Alembic 1.8.1
// against the scratch PostgreSQL database the harness made for this server (DATABASE_URL, which the
// example's env.py reads). Questions are answered through ScriptedPrompts on the commands' prompt
// seam; the database is checked with SQL and through the extension's own state store.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import * as vscode from 'vscode';
import type { AlembicRunResult } from '../../../src/core/runner/alembicRunner';
import type { AlembicWorkbenchApi } from '../../../src/extension';
import type { WorkspaceProject } from '../../../src/editorProject/projectRegistry';
import type { Workbench } from '../../../src/workbench';
import { childProcessesOfThisProcess } from './extensionHostActivity';
import { ScriptedPrompts, scriptPromptsInSuite } from './scriptedPrompts';
import { EXTENSION_ID, readTestEnvironment } from './testEnvironment';
import { waitFor } from '../../support/waitFor';

const environment = readTestEnvironment();
const MERGE_HEAD = 'b5e2a7d9c3f8';
const BASE_REVISION = '4b1d3f0a9c21';
const REAL_ALEMBIC = '/usr/bin/alembic';

interface GenerateOutcome {
  result: AlembicRunResult;
  created?: { file: string; revision?: string; report: { riskyOperationCount: number; headline: string } };
}

interface ShowSqlOutcome {
  result: AlembicRunResult;
  uri: vscode.Uri;
  text: string;
}

/** SQL against the harness's scratch database (its libpq URL carries the test role's password). */
async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: environment.database });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

async function versionRows(): Promise<string[]> {
  const rows = await sql<{ version_num: string }>("SELECT version_num FROM alembic_version WHERE to_regclass('alembic_version') IS NOT NULL ORDER BY 1").catch(() => []);
  return rows.map((row) => row.version_num);
}

async function hasVersionTable(): Promise<boolean> {
  return (await sql<{ present: boolean }>("SELECT to_regclass('public.alembic_version') IS NOT NULL AS present"))[0].present;
}

async function columnsOf(table: string): Promise<string[]> {
  const rows = await sql<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY 1', [table]);
  return rows.map((row) => row.column_name);
}

async function resetDatabase(): Promise<void> {
  await sql('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
}

async function activeApi(): Promise<AlembicWorkbenchApi> {
  const extension = vscode.extensions.getExtension<AlembicWorkbenchApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension.isActive ? extension.exports : extension.activate();
}

function settings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('alembicWorkbench');
}

async function setSetting(key: string, value: unknown): Promise<void> {
  await settings().update(key, value, vscode.ConfigurationTarget.Workspace);
}

/** The Alembic Workbench log file of this extension host (what the output channel shows). */
function outputChannelText(): string {
  const logs = path.join(environment.userDataDir ?? '', 'logs');
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'Alembic Workbench.log') files.push(full);
    }
  };
  if (existsSync(logs)) walk(logs);
  return files.map((file) => readFileSync(file, 'utf8')).join('\n');
}

if (environment.trust === 'trusted') {
  suite('Alembic commands in VS Code (local runner, real Alembic + PostgreSQL)', function () {
    this.timeout(60_000);
    let workbench: Workbench;
    let workspace: string;
    let modelsFile: string;
    let originalModels: string;
    let versionsDir: string;
    let originalRevisionFiles: string[];
    let generatedRevision = '';
    let generatedFile = '';

    const project = (): WorkspaceProject => {
      const found = workbench.projects.projects[0];
      assert.ok(found, 'no Alembic project in the workspace');
      return found;
    };
    const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);

    suiteSetup(async () => {
      assert.ok(environment.database, 'the harness gives every server a scratch database (AW_VSCODE_TEST_DATABASE_URL): run through test/vscode/harness/runAll.ts');
      workbench = (await activeApi()).workbench;
      await workbench.projects.ready();
      workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
      modelsFile = path.join(workspace, 'backend', 'app', 'modules', 'meetings', 'models.py');
      originalModels = readFileSync(modelsFile, 'utf8');
      versionsDir = path.join(workspace, 'backend', 'alembic', 'versions');
      originalRevisionFiles = readdirSync(versionsDir).filter((name) => name.endsWith('.py')).sort();
      await setSetting('runner.mode', 'local');
      await setSetting('runner.local.command', [REAL_ALEMBIC]);
      await resetDatabase();
      await workbench.database.refresh();
    });

    const prompts = scriptPromptsInSuite(() => workbench);

    suiteTeardown(async () => {
      for (const name of readdirSync(versionsDir)) {
        if (name.endsWith('.py') && !originalRevisionFiles.includes(name)) rmSync(path.join(versionsDir, name));
      }
      writeFileSync(modelsFile, originalModels);
      for (const key of ['runner.mode', 'runner.local.command', 'protectedEnvironments']) await setSetting(key, undefined);
      workbench.projects.reloadFiles(project().id, []);
      await workbench.projects.reloadAll();
      await resetDatabase();
      await workbench.database.refresh();
    });

    test('Upgrade to Head from the palette applies every revision; the state store and SQL agree', async () => {
      const result = await run<AlembicRunResult>('alembicWorkbench.upgradeHead');
      assert.ok(result?.ok, JSON.stringify(result?.failure));
      assert.equal(result.commandLine, `${REAL_ALEMBIC} upgrade head`);
      assert.deepEqual(await versionRows(), [MERGE_HEAD]);
      const status = workbench.database.statusFor(project().id);
      assert.deepEqual(status?.current, [MERGE_HEAD]);
      assert.equal(status?.upToDate, true);
      // Every line went to the output channel, and the password did not.
      const log = await waitFor('the upgrade in the log file', () => {
        const text = outputChannelText();
        return text.includes(`$ ${REAL_ALEMBIC} upgrade head`) && text.includes(`Running upgrade 9f3b6a2d4e15, d7c1f8e4a2b6 -> ${MERGE_HEAD}`) && text;
      });
      const password = decodeURIComponent(new URL(environment.database!).password);
      assert.ok(!log.includes(`:${password}@`), 'the database password is in the log');
    });

    test('Generate from the palette: the message prompt, autogenerate, the new file opened, linted and counted', async () => {
      writeFileSync(modelsFile, originalModels.replace('    location = Column(String(255), nullable=True)\n', '    location = Column(String(255), nullable=True)\n    summary = Column(String(500), nullable=False)\n'));
      const message = `add meeting "summary"; $(touch /tmp/aw-pwned) \`id\` ü`;
      rmSync('/tmp/aw-pwned', { force: true });
      prompts.answer('inputBox', /What changed in the models/, message);
      const outcome = await run<GenerateOutcome>('alembicWorkbench.generateMigration');
      assert.ok(outcome?.result.ok, JSON.stringify(outcome?.result.failure));
      assert.ok(outcome.created, 'no file was presented');
      generatedFile = outcome.created.file;
      generatedRevision = outcome.created.revision!;
      assert.equal(path.dirname(generatedFile), versionsDir);
      // Alembic's slug: words of the message, cut at a word boundary to 40 characters.
      assert.match(path.basename(generatedFile), new RegExp(`^\\d{4}_\\d{2}_\\d{2}_\\d{4}-${generatedRevision}_add_meeting_summary_touch_tmp_aw_pwned_\\.py$`));
      const source = readFileSync(generatedFile, 'utf8');
      assert.ok(source.startsWith(`"""${message}\n`), source.slice(0, 200));
      assert.match(source, /op\.add_column\('meetings', sa\.Column\('summary', sa\.String\(length=500\), nullable=False\)\)/);
      assert.ok(!existsSync('/tmp/aw-pwned'), 'the message was run by a shell');
      // The registry has it as the new head, the editor shows it.
      assert.deepEqual(project().model.graph.heads, [generatedRevision]);
      assert.deepEqual(project().model.graph.get(generatedRevision)?.parents, [MERGE_HEAD]);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, generatedFile);
      // Linted at once: a NOT NULL column without a default fails on a table with rows.
      assert.equal(outcome.created.report.riskyOperationCount, 1);
      const notification = await prompts.waitForMessage(/1 risky operation: adding-required-column/);
      assert.equal(notification.severity, 'warning');
      assert.deepEqual(notification.choices, ['Show Problems', 'Show SQL', 'Discard']);
    });

    test('Upgrade to Head applies the new revision: the column exists, the store is at the new head', async () => {
      const result = await run<AlembicRunResult>('alembicWorkbench.upgradeHead');
      assert.ok(result?.ok, JSON.stringify(result?.failure));
      assert.deepEqual(await versionRows(), [generatedRevision]);
      assert.ok((await columnsOf('meetings')).includes('summary'));
      assert.deepEqual(workbench.database.statusFor(project().id)?.current, [generatedRevision]);
    });

    test('Show SQL of a revision opens a read-only SQL editor with its ALTER TABLE', async () => {
      const outcome = await run<ShowSqlOutcome>('alembicWorkbench.showSql', { projectId: project().id, revision: generatedRevision });
      assert.ok(outcome?.result.ok, JSON.stringify(outcome?.result.failure));
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.scheme, 'alembic-workbench');
      assert.equal(editor?.document.uri.toString(), outcome.uri.toString());
      assert.equal(editor?.document.languageId, 'sql');
      const text = editor!.document.getText();
      assert.match(text, new RegExp(`^-- Alembic ran: ${REAL_ALEMBIC} upgrade ${MERGE_HEAD}:${generatedRevision} --sql$`, 'm'));
      assert.match(text, /ALTER TABLE meetings ADD COLUMN summary VARCHAR\(500\) NOT NULL;/);
      assert.equal(text.match(/-- Running upgrade/g)?.length, 1);
      // A virtual document of our own scheme: nothing on disk, and no file system to save it to.
      assert.notEqual(vscode.workspace.fs.isWritableFileSystem('alembic-workbench'), true);
    });

    test('Show SQL takes a revision file (explorer, editor title) as well', async () => {
      const file = project().model.graph.get('e91f4c6b0a38')!.file.filePath;
      const outcome = await run<ShowSqlOutcome>('alembicWorkbench.showSql', vscode.Uri.file(file));
      assert.ok(outcome?.result.ok);
      assert.match(outcome.text, /^-- Offline SQL of revision e91f4c6b0a38: drop meeting description/m);
      assert.match(outcome.text, /ALTER TABLE meetings DROP COLUMN description;/);
    });

    test("Show SQL of a merge shows only the merge's step; of a base, the version table too", async () => {
      const merge = await run<ShowSqlOutcome>('alembicWorkbench.showSql', { projectId: project().id, revision: MERGE_HEAD });
      assert.ok(merge?.result.ok);
      assert.match(merge.text, /^-- b5e2a7d9c3f8 merges 9f3b6a2d4e15, d7c1f8e4a2b6\./m);
      assert.match(merge.text, /DELETE FROM alembic_version WHERE/);
      assert.doesNotMatch(merge.text, /CREATE TABLE|ALTER TABLE/);
      const base = await run<ShowSqlOutcome>('alembicWorkbench.showSql', { projectId: project().id, revision: BASE_REVISION });
      assert.ok(base?.result.ok);
      assert.match(base.text, /CREATE TABLE alembic_version/);
      assert.match(base.text, /CREATE TABLE users/);
      assert.equal(vscode.window.activeTextEditor?.document.uri.path.endsWith(`/${BASE_REVISION}.sql`), true);
    });

    test('Downgrade -1 asks with the command line and the database; declined, nothing runs; accepted, it downgrades', async () => {
      prompts.answer('message', /^Downgrade .* by one revision\?$/, undefined);
      assert.equal(await run('alembicWorkbench.downgradeOne'), undefined);
      const [question] = prompts.messages();
      assert.equal(question.modal, true);
      const databaseName = new URL(environment.database!).pathname.slice(1);
      assert.match(question.detail!, new RegExp(`^Command: ${REAL_ALEMBIC} downgrade -1$`, 'm'));
      assert.match(question.detail!, new RegExp(`^Database: postgresql\\+psycopg2://aw_test:\\*\\*\\*@127\\.0\\.0\\.1:5432/${databaseName}$`, 'm'));
      assert.match(question.detail!, new RegExp(`Undoes 1 revision \\(newest first\\):\\n  ${generatedRevision}  add meeting "summary"`));
      assert.match(question.detail!, /⚠ drops column meetings\.summary and the data in it \(line \d+\)/, 'the downgrade loses data: the preview says so');
      assert.deepEqual(await versionRows(), [generatedRevision], 'declined, yet something ran');

      prompts.clear();
      prompts.answer('message', /^Downgrade .* by one revision\?$/, 'Downgrade');
      const result = await run<AlembicRunResult>('alembicWorkbench.downgradeOne');
      assert.ok(result?.ok, JSON.stringify(result?.failure));
      assert.deepEqual(await versionRows(), [MERGE_HEAD]);
      assert.ok(!(await columnsOf('meetings')).includes('summary'));
      assert.deepEqual(workbench.database.statusFor(project().id)?.current, [MERGE_HEAD]);
    });

    test('Round trip (downgrade -1, upgrade head) reports both steps', async () => {
      assert.ok((await run<AlembicRunResult>('alembicWorkbench.upgradeHead'))?.ok);
      prompts.answer('message', /^Test the downgrade of /, 'Run Round Trip');
      const results = await run<AlembicRunResult[]>('alembicWorkbench.roundTrip');
      assert.deepEqual(
        results?.map((result) => [result.commandLine, result.ok]),
        [
          [`${REAL_ALEMBIC} downgrade -1`, true],
          [`${REAL_ALEMBIC} upgrade head`, true],
        ],
      );
      const report = await prompts.waitForMessage(/round trip passed/);
      assert.match(report.text, /round trip passed: alembic downgrade -1 ✓ \(\d+\.\d s\), then alembic upgrade head ✓ \(\d+\.\d s\)\./);
      assert.deepEqual(await versionRows(), [generatedRevision]);
    });

    test('Two heads: Upgrade to Head fails with the recognised message; Merge Heads merges them and opens the merge', async () => {
      const branch = path.join(versionsDir, '2026_01_02_0000-c0ffee000001_add_meeting_notes.py');
      writeFileSync(
        branch,
        [
          '"""add meeting notes', '', 'Revision ID: c0ffee000001', `Revises: ${MERGE_HEAD}`, 'Create Date: 2026-01-02 00:00:00', '', '"""',
          'from alembic import op', 'import sqlalchemy as sa', '', '', "revision = 'c0ffee000001'", `down_revision = '${MERGE_HEAD}'`,
          'branch_labels = None', 'depends_on = None', '', '', 'def upgrade() -> None:', "    op.add_column('meetings', sa.Column('notes', sa.Text(), nullable=True))",
          '', '', 'def downgrade() -> None:', "    op.drop_column('meetings', 'notes')", '',
        ].join('\n'),
      );
      // The file watcher tells the registry.
      await waitFor('the registry to see two heads', () => project().model.graph.heads.length === 2, { timeoutMs: 15_000 });

      const failed = await run<AlembicRunResult>('alembicWorkbench.upgradeHead');
      assert.equal(failed?.ok, false);
      assert.equal(failed?.failure?.kind, 'multipleHeads');
      const error = await prompts.waitForMessage(/several heads/);
      assert.equal(error.severity, 'error');
      assert.ok(error.choices.includes('Merge Heads'), error.choices.join());

      prompts.clear();
      prompts.answer('pickMany', /Merge which heads/, 'all picked');
      prompts.answer('inputBox', /Message of the merge revision/, 'merge summary and notes');
      const merged = await run<GenerateOutcome>('alembicWorkbench.mergeHeads');
      assert.ok(merged?.result.ok, JSON.stringify(merged?.result.failure));
      const mergeRevision = merged.created!.revision!;
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, merged.created!.file);
      assert.deepEqual(project().model.graph.heads, [mergeRevision]);
      assert.deepEqual([...project().model.graph.get(mergeRevision)!.parents].sort(), [generatedRevision, 'c0ffee000001'].sort());
      assert.match(readFileSync(merged.created!.file, 'utf8'), /^"""merge summary and notes/);

      assert.ok((await run<AlembicRunResult>('alembicWorkbench.upgradeHead'))?.ok);
      assert.deepEqual(await versionRows(), [mergeRevision]);
      assert.ok((await columnsOf('meetings')).includes('notes'));
    });

    test('A database at a revision no file defines: Show Current explains; Stamp offers --purge and fixes it', async () => {
      await sql("UPDATE alembic_version SET version_num = 'feedfacecafe'");
      const current = await run<AlembicRunResult>('alembicWorkbench.showCurrent');
      assert.equal(current?.failure?.kind, 'revisionNotFound');
      const error = await prompts.waitForMessage(/at revision 'feedfacecafe', which none of this project's migration files defines/);
      assert.ok(error.choices.includes('Stamp (purge)…'), error.choices.join());

      prompts.clear();
      prompts.answer('pickOne', /as which revision\?/, 'head');
      prompts.answer('pickOne', /no migration file defines/, 'Stamp with --purge');
      prompts.answer('message', /^Stamp .* as head/, 'Stamp');
      const stamped = await run<AlembicRunResult>('alembicWorkbench.stampRevision', { projectId: project().id });
      assert.ok(stamped?.ok, JSON.stringify(stamped?.failure));
      assert.equal(stamped.commandLine, `${REAL_ALEMBIC} stamp head --purge`);
      assert.deepEqual(await versionRows(), [project().model.graph.heads[0]]);
      const confirmation = prompts.messages().find((prompt) => prompt.modal);
      assert.match(confirmation!.detail!, /The version table now holds: feedfacecafe\./);
    });

    test('Cancel stops the running process tree; a second command meanwhile is refused', async () => {
      // A stand-in that runs as long as we let it: the point is the process, not Alembic.
      await setSetting('runner.local.command', ['/usr/bin/python3', '-c', 'import time; time.sleep(60)']);
      try {
        const pending = run<AlembicRunResult>('alembicWorkbench.upgradeHead');
        const running = await waitFor('the command to start', () => {
          const command = workbench.runners.runningCommand(project());
          return command?.pid ? command : undefined;
        });
        assert.ok(childProcessesOfThisProcess().some((child) => child.pid === running.pid));

        assert.equal(await run('alembicWorkbench.showCurrent'), undefined);
        const refused = await prompts.waitForMessage(/is still running/);
        assert.match(refused.text, /"alembic upgrade head" is still running .*so "alembic current" was not started/);
        assert.deepEqual(refused.choices, ['Cancel Running Command', 'Show Output']);

        assert.equal(workbench.runners.cancelRunning(project()), true);
        const result = await pending;
        assert.equal(result?.cancelled, true);
        assert.ok(!childProcessesOfThisProcess().some((child) => child.pid === running.pid), 'the process outlived the cancel');
        await prompts.waitForMessage(/cancelled "alembic upgrade head"/);
        assert.equal(workbench.runners.runningCommand(project()), undefined);
      } finally {
        workbench.runners.cancelRunning(project());
        await setSetting('runner.local.command', [REAL_ALEMBIC]);
      }
    });

    test('Generate Empty, then Discard deletes only the file just created, after confirming', async () => {
      const before = readdirSync(versionsDir).sort();
      const headBefore = project().model.graph.heads;
      prompts.answer('inputBox', /What will this migration do/, 'backfill meeting status');
      prompts.answer('message', /an empty migration: write its upgrade\(\) and downgrade\(\)/, 'Discard');
      prompts.answer('message', /^Delete .*backfill_meeting_status\.py\?$/, 'Delete');
      const outcome = await run<GenerateOutcome>('alembicWorkbench.generateEmptyMigration');
      const file = outcome!.created!.file;
      assert.ok(path.basename(file).endsWith('_backfill_meeting_status.py'));
      await waitFor('the file to be deleted', () => !existsSync(file));
      assert.deepEqual(readdirSync(versionsDir).sort(), before);
      await waitFor('the registry to forget it', () => project().model.graph.heads.join() === headBefore.join());
      await prompts.waitForMessage(/deleted .*backfill_meeting_status\.py/);
    });

    test('Check says alembic check needs Alembic 1.9 and offers Generate', async () => {
      const result = await run<AlembicRunResult>('alembicWorkbench.checkMigrations');
      assert.equal(result?.failure?.kind, 'checkNotAvailable');
      const info = await prompts.waitForMessage(/needs Alembic 1\.9 or newer/);
      assert.equal(info.severity, 'info');
      assert.deepEqual(info.choices, ['Generate Migration', 'Upgrade Alembic: How']);
    });

    test('Show History opens `alembic history --verbose` read-only; Show Current says where the database is', async () => {
      const history = await run<{ uri: vscode.Uri }>('alembicWorkbench.showHistory');
      const text = vscode.window.activeTextEditor!.document.getText();
      assert.equal(history?.uri.scheme, 'alembic-workbench');
      assert.match(text, new RegExp(`^Rev: ${project().model.graph.heads[0]} \\(head\\) \\(mergepoint\\)$`, 'm'));
      assert.match(text, new RegExp(`^Path: ${versionsDir.replace(/[/.]/g, '\\$&')}/`, 'm'));

      assert.ok((await run<AlembicRunResult>('alembicWorkbench.showCurrent'))?.ok);
      const said = await prompts.waitForMessage(/the database is at /);
      assert.match(said.text, /the database is at [0-9a-f]{12} \(merge summary and notes\), the latest revision\./);
    });

    test('A protected database needs its name typed: a wrong name runs nothing, the right one runs', async () => {
      const databaseName = new URL(environment.database!).pathname.slice(1);
      await setSetting('protectedEnvironments', [`${databaseName.slice(0, 5)}*`]);
      try {
        const rowsBefore = await versionRows();
        prompts.answer('message', /^Downgrade .* to base/, 'Downgrade to Base');
        prompts.answer('inputBox', /Protected database/, 'production');
        assert.equal(await run('alembicWorkbench.downgradeToBase'), undefined);
        const [modal] = prompts.messages();
        assert.match(modal.detail!, new RegExp(`Protected: the database ${databaseName} matches the protected pattern`));
        const typed = prompts.recorded.find((prompt) => prompt.kind === 'inputBox');
        assert.equal(typed?.refused, 'production');
        assert.match(typed!.text, new RegExp(`Type "${databaseName}" to run: ${REAL_ALEMBIC} downgrade base`));
        assert.deepEqual(await versionRows(), rowsBefore);

        prompts.clear();
        prompts.answer('message', /^Downgrade .* to base/, 'Downgrade to Base');
        prompts.answer('inputBox', /Protected database/, databaseName);
        const result = await run<AlembicRunResult>('alembicWorkbench.downgradeToBase');
        assert.ok(result?.ok, JSON.stringify(result?.failure));
        assert.deepEqual(await versionRows(), []);
        assert.deepEqual(workbench.database.statusFor(project().id)?.current, []);
      } finally {
        await setSetting('protectedEnvironments', undefined);
      }
    });

    test('Autogenerate against a protected database asks first (never autogenerate in production); unprotected it does not', async () => {
      const databaseName = new URL(environment.database!).pathname.slice(1);
      const filesBefore = readdirSync(versionsDir).sort();
      await setSetting('protectedEnvironments', [`${databaseName.slice(0, 5)}*`]);
      try {
        prompts.answer('inputBox', /What changed in the models/, 'should not be written');
        // The modal goes unanswered (Escape): nothing runs, no file is written.
        assert.equal(await run('alembicWorkbench.generateMigration'), undefined);
        const modal = await prompts.waitForMessage(/^Autogenerate against a protected database/);
        assert.equal(modal.severity, 'warning');
        assert.match(modal.detail!, new RegExp(`Command: ${REAL_ALEMBIC} revision -m 'should not be written' --autogenerate`));
        assert.match(modal.detail!, /never autogenerate in production/);
        assert.match(modal.detail!, new RegExp(`Protected: the database ${databaseName} matches`));
        assert.deepEqual(readdirSync(versionsDir).sort(), filesBefore);
      } finally {
        await setSetting('protectedEnvironments', undefined);
      }
      // Not protected: straight to Alembic (which answers for itself: here the database is behind).
      prompts.clear();
      prompts.answer('inputBox', /What changed in the models/, 'unprotected autogenerate');
      const outcome = await run<GenerateOutcome>('alembicWorkbench.generateMigration');
      assert.ok(outcome?.result, 'Alembic did not run');
      assert.equal(prompts.messages().filter((prompt) => /protected database/.test(prompt.text)).length, 0);
      if (outcome.created) {
        rmSync(outcome.created.file, { force: true });
        await waitFor('the registry to forget it', () => !project().model.graph.get(outcome.created!.revision!));
      }
    });

    test('Upgrade on a protected database asks first with the name typed (test in staging, back up)', async () => {
      const databaseName = new URL(environment.database!).pathname.slice(1);
      await setSetting('protectedEnvironments', [`${databaseName.slice(0, 5)}*`]);
      try {
        prompts.clear();
        const rowsBefore = await versionRows();
        // Unanswered (Escape): nothing runs.
        assert.equal(await run('alembicWorkbench.upgradeHead'), undefined);
        const modal = await prompts.waitForMessage(/^Upgrade a protected database/);
        assert.match(modal.detail!, new RegExp(`Command: ${REAL_ALEMBIC} upgrade head`));
        assert.match(modal.detail!, /test these migrations in staging, back the database up/);
        assert.deepEqual(await versionRows(), rowsBefore);

        prompts.clear();
        prompts.answer('message', /^Upgrade a protected database/, 'Upgrade');
        prompts.answer('inputBox', /Protected database/, databaseName);
        const result = await run<AlembicRunResult>('alembicWorkbench.upgradeHead');
        assert.ok(result?.ok, JSON.stringify(result?.failure));
        assert.deepEqual(await versionRows(), project().model.graph.heads);
      } finally {
        await setSetting('protectedEnvironments', undefined);
      }
    });

    test("Without the Python extension, the default local command stays plain `alembic`", async () => {
      assert.equal(vscode.extensions.getExtension('ms-python.python'), undefined, 'this VS Code has no Python extension');
      await setSetting('runner.local.command', undefined);
      try {
        const { runner, localCommand } = await workbench.runners.prepareRunner(project());
        assert.deepEqual(localCommand, { command: ['alembic'], source: 'default' });
        assert.equal(runner.invocationFor({ kind: 'current' }).commandLine, 'alembic current');
      } finally {
        await setSetting('runner.local.command', [REAL_ALEMBIC]);
      }
    });

    test('Configure Runner: local, alembic from PATH, written to the workspace settings', async () => {
      await setSetting('runner.local.command', undefined);
      prompts.answer('pickOne', /How should Alembic run/, 'Local');
      prompts.answer('pickOne', /Which Alembic runs/, 'alembic from PATH');
      const runner = await run<{ mode: string; local: { command: string[] } }>('alembicWorkbench.configureRunner');
      assert.equal(runner?.mode, 'local');
      assert.deepEqual(settings().get('runner.local.command'), [REAL_ALEMBIC]);
      const offered = prompts.recorded.find((prompt) => /Which Alembic runs/.test(prompt.text));
      assert.ok(offered?.choices.includes('alembic from PATH'));
      await prompts.waitForMessage(new RegExp(`Alembic now runs on this machine, e\\.g\\. ${REAL_ALEMBIC} current`));
    });
  });
}

if (environment.trust === 'untrusted') {
  suite('Alembic commands in Restricted Mode', function () {
    this.timeout(30_000);

    test('invoked anyway (package.json hides them), they start nothing, ask nothing and say why', async () => {
      const workbench = (await activeApi()).workbench;
      await workbench.projects.ready();
      const prompts = new ScriptedPrompts();
      const originalPrompts = workbench.runners.prompts;
      workbench.runners.prompts = prompts;
      try {
        const projectId = workbench.projects.projects[0].id;
        const reference = { projectId, revision: MERGE_HEAD };
        const commands: Array<[string, unknown]> = [
          ['upgradeHead', { projectId }],
          ['upgradeOne', { projectId }],
          ['upgradeToRevision', reference],
          ['downgradeOne', { projectId }],
          ['downgradeToRevision', reference],
          ['downgradeToBase', { projectId }],
          ['stampRevision', reference],
          ['mergeHeads', { projectId }],
          ['showCurrent', { projectId }],
          ['showHistory', { projectId }],
          ['showSql', reference],
          ['roundTrip', { projectId }],
          ['checkMigrations', { projectId }],
          ['generateMigration', { projectId }],
          ['generateEmptyMigration', { projectId }],
        ];
        for (const [name, argument] of commands) {
          prompts.clear();
          assert.equal(await vscode.commands.executeCommand(`alembicWorkbench.${name}`, argument), undefined, name);
          assert.deepEqual(prompts.recorded.filter((prompt) => prompt.kind !== 'message'), [], `${name} asked a question before refusing`);
          const [warning] = prompts.messages('warning');
          assert.match(warning?.text ?? '(no message)', /runs no Alembic command in Restricted Mode: "alembic [^"]+" would execute this workspace's env\.py/, name);
          assert.deepEqual(warning.choices, ['Manage Workspace Trust']);
        }
        const builtInExtensions = path.join(vscode.env.appRoot, 'extensions') + path.sep;
        assert.deepEqual(childProcessesOfThisProcess().filter((child) => !child.commandLine.includes(builtInExtensions)), [], 'a process was started');
        if (environment.database) assert.equal(await hasVersionTable(), false, 'something ran against the database');
      } finally {
        workbench.runners.prompts = originalPrompts;
      }
    });
  });
}

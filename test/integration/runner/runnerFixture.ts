// A throw-away copy of the example project with its own PostgreSQL database and an AlembicRunner
// in local mode on the real Alembic: what every runner integration test starts from.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AlembicCommand } from '../../../src/core/runner/alembicCommand';
import { AlembicRunner, type AlembicRunRequest, type AlembicRunResult } from '../../../src/core/runner/alembicRunner';
import { ProjectCommandLock } from '../../../src/core/runner/processRunner';
import type { RunnerConfig } from '../../../src/core/runner/runnerModes';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres';
import { copyToTemp, EXAMPLE_PROJECT, REAL_ALEMBIC } from '../../support/realAlembic';

export const MERGE_HEAD = 'b5e2a7d9c3f8';

export interface RunnerProject {
  root: string;
  backend: string;
  iniPath: string;
  database: ScratchDatabase;
  /** DATABASE_URL for the project (with the test role's password: tests assert it is masked). */
  databaseUrl: string;
  lock: ProjectCommandLock;
  runner: AlembicRunner;
  run(command: AlembicCommand, extra?: Omit<AlembicRunRequest, 'command'>): Promise<AlembicRunResult>;
  /** Runs and fails the test with Alembic's output when the command fails. */
  runOk(command: AlembicCommand, extra?: Omit<AlembicRunRequest, 'command'>): Promise<AlembicRunResult>;
  versions(): Promise<string[]>;
  tables(): Promise<string[]>;
  columns(table: string): Promise<Map<string, { data_type: string; is_nullable: string }>>;
  versionsDir: string;
  revisionFile(revision: string): string;
  /** Writes a hand-made revision file into versions/. */
  writeRevision(revision: string, downRevision: string, upgrade: string, downgrade: string, message?: string): string;
  cleanup(): Promise<void>;
}

export function localRunner(project: { iniPath: string; root: string }, lock: ProjectCommandLock, command = [REAL_ALEMBIC]): AlembicRunner {
  const config: RunnerConfig = { mode: 'local', command };
  return new AlembicRunner({ runner: config, target: { iniPath: project.iniPath, workspaceFolder: project.root }, lock });
}

export async function createRunnerProject(label: string): Promise<RunnerProject> {
  const database = await createScratchDatabase(label);
  const root = copyToTemp(EXAMPLE_PROJECT, `aw-runner-${label}-`);
  const backend = path.join(root, 'backend');
  const iniPath = path.join(backend, 'alembic.ini');
  const lock = new ProjectCommandLock();
  const runner = localRunner({ iniPath, root }, lock);
  const env = { DATABASE_URL: database.sqlalchemyUrl, PYTHONDONTWRITEBYTECODE: '1' };
  const versionsDir = path.join(backend, 'alembic', 'versions');

  const project: RunnerProject = {
    root,
    backend,
    iniPath,
    database,
    databaseUrl: database.sqlalchemyUrl,
    lock,
    runner,
    versionsDir,
    run: (command, extra = {}) => runner.run({ ...extra, command, env: { ...env, ...extra.env } }),
    async runOk(command, extra = {}) {
      const result = await project.run(command, extra);
      assert.ok(result.ok, `${result.commandLine} failed (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
      return result;
    },
    async versions() {
      const rows = await database.query<{ version_num: string }>(
        "SELECT version_num FROM alembic_version WHERE to_regclass('alembic_version') IS NOT NULL ORDER BY 1",
      ).catch(() => []);
      return rows.map((row) => row.version_num);
    },
    async tables() {
      const rows = await database.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'alembic_version' ORDER BY 1",
      );
      return rows.map((row) => row.table_name);
    },
    async columns(table) {
      const rows = await database.query<{ column_name: string; data_type: string; is_nullable: string }>(
        'SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = $1',
        [table],
      );
      return new Map(rows.map((row) => [row.column_name, row]));
    },
    revisionFile(revision) {
      const file = readdirSync(versionsDir).find((name) => name.includes(`-${revision}_`) || name.startsWith(`${revision}_`));
      assert.ok(file, `no file for revision ${revision}`);
      return path.join(versionsDir, file);
    },
    writeRevision(revision, downRevision, upgrade, downgrade, message = `hand written ${revision}`) {
      const file = path.join(versionsDir, `2026_01_01_0000-${revision}_${message.replace(/\W+/g, '_')}.py`);
      const indent = (body: string) => body.split('\n').map((line) => `    ${line}`).join('\n');
      writeFileSync(
        file,
        `"""${message}\n\nRevision ID: ${revision}\nRevises: ${downRevision}\nCreate Date: 2026-01-01 00:00:00\n\n"""\n` +
          'from alembic import op\nimport sqlalchemy as sa\n\n\n' +
          `revision = '${revision}'\ndown_revision = '${downRevision}'\nbranch_labels = None\ndepends_on = None\n\n\n` +
          `def upgrade() -> None:\n${indent(upgrade)}\n\n\ndef downgrade() -> None:\n${indent(downgrade)}\n`,
      );
      return file;
    },
    async cleanup() {
      rmSync(root, { recursive: true, force: true });
      await database.drop();
    },
  };
  return project;
}

/** The message Alembic wrote into a revision file's docstring (first paragraph). */
export function docstringMessage(file: string): string {
  const source = readFileSync(file, 'utf8');
  const match = /^"""([\s\S]*?)\n\nRevision ID:/.exec(source);
  assert.ok(match, `no docstring in ${file}`);
  return match[1];
}

// A throw-away Alembic project driven by the real Alembic 1.8.1: models are rewritten step by step
// and `alembic revision --autogenerate` writes the migrations the lint tests then check.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyTextEdits, type Finding } from '../../../src/core/lint/findings';
import { createLintContext, type Dialect } from '../../../src/core/lint/lintContext';
import { lintMigration } from '../../../src/core/lint/lintEngine';
import { inferProjectDialects } from '../../../src/core/lint/projectDialects';
import { realAlembicOk, runRealAlembic, type AlembicRun } from '../../support/realAlembic';

const ENV_PY = `# env.py for the lint tests: online only, compare_type on (Alembic 1.8.1 defaults it off).
from alembic import context
from sqlalchemy import engine_from_config, pool

import models

config = context.config
RENDER_AS_BATCH = config.get_main_option("render_as_batch") == "true"


def run_migrations_online() -> None:
    # lock_timeout for every migration, once (AW110 is then satisfied project-wide); libpq options are PostgreSQL's.
    url = config.get_main_option("sqlalchemy.url")
    connect_args = {"options": "-c lock_timeout=10s"} if url.startswith("postgresql") else {}
    connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool, connect_args=connect_args)
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=models.Base.metadata,
            compare_type=True,
            render_as_batch=RENDER_AS_BATCH,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
`;

export class AlembicLintProject {
  readonly root: string;

  constructor(
    readonly sqlalchemyUrl: string,
    readonly dialect: Dialect,
    options: { renderAsBatch?: boolean } = {},
  ) {
    this.root = mkdtempSync(path.join(tmpdir(), 'aw-lint-it-'));
    // Removed by dispose(), in the suite's after hook.
    realAlembicOk(this.root, ['init', 'alembic']);
    const ini = readFileSync(path.join(this.root, 'alembic.ini'), 'utf8')
      .replace(/^sqlalchemy\.url = .*$/m, `sqlalchemy.url = ${sqlalchemyUrl.replace(/%/g, '%%')}\nrender_as_batch = ${options.renderAsBatch ? 'true' : 'false'}`);
    writeFileSync(path.join(this.root, 'alembic.ini'), ini);
    writeFileSync(path.join(this.root, 'alembic', 'env.py'), ENV_PY);
  }

  /** Deletes the project folder (and a SQLite file inside it). */
  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  get versions(): string {
    return path.join(this.root, 'alembic', 'versions');
  }

  writeModels(source: string): void {
    writeFileSync(path.join(this.root, 'models.py'), source);
  }

  alembic(args: string[]): AlembicRun {
    return runRealAlembic(this.root, args);
  }

  ok(args: string[]): AlembicRun {
    return realAlembicOk(this.root, args);
  }

  /** Runs `alembic revision [--autogenerate] -m message --rev-id id` and returns the file. */
  revision(id: string, message: string, autogenerate = true): RevisionUnderTest {
    this.ok(['revision', ...(autogenerate ? ['--autogenerate'] : []), '-m', message, '--rev-id', id]);
    const name = readdirSync(this.versions).find((file) => file.startsWith(`${id}_`));
    assert.ok(name, `alembic wrote no file for ${id}`);
    return new RevisionUnderTest(path.join(this.versions, name), this.dialect, this.root);
  }
}

export class RevisionUnderTest {
  constructor(
    readonly filePath: string,
    readonly dialect: Dialect,
    /** The project's folder: its env.py is read as the CLI and the editor read it (lock_timeout for AW110). */
    readonly projectRoot: string,
  ) {}

  get source(): string {
    return readFileSync(this.filePath, 'utf8');
  }

  set source(text: string) {
    writeFileSync(this.filePath, text);
  }

  lint(): Finding[] {
    const inferredDialects = inferProjectDialects({
      projectFolder: this.projectRoot,
      scriptLocation: path.join(this.projectRoot, 'alembic'),
      versionsFolders: [path.dirname(this.filePath)],
      stopAt: this.projectRoot,
    });
    return lintMigration(this.source, { filePath: this.filePath, context: createLintContext({ dialect: this.dialect, inferredDialects }) }).findings;
  }

  /** `AW101@22` (1-based) for every finding. */
  codes(): string[] {
    return this.lint().map((finding) => `${finding.code}@${finding.range.start.line + 1}`);
  }

  /** 1-based line of the n-th line containing `text`. */
  line(text: string, occurrence = 0): number {
    const lines = this.source.split('\n');
    const matches = lines.map((line, index) => (line.includes(text) ? index + 1 : 0)).filter(Boolean);
    assert.ok(matches[occurrence] !== undefined, `no line #${occurrence} contains ${text}:\n${this.source}`);
    return matches[occurrence];
  }

  /** Applies the fix of the first finding with this code (re-linting after each), `times` times. */
  applyFixes(code: string, times = 1): void {
    for (let round = 0; round < times; round++) {
      const finding = this.lint().find((item) => item.code === code && item.fix);
      assert.ok(finding, `no fixable ${code} left after ${round} fixes:\n${this.source}`);
      this.source = applyTextEdits(this.source, finding.fix!.edits);
    }
  }
}

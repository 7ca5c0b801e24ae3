// What the user needs to hear right after Generate: how many risky operations the new migration
// holds (the lint engine's errors and warnings), or that autogenerate found nothing to do. No vscode
// import: plain data in, plain data out, unit-tested with plain mocha.
import path from 'node:path';
import type { Finding } from '../core/lint/findings';
import { emptyLintConfig, findPyproject, loadLintConfig, type LintConfig } from '../core/lint/lintConfig';
import { createLintContext, parseDialectName, type LintContext } from '../core/lint/lintContext';
import { lintMigration } from '../core/lint/lintEngine';
import { inferProjectDialects, projectDialectsRequest, type ProjectDialectsSource } from '../core/lint/projectDialects';

export interface ProjectLintSetup {
  config: LintConfig;
  context: LintContext;
}

/**
 * The project's lint configuration: `[tool.alembic-workbench]` of the nearest pyproject.toml (up to
 * the workspace folder), and the dialect from the `lint.dialect` setting, else inferred from the project.
 */
export function lintSetupForProject(project: ProjectDialectsSource, workspaceFolder: string, dialectSetting: string): ProjectLintSetup {
  const pyproject = findPyproject(project.here, workspaceFolder);
  const config = pyproject ? loadLintConfig(pyproject) : emptyLintConfig();
  const dialect = dialectSetting === 'auto' ? undefined : parseDialectName(dialectSetting);
  // Read even when the dialect is chosen: env.py also says whether lock_timeout is set (AW110).
  const inferredDialects = inferProjectDialects(projectDialectsRequest(project, workspaceFolder));
  return { config, context: createLintContext({ dialect, sqlalchemyUrl: project.sqlalchemyUrl, inferredDialects, config }) };
}

export interface GeneratedRevisionReport {
  fileName: string;
  /** Errors and warnings, in file order. */
  riskyFindings: Finding[];
  /** Lines holding at least one risky finding: one operation can break several rules. */
  riskyOperationCount: number;
  /** `upgrade()` does nothing: autogenerate saw no difference between the models and the database. */
  emptyUpgrade: boolean;
  /** One sentence for the notification. */
  headline: string;
}

export function reportGeneratedRevision(source: string, filePath: string, setup: ProjectLintSetup): GeneratedRevisionReport {
  const { findings, migration } = lintMigration(source, { filePath, context: setup.context, config: setup.config });
  const riskyFindings = findings.filter((finding) => finding.severity === 'error' || finding.severity === 'warning');
  const riskyLines = new Set(riskyFindings.map((finding) => finding.range.start.line));
  const emptyUpgrade = migration.upgrade?.isEmpty ?? false;
  const fileName = path.basename(filePath);
  const count = riskyLines.size;
  let headline: string;
  if (emptyUpgrade) {
    headline = `${fileName}: autogenerate found no difference between the models and the database, so upgrade() is empty.`;
  } else if (count === 0) {
    headline = `${fileName}: no risky operations found. Review it before you commit it.`;
  } else {
    const rules = [...new Set(riskyFindings.map((finding) => `${finding.rule} (line ${finding.range.start.line + 1})`))];
    headline = `${fileName}: ${count} risky operation${count === 1 ? '' : 's'}: ${rules.join(', ')}.`;
  }
  return { fileName, riskyFindings, riskyOperationCount: count, emptyUpgrade, headline };
}

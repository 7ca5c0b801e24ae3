// The findings snapshot over ../shared/realworld: every project linted with the CLI's own command
// (`alembic-workbench lint -c <alembic.ini> <versions folders>`, JSON), every finding written as
// `<file relative to realworld>:<line> <code> <rule>`. Used by scripts/lintSnapshot.ts (writes it)
// and test/unit/lint/realworldSnapshot.test.ts (compares).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CliIO } from '../../src/cli/cliTypes';
import { createLintCommand, type LintProjectInfo, type ProjectLookupRequest } from '../../src/cli/lintCommand';
import { locateLintProject } from '../../src/cli/lintProjectLocator';
import { inferProjectDialects } from '../../src/core/lint/projectDialects';
import { loadProjectConfig, ProjectConfigError } from '../../src/core/project/projectConfig';
import { REPO_ROOT } from './realAlembic';

export const REALWORLD = path.resolve(REPO_ROOT, '..', 'shared', 'realworld');
export const SNAPSHOT_FILE = path.join(REPO_ROOT, 'test', 'fixtures', 'realworld-lint-snapshot.txt');
export const SNAPSHOT_COMMAND = 'npm run lint:snapshot';

/** Every alembic.ini below a folder (sorted), skipping caches. */
function alembicInis(folder: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const full = path.join(folder, name);
    if (name === 'alembic.ini') found.push(full);
    else if (!name.startsWith('.') && name !== '__pycache__' && statSync(full).isDirectory()) found.push(...alembicInis(full));
  }
  return found;
}

/**
 * The CLI's locator; for a Flask-Migrate project (alembic.ini without script_location: Flask-Migrate
 * passes the folder itself) the folder of alembic.ini is the script location, as the real tool does.
 */
async function locateWithFlaskLayout(request: ProjectLookupRequest): Promise<LintProjectInfo | undefined> {
  try {
    return await locateLintProject(request);
  } catch (error) {
    if (!(error instanceof ProjectConfigError && error.kind === 'no-script-location') || !request.configPath) throw error;
    const folder = path.dirname(request.configPath);
    const versions = path.join(folder, 'versions');
    return {
      projectRoot: folder,
      versionsFolders: [versions],
      inferredDialects: inferProjectDialects({ projectFolder: folder, scriptLocation: folder, versionsFolders: [versions], stopAt: request.cwd }),
    };
  }
}

function versionsFoldersOf(ini: string): string[] {
  try {
    return loadProjectConfig(ini).versionLocations;
  } catch {
    return [path.join(path.dirname(ini), 'versions')];
  }
}

/** The snapshot's lines for every project in ../shared/realworld, sorted (`extraArgs`: e.g. `--dialect postgresql`, to compare). */
export async function realworldLintSnapshot(extraArgs: readonly string[] = []): Promise<string[]> {
  const command = createLintCommand({ locateProject: locateWithFlaskLayout });
  const lines: string[] = [];
  for (const project of readdirSync(REALWORLD).sort()) {
    const root = path.join(REALWORLD, project);
    if (!statSync(root).isDirectory()) continue;
    for (const ini of alembicInis(root)) {
      let stdout = '';
      let stderr = '';
      const io: CliIO = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd: root, env: {}, isTTY: false };
      // The versions folders as PATHs: recursive, so nested ones (Neutron's release folders) count.
      const code = await command.run(['--format', 'json', ...extraArgs, '-c', ini, ...versionsFoldersOf(ini)], io);
      if (code !== 0 && code !== 1) throw new Error(`lint of ${path.relative(REALWORLD, ini)} exited ${code}: ${stderr}`);
      for (const finding of JSON.parse(stdout) as Array<{ file: string; line: number; code: string; rule: string }>) {
        lines.push(`${path.relative(REALWORLD, path.resolve(root, finding.file))}:${finding.line} ${finding.code} ${finding.rule}`);
      }
    }
  }
  return [...new Set(lines)].sort();
}

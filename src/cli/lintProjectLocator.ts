// Finds the Alembic project that `alembic-workbench lint` runs in, with the core model: `-c` names it,
// else the nearest alembic.ini / pyproject.toml with [tool.alembic] above the first PATH (or the
// current folder), else (no PATH: run from a repository's root, as CI does) the one project in the
// folders below, like the other commands. Lint then knows the versions folders, the dialect (sqlalchemy.url) and the
// revision-graph problems to report as AW6xx findings, and the dialects inferred from the project.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectNamingConvention } from '../core/lint/namingConventionLocator';
import { inferProjectDialects, projectDialectsRequest } from '../core/lint/projectDialects';
import { AlembicProjectModel } from '../core/projectModel';
import { loadProjectConfig, ProjectConfigError, type AlembicProjectConfig } from '../core/project/projectConfig';
import type { LintProjectInfo, ProjectLookupRequest } from './lintCommand';
import { mainProjectsBelow, projectChoices } from './projectArgs';

function nearestConfigAbove(start: string): string | undefined {
  for (let folder = path.resolve(start); ; folder = path.dirname(folder)) {
    const ini = path.join(folder, 'alembic.ini');
    if (existsSync(ini)) return ini;
    const pyproject = path.join(folder, 'pyproject.toml');
    if (existsSync(pyproject) && /^\s*\[tool\.alembic\]/m.test(safeRead(pyproject))) return pyproject;
    if (path.dirname(folder) === folder) return undefined;
  }
}

function isInside(target: string, folder: string): boolean {
  const relative = path.relative(folder, target);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function startFolder(request: ProjectLookupRequest): string {
  const first = request.paths[0];
  if (!first) return request.cwd;
  return existsSync(first) && !first.endsWith('.py') ? first : path.dirname(first);
}

/** The one main project below the folder; several is an error that lists them, none is undefined. */
async function singleProjectBelow(folder: string): Promise<AlembicProjectConfig | undefined> {
  const { matching } = await mainProjectsBelow(folder);
  if (matching.length > 1) throw new Error(`${matching.length} Alembic projects below ${folder}; choose one with -c:\n${projectChoices(matching, folder)}`);
  return matching[0];
}

export async function locateLintProject(request: ProjectLookupRequest): Promise<LintProjectInfo | undefined> {
  let config: AlembicProjectConfig;
  let foundBy: string | undefined;
  try {
    if (request.configPath) {
      if (!existsSync(request.configPath)) return undefined;
      config = loadProjectConfig(request.configPath);
    } else {
      const found = nearestConfigAbove(startFolder(request));
      if (found) config = loadProjectConfig(found);
      else {
        const below = request.paths.length === 0 ? await singleProjectBelow(request.cwd) : undefined;
        if (!below) return undefined;
        config = below;
        foundBy = `Using ${path.relative(request.cwd, config.configFile ?? config.here)} (no alembic.ini in ${request.cwd}).`;
      }
    }
  } catch (error) {
    // A folder that holds no project is "not found"; a broken config is worth its own message.
    if (error instanceof ProjectConfigError && (error.kind === 'not-found' || error.kind === 'not-a-project')) return undefined;
    throw error;
  }
  const model = AlembicProjectModel.load(config);
  return {
    projectRoot: config.here,
    versionsFolders: config.versionLocations,
    sqlalchemyUrl: config.sqlalchemyUrl,
    // Look no higher than where the user stands when the project is below it (a monorepo's root).
    inferredDialects: inferProjectDialects(projectDialectsRequest(config, isInside(config.here, request.cwd) ? request.cwd : undefined)),
    graphProblems: model.problems(),
    namingConvention: projectNamingConvention(config).convention,
    foundBy,
  };
}

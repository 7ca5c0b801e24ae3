// Where Python would find the package of a `package:path` location (`myapp:migrations`) without
// running Python: the folders an installed or checked-out project puts on sys.path.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseIni } from './iniConfig';
import { parsePyprojectOrUndefined } from './pyprojectConfig';
import { isDirectory } from '../util/fileKinds';

/** Where a project keeps its virtualenv (uv, Poetry and `python -m venv` use these names). */
export const VIRTUALENV_FOLDERS = ['.venv', 'venv', 'env'];

/**
 * The folders from `from` up to `top` (both included), nearest first. When `top` is not an ancestor
 * of `from`, only `from`.
 */
export function foldersUpTo(from: string, top: string): string[] {
  const folders = [from];
  const relative = path.relative(top, from);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return folders;
  for (let folder = from; folder !== top; ) {
    const parent = path.dirname(folder);
    if (parent === folder) break;
    folders.push(parent);
    folder = parent;
  }
  return folders;
}

/** The repository root above `folder` (the nearest ancestor with `.git`), else `folder` itself. */
export function repositoryRoot(folder: string): string {
  for (let current = folder; ; current = path.dirname(current)) {
    try {
      readdirSync(path.join(current, '.git'));
      return current;
    } catch (error) {
      // A worktree or submodule has a `.git` file, not a folder.
      if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return current;
    }
    if (path.dirname(current) === current) return folder;
  }
}

/**
 * The Python of the project's own virtualenv (`.venv`, `venv` or `env` holding pyvenv.cfg) beside
 * `here` or in a folder above it up to `top`, nearest first; undefined when there is none.
 */
export function projectVirtualenvPython(here: string, top: string): string | undefined {
  for (const folder of foldersUpTo(here, top)) {
    for (const name of VIRTUALENV_FOLDERS) {
      const environment = path.join(folder, name);
      if (!existsSync(path.join(environment, 'pyvenv.cfg'))) continue;
      for (const python of [path.join(environment, 'bin', 'python'), path.join(environment, 'Scripts', 'python.exe')]) {
        if (existsSync(python)) return python;
      }
    }
  }
  return undefined;
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * The package folders a project's pyproject.toml or setup.cfg declare (setuptools' `package-dir` /
 * `packages.find.where`, Poetry's `packages[].from`, Hatch's wheel `packages`), as absolute folders
 * that would be on sys.path once the project is installed.
 */
export function declaredPackageRoots(projectFolder: string): string[] {
  const roots: string[] = [];
  const add = (relative: string) => roots.push(path.resolve(projectFolder, relative));
  let pyproject: Record<string, unknown> | undefined;
  try {
    pyproject = parsePyprojectOrUndefined(readFileSync(path.join(projectFolder, 'pyproject.toml'), 'utf8'));
  } catch {
    // No pyproject.toml.
  }
  const tool = (pyproject?.tool ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const setuptools = tool.setuptools ?? {};
  const packageDir = setuptools['package-dir'] as Record<string, unknown> | undefined;
  if (typeof packageDir?.[''] === 'string') add(packageDir[''] as string);
  const find = ((setuptools.packages as Record<string, unknown> | undefined)?.find ?? {}) as Record<string, unknown>;
  for (const where of stringList(find.where)) add(where);
  for (const entry of (tool.poetry?.packages as Array<Record<string, unknown>> | undefined) ?? []) {
    if (typeof entry?.from === 'string') add(entry.from);
  }
  const hatchWheel = ((tool.hatch?.build as Record<string, Record<string, Record<string, unknown>>> | undefined)?.targets?.wheel ?? {}) as Record<string, unknown>;
  for (const packagePath of stringList(hatchWheel.packages)) add(path.dirname(packagePath));
  let setupCfg: string | undefined;
  try {
    setupCfg = readFileSync(path.join(projectFolder, 'setup.cfg'), 'utf8');
  } catch {
    // No setup.cfg.
  }
  if (setupCfg !== undefined) {
    const document = parseIni(setupCfg, { fileName: 'setup.cfg' });
    const read = (section: string, option: string) => {
      try {
        return document.get(section, option, { raw: true });
      } catch {
        return undefined;
      }
    };
    // `package_dir =\n    =src` maps the root package to src.
    const mapped = /(?:^|\n)\s*=\s*(\S+)/.exec(read('options', 'package_dir') ?? '');
    if (mapped) add(mapped[1]);
    const where = read('options.packages.find', 'where');
    if (where) add(where.trim());
  }
  return roots;
}

/** The site-packages folders of a virtualenv (POSIX lib/python3.X/site-packages, Windows Lib/site-packages). */
function sitePackagesOf(environment: string): string[] {
  let versions: string[] = [];
  try {
    versions = readdirSync(path.join(environment, 'lib')).filter((entry) => /^python\d/.test(entry)).sort();
  } catch {
    // Not a POSIX virtualenv.
  }
  return [...versions.map((version) => path.join(environment, 'lib', version, 'site-packages')), path.join(environment, 'Lib', 'site-packages')];
}

/**
 * The folders where sys.path would find a package, in its order: the `prepend_sys_path` entries
 * (Alembic prepends them before resolving script_location); the config's folder and each ancestor
 * up to `searchRoot` (the current directory of an `alembic` run, nearest first) with its `src/` and
 * the package folders its pyproject.toml / setup.cfg declare (where an editable install points);
 * then the site-packages of a virtualenv kept in one of those folders, where a package installed
 * with pip lives. A package installed only in a system Python can't be found without running it.
 */
export function packageSearchRoots(prependSysPath: string[], here: string, searchRoot: string): string[] {
  const folders = foldersUpTo(here, searchRoot);
  const roots = [...prependSysPath];
  for (const folder of folders) roots.push(folder, path.join(folder, 'src'), ...declaredPackageRoots(folder));
  // Virtualenvs: also up to two folders above the config, as before a search root was known.
  const threeLevels = [here, path.dirname(here), path.dirname(path.dirname(here))];
  for (const folder of new Set([...folders, ...threeLevels])) {
    for (const name of VIRTUALENV_FOLDERS) {
      const environment = path.join(folder, name);
      if (isDirectory(environment)) roots.push(...sitePackagesOf(environment));
    }
  }
  return [...new Set(roots)];
}

/**
 * Alembic's `package:path` resource form: the folder of the package on sys.path, then the path
 * inside it. `tried` lists the package folders looked at, for the message when none exists.
 */
export function resolvePackageResource(value: string, searchRoots: string[]): { resolved?: string; tried: string[] } {
  const [packageName, ...rest] = value.split(':');
  const packagePath = packageName.split('.');
  const tried: string[] = [];
  for (const root of searchRoots) {
    const candidate = path.join(root, ...packagePath);
    tried.push(candidate);
    if (isDirectory(candidate)) return { resolved: path.join(candidate, ...rest), tried };
  }
  return { tried };
}

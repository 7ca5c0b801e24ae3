// Which program the `local` runner starts, decided without VS Code: the user's command when they
// set one; the Python extension's interpreter as `<python> -m alembic` when they kept the default
// and allowed it; else `alembic` from PATH. Also finds programs on PATH for Configure Runner.
// No vscode import: unit-tested with plain mocha.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export const DEFAULT_LOCAL_COMMAND: readonly string[] = ['alembic'];

export type LocalCommandSource = 'setting' | 'pythonExtension' | 'virtualenv' | 'default';

export interface LocalCommandChoice {
  command: string[];
  source: LocalCommandSource;
}

export function isDefaultLocalCommand(command: readonly string[]): boolean {
  return command.length === DEFAULT_LOCAL_COMMAND.length && command.every((part, index) => part === DEFAULT_LOCAL_COMMAND[index]);
}

/**
 * `settingCommand` is `runner.local.command` as read; `interpreter` the Python extension's selected
 * interpreter for the project's folder (undefined: extension absent, no selection, or not allowed).
 */
export function chooseLocalCommand(
  settingCommand: readonly string[],
  usePythonExtension: boolean,
  interpreter: string | undefined,
  /** The Python of a virtualenv kept in the project (see projectVirtualenvPython). */
  projectVirtualenvPython?: string,
): LocalCommandChoice {
  if (!isDefaultLocalCommand(settingCommand)) return { command: [...settingCommand], source: 'setting' };
  // `python -m alembic` in the alembic.ini folder still finds the installed package: a regular
  // package on sys.path wins over the project's migrations folder, which has no __init__.py.
  if (usePythonExtension && interpreter) return { command: [interpreter, '-m', 'alembic'], source: 'pythonExtension' };
  // No interpreter chosen: the project's own virtualenv (uv, Poetry and `python -m venv` make one).
  if (projectVirtualenvPython) return { command: [projectVirtualenvPython, '-m', 'alembic'], source: 'virtualenv' };
  return { command: [...DEFAULT_LOCAL_COMMAND], source: 'default' };
}

/** The first executable file called `name` in PATH (with PATHEXT's extensions on Windows). */
export function findExecutableOnPath(name: string, environment: Record<string, string | undefined> = process.env): string | undefined {
  const pathValue = environment.PATH ?? environment.Path ?? '';
  const extensions = process.platform === 'win32' ? (environment.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const folder of pathValue.split(path.delimiter)) {
    if (!folder) continue;
    for (const extension of extensions) {
      const candidate = path.join(folder, name + extension);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

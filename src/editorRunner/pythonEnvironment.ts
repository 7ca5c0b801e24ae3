// The interpreter the Python extension (ms-python.python) has selected for a folder, so the local
// runner can run `<that python> -m alembic` instead of whatever `alembic` is first on PATH. The
// extension is optional: absent, inactive or failing, the answer is "none" and the runner keeps
// plain `alembic`. Only the small part of its public API we use is declared here.
import * as vscode from 'vscode';
import type { Log } from '../log';

export const PYTHON_EXTENSION_ID = 'ms-python.python';

/** The subset of `@vscode/python-extension`'s `PythonExtension` we call. */
interface PythonExtensionApi {
  environments: {
    getActiveEnvironmentPath(resource?: vscode.Uri | vscode.WorkspaceFolder): { id: string; path: string };
    resolveEnvironment(environment: { id: string; path: string } | string): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
}

function isPythonExtensionApi(value: unknown): value is PythonExtensionApi {
  const environments = (value as PythonExtensionApi | undefined)?.environments;
  return typeof environments?.getActiveEnvironmentPath === 'function' && typeof environments.resolveEnvironment === 'function';
}

export class PythonInterpreterLookup implements vscode.Disposable {
  /** Last answer per workspace folder, so code that can't wait (database state) can use it. */
  private readonly known = new Map<string, string | undefined>();
  private subscription: vscode.Disposable | undefined;

  constructor(private readonly log?: Log) {}

  /** The cached answer for a folder (undefined: none, or not asked yet). */
  cachedFor(folder: vscode.Uri): string | undefined {
    return this.known.get(folder.toString());
  }

  /** Asks the Python extension (activating it if needed); undefined when it is absent or has no answer. */
  async interpreterFor(folder: vscode.Uri): Promise<string | undefined> {
    const extension = vscode.extensions.getExtension(PYTHON_EXTENSION_ID);
    if (!extension) {
      this.known.delete(folder.toString());
      return undefined;
    }
    try {
      const api: unknown = extension.isActive ? extension.exports : await extension.activate();
      if (!isPythonExtensionApi(api)) {
        this.log?.warn(`The Python extension's API has an unexpected shape; running plain "alembic".`);
        return undefined;
      }
      this.subscribe(api);
      const selected = api.environments.getActiveEnvironmentPath(folder);
      const resolved = await api.environments.resolveEnvironment(selected);
      const interpreter = resolved?.executable.uri?.fsPath ?? (selected.path || undefined);
      this.known.set(folder.toString(), interpreter);
      return interpreter;
    } catch (error) {
      this.log?.warn(`Could not ask the Python extension for the selected interpreter (${(error as Error).message}); running plain "alembic".`);
      return undefined;
    }
  }

  private subscribe(api: PythonExtensionApi): void {
    if (this.subscription || !api.environments.onDidChangeActiveEnvironmentPath) return;
    // A new selection applies to the next command; the database state reads the cache meanwhile.
    this.subscription = api.environments.onDidChangeActiveEnvironmentPath(() => this.known.clear());
  }

  dispose(): void {
    this.subscription?.dispose();
    this.known.clear();
  }
}

// The contract between the harness (which starts code-server) and the extension test module
// (which runs inside its extension host): the harness sets these variables on the server process,
// the extension host inherits them, the suites read them here. No `vscode` import: both sides use it.

export const EXTENSION_ID = 'alembic-workbench.alembic-workbench';

export const TEST_ENVIRONMENT_VARIABLES = {
  /** 'trusted' or 'untrusted': how the harness opened the workspace. */
  trust: 'AW_VSCODE_TEST_TRUST',
  /** 'development' (loaded from the repo) or 'vsix' (installed from the packaged .vsix). */
  install: 'AW_VSCODE_TEST_INSTALL',
  /** Development runs: the folder the extension must be loaded from (the repo). */
  extensionRoot: 'AW_VSCODE_TEST_EXTENSION_ROOT',
  /** Set by startCodeServer on every run: the run's own extensions folder (where a VSIX lands). */
  extensionsDir: 'AW_CODE_SERVER_EXTENSIONS_DIR',
  /** Set by startCodeServer on every run: the run's user-data folder (logs, settings). */
  userDataDir: 'AW_CODE_SERVER_USER_DATA_DIR',
  /** Set by startCodeServer on every run: its port. The workbench's own connection to the host ends there. */
  serverPort: 'AW_CODE_SERVER_PORT',
  /** The workspace copy the workbench opened. */
  workspace: 'AW_VSCODE_TEST_WORKSPACE',
  /** Optional mocha --grep for a focused run. */
  grep: 'AW_VSCODE_TEST_GREP',
  /** Optional folder where suites may write artifacts (screenshots are the harness's job). */
  artifacts: 'AW_VSCODE_TEST_ARTIFACTS',
  /**
   * A scratch PostgreSQL database the harness made for this server (libpq URL, with the test role's
   * password); the server also gets it as DATABASE_URL in SQLAlchemy form, which the example's
   * env.py reads. Dropped when the server stops.
   */
  database: 'AW_VSCODE_TEST_DATABASE_URL',
} as const;

/**
 * Prefix of every line the test module prints. The extension host forwards console output to the
 * workbench page mixed with the workbench's own logs; the harness prints the marked lines and files
 * the rest under test/artifacts/.
 */
export const HARNESS_LINE_MARKER = '@@aw-test@@ ';

export type TrustMode = 'trusted' | 'untrusted';
export type InstallMode = 'development' | 'vsix';

export interface VscodeTestEnvironment {
  trust: TrustMode;
  install: InstallMode;
  extensionRoot: string | undefined;
  extensionsDir: string | undefined;
  userDataDir: string | undefined;
  serverPort: string | undefined;
  workspace: string | undefined;
  grep: string | undefined;
  artifacts: string | undefined;
  database: string | undefined;
}

export function testEnvironmentVariables(environment: Partial<VscodeTestEnvironment>): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [key, name] of Object.entries(TEST_ENVIRONMENT_VARIABLES)) {
    const value = environment[key as keyof VscodeTestEnvironment];
    if (value !== undefined) variables[name] = value;
  }
  return variables;
}

/**
 * Reads the run's mode. Without the harness (e.g. `@vscode/test-cli` on a contributor's machine)
 * the defaults describe a trusted development run.
 */
export function readTestEnvironment(env: NodeJS.ProcessEnv = process.env): VscodeTestEnvironment {
  const trust = env[TEST_ENVIRONMENT_VARIABLES.trust] ?? 'trusted';
  const install = env[TEST_ENVIRONMENT_VARIABLES.install] ?? 'development';
  if (trust !== 'trusted' && trust !== 'untrusted') throw new Error(`${TEST_ENVIRONMENT_VARIABLES.trust} must be trusted|untrusted, not ${trust}`);
  if (install !== 'development' && install !== 'vsix') throw new Error(`${TEST_ENVIRONMENT_VARIABLES.install} must be development|vsix, not ${install}`);
  return {
    trust,
    install,
    extensionRoot: env[TEST_ENVIRONMENT_VARIABLES.extensionRoot] || undefined,
    extensionsDir: env[TEST_ENVIRONMENT_VARIABLES.extensionsDir] || undefined,
    userDataDir: env[TEST_ENVIRONMENT_VARIABLES.userDataDir] || undefined,
    serverPort: env[TEST_ENVIRONMENT_VARIABLES.serverPort] || undefined,
    workspace: env[TEST_ENVIRONMENT_VARIABLES.workspace] || undefined,
    grep: env[TEST_ENVIRONMENT_VARIABLES.grep] || undefined,
    artifacts: env[TEST_ENVIRONMENT_VARIABLES.artifacts] || undefined,
    database: env[TEST_ENVIRONMENT_VARIABLES.database] || undefined,
  };
}

// The workspace's own database settings (`.vscode/settings.json`, the nearest one above the project),
// so `status --target staging` finds the same named targets as the editor. Only the workspace file:
// user settings live in the editor's profile and are not the project's. JSONC, as VS Code writes it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { DatabaseTargetSetting } from '../core/db/databaseTargets';
import { CliFailure } from './projectArgs';
import { ExitCode } from './cliTypes';

export interface WorkspaceDatabaseSettings {
  /** The settings file read, if any. */
  file?: string;
  url?: string;
  urlEnvironmentVariable?: string;
  targets: DatabaseTargetSetting[];
  versionTable?: string;
  versionTableSchema?: string;
  /** alembicWorkbench.runner.envFile, absolute (relative ones are the workspace folder's, as in the editor). */
  environmentFile?: string;
}

const PREFIX = 'alembicWorkbench.database.';

export function readWorkspaceDatabaseSettings(startFolder: string): WorkspaceDatabaseSettings {
  for (let folder = path.resolve(startFolder); ; folder = path.dirname(folder)) {
    const file = path.join(folder, '.vscode', 'settings.json');
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) return fromSettingsText(text, file);
    if (path.dirname(folder) === folder) return { targets: [] };
  }
}

function fromSettingsText(text: string, file: string): WorkspaceDatabaseSettings {
  const errors: ParseError[] = [];
  const values = parse(text, errors, { allowTrailingComma: true }) as Record<string, unknown> | undefined;
  if (errors.length > 0 || typeof values !== 'object' || values === null) {
    const first = errors[0];
    const where = first ? ` (${printParseErrorCode(first.error)} at offset ${first.offset})` : '';
    throw new CliFailure(`${file} is not valid JSON${where}`, ExitCode.usage);
  }
  const stringSetting = (key: string) => (typeof values[PREFIX + key] === 'string' ? (values[PREFIX + key] as string) : undefined);
  const rawTargets = values[`${PREFIX}targets`];
  const targets = Array.isArray(rawTargets)
    ? rawTargets.filter((item): item is DatabaseTargetSetting => typeof item === 'object' && item !== null && typeof (item as { name?: unknown }).name === 'string')
    : [];
  const envFile = values['alembicWorkbench.runner.envFile'];
  return {
    file,
    environmentFile: typeof envFile === 'string' && envFile.trim() ? path.resolve(path.dirname(path.dirname(file)), envFile.trim()) : undefined,
    url: stringSetting('url'),
    urlEnvironmentVariable: stringSetting('urlEnvironmentVariable'),
    targets,
    versionTable: stringSetting('versionTable'),
    versionTableSchema: stringSetting('versionTableSchema'),
  };
}

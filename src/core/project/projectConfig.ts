// One Alembic project's configuration, read as Alembic reads it (alembic.ini through configparser,
// `[tool.alembic]` in pyproject.toml for Alembic >= 1.16), resolved to absolute paths.
//
// Paths: Alembic resolves a relative `script_location` / `version_locations` against the CURRENT
// DIRECTORY of the `alembic` process, which is why everyone runs it from the folder holding
// alembic.ini. We resolve them against that folder (`here`) instead, so the result does not depend
// on where the editor or the CLI happens to run.
import { Dirent, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { IniDocument, IniError, parseIni } from './iniConfig';
import { mentionsToolAlembic, PyprojectAlembicSection, PyprojectError, readPyprojectAlembicSection } from './pyprojectConfig';
import { isDirectory } from '../util/fileKinds';
import { packageSearchRoots, repositoryRoot, resolvePackageResource } from './packageRoots';

export type ConfigSeverity = 'error' | 'warning' | 'info';

/** Something in the configuration that Alembic would reject or that we had to interpret. */
export interface ConfigWarning {
  code:
    | 'ini-syntax'
    | 'ini-interpolation'
    | 'pyproject-syntax'
    | 'invalid-path-separator'
    | 'invalid-truncate-slug-length'
    | 'script-location-missing'
    | 'versions-folder-missing'
    | 'package-not-found'
    | 'legacy-path-separator';
  severity: ConfigSeverity;
  message: string;
  file?: string;
  /** Zero-based line in `file`. */
  line?: number;
}

/** How revision files are ordered when Alembic has no other tie-breaker (see `alembic history`). */
export type RevisionFileOrder =
  /** Alembic < 1.10: `os.listdir` order, i.e. the order the file system returns. */
  | 'directory'
  /** Alembic >= 1.10: files sorted by name, sub-folders walked in name order. */
  | 'name';

/**
 * How the project's team runs Alembic: `alembic` itself, or Flask-Migrate's `flask db`, which reads
 * `<directory>/alembic.ini` and passes `<directory>` as script_location (so the ini has none).
 */
export type ProjectFlavor = 'alembic' | 'flask-migrate';

export interface AlembicProjectConfig {
  /** Stable identity: `<config file>#<section>` (or the folder for a bare versions folder). */
  id: string;
  /** Short human name: the config's folder name, plus the section when it is not `alembic`. */
  label: string;
  kind: 'ini' | 'pyproject' | 'folder';
  flavor: ProjectFlavor;
  /** Why the flavor is `flask-migrate` (what we saw), for labels and tooltips. */
  flavorEvidence?: string;
  /** alembic.ini (or pyproject.toml when there is no ini); undefined for a bare folder. */
  configFile?: string;
  /** pyproject.toml whose `[tool.alembic]` contributed options. */
  pyprojectFile?: string;
  /** The `%(here)s` folder: where the config file lives. */
  here: string;
  /** The ini section used (`-n/--name`), `alembic` by default. */
  section: string;
  /** `script_location` as written (after interpolation). */
  scriptLocationSetting: string;
  /** Absolute folder holding env.py and script.py.mako. */
  scriptLocation: string;
  /** Absolute version folders, in Alembic's load order. Default `<scriptLocation>/versions`. */
  versionLocations: string[];
  /** Whether `version_locations` was set: Alembic then skips folders that don't exist. */
  versionLocationsExplicit: boolean;
  /** Which option chose the separator for version_locations and what it means. */
  pathSeparator: { option?: 'path_separator' | 'version_path_separator'; value?: string; splitsOn: string };
  recursiveVersionLocations: boolean;
  /** `file_template` after ini interpolation (so `%(rev)s`, not `%%(rev)s`). */
  fileTemplate: string;
  truncateSlugLength: number;
  /** Raw `sqlalchemy.url`. Never print it: use maskUrlPassword() from src/core/util/maskSecrets. */
  sqlalchemyUrl?: string;
  sourceless: boolean;
  /** Absolute `prepend_sys_path` entries. */
  prependSysPath: string[];
  timezone?: string;
  outputEncoding: string;
  revisionEnvironment: boolean;
  fileOrder: RevisionFileOrder;
  /** Every option of the main section (and `[tool.alembic]`), interpolated where possible. */
  options: Record<string, string | string[]>;
  warnings: ConfigWarning[];
}

export type ProjectConfigErrorKind =
  | 'not-found'
  | 'unreadable'
  | 'no-section'
  | 'no-script-location'
  | 'not-a-project'
  | 'ambiguous';

/** The configuration cannot be used at all (Alembic would stop before reading any revision). */
export class ProjectConfigError extends Error {
  override name = 'ProjectConfigError';
  constructor(
    readonly kind: ProjectConfigErrorKind,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

export interface LoadProjectConfigOptions {
  /** Ini section, Alembic's `-n/--name`. Default `alembic`. */
  name?: string;
  /** Force a file order; by default 'name' when the config uses Alembic >= 1.10 features, else 'directory'. */
  fileOrder?: RevisionFileOrder;
  /**
   * The workspace folder: `package:path` locations are looked for in the config's ancestors up to
   * it. Default: the repository root (the nearest ancestor holding `.git`), else the config's folder.
   */
  searchRoot?: string;
}

export const DEFAULT_FILE_TEMPLATE = '%(rev)s_%(slug)s';
export const DEFAULT_TRUNCATE_SLUG_LENGTH = 40;
export const DEFAULT_SECTION_NAME = 'alembic';

const POSIX_PATHSEP = path.delimiter;


function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ProjectConfigError('not-found', `No config file '${file}' found`, file);
    throw new ProjectConfigError('unreadable', `Cannot read '${file}': ${(error as Error).message}`, file);
  }
}

/** `C:\x` is a path, not package `C` resource `\x`, even when we run on POSIX. */
function looksLikeWindowsPath(value: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(value);
}

function isPackageResource(value: string): boolean {
  return !path.isAbsolute(value) && value.includes(':') && !looksLikeWindowsPath(value);
}

// Alembic's legacy split when no separator option is given: commas (with optional spaces) or runs
// of spaces.
const LEGACY_SPLIT = /, *| +/;
// `prepend_sys_path` is split on spaces, commas or colons by Alembic < 1.16.
const PREPEND_SPLIT = /, *| +|:/;

interface OptionSource {
  /** `quiet`: read without reporting interpolation errors (options Alembic itself never reads). */
  get(name: string, quiet?: boolean): string | string[] | undefined;
  /** Zero-based line of the option, for diagnostics. */
  line(name: string): number | undefined;
  file(name: string): string | undefined;
}

function separatorFor(value: string): string | undefined {
  switch (value) {
    case 'space':
      return ' ';
    case 'newline':
      return '\n';
    case 'os':
      return POSIX_PATHSEP;
    case ':':
    case ';':
      return value;
    default:
      return undefined;
  }
}

function describeSeparator(splitter: string | undefined): string {
  if (splitter === undefined) return 'spaces or commas (legacy)';
  if (splitter === ' ') return 'space';
  if (splitter === '\n') return 'newline';
  return `'${splitter}'`;
}

/** Reads `path` (alembic.ini, pyproject.toml, a project folder or a bare versions folder). */
export function loadProjectConfig(target: string, options: LoadProjectConfigOptions = {}): AlembicProjectConfig {
  const absolute = path.resolve(target);
  if (!existsSync(absolute)) {
    throw new ProjectConfigError('not-found', `No config file '${target}' found, or file has no '[${options.name ?? DEFAULT_SECTION_NAME}]' section`, absolute);
  }
  if (isDirectory(absolute)) return loadFromFolder(absolute, options);
  if (path.basename(absolute).toLowerCase().endsWith('.toml')) return loadFromPyproject(absolute, options);
  return loadFromIni(absolute, options);
}

function loadFromFolder(folder: string, options: LoadProjectConfigOptions): AlembicProjectConfig {
  const ini = path.join(folder, 'alembic.ini');
  if (existsSync(ini)) return loadFromIni(ini, options);
  const pyproject = path.join(folder, 'pyproject.toml');
  if (existsSync(pyproject) && mentionsToolAlembic(readText(pyproject))) return loadFromPyproject(pyproject, options);
  // A script folder (env.py) or a versions folder: prefer the ini that points at it, so the
  // project keeps its file_template and other settings.
  const owner = findOwningIni(folder, options);
  if (owner) return owner;
  if (existsSync(path.join(folder, 'env.py'))) return bareConfig(folder, [path.join(folder, 'versions')], options);
  if (looksLikeVersionsFolder(folder)) {
    const parent = path.dirname(folder);
    const scriptLocation = existsSync(path.join(parent, 'env.py')) ? parent : folder;
    return bareConfig(scriptLocation, [folder], options);
  }
  throw new ProjectConfigError(
    'not-a-project',
    `No Alembic project at '${folder}': no alembic.ini, no pyproject.toml with [tool.alembic], no env.py and no revision files`,
    folder,
  );
}

function looksLikeVersionsFolder(folder: string): boolean {
  try {
    return readdirSync(folder).some((name) => name.endsWith('.py') && name !== '__init__.py');
  } catch {
    return false;
  }
}

function findOwningIni(folder: string, options: LoadProjectConfigOptions): AlembicProjectConfig | undefined {
  for (const candidateFolder of [path.dirname(folder), path.dirname(path.dirname(folder))]) {
    const ini = path.join(candidateFolder, 'alembic.ini');
    if (!existsSync(ini)) continue;
    try {
      const config = loadFromIni(ini, options);
      if (config.scriptLocation === folder || config.versionLocations.includes(folder)) return config;
    } catch {
      // Not the ini we are looking for.
    }
  }
  return undefined;
}

function bareConfig(scriptLocation: string, versionLocations: string[], options: LoadProjectConfigOptions): AlembicProjectConfig {
  const config: AlembicProjectConfig = {
    id: versionLocations[0],
    label: path.basename(path.dirname(scriptLocation)) || path.basename(scriptLocation),
    kind: 'folder',
    flavor: 'alembic',
    here: path.dirname(scriptLocation),
    section: options.name ?? DEFAULT_SECTION_NAME,
    scriptLocationSetting: scriptLocation,
    scriptLocation,
    versionLocations,
    versionLocationsExplicit: false,
    pathSeparator: { splitsOn: describeSeparator(undefined) },
    recursiveVersionLocations: false,
    fileTemplate: DEFAULT_FILE_TEMPLATE,
    truncateSlugLength: DEFAULT_TRUNCATE_SLUG_LENGTH,
    sourceless: false,
    prependSysPath: [],
    outputEncoding: 'utf-8',
    revisionEnvironment: false,
    fileOrder: options.fileOrder ?? 'directory',
    options: {},
    warnings: [],
  };
  checkFolders(config, () => ({}));
  return config;
}

function iniWarnings(document: IniDocument): ConfigWarning[] {
  return document.errors.map((error) => ({
    code: 'ini-syntax' as const,
    severity: 'error' as const,
    message: `${error.message} (Alembic's configparser fails on this file)`,
    file: document.fileName,
    line: error.line,
  }));
}

function loadFromIni(iniFile: string, options: LoadProjectConfigOptions): AlembicProjectConfig {
  const here = path.dirname(iniFile);
  const document = parseIni(readText(iniFile), { fileName: iniFile, defaults: { here } });
  const section = options.name ?? DEFAULT_SECTION_NAME;
  const warnings = iniWarnings(document);
  const pyprojectFile = path.join(here, 'pyproject.toml');
  let toml: PyprojectAlembicSection | undefined;
  if (existsSync(pyprojectFile)) {
    const text = readText(pyprojectFile);
    if (mentionsToolAlembic(text)) toml = readTomlOrWarn(text, here, pyprojectFile, warnings);
  }
  const named = namedSectionsWithScriptLocation(document, section);
  if (section === DEFAULT_SECTION_NAME && !toml && named.length > 0 && !document.sections.get(section)?.options.has('script_location')) {
    throw new ProjectConfigError(
      'ambiguous',
      `${iniFile} has no script_location in [${section}]; it configures one project per named section: ${named.map((name) => `[${name}]`).join(', ')}. Choose one with -n (e.g. -n ${named[0]}), as \`alembic -n ${named[0]} ...\` does.`,
      iniFile,
    );
  }
  if (!document.hasSection(section) && !toml) {
    throw new ProjectConfigError('no-section', `No config file '${iniFile}' found, or file has no '[${section}]' section`, iniFile);
  }
  return buildConfig({ kind: 'ini', configFile: iniFile, here, section, document, toml, pyprojectFile: toml ? pyprojectFile : undefined, warnings, options });
}

function readTomlOrWarn(text: string, here: string, file: string, warnings: ConfigWarning[]): PyprojectAlembicSection | undefined {
  try {
    return readPyprojectAlembicSection(text, here, file);
  } catch (error) {
    if (!(error instanceof PyprojectError)) throw error;
    warnings.push({ code: 'pyproject-syntax', severity: 'error', message: error.message, file, line: error.line });
    return undefined;
  }
}

function loadFromPyproject(pyprojectFile: string, options: LoadProjectConfigOptions): AlembicProjectConfig {
  const here = path.dirname(pyprojectFile);
  const warnings: ConfigWarning[] = [];
  const text = readText(pyprojectFile);
  let toml: PyprojectAlembicSection | undefined;
  try {
    toml = readPyprojectAlembicSection(text, here, pyprojectFile);
  } catch (error) {
    if (error instanceof PyprojectError) throw new ProjectConfigError('unreadable', error.message, pyprojectFile);
    throw error;
  }
  if (!toml) throw new ProjectConfigError('no-section', `'${pyprojectFile}' has no [tool.alembic] table`, pyprojectFile);
  // sqlalchemy.url and logging stay in alembic.ini next to pyproject.toml.
  const iniFile = path.join(here, 'alembic.ini');
  const section = options.name ?? DEFAULT_SECTION_NAME;
  let document: IniDocument | undefined;
  if (existsSync(iniFile)) {
    document = parseIni(readText(iniFile), { fileName: iniFile, defaults: { here } });
    warnings.push(...iniWarnings(document));
  }
  return buildConfig({
    kind: 'pyproject',
    configFile: document ? iniFile : pyprojectFile,
    here,
    section,
    document,
    toml,
    pyprojectFile,
    warnings,
    options,
  });
}

interface BuildInput {
  kind: 'ini' | 'pyproject';
  configFile: string;
  here: string;
  section: string;
  document?: IniDocument;
  toml?: PyprojectAlembicSection;
  pyprojectFile?: string;
  warnings: ConfigWarning[];
  options: LoadProjectConfigOptions;
}

function buildConfig(input: BuildInput): AlembicProjectConfig {
  const { here, section, document, toml, warnings } = input;
  const interpolationFailures = new Set<string>();
  // Alembic >= 1.16 reads [tool.alembic] first and falls back to the ini's main section.
  const source: OptionSource = {
    get(name, quiet = false) {
      const fromToml = toml?.options.get(name);
      if (fromToml !== undefined) return fromToml;
      if (!document?.hasSection(section)) return undefined;
      try {
        return document.get(section, name);
      } catch (error) {
        if (!(error instanceof IniError)) throw error;
        if (!quiet && !interpolationFailures.has(name)) {
          interpolationFailures.add(name);
          // Alembic reads sqlalchemy.url only when it connects (upgrade, current...), not for heads or history.
          const onlyWhenConnecting = name === 'sqlalchemy.url';
          warnings.push({
            code: 'ini-interpolation',
            severity: onlyWhenConnecting ? 'warning' : 'error',
            message: `${error.message}. Alembic fails when it reads this option${onlyWhenConnecting ? ' (when it connects to the database)' : ''}.`,
            file: document.fileName,
            line: document.option(section, name)?.line,
          });
        }
        return document.get(section, name, { raw: true });
      }
    },
    line(name) {
      if (toml?.options.has(name)) return toml.line;
      return document?.option(section, name)?.line;
    },
    file(name) {
      if (toml?.options.has(name)) return input.pyprojectFile;
      return document?.fileName;
    },
  };
  const asString = (name: string): string | undefined => {
    const value = source.get(name);
    return Array.isArray(value) ? value.join(' ') : value;
  };

  let scriptLocationSetting = asString('script_location');
  let flavor: ProjectFlavor = 'alembic';
  let flavorEvidence: string | undefined;
  if (scriptLocationSetting === undefined) {
    // Flask-Migrate keeps alembic.ini in the migrations folder without script_location: `flask db`
    // passes that folder itself.
    if (input.kind === 'ini' && section === DEFAULT_SECTION_NAME && existsSync(path.join(here, 'env.py'))) {
      scriptLocationSetting = here;
      flavor = 'flask-migrate';
      flavorEvidence =
        flaskMigrateEvidence(here) ??
        "alembic.ini has no script_location and sits beside env.py, as Flask-Migrate's `flask db init` makes it";
    } else {
      throw new ProjectConfigError('no-script-location', missingScriptLocationMessage(input.configFile, section, document), input.configFile);
    }
  } else if (input.kind === 'ini' && path.resolve(here, scriptLocationSetting) === here) {
    // An ini inside its own script folder, with an env.py written for Flask: also run by `flask db`.
    const evidence = flaskMigrateEvidence(here, { envPyOnly: true });
    if (evidence) {
      flavor = 'flask-migrate';
      flavorEvidence = evidence;
    }
  }

  const prependSetting = source.get('prepend_sys_path');
  const prependSysPath = (
    Array.isArray(prependSetting) ? prependSetting : prependSetting ? splitPrependSysPath(prependSetting, source) : []
  )
    .filter((entry) => entry.length > 0)
    .map((entry) => path.resolve(here, entry));

  const warn = (warning: Omit<ConfigWarning, 'file' | 'line'>, option: string) =>
    warnings.push({ ...warning, file: source.file(option), line: source.line(option) });
  let roots: string[] | undefined;
  const searchRoots = () => (roots ??= packageSearchRoots(prependSysPath, here, input.options.searchRoot ?? repositoryRoot(here)));

  let scriptLocation: string;
  if (isPackageResource(scriptLocationSetting)) {
    const { resolved, tried } = resolvePackageResource(scriptLocationSetting, searchRoots());
    if (resolved) scriptLocation = resolved;
    else {
      scriptLocation = path.join(here, ...scriptLocationSetting.split(':').join('/').split('/'));
      warn(
        {
          code: 'package-not-found',
          severity: 'warning',
          message: `script_location '${scriptLocationSetting}' names package '${scriptLocationSetting.split(':')[0]}', which is not in the project (looked in ${tried.join(', ')}); a package installed outside the project's virtualenv can't be found without Python`,
        },
        'script_location',
      );
    }
  } else {
    scriptLocation = path.resolve(here, scriptLocationSetting);
  }

  const { versionLocations, explicit, pathSeparator } = readVersionLocations(source, here, searchRoots, warn);

  const truncateSetting = asString('truncate_slug_length');
  let truncateSlugLength = DEFAULT_TRUNCATE_SLUG_LENGTH;
  if (truncateSetting !== undefined) {
    const trimmed = truncateSetting.trim();
    // Python's int(): optional sign, digits, underscores between digits.
    if (/^[+-]?\d+(?:_\d+)*$/.test(trimmed)) {
      // `truncate_slug_length or 40`: zero means the default.
      truncateSlugLength = Number(trimmed.replace(/_/g, '')) || DEFAULT_TRUNCATE_SLUG_LENGTH;
    } else {
      warn(
        {
          code: 'invalid-truncate-slug-length',
          severity: 'error',
          message: `truncate_slug_length '${truncateSetting}' is not an integer; Alembic fails with ValueError`,
        },
        'truncate_slug_length',
      );
    }
  }

  const recursiveVersionLocations = asBool(asString('recursive_version_locations'));
  const fileOrder: RevisionFileOrder =
    input.options.fileOrder ?? (recursiveVersionLocations || input.toml ? 'name' : 'directory');

  const allOptions: Record<string, string | string[]> = {};
  if (document?.hasSection(section)) {
    for (const name of document.sections.get(section)?.options.keys() ?? []) {
      const value = source.get(name, true);
      if (value !== undefined) allOptions[name] = value;
    }
  }
  for (const [name, value] of toml?.options ?? []) allOptions[name] = value;

  const configFolderName = path.basename(here) || here;
  const config: AlembicProjectConfig = {
    id: `${input.configFile}#${section}`,
    label: section === DEFAULT_SECTION_NAME ? configFolderName : `${configFolderName} [${section}]`,
    kind: input.kind,
    flavor,
    flavorEvidence,
    configFile: input.configFile,
    pyprojectFile: input.pyprojectFile,
    here,
    section,
    scriptLocationSetting,
    scriptLocation,
    versionLocations: versionLocations ?? [path.join(scriptLocation, 'versions')],
    versionLocationsExplicit: explicit,
    pathSeparator,
    recursiveVersionLocations,
    fileTemplate: asString('file_template') ?? DEFAULT_FILE_TEMPLATE,
    truncateSlugLength,
    sqlalchemyUrl: document?.hasSection(section) ? source.get('sqlalchemy.url')?.toString() : undefined,
    // Alembic compares the raw string with "true" (case-sensitive).
    sourceless: asString('sourceless') === 'true',
    prependSysPath,
    timezone: asString('timezone') || undefined,
    outputEncoding: asString('output_encoding') ?? 'utf-8',
    revisionEnvironment: asBool(asString('revision_environment')),
    fileOrder,
    options: allOptions,
    warnings,
  };
  checkFolders(config, (name) => ({ file: source.file(name), line: source.line(name) }));
  return config;
}

function splitPrependSysPath(value: string, source: OptionSource): string[] {
  // Alembic >= 1.16 splits prepend_sys_path with path_separator when that option is present.
  const separatorSetting = source.get('path_separator');
  const splitter = typeof separatorSetting === 'string' ? separatorFor(separatorSetting) : undefined;
  if (splitter !== undefined) return value.split(splitter).map((entry) => (splitter === '\n' ? entry.trim() : entry));
  return value.split(PREPEND_SPLIT);
}

/** SQLAlchemy's asbool, which Alembic uses for its boolean options. */
function asBool(value: string | undefined): boolean {
  if (value === undefined) return false;
  const normalized = value.trim().toLowerCase();
  return ['true', 'yes', 'on', 'y', 't', '1'].includes(normalized);
}

function readVersionLocations(
  source: OptionSource,
  here: string,
  searchRoots: () => string[],
  warn: (warning: Omit<ConfigWarning, 'file' | 'line'>, option: string) => void,
): { versionLocations?: string[]; explicit: boolean; pathSeparator: AlembicProjectConfig['pathSeparator'] } {
  const setting = source.get('version_locations');
  const separatorOption = source.get('path_separator') !== undefined ? 'path_separator' : source.get('version_path_separator') !== undefined ? 'version_path_separator' : undefined;
  const separatorValue = separatorOption ? (source.get(separatorOption) as string) : undefined;
  let splitter: string | undefined;
  if (separatorValue !== undefined) {
    splitter = separatorFor(separatorValue);
    if (splitter === undefined || (splitter === '\n' && separatorOption === 'version_path_separator')) {
      // The alembic.ini template writes `version_path_separator = os  # Use os.pathsep...`, and
      // configparser keeps the comment as part of the value.
      const beforeComment = separatorValue.split(/\s[#;]/)[0].trim();
      const recovered = separatorFor(beforeComment);
      const inlineComment = recovered !== undefined && beforeComment !== separatorValue;
      if (setting !== undefined || separatorOption === 'path_separator') {
        warn(
          {
            code: 'invalid-path-separator',
            severity: setting !== undefined ? 'error' : 'warning',
            message:
              `${separatorOption} = '${separatorValue}' is not one of 'space', 'os', ':', ';'` +
              (separatorOption === 'path_separator' ? ", 'newline'" : '') +
              (inlineComment
                ? `: configparser keeps inline comments, so the comment is part of the value. Put the comment on its own line.`
                : '.') +
              (setting !== undefined ? ' Alembic fails with ValueError when it reads version_locations.' : ''),
          },
          separatorOption as string,
        );
      }
      splitter = recovered;
    }
  } else if (typeof setting === 'string' && setting.length > 0) {
    warn(
      {
        code: 'legacy-path-separator',
        severity: 'info',
        message: 'version_locations is split on spaces and commas because neither path_separator nor version_path_separator is set',
      },
      'version_locations',
    );
  }
  const pathSeparator = { option: separatorOption as 'path_separator' | 'version_path_separator' | undefined, value: separatorValue, splitsOn: describeSeparator(splitter) };
  if (setting === undefined || setting.length === 0) return { explicit: false, pathSeparator };
  let entries: string[];
  if (Array.isArray(setting)) entries = setting;
  else if (splitter === undefined) entries = setting.split(LEGACY_SPLIT);
  else entries = setting.split(splitter).map((entry) => (splitter === '\n' ? entry.trim() : entry));
  entries = entries.filter((entry) => entry.length > 0);
  const versionLocations = entries.map((entry) => {
    if (isPackageResource(entry)) {
      const { resolved } = resolvePackageResource(entry, searchRoots());
      if (resolved) return resolved;
    }
    return path.resolve(here, entry);
  });
  return { versionLocations, explicit: true, pathSeparator };
}

function checkFolders(config: AlembicProjectConfig, where: (option: string) => { file?: string; line?: number }): void {
  if (!isDirectory(config.scriptLocation)) {
    config.warnings.push({
      code: 'script-location-missing',
      severity: 'error',
      message: `Path doesn't exist: '${config.scriptLocation}' (script_location = ${config.scriptLocationSetting}). Alembic fails on every command.`,
      ...where('script_location'),
    });
    return;
  }
  if (!config.versionLocationsExplicit) {
    const versions = config.versionLocations[0];
    if (!isDirectory(versions)) {
      config.warnings.push({
        code: 'versions-folder-missing',
        severity: 'error',
        message: `The versions folder '${versions}' does not exist; Alembic fails with FileNotFoundError. Create it (an empty folder is fine).`,
        ...where('script_location'),
      });
    }
  } else {
    for (const folder of config.versionLocations) {
      if (!isDirectory(folder)) {
        config.warnings.push({
          code: 'versions-folder-missing',
          severity: 'info',
          message: `version location '${folder}' does not exist yet; Alembic skips it until a revision is created there`,
          ...where('version_locations'),
        });
      }
    }
  }
}

/**
 * Why Alembic can't start from this section, and what to write: the sentence the CLI prints and the
 * Revisions view shows for a config that is not a project.
 */
function namedSectionsWithScriptLocation(document: IniDocument | undefined, except: string): string[] {
  return (document?.sectionNames() ?? []).filter((name) => name !== except && document?.sections.get(name)?.options.has('script_location'));
}

function missingScriptLocationMessage(configFile: string, section: string, document: IniDocument | undefined): string {
  const named = namedSectionsWithScriptLocation(document, section);
  const base = `No 'script_location' key found in configuration (${configFile}, section [${section}]).`;
  if (named.length > 0) {
    return `${base} The file configures ${named.length === 1 ? 'one project in a named section' : 'several projects in named sections'}: ${named.map((name) => `[${name}]`).join(', ')}; choose one with -n ${named[0]}.`;
  }
  return `${base} Add \`script_location = <the folder holding env.py>\` to [${section}], or put env.py beside alembic.ini if Flask-Migrate runs this project.`;
}

const FLASK_SCAN_MAX_FILES = 400;
const FLASK_SCAN_SKIPPED = new Set(['node_modules', '.git', '__pycache__', '.venv', 'venv', 'env', 'site-packages', 'tests', 'test', 'migrations', 'versions']);

/**
 * What shows that Flask-Migrate runs the migrations in `scriptFolder`: its env.py importing
 * flask_migrate or using Flask's current_app (as `flask db init` writes it), else (unless
 * `envPyOnly`) a `Migrate(` call in the app's Python files next to the folder (a bounded walk).
 */
export function flaskMigrateEvidence(scriptFolder: string, options: { envPyOnly?: boolean } = {}): string | undefined {
  let envPy = '';
  try {
    envPy = readFileSync(path.join(scriptFolder, 'env.py'), 'utf8');
  } catch {
    // No env.py: only the app can tell.
  }
  if (/^\s*(?:from|import)\s+flask_migrate\b/m.test(envPy)) return 'env.py imports flask_migrate';
  if (/^\s*from\s+flask\s+import\s+[^\n]*\bcurrent_app\b/m.test(envPy)) return "env.py uses Flask's current_app, as Flask-Migrate's env.py does";
  if (options.envPyOnly) return undefined;
  const appRoot = path.dirname(scriptFolder);
  const pending = [{ folder: appRoot, depth: 0 }];
  let scanned = 0;
  while (pending.length > 0 && scanned < FLASK_SCAN_MAX_FILES) {
    const { folder, depth } = pending.shift() as { folder: string; depth: number };
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (depth < 3 && !entry.name.startsWith('.') && !FLASK_SCAN_SKIPPED.has(entry.name) && full !== scriptFolder) pending.push({ folder: full, depth: depth + 1 });
      } else if (entry.name.endsWith('.py') && scanned++ < FLASK_SCAN_MAX_FILES) {
        let text: string;
        try {
          text = readFileSync(full, 'utf8');
        } catch {
          continue;
        }
        if (/\bflask_migrate\b/.test(text) && /\bMigrate\s*\(/.test(text)) return `${path.relative(appRoot, full)} calls Flask-Migrate's Migrate(...)`;
      }
    }
  }
  return undefined;
}

// Every Alembic project of the workspace, with its parsed revision files and graph, kept up to date
// by file watchers: a revision file that is created, changed, deleted or renamed is re-read on its
// own (AlembicProjectModel.updateFile); an alembic.ini or pyproject.toml change re-discovers.
// The tree, status bar, lint, navigation and commands all read projects from here.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import { AlembicProjectModel } from '../core/projectModel';
import type { AlembicProjectConfig } from '../core/project/projectConfig';
import { DEFAULT_IGNORED_FOLDERS, discoverProjects, mainProjects } from '../core/project/projectDiscovery';
import type { Log } from '../log';
import { readSettings } from '../settings';

export interface WorkspaceProject {
  /** `<config file>#<section>`: stable across reloads. */
  readonly id: string;
  readonly config: AlembicProjectConfig;
  readonly model: AlembicProjectModel;
  readonly workspaceFolder: vscode.WorkspaceFolder;
  /** "backend" or "meeting-assistant/backend" when several folders hold projects. */
  readonly label: string;
}

export type ProjectState = 'loading' | 'noProject' | 'empty' | 'ready';

/** An alembic.ini (section) that looks like Alembic's but can't be read as a project: shown, not hidden. */
export interface UnreadableConfig {
  /** `<config file>#<section>` */
  readonly id: string;
  readonly file: string;
  readonly section?: string;
  /** The reason and the fix, the sentence the CLI prints too. */
  readonly message: string;
  readonly workspaceFolder: vscode.WorkspaceFolder;
}

export interface ProjectChange {
  project: WorkspaceProject;
  /** Absolute paths of the revision files that changed (empty: the whole project was reloaded). */
  files: string[];
}

const REDISCOVER_DELAY_MS = 300;
const NOT_PROJECT_FOLDERS = new Set(DEFAULT_IGNORED_FOLDERS);

export class ProjectRegistry implements vscode.Disposable {
  private projectsById = new Map<string, WorkspaceProject>();
  private unreadable: UnreadableConfig[] = [];
  private state: ProjectState = 'loading';
  private readonly disposables: vscode.Disposable[] = [];
  private revisionWatchers: vscode.Disposable[] = [];
  private rediscoverTimer: NodeJS.Timeout | undefined;
  private discovery: Promise<void> | undefined;
  private readonly projectsChanged = new vscode.EventEmitter<void>();
  private readonly projectChanged = new vscode.EventEmitter<ProjectChange>();

  /** The set of projects changed (found, removed, reloaded). */
  readonly onDidChangeProjects = this.projectsChanged.event;
  /** One project's revision files changed; its graph is already updated. */
  readonly onDidChangeProject = this.projectChanged.event;

  constructor(private readonly log: Log) {
    const configWatcher = vscode.workspace.createFileSystemWatcher('**/{alembic.ini,pyproject.toml}');
    configWatcher.onDidChange(() => this.scheduleRediscovery());
    configWatcher.onDidCreate(() => this.scheduleRediscovery());
    configWatcher.onDidDelete(() => this.scheduleRediscovery());
    // Deleting (or renaming away) a whole folder is reported for the folder alone, not for the
    // alembic.ini or revision files inside it: catch deletions above what the watchers above see.
    // Deletes only: VS Code already watches the workspace, this adds a filter, not an OS watcher.
    // Likewise a folder copied, moved or checked out into the workspace may be reported for the
    // folder alone (its files can land before the OS watcher sees the new folder): look inside it.
    // VS Code already watches the workspace, this adds a filter, not an OS watcher.
    const deletionWatcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    deletionWatcher.onDidDelete((uri) => this.pathDeleted(uri.fsPath));
    deletionWatcher.onDidCreate((uri) => void this.pathCreated(uri.fsPath));
    this.disposables.push(
      configWatcher,
      deletionWatcher,
      this.projectsChanged,
      this.projectChanged,
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleRediscovery()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('alembicWorkbench.alembic.configName')) this.scheduleRediscovery();
      }),
    );
  }

  get projects(): WorkspaceProject[] {
    return [...this.projectsById.values()];
  }

  /** Config files found in the last discovery that could not be read as projects. */
  get unreadableConfigs(): readonly UnreadableConfig[] {
    return this.unreadable;
  }

  get projectState(): ProjectState {
    return this.state;
  }

  get(projectId: string): WorkspaceProject | undefined {
    return this.projectsById.get(projectId);
  }

  /** Resolves once the first discovery (or the one under way) is done. */
  ready(): Promise<void> {
    return this.discovery ?? this.rediscover();
  }

  /** The project whose version folders hold this file, if Alembic would load it as a revision. */
  projectForFile(filePath: string): WorkspaceProject | undefined {
    const absolute = path.resolve(filePath);
    return this.projects.find((project) => project.model.isRevisionFile(absolute));
  }

  /** The project whose alembic.ini / pyproject.toml this is. */
  projectForConfigFile(filePath: string): WorkspaceProject | undefined {
    const absolute = path.resolve(filePath);
    return this.projects.find((project) => project.config.configFile === absolute || project.config.pyprojectFile === absolute);
  }

  /** Finds every project in every workspace folder and reads it. */
  rediscover(): Promise<void> {
    const run = this.discoverAll().finally(() => {
      if (this.discovery === run) this.discovery = undefined;
    });
    this.discovery = run;
    return run;
  }

  /** Re-reads every file of every project (the Refresh command). */
  async reloadAll(): Promise<void> {
    await this.rediscover();
  }

  /**
   * Re-reads revision files a command just created or deleted, without waiting for the file
   * watcher (which may report them later: the model then sees no change and fires nothing).
   */
  reloadFiles(projectId: string, filePaths: readonly string[]): void {
    for (const file of filePaths) this.revisionFileChanged(projectId, file, !existsSync(file));
  }

  private scheduleRediscovery(): void {
    clearTimeout(this.rediscoverTimer);
    this.rediscoverTimer = setTimeout(() => void this.rediscover(), REDISCOVER_DELAY_MS);
  }

  private async discoverAll(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const found = new Map<string, WorkspaceProject>();
    const unreadable: UnreadableConfig[] = [];
    for (const folder of folders) {
      if (folder.uri.scheme !== 'file') continue;
      const configName = readSettings(folder).alembic.configName;
      try {
        const { projects, failures } = await discoverProjects(folder.uri.fsPath, { maxDepth: 5 });
        for (const failure of failures) {
          this.log.warn(`Cannot read ${failure.file} as an Alembic project: ${failure.error.message}`);
          unreadable.push({ id: `${failure.file}#${failure.section ?? 'alembic'}`, file: failure.file, section: failure.section, message: failure.error.message, workspaceFolder: folder });
        }
        const wanted = mainProjects(projects, configName || undefined);
        for (const config of wanted) {
          const existing = this.projectsById.get(config.id);
          const model = existing && sameConfig(existing.config, config) ? existing.model.load() : AlembicProjectModel.load(config);
          found.set(config.id, { id: config.id, config, model, workspaceFolder: folder, label: config.label });
        }
      } catch (error) {
        this.log.error(`Could not look for Alembic projects in ${folder.uri.fsPath}: ${(error as Error).message}`);
      }
    }
    disambiguateLabels([...found.values()], folders.length > 1);
    this.projectsById = found;
    this.unreadable = unreadable;
    this.state = found.size === 0 ? 'noProject' : [...found.values()].every((project) => project.model.files.length === 0) ? 'empty' : 'ready';
    this.watchRevisionFiles();
    this.log.info(
      found.size === 0
        ? 'No Alembic project found in this workspace.'
        : `Alembic projects: ${[...found.values()].map((project) => `${project.label} (${project.model.files.length} revisions)`).join(', ')}`,
    );
    this.projectsChanged.fire();
  }

  /** One watcher per version folder: only those files are revisions, and only they are re-read. */
  private watchRevisionFiles(): void {
    for (const watcher of this.revisionWatchers) watcher.dispose();
    this.revisionWatchers = [];
    for (const project of this.projects) {
      for (const location of project.config.versionLocations) {
        const pattern = new vscode.RelativePattern(vscode.Uri.file(location), project.config.recursiveVersionLocations ? '**/*.py' : '*.py');
        const watcher = vscode.workspace.createFileSystemWatcher(pattern);
        const onFile = (uri: vscode.Uri, deleted: boolean) => this.revisionFileChanged(project.id, uri.fsPath, deleted);
        watcher.onDidCreate((uri) => onFile(uri, false));
        watcher.onDidChange((uri) => onFile(uri, false));
        watcher.onDidDelete((uri) => onFile(uri, true));
        this.revisionWatchers.push(watcher);
      }
    }
  }

  /** A folder holding a project's config or versions went away (its files get no events of their own). */
  private pathDeleted(deletedPath: string): void {
    const deleted = path.resolve(deletedPath);
    const inside = (candidate: string | undefined) => candidate !== undefined && (candidate === deleted || candidate.startsWith(deleted + path.sep));
    const affected = this.projects.some(
      (project) => inside(project.config.configFile) || inside(project.config.pyprojectFile) || project.config.versionLocations.some((location) => inside(location)),
    );
    if (affected) this.scheduleRediscovery();
  }

  /** A new folder that holds an Alembic project nobody knows yet triggers a discovery. */
  private async pathCreated(createdPath: string): Promise<void> {
    if (createdPath.split(path.sep).some((segment) => NOT_PROJECT_FOLDERS.has(segment))) return;
    const created = await stat(createdPath).catch(() => undefined);
    if (!created?.isDirectory()) return;
    const { projects } = await discoverProjects(createdPath, { maxDepth: 3, maxFolders: 2000 }).catch(() => ({ projects: [] }));
    const known = new Set(this.projects.map((project) => project.config.configFile));
    if (projects.some((project) => !known.has(project.configFile))) this.scheduleRediscovery();
  }

  private revisionFileChanged(projectId: string, filePath: string, deleted: boolean): void {
    const project = this.projectsById.get(projectId);
    if (!project) return;
    const change = deleted ? project.model.removeFile(filePath) : project.model.updateFile(filePath);
    if (change === 'ignored' || change === 'unchanged') return;
    const wasState = this.state;
    this.state = this.projects.every((candidate) => candidate.model.files.length === 0) ? 'empty' : 'ready';
    this.projectChanged.fire({ project, files: [path.resolve(filePath)] });
    if (wasState !== this.state) this.projectsChanged.fire();
  }

  dispose(): void {
    clearTimeout(this.rediscoverTimer);
    for (const watcher of this.revisionWatchers) watcher.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function sameConfig(a: AlembicProjectConfig, b: AlembicProjectConfig): boolean {
  return JSON.stringify(a.versionLocations) === JSON.stringify(b.versionLocations) && a.fileTemplate === b.fileTemplate && a.fileOrder === b.fileOrder && a.recursiveVersionLocations === b.recursiveVersionLocations;
}

/** Gives projects with the same label (two `backend` folders) a label that tells them apart. */
function disambiguateLabels(projects: WorkspaceProject[], multiRoot: boolean): void {
  const counts = new Map<string, number>();
  for (const project of projects) counts.set(project.label, (counts.get(project.label) ?? 0) + 1);
  for (const project of projects) {
    if ((counts.get(project.label) ?? 0) < 2 && !multiRoot) continue;
    const relative = path.relative(project.workspaceFolder.uri.fsPath, project.config.here) || '.';
    const label = multiRoot ? `${project.workspaceFolder.name}/${relative === '.' ? '' : relative}`.replace(/\/$/, '') : relative;
    const section = project.config.section !== 'alembic' ? ` [${project.config.section}]` : '';
    (project as { label: string }).label = `${label}${section}`;
  }
}

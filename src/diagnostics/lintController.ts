// Live lint in the editor: every Python document that is a revision file of a project is linted in
// process with the same engine as the CLI, on open, on change (debounced, `lint.run: onType`) and on
// save; diagnostics go away when the document closes. Each request carries a generation number,
// so a background step that finishes after the text changed (the table-size lookup) never
// publishes results for an older text.
//
// Two diagnostic collections, because their lifetimes differ:
//  - `alembic-workbench`: findings of one document's text. Replaced on every lint, deleted on close.
//  - `alembic-workbench-project`: the project's revision-graph problems (AW6xx: dangling
//    down_revision, duplicate ids, several heads...) and pyproject.toml config problems. They belong
//    to the files on disk, open or not, and follow the project registry (file watchers), so closing
//    a document must not delete them and typing in one must not recompute the graph.
import { readFileSync, statSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ConfigProblem, Finding, FindingCounts } from '../core/lint/findings';
import { graphProblemsToFindings, suppressionsInSource } from '../core/lint/graphFindings';
import { emptyLintConfig, findPyproject, loadLintConfig, type LintConfig } from '../core/lint/lintConfig';
import { createLintContext, parseDialectName, type LintContext } from '../core/lint/lintContext';
import { lintMigration } from '../core/lint/lintEngine';
import { NamingConventionCache, namingConventionSearchFor } from '../core/lint/namingConventionLocator';
import { projectDialectsRequest, ProjectDialectsCache } from '../core/lint/projectDialects';
import { CreatedEnumTypesCache, projectHistoryFacts } from '../core/lint/revisionHistoryFacts';
import { GRAPH_RULES } from '../core/lint/rules/graphProblemRules';
import type { Suppressions } from '../core/lint/suppressions';
import { tableReference, tablesToMeasure, tableSizeNote, withTableSizeNote } from '../core/lint/tableSizeNotes';
import { findStartupSchemaCalls, type StartupSchemaCall } from '../core/project/startupSchemaCalls';
import type { GraphProblem } from '../core/revisions/graphProblems';
import type { WorkspaceProject } from '../editorProject/projectRegistry';
import { affectsSettings } from '../settings';
import type { Workbench } from '../workbench';
import { configProblemToDiagnostic, DIAGNOSTIC_SOURCE, findingToDiagnostic, toRange } from './findingConversion';
import { TableSizeLookup } from './tableSizes';

/** The latest lint of one document. */
interface DocumentLint {
  uri: vscode.Uri;
  projectId: string;
  /** Bumped by every request; a background step publishes only if it is still the latest. */
  generation: number;
  /** Document version the findings are for (undefined: linted from disk). */
  version?: number;
  findings: Finding[];
  configProblems: ConfigProblem[];
  debounce?: NodeJS.Timeout;
  /** The generation whose findings are on screen. */
  publishedGeneration?: number;
  /** The text had a suppression comment (removing it may revive a graph finding). */
  mentionedSuppression?: boolean;
}

/** How long the last debounced lint took, from the end of the pause to the diagnostics being set. */
export interface LintTiming {
  file: string;
  lines: number;
  /** lintMigration alone. */
  lintMs: number;
  /** Debounce expiry -> DiagnosticCollection.set. */
  totalMs: number;
}

export interface WorkspaceLintSummary {
  files: number;
  counts: FindingCounts;
}

const controllers = new WeakMap<Workbench, LintController>();

/** The controller registered for a workbench (commands and navigation reach it through here). */
export function lintControllerFor(workbench: Workbench): LintController | undefined {
  return controllers.get(workbench);
}

export class LintController implements vscode.Disposable {
  readonly lintDiagnostics = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  readonly projectDiagnostics = vscode.languages.createDiagnosticCollection(`${DIAGNOSTIC_SOURCE}-project`);
  private readonly documents = new Map<string, DocumentLint>();
  private readonly projectDiagnosticUris = new Set<string>();
  private readonly lintConfigs = new Map<string, { stamp: string; config: LintConfig }>();
  private readonly namingConventions = new NamingConventionCache();
  private readonly projectDialects = new ProjectDialectsCache();
  private readonly createdEnumTypes = new CreatedEnumTypesCache();
  /** AW615: each project's app code that calls metadata.create_all, scanned in the background. */
  private readonly startupSchemaCalls = new Map<string, StartupSchemaCall[]>();
  private readonly startupScansPending = new Set<string>();
  private startupScanGeneration = 0;
  private disposed = false;
  private readonly tableSizes: TableSizeLookup;
  private readonly disposables: vscode.Disposable[] = [];
  /** After "Lint Workspace", closed files keep their findings (re-read from disk when they change). */
  private workspaceLinted = false;
  private readonly timingChanged = new vscode.EventEmitter<LintTiming>();
  /** Fires after each debounced lint with its timing (the speed figure of issue 4). */
  readonly onDidLintAfterDebounce = this.timingChanged.event;
  lastTiming?: LintTiming;

  constructor(private readonly workbench: Workbench) {
    this.tableSizes = new TableSizeLookup(workbench);
    const pyprojectWatcher = vscode.workspace.createFileSystemWatcher('**/pyproject.toml');
    const onPyproject = () => {
      this.lintConfigs.clear();
      this.relintEverything();
    };
    this.disposables.push(
      this.lintDiagnostics,
      this.projectDiagnostics,
      this.tableSizes,
      this.timingChanged,
      pyprojectWatcher,
      pyprojectWatcher.onDidChange(onPyproject),
      pyprojectWatcher.onDidCreate(onPyproject),
      pyprojectWatcher.onDidDelete(onPyproject),
      vscode.workspace.onDidOpenTextDocument((document) => this.lintOpenedOrSaved(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.documentChanged(event)),
      vscode.workspace.onDidSaveTextDocument((document) => this.documentSaved(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.documentClosed(document)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsSettings(event, 'lint')) this.relintEverything();
        // Another database (or sizes switched on/off): the size notes change.
        else if (affectsSettings(event, 'database')) this.relintOpenDocuments();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.relintOpenDocuments()),
      workbench.projects.onDidChangeProjects(() => {
        this.namingConventions.invalidate();
        this.projectDialects.invalidate();
        this.forgetStartupSchemaCalls();
        this.relintEverything();
      }),
      workbench.projects.onDidChangeProject((change) => this.projectChanged(change.project, change.files)),
      workbench.database.onDidChange((projectId) => this.relintOpenDocuments(projectId)),
      this.tableSizes.onDidLearnSizes((projectId) => this.sizesLearned(projectId)),
    );
    controllers.set(workbench, this);
  }

  /** Lints what is open now (call once projects are known). */
  start(): void {
    this.relintEverything();
  }

  // ----------------------------------------------------------------------------------------------
  // Events

  private lintOpenedOrSaved(document: vscode.TextDocument): void {
    const project = this.projectOf(document);
    if (!project || this.runMode(project) === 'off') return;
    this.lintDocument(document, project);
  }

  private documentChanged(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0) return;
    const document = event.document;
    const project = this.projectOf(document);
    if (!project || this.runMode(project) !== 'onType') return;
    const state = this.stateFor(document.uri, project);
    // A change makes any lint still in flight stale at once, not only when the timer fires.
    state.generation++;
    clearTimeout(state.debounce);
    const delay = this.workbench.settingsFor(project).lint.debounceMilliseconds;
    state.debounce = setTimeout(() => {
      state.debounce = undefined;
      const expired = performance.now();
      // The project may have changed while we waited (a rename, a new alembic.ini).
      const current = this.projectOf(document);
      if (!current || document.isClosed) return;
      const lintMs = this.lintDocument(document, current);
      const timing: LintTiming = { file: document.uri.fsPath, lines: document.lineCount, lintMs, totalMs: performance.now() - expired };
      this.lastTiming = timing;
      this.timingChanged.fire(timing);
    }, delay);
  }

  private documentSaved(document: vscode.TextDocument): void {
    if (document.uri.scheme === 'file' && document.uri.fsPath.endsWith('.py') && !this.projectOf(document)) {
      // A models module or env.py: the naming convention (used in fixes and messages) may have changed;
      // app code may have gained or lost a create_all (AW615).
      this.namingConventions.invalidate();
      this.projectDialects.invalidate();
      this.forgetStartupSchemaCalls();
      this.relintOpenDocuments();
      this.refreshProjectDiagnostics();
      return;
    }
    this.lintOpenedOrSaved(document);
  }

  private documentClosed(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const state = this.documents.get(key);
    if (!state) return;
    clearTimeout(state.debounce);
    state.generation++;
    const project = this.workbench.projects.get(state.projectId);
    if (this.workspaceLinted && project && this.runMode(project) !== 'off' && project.model.isRevisionFile(document.uri.fsPath)) {
      // Its findings stay in the Problems panel, now for the text on disk.
      this.lintFromDisk(document.uri, project);
      return;
    }
    this.documents.delete(key);
    this.lintDiagnostics.delete(document.uri);
    this.refreshProjectDiagnostics();
  }

  private projectChanged(project: WorkspaceProject, files: string[]): void {
    this.refreshProjectDiagnostics();
    if (!this.workspaceLinted || this.runMode(project) === 'off') return;
    for (const file of files) {
      const uri = vscode.Uri.file(file);
      if (this.openDocument(uri)) continue;
      if (project.model.fileAt(file)) this.lintFromDisk(uri, project);
      else {
        this.documents.delete(uri.toString());
        this.lintDiagnostics.delete(uri);
      }
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Linting

  /** Re-lints open documents (of one project) and their table sizes; the graph stays. */
  relintOpenDocuments(projectId?: string): void {
    for (const document of vscode.workspace.textDocuments) {
      const project = this.projectOf(document);
      if (!project || (projectId && project.id !== projectId)) continue;
      if (this.runMode(project) === 'off') this.forget(document.uri);
      else this.lintDocument(document, project);
    }
  }

  /** Everything again: open documents, linted closed files, the project diagnostics. */
  private relintEverything(): void {
    this.lintConfigs.clear();
    for (const [key, state] of [...this.documents]) {
      const project = this.workbench.projects.get(state.projectId);
      const open = this.openDocument(state.uri);
      if (!project || !project.model.isRevisionFile(state.uri.fsPath) || this.runMode(project) === 'off' || (!open && !this.workspaceLinted)) {
        this.documents.delete(key);
        clearTimeout(state.debounce);
        this.lintDiagnostics.delete(state.uri);
      } else if (!open) this.lintFromDisk(state.uri, project);
    }
    this.relintOpenDocuments();
    this.refreshProjectDiagnostics();
  }

  private forget(uri: vscode.Uri): void {
    const state = this.documents.get(uri.toString());
    if (state) {
      clearTimeout(state.debounce);
      state.generation++;
      this.documents.delete(uri.toString());
    }
    this.lintDiagnostics.delete(uri);
  }

  /** Lints a document's current text and publishes; returns the engine's time in ms. */
  private lintDocument(document: vscode.TextDocument, project: WorkspaceProject): number {
    const state = this.stateFor(document.uri, project);
    clearTimeout(state.debounce);
    state.debounce = undefined;
    state.generation++;
    const started = performance.now();
    const result = this.lintText(project, document.getText(), document.uri.fsPath);
    const lintMs = performance.now() - started;
    state.version = document.version;
    state.findings = result.findings;
    state.configProblems = result.configProblems.filter((problem) => problem.filePath === document.uri.fsPath);
    this.publish(state, project);
    this.fetchTableSizes(state, project);
    // Suppression comments in this text may silence (or revive) a graph finding of this file.
    const mentionsSuppression = document.getText().includes('alembic-workbench');
    if (this.hasProjectDiagnostics(document.uri) || mentionsSuppression || state.mentionedSuppression) this.refreshProjectDiagnostics();
    state.mentionedSuppression = mentionsSuppression;
    return lintMs;
  }

  private lintFromDisk(uri: vscode.Uri, project: WorkspaceProject): void {
    let text: string;
    try {
      text = readFileSync(uri.fsPath, 'utf8');
    } catch {
      this.forget(uri);
      return;
    }
    const state = this.stateFor(uri, project);
    state.generation++;
    const result = this.lintText(project, text, uri.fsPath);
    state.version = undefined;
    state.findings = result.findings;
    state.configProblems = result.configProblems.filter((problem) => problem.filePath === uri.fsPath);
    this.publish(state, project);
    this.fetchTableSizes(state, project);
  }

  /** The engine, with the project's context: the same call the CLI makes. */
  lintText(project: WorkspaceProject, text: string, filePath: string) {
    const config = this.lintConfigFor(project);
    // What earlier revisions created (AW305: an Enum made by an ancestor is not missing), as the CLI passes it.
    const earlierEnumTypes = projectHistoryFacts(project.model, this.createdEnumTypes).enumTypesBefore(filePath);
    return lintMigration(text, { filePath, context: this.lintContextFor(project, config), config, earlierEnumTypes });
  }

  /** Dialects (setting, else pyproject, else inferred from the project), PostgreSQL version, naming convention. */
  lintContextFor(project: WorkspaceProject, config = this.lintConfigFor(project)): LintContext {
    const setting = this.workbench.settingsFor(project).lint.dialect;
    const namingConvention = this.namingConventions.get(project.id, namingConventionSearchFor(project.config));
    return createLintContext({
      dialect: setting === 'auto' ? undefined : parseDialectName(setting),
      sqlalchemyUrl: project.config.sqlalchemyUrl,
      inferredDialects: this.projectDialects.get(project.id, projectDialectsRequest(project.config, project.workspaceFolder.uri.fsPath)),
      config,
      namingConvention,
    });
  }

  /** `[tool.alembic-workbench]` of the pyproject.toml nearest to the project (re-read when it changes). */
  lintConfigFor(project: WorkspaceProject): LintConfig {
    const pyproject = findPyproject(project.config.here, project.workspaceFolder.uri.fsPath);
    if (!pyproject) return emptyLintConfig();
    const stamp = fileStamp(pyproject);
    const cached = this.lintConfigs.get(pyproject);
    if (cached && cached.stamp === stamp) return cached.config;
    const config = loadLintConfig(pyproject);
    this.lintConfigs.set(pyproject, { stamp, config });
    return config;
  }

  private publish(state: DocumentLint, project: WorkspaceProject): void {
    state.publishedGeneration = state.generation;
    const extensionUri = this.workbench.extensionContext.extensionUri;
    const diagnostics = state.findings.map((finding) => {
      const note = tableSizeNote(finding, (table) => this.tableSizes.peek(project, table));
      return findingToDiagnostic(finding, { extensionUri, message: withTableSizeNote(finding.message, note) });
    });
    diagnostics.push(...state.configProblems.map(configProblemToDiagnostic));
    this.lintDiagnostics.set(state.uri, diagnostics);
  }

  /** Asks for the sizes the findings need and are not cached; `sizesLearned` re-publishes. */
  private fetchTableSizes(state: DocumentLint, project: WorkspaceProject): void {
    if (!this.tableSizes.enabledFor(project)) return;
    const tables = state.findings.flatMap(tablesToMeasure).map(tableReference);
    const unknown = tables.filter((table) => this.tableSizes.peek(project, table) === undefined);
    if (unknown.length > 0) void this.tableSizes.fetch(project, unknown);
  }

  /**
   * Sizes arrived: re-publish the project's documents whose shown lint is their latest request. A
   * document with a newer request pending (a change in its debounce) publishes itself and finds the
   * sizes in the cache; its older findings are never put back on screen.
   */
  private sizesLearned(projectId: string): void {
    const project = this.workbench.projects.get(projectId);
    if (!project) return;
    for (const state of this.documents.values()) {
      if (state.projectId !== projectId || state.publishedGeneration !== state.generation) continue;
      if (state.findings.some((finding) => tablesToMeasure(finding).length > 0)) this.publish(state, project);
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Project diagnostics: revision-graph problems and pyproject.toml problems

  private hasProjectDiagnostics(uri: vscode.Uri): boolean {
    return this.projectDiagnosticUris.has(uri.toString());
  }

  /** Recomputes every project's graph and config diagnostics (cheap: problems are cached per graph). */
  refreshProjectDiagnostics(): void {
    const byUri = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
    const add = (file: string, diagnostic: vscode.Diagnostic) => {
      const uri = vscode.Uri.file(file);
      const entry = byUri.get(uri.toString()) ?? { uri, diagnostics: [] };
      entry.diagnostics.push(diagnostic);
      byUri.set(uri.toString(), entry);
    };
    const seenConfigs = new Set<string>();
    for (const project of this.workbench.projects.projects) {
      if (this.runMode(project) === 'off') continue;
      const config = this.lintConfigFor(project);
      if (config.filePath && !seenConfigs.has(config.filePath)) {
        seenConfigs.add(config.filePath);
        for (const problem of config.problems) add(problem.filePath, configProblemToDiagnostic(problem));
      }
      for (const { file, diagnostic } of this.graphDiagnostics(project, config)) add(file, diagnostic);
    }
    for (const key of [...this.projectDiagnosticUris]) {
      if (!byUri.has(key)) {
        this.projectDiagnostics.delete(vscode.Uri.parse(key));
        this.projectDiagnosticUris.delete(key);
      }
    }
    for (const [key, { uri, diagnostics }] of byUri) {
      this.projectDiagnostics.set(uri, diagnostics);
      this.projectDiagnosticUris.add(key);
    }
  }

  private graphDiagnostics(project: WorkspaceProject, config: LintConfig): Array<{ file: string; diagnostic: vscode.Diagnostic }> {
    const extensionUri = this.workbench.extensionContext.extensionUri;
    const problems = project.model.problems();
    const results: Array<{ file: string; diagnostic: vscode.Diagnostic }> = [];
    const suppressionCache = new Map<string, Suppressions | undefined>();
    const suppressionsFor = (file: string) => {
      if (!suppressionCache.has(file)) suppressionCache.set(file, this.suppressionsOf(file));
      return suppressionCache.get(file);
    };
    const startupFindings = graphProblemsToFindings(this.startupSchemaCallsOf(project), { config, suppressionsFor });
    for (const finding of startupFindings) {
      results.push({ file: finding.filePath, diagnostic: findingToDiagnostic(finding, { extensionUri }) });
    }
    for (const problem of problems) {
      const rule = GRAPH_RULES.find((candidate) => candidate.name === problem.name);
      if (rule) {
        const [finding] = graphProblemsToFindings([problem], { config, suppressionsFor });
        if (!finding) continue;
        finding.related = relatedForGraphProblem(problem, project);
        results.push({ file: problem.file, diagnostic: findingToDiagnostic(finding, { extensionUri }) });
        continue;
      }
      // Problems that make Alembic fail but have no lint rule (broken headers, alembic.ini errors, ...).
      const severity = problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : problem.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
      const range = problem.range ?? { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };
      const diagnostic = new vscode.Diagnostic(toRange(range), problem.message, severity);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = problem.name;
      results.push({ file: problem.file, diagnostic });
    }
    return results;
  }

  private forgetStartupSchemaCalls(): void {
    this.startupSchemaCalls.clear();
    this.startupScansPending.clear();
    this.startupScanGeneration++;
  }

  /**
   * The project's create_all calls (AW615) as last scanned. The first call starts the scan (it reads
   * app files asynchronously, never on the lint path) and publishes again when it is done.
   */
  private startupSchemaCallsOf(project: WorkspaceProject): StartupSchemaCall[] {
    const known = this.startupSchemaCalls.get(project.id);
    if (known) return known;
    if (!this.startupScansPending.has(project.id)) {
      this.startupScansPending.add(project.id);
      const generation = this.startupScanGeneration;
      void findStartupSchemaCalls(project.config.here, { exclude: project.config.versionLocations })
        .catch((error: unknown) => {
          this.workbench.log.warn(`${project.label}: could not look for metadata.create_all in the app code: ${(error as Error).message}`);
          return [];
        })
        .then((calls) => {
          // A scan that a save or a reload made stale is dropped: the next refresh starts another.
          if (this.disposed || generation !== this.startupScanGeneration) return;
          this.startupScansPending.delete(project.id);
          if (this.workbench.projects.get(project.id) !== project) return;
          this.startupSchemaCalls.set(project.id, calls);
          this.refreshProjectDiagnostics();
        });
    }
    return [];
  }

  /** Suppression comments of a file: its open text if open (unsaved comments count), else disk. */
  private suppressionsOf(file: string): Suppressions | undefined {
    const open = this.openDocument(vscode.Uri.file(file));
    let source: string;
    try {
      source = open ? open.getText() : readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    return suppressionsInSource(source, file);
  }

  // ----------------------------------------------------------------------------------------------
  // Lint Workspace, and findings for hovers and code actions

  /** Lints every revision file of every project into the Problems panel (closed files included). */
  async lintWorkspace(progress?: vscode.Progress<{ message?: string; increment?: number }>, token?: vscode.CancellationToken): Promise<WorkspaceLintSummary> {
    // ready() re-reads every project when no discovery is running: only wait for the first one.
    if (this.workbench.projects.projectState === 'loading') await this.workbench.projects.ready();
    this.workspaceLinted = true;
    const projects = this.workbench.projects.projects;
    const files = projects.flatMap((project) => project.model.files.map((file) => ({ project, file: file.filePath })));
    const counts: FindingCounts = { error: 0, warning: 0, info: 0 };
    let done = 0;
    for (const { project, file } of files) {
      if (token?.isCancellationRequested) break;
      const uri = vscode.Uri.file(file);
      const open = this.openDocument(uri);
      if (open) this.lintDocument(open, project);
      else this.lintFromDisk(uri, project);
      for (const finding of this.documents.get(uri.toString())?.findings ?? []) counts[finding.severity]++;
      done++;
      if (done % 25 === 0 || done === files.length) {
        progress?.report({ message: `${done}/${files.length} revision files`, increment: (25 / Math.max(files.length, 1)) * 100 });
        // Let the window breathe on very large histories.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    this.refreshProjectDiagnostics();
    this.projectDiagnostics.forEach((_uri, diagnostics) => {
      for (const diagnostic of diagnostics) {
        if (diagnostic.severity === vscode.DiagnosticSeverity.Error) counts.error++;
        else if (diagnostic.severity === vscode.DiagnosticSeverity.Warning) counts.warning++;
        else counts.info++;
      }
    });
    return { files: done, counts };
  }

  /**
   * Findings for a document's current text: the published ones when they are for this version,
   * else a fresh lint (code actions must never offer edits computed for an older text).
   */
  findingsForDocument(document: vscode.TextDocument): Finding[] {
    const project = this.projectOf(document);
    if (!project) return [];
    const state = this.documents.get(document.uri.toString());
    if (state && state.version === document.version) return state.findings;
    return this.lintText(project, document.getText(), document.uri.fsPath).findings;
  }

  /** The document version whose findings are published (undefined: not linted, or linted from disk). */
  publishedVersion(uri: vscode.Uri): number | undefined {
    return this.documents.get(uri.toString())?.version;
  }

  /** Counts of a revision file's findings (open text if open, else disk), for hovers and tooltips. */
  findingCounts(filePath: string): FindingCounts | undefined {
    const uri = vscode.Uri.file(filePath);
    const project = this.workbench.projects.projectForFile(filePath);
    if (!project) return undefined;
    const open = this.openDocument(uri);
    let findings: Finding[];
    const state = this.documents.get(uri.toString());
    if (state && (!open || state.version === open.version)) findings = state.findings;
    else if (open) findings = this.lintText(project, open.getText(), filePath).findings;
    else {
      try {
        findings = this.lintText(project, readFileSync(filePath, 'utf8'), filePath).findings;
      } catch {
        return undefined;
      }
    }
    const counts: FindingCounts = { error: 0, warning: 0, info: 0 };
    for (const finding of findings) counts[finding.severity]++;
    return counts;
  }

  // ----------------------------------------------------------------------------------------------

  private projectOf(document: vscode.TextDocument): WorkspaceProject | undefined {
    if (document.uri.scheme !== 'file' || !document.uri.fsPath.endsWith('.py')) return undefined;
    return this.workbench.projects.projectForFile(document.uri.fsPath);
  }

  private runMode(project: WorkspaceProject) {
    return this.workbench.settingsFor(project).lint.run;
  }

  private stateFor(uri: vscode.Uri, project: WorkspaceProject): DocumentLint {
    const key = uri.toString();
    let state = this.documents.get(key);
    if (!state) {
      state = { uri, projectId: project.id, generation: 0, findings: [], configProblems: [] };
      this.documents.set(key, state);
    }
    state.projectId = project.id;
    return state;
  }

  private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    const key = uri.toString();
    return vscode.workspace.textDocuments.find((document) => !document.isClosed && document.uri.toString() === key);
  }

  dispose(): void {
    this.disposed = true;
    for (const state of this.documents.values()) clearTimeout(state.debounce);
    this.documents.clear();
    for (const disposable of this.disposables) disposable.dispose();
    controllers.delete(this.workbench);
  }
}

/** Multiple heads point at the other heads; a duplicate id at the other files that declare it. */
function relatedForGraphProblem(problem: GraphProblem, project: WorkspaceProject): Finding['related'] {
  const graph = project.model.graph;
  if (problem.name === 'multiple-heads') {
    return graph.heads
      .filter((head) => head !== problem.revision)
      .flatMap((head) => {
        const node = graph.get(head);
        const reference = node?.file.references.find((candidate) => candidate.kind === 'revision');
        return node && reference ? [{ message: `another head: ${head}${node.file.message ? ` (${node.file.message})` : ''}`, range: reference.range, filePath: node.file.filePath }] : [];
      });
  }
  if (problem.name === 'duplicate-revision' && problem.revision) {
    return (graph.duplicates.get(problem.revision) ?? [])
      .filter((file) => file.filePath !== problem.file)
      .map((file) => ({
        message: `also declares ${problem.revision}`,
        range: file.references.find((reference) => reference.kind === 'revision')?.range ?? { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } },
        filePath: file.filePath,
      }));
  }
  return undefined;
}

function fileStamp(file: string): string {
  try {
    const stats = statSync(file);
    return `${stats.mtimeMs}:${stats.size}`;
  } catch {
    return 'missing';
  }
}

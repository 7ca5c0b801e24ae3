// Table sizes for lint messages, from the project's selected database: answered synchronously from
// the cache while linting (`peek`), fetched in the background (`fetch`) so the lint never waits for
// a database. Never in an untrusted workspace (reading a database means connecting to a host named
// by workspace files) and never when `database.showTableSizes` is off.
import * as vscode from 'vscode';
import { referenceKey, type TableReference, type TableStats, type TableStatsCache } from '../core/db/tableStats';
import type { WorkspaceProject } from '../editorProject/projectRegistry';
import { affectsSettings } from '../settings';
import type { Workbench } from '../workbench';

/** A table asked about and not found (or the database was down) is not asked again for this long. */
const RETRY_AFTER_MS = 30_000;

export class TableSizeLookup implements vscode.Disposable {
  private readonly caches = new Map<string, Promise<TableStatsCache | undefined>>();
  private readonly resolved = new Map<string, TableStatsCache | undefined>();
  private readonly askedAt = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly learned = new vscode.EventEmitter<string>();
  /** Fires with a project id when the size of one of its tables became known. */
  readonly onDidLearnSizes = this.learned.event;

  constructor(
    private readonly workbench: Workbench,
    private readonly now: () => number = Date.now,
  ) {
    // A new status or other database settings may mean another target: find its cache again.
    this.disposables.push(
      this.learned,
      workbench.database.onDidChange((projectId) => this.reset(projectId)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsSettings(event, 'database')) this.reset();
      }),
    );
  }

  enabledFor(project: WorkspaceProject): boolean {
    return vscode.workspace.isTrusted && this.workbench.settingsFor(project).database.showTableSizes;
  }

  /** Cached statistics only: no I/O. */
  peek(project: WorkspaceProject, table: TableReference): TableStats | undefined {
    if (!this.enabledFor(project)) return undefined;
    return this.resolved.get(project.id)?.peek(table);
  }

  /**
   * Fetches the statistics of tables not cached (nor asked for lately) in the background; when one
   * becomes known, `onDidLearnSizes` fires with the project id. Never rejects.
   */
  async fetch(project: WorkspaceProject, tables: readonly TableReference[]): Promise<void> {
    if (await this.lookup(project, tables)) this.learned.fire(project.id);
  }

  private async lookup(project: WorkspaceProject, tables: readonly TableReference[]): Promise<boolean> {
    if (!this.enabledFor(project) || tables.length === 0) return false;
    const now = this.now();
    const wanted = tables.filter((table) => {
      const key = `${project.id}\u0000${referenceKey(table)}`;
      const asked = this.askedAt.get(key);
      if (asked !== undefined && now - asked < RETRY_AFTER_MS) return false;
      this.askedAt.set(key, now);
      return true;
    });
    if (wanted.length === 0) return false;
    try {
      const cache = await this.cacheFor(project);
      if (!cache) return false;
      const answers = await cache.lookup(wanted);
      return [...answers.values()].some((stats) => stats !== undefined);
    } catch (error) {
      this.workbench.log.debug(`Table sizes for ${project.label} not available: ${(error as Error).message}`);
      return false;
    }
  }

  reset(projectId?: string): void {
    if (projectId === undefined) {
      this.caches.clear();
      this.resolved.clear();
      this.askedAt.clear();
      return;
    }
    this.caches.delete(projectId);
    this.resolved.delete(projectId);
    for (const key of [...this.askedAt.keys()]) if (key.startsWith(`${projectId}\u0000`)) this.askedAt.delete(key);
  }

  private cacheFor(project: WorkspaceProject): Promise<TableStatsCache | undefined> {
    let pending = this.caches.get(project.id);
    if (!pending) {
      pending = this.workbench.database.tableStatsFor(project).then(
        (cache) => {
          if (this.caches.get(project.id) === pending) this.resolved.set(project.id, cache);
          return cache;
        },
        () => undefined,
      );
      this.caches.set(project.id, pending);
    }
    return pending;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

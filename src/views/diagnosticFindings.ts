// Lint finding counts per revision file, read from the diagnostics our lint publishes (source
// "alembic-workbench"), so the tree agrees with the Problems panel without linting anything itself.
import path from 'node:path';
import * as vscode from 'vscode';
import type { FindingCounts } from '../core/lint/findings';
import { DIAGNOSTIC_SOURCE } from '../diagnostics/findingConversion';
import { NO_FINDINGS } from './revisionTreeModel';

/** Diagnostics change on every keystroke while linting on type: tell the tree at most this often. */
const NOTIFY_DELAY_MS = 150;

export class DiagnosticFindingCounts implements vscode.Disposable {
  private readonly counts = new Map<string, FindingCounts>();
  private readonly changed = new vscode.EventEmitter<string[]>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: vscode.Disposable;
  /** Fires with the absolute paths whose counts changed. */
  readonly onDidChange = this.changed.event;

  constructor() {
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) this.record(uri, diagnostics);
    this.subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      for (const uri of event.uris) {
        if (uri.scheme === 'file' && this.record(uri, vscode.languages.getDiagnostics(uri))) this.pending.add(path.resolve(uri.fsPath));
      }
      if (this.pending.size > 0 && !this.timer) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          const files = [...this.pending];
          this.pending.clear();
          this.changed.fire(files);
        }, NOTIFY_DELAY_MS);
      }
    });
  }

  countsFor(filePath: string): FindingCounts | undefined {
    // Asked for every revision on every tree rebuild: skip the path work when nothing has findings.
    return this.counts.size === 0 ? undefined : this.counts.get(path.resolve(filePath));
  }

  /** Returns whether the counts of this file changed. */
  private record(uri: vscode.Uri, diagnostics: readonly vscode.Diagnostic[]): boolean {
    if (uri.scheme !== 'file') return false;
    const key = path.resolve(uri.fsPath);
    const next: FindingCounts = { error: 0, warning: 0, info: 0 };
    for (const diagnostic of diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      if (diagnostic.severity === vscode.DiagnosticSeverity.Error) next.error++;
      else if (diagnostic.severity === vscode.DiagnosticSeverity.Warning) next.warning++;
      else next.info++;
    }
    const previous = this.counts.get(key) ?? NO_FINDINGS;
    if (previous.error === next.error && previous.warning === next.warning && previous.info === next.info) return false;
    if (next.error + next.warning + next.info === 0) this.counts.delete(key);
    else this.counts.set(key, next);
    return true;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
    this.changed.dispose();
  }
}

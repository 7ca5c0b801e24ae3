// "Upgrade to here | Downgrade to here | Show SQL" above `revision = '...'`, each passing a
// RevisionArgument to the runner's commands, and the revision's database state before them when
// it is known. None in an untrusted workspace (those commands can't run there) or when
// `alembicWorkbench.codeLens.enabled` is off.
import { PROJECT_TARGET_NAME } from '../core/db/databaseTargets';
import * as vscode from 'vscode';
import type { RevisionArgument } from '../commands/commandArguments';
import { toRange } from '../diagnostics/findingConversion';
import { affectsSettings } from '../settings';
import type { Workbench } from '../workbench';
import type { CurrentRevisionFiles } from './currentRevisionFiles';

const STATE_LABELS: Record<string, string> = {
  applied: '$(pass) applied',
  current: '$(target) current',
  pending: '$(circle-large-outline) pending',
  unknown: '$(question) not in this history',
};

export class RevisionCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly workbench: Workbench,
    private readonly currentFiles: CurrentRevisionFiles,
  ) {
    const refresh = () => this.changed.fire();
    this.disposables = [
      this.changed,
      vscode.workspace.onDidGrantWorkspaceTrust(refresh),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsSettings(event, 'codeLens')) refresh();
      }),
      workbench.database.onDidChange(refresh),
      workbench.projects.onDidChangeProjects(refresh),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted) return [];
    const project = this.workbench.projects.projectForFile(document.uri.fsPath);
    if (!project || !this.workbench.settingsFor(project).codeLens.enabled) return [];
    const file = this.currentFiles.fileFor(document);
    const assignment = file.assignments.revision;
    if (!file.revision || !assignment) return [];
    const range = toRange(assignment.range);
    const reference: RevisionArgument = { projectId: project.id, revision: file.revision };
    const lenses: vscode.CodeLens[] = [];
    const status = this.workbench.database.statusFor(project.id);
    const state = status?.reachable ? status.states[file.revision] : undefined;
    if (status && state) {
      // Text only (no command id): VS Code shows it without a link.
      // The project's own database goes unnamed ("applied"); a named target says which ("applied in staging").
      const where = status.targetName === PROJECT_TARGET_NAME ? '' : ` in ${status.targetName}`;
      lenses.push(new vscode.CodeLens(range, { title: `${STATE_LABELS[state] ?? state}${where}`, command: '' }));
    }
    lenses.push(
      new vscode.CodeLens(range, { title: 'Upgrade to here', command: 'alembicWorkbench.upgradeToRevision', arguments: [reference], tooltip: `alembic upgrade ${file.revision}` }),
      new vscode.CodeLens(range, { title: 'Downgrade to here', command: 'alembicWorkbench.downgradeToRevision', arguments: [reference], tooltip: `alembic downgrade ${file.revision}` }),
      new vscode.CodeLens(range, { title: 'Show SQL', command: 'alembicWorkbench.showSql', arguments: [reference], tooltip: `The SQL of ${file.revision} (alembic upgrade <parent>:${file.revision} --sql)` }),
    );
    return lenses;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

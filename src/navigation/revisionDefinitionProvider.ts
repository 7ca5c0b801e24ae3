// Go to Definition on a revision id (down_revision, depends_on, the docstring's "Revises:" and
// "Revision ID:" lines, branch labels): opens the file of the revision it names at its
// `revision = '...'`. On a file's own `revision` id it points at itself, which makes VS Code show
// the references instead (editor.gotoLocation.alternativeDefinitionCommand).
import * as vscode from 'vscode';
import { findDefinition, referenceAt } from '../core/revisions/revisionNavigation';
import { toRange } from '../diagnostics/findingConversion';
import type { Workbench } from '../workbench';
import type { CurrentRevisionFiles } from './currentRevisionFiles';

export class RevisionDefinitionProvider implements vscode.DefinitionProvider {
  constructor(
    private readonly workbench: Workbench,
    private readonly currentFiles: CurrentRevisionFiles,
  ) {}

  provideDefinition(document: vscode.TextDocument, position: vscode.Position): vscode.LocationLink[] | undefined {
    const project = this.workbench.projects.projectForFile(document.uri.fsPath);
    if (!project) return undefined;
    const file = this.currentFiles.fileFor(document);
    const reference = referenceAt(file, { line: position.line, column: position.character });
    if (!reference) return undefined;
    const site = findDefinition(project.model.graph, reference.id, this.currentFiles.currentFile);
    // A revision the graph doesn't know yet (a new file not saved): its own id is its definition.
    const target = site ?? (reference.kind === 'revision' ? { filePath: document.uri.fsPath, range: reference.range } : undefined);
    if (!target) return undefined;
    const targetUri = vscode.Uri.file(target.filePath);
    const targetFile = target.filePath === document.uri.fsPath ? file : this.currentFiles.currentFile(target.filePath) ?? project.model.fileAt(target.filePath);
    // The whole `revision = '...'` statement is what the peek view shows; the id is selected.
    const statement = targetFile?.assignments.revision?.range;
    return [
      {
        originSelectionRange: toRange(reference.range),
        targetUri,
        targetRange: toRange(statement && statement.start.line <= target.range.start.line && target.range.start.line <= statement.end.line ? statement : target.range),
        targetSelectionRange: toRange(target.range),
      },
    ];
  }
}

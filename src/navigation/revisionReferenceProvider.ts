// Find References on a revision id: every place that names the revision (its children's
// down_revision and "Revises:" lines, its dependents' depends_on), from the current text of open
// files and the project's files on disk.
import * as vscode from 'vscode';
import { findReferences, referenceAt } from '../core/revisions/revisionNavigation';
import { toRange } from '../diagnostics/findingConversion';
import type { Workbench } from '../workbench';
import type { CurrentRevisionFiles } from './currentRevisionFiles';

export class RevisionReferenceProvider implements vscode.ReferenceProvider {
  constructor(
    private readonly workbench: Workbench,
    private readonly currentFiles: CurrentRevisionFiles,
  ) {}

  provideReferences(document: vscode.TextDocument, position: vscode.Position, context: vscode.ReferenceContext): vscode.Location[] | undefined {
    const project = this.workbench.projects.projectForFile(document.uri.fsPath);
    if (!project) return undefined;
    const reference = referenceAt(this.currentFiles.fileFor(document), { line: position.line, column: position.character });
    if (!reference) return undefined;
    return findReferences(project.model.graph, reference.id, { includeDeclaration: context.includeDeclaration, currentFile: this.currentFiles.currentFile }).map(
      (site) => new vscode.Location(vscode.Uri.file(site.filePath), toRange(site.range)),
    );
  }
}

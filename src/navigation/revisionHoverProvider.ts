// Hover on a revision id: message, date, file, head/merge/branch markers, what the selected
// database has (when it was read), and the file's lint findings.
import * as vscode from 'vscode';
import { referenceAt, revisionNamed } from '../core/revisions/revisionNavigation';
import { lintControllerFor } from '../diagnostics/lintController';
import { toRange } from '../diagnostics/findingConversion';
import type { Workbench } from '../workbench';
import type { CurrentRevisionFiles } from './currentRevisionFiles';
import { escapeMarkdown } from '../core/util/markdown';
import { revisionHoverMarkdown } from './revisionHoverContent';

export class RevisionHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly workbench: Workbench,
    private readonly currentFiles: CurrentRevisionFiles,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const project = this.workbench.projects.projectForFile(document.uri.fsPath);
    if (!project) return undefined;
    const reference = referenceAt(this.currentFiles.fileFor(document), { line: position.line, column: position.character });
    if (!reference) return undefined;
    const node = revisionNamed(project.model.graph, reference.id);
    if (!node) {
      if (reference.kind === 'revision') return undefined;
      const text = `**\`${escapeMarkdown(reference.id)}\`**: no revision file of ${escapeMarkdown(project.label)} defines this ${reference.kind === 'branch_label' ? 'branch label' : 'revision'}.`;
      return new vscode.Hover(new vscode.MarkdownString(text), toRange(reference.range));
    }
    const status = this.workbench.database.statusFor(project.id);
    const state = status?.reachable ? status.states[node.id] : undefined;
    const fileUri = vscode.Uri.file(node.file.filePath);
    const revisionLine = node.file.references.find((candidate) => candidate.kind === 'revision')?.range.start.line;
    const markdown = revisionHoverMarkdown({
      node,
      fileLabel: vscode.workspace.asRelativePath(fileUri),
      fileLink: fileUri.with({ fragment: revisionLine === undefined ? '' : `L${revisionLine + 1}` }).toString(),
      database: status && state ? { state, targetName: status.targetName } : undefined,
      findings: lintControllerFor(this.workbench)?.findingCounts(node.file.filePath),
    });
    return new vscode.Hover(new vscode.MarkdownString(markdown), toRange(reference.range));
  }
}

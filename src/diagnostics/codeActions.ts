// Quick fixes for our diagnostics: the engine's own fix (name the constraint, create the index
// concurrently in an autocommit block, write the downgrade, wrap SQLite ALTERs in batch mode...),
// a suppression comment for the line or the file, and the rule's documentation. Every edit is
// computed on the document's current text (never on the text a diagnostic was published for).
import * as vscode from 'vscode';
import type { Finding } from '../core/lint/findings';
import { findRule } from '../core/lint/ruleCatalog';
import { ignoreInFileEdit, ignoreOnLineEdit } from '../core/lint/suppressionEdits';
import { diagnosticCode, toSourceRange, toWorkspaceEdit } from './findingConversion';
import type { LintController } from './lintController';

export const OPEN_RULE_DOCUMENTATION_COMMAND = 'alembicWorkbench.openRuleDocumentation';

/**
 * Fixes that change what the migration does in a way the author should weigh rather than accept by
 * reflex: AW107's NOT VALID + VALIDATE moves the validation out of the migration's transaction.
 */
const NOT_PREFERRED = new Set(['AW107']);

export class LintCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly controller: LintController) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const kind = vscode.CodeActionKind.QuickFix;
    if (context.only && !context.only.contains(kind)) return [];
    const ours = context.diagnostics.filter((diagnostic) => {
      const code = diagnosticCode(diagnostic);
      return code !== undefined && findRule(code) !== undefined;
    });
    if (ours.length === 0) return [];
    const findings = this.controller.findingsForDocument(document);
    const text = document.getText();
    const fixes: vscode.CodeAction[] = [];
    const suppressions: vscode.CodeAction[] = [];
    const docs: vscode.CodeAction[] = [];
    const titles = new Set<string>();
    const add = (list: vscode.CodeAction[], action: vscode.CodeAction) => {
      if (titles.has(action.title)) return;
      titles.add(action.title);
      list.push(action);
    };
    for (const diagnostic of ours) {
      const code = diagnosticCode(diagnostic) as string;
      const finding = matchingFinding(findings, code, diagnostic.range);
      if (finding?.fix && finding.fix.edits.length > 0) {
        const action = new vscode.CodeAction(finding.fix.title, kind);
        action.edit = toWorkspaceEdit(document.uri, finding.fix.edits);
        action.diagnostics = [diagnostic];
        action.isPreferred = !NOT_PREFERRED.has(code);
        add(fixes, action);
      }
      const range = finding?.range ?? toSourceRange(diagnostic.range);
      const lineEdit = ignoreOnLineEdit(text, code, range);
      if (lineEdit) {
        const action = new vscode.CodeAction(`Ignore ${code} for this line`, kind);
        action.edit = toWorkspaceEdit(document.uri, [lineEdit]);
        action.diagnostics = [diagnostic];
        add(suppressions, action);
      }
      const fileEdit = ignoreInFileEdit(text, code);
      if (fileEdit) {
        const action = new vscode.CodeAction(`Ignore ${code} in this file`, kind);
        action.edit = toWorkspaceEdit(document.uri, [fileEdit]);
        action.diagnostics = [diagnostic];
        add(suppressions, action);
      }
      const rule = findRule(code);
      const action = new vscode.CodeAction(`Show documentation for ${code} (${rule?.name ?? code})`, kind);
      action.command = { command: OPEN_RULE_DOCUMENTATION_COMMAND, title: action.title, arguments: [code] };
      add(docs, action);
    }
    // Real fixes first, then the ways to silence a finding, then reading about it.
    return [...fixes, ...suppressions, ...docs];
  }
}

/**
 * The finding behind a diagnostic: same code and start, else same code on the same line (the text
 * above may have changed since it was published), else the same code anywhere on its lines.
 */
function matchingFinding(findings: readonly Finding[], code: string, range: vscode.Range): Finding | undefined {
  const candidates = findings.filter((finding) => finding.code === code);
  return (
    candidates.find((finding) => finding.range.start.line === range.start.line && finding.range.start.column === range.start.character) ??
    candidates.find((finding) => finding.range.start.line === range.start.line) ??
    candidates.find((finding) => finding.range.start.line <= range.end.line && finding.range.end.line >= range.start.line)
  );
}

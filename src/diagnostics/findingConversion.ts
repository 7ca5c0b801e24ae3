// Lint findings (plain data from src/core/lint) -> VS Code diagnostics and edits. Conversion only:
// what a finding says and where is decided by the engine.
import * as vscode from 'vscode';
import type { ConfigProblem, Finding, Severity, TextEdit } from '../core/lint/findings';
import { findRule } from '../core/lint/ruleCatalog';
import type { SourceRange } from '../core/python/pythonSource';

export const DIAGNOSTIC_SOURCE = 'alembic-workbench';

const SEVERITIES: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.column, range.end.line, range.end.column);
}

export function toSourceRange(range: vscode.Range): SourceRange {
  return { start: { line: range.start.line, column: range.start.character }, end: { line: range.end.line, column: range.end.character } };
}

/**
 * The rule's documentation page as shipped inside the extension (docs/ is in the VSIX). A file
 * inside the extension opens in an editor tab in VS Code and in code-server alike (the remote host
 * maps the URI), works offline, and always matches the installed version; a repository URL would
 * need a network and a published repository.
 */
export function ruleDocsUri(extensionUri: vscode.Uri, code: string): vscode.Uri | undefined {
  const rule = findRule(code);
  return rule ? vscode.Uri.joinPath(extensionUri, rule.docsPath) : undefined;
}

export interface DiagnosticOptions {
  extensionUri: vscode.Uri;
  /** Replaces the finding's message (e.g. with a table-size note added). */
  message?: string;
}

export function findingToDiagnostic(finding: Finding, options: DiagnosticOptions): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(finding.range), options.message ?? finding.message, SEVERITIES[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  const target = ruleDocsUri(options.extensionUri, finding.code);
  diagnostic.code = target ? { value: finding.code, target } : finding.code;
  if (finding.related && finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map(
      (related) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(related.filePath ?? finding.filePath), toRange(related.range)), related.message),
    );
  }
  return diagnostic;
}

/** A configuration or suppression-comment problem: reported where it is written, never silently ignored. */
export function configProblemToDiagnostic(problem: ConfigProblem): vscode.Diagnostic {
  const severity = problem.kind === 'suppression' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error;
  const diagnostic = new vscode.Diagnostic(toRange(problem.range), problem.message, severity);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = problem.kind === 'suppression' ? 'suppression-comment' : problem.kind === 'config' ? 'lint-config' : 'internal';
  return diagnostic;
}

/** The code value of one of our diagnostics (`AW101`), or undefined for anyone else's. */
export function diagnosticCode(diagnostic: vscode.Diagnostic): string | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = diagnostic.code;
  if (typeof code === 'string' || typeof code === 'number') return String(code);
  return code ? String(code.value) : undefined;
}

export function toWorkspaceEdit(uri: vscode.Uri, edits: readonly TextEdit[], edit = new vscode.WorkspaceEdit()): vscode.WorkspaceEdit {
  for (const textEdit of edits) edit.replace(uri, toRange(textEdit.range), textEdit.newText);
  return edit;
}

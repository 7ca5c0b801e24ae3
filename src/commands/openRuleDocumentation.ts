// Opens a lint rule's documentation page (shipped in the extension under docs/rules/) as a rendered
// Markdown preview; from the palette it asks which rule. The quick fix "Show documentation for
// AW101" and links from the Problems panel end up here or at the same file.
import * as vscode from 'vscode';
import { findRule, LINT_RULES } from '../core/lint/ruleCatalog';
import { ruleDocsUri } from '../diagnostics/findingConversion';
import type { CommandDefinition } from './commandTable';

export const openRuleDocumentationCommand: CommandDefinition = {
  id: 'alembicWorkbench.openRuleDocumentation',
  create: (workbench) => async (codeOrName?: unknown) => {
    let rule = typeof codeOrName === 'string' ? findRule(codeOrName) : undefined;
    if (!rule) {
      const picked = await vscode.window.showQuickPick(
        LINT_RULES.map((candidate) => ({ label: `${candidate.code} ${candidate.name}`, detail: candidate.summary, rule: candidate })),
        { placeHolder: 'Which lint rule?', matchOnDetail: true },
      );
      rule = picked?.rule;
    }
    if (!rule) return undefined;
    const uri = ruleDocsUri(workbench.extensionContext.extensionUri, rule.code);
    if (!uri) return undefined;
    // The built-in Markdown extension renders it; without it (disabled), the file opens as text.
    const commands = await vscode.commands.getCommands(true);
    if (commands.includes('markdown.showPreview')) await vscode.commands.executeCommand('markdown.showPreview', uri);
    else await vscode.commands.executeCommand('vscode.open', uri);
    return uri;
  },
};

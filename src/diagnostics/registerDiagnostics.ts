// Live lint, project diagnostics and quick fixes for revision files.
import * as vscode from 'vscode';
import { REVISION_FILE_SELECTOR } from '../navigation/registerNavigation';
import type { Workbench } from '../workbench';
import { LintCodeActionProvider } from './codeActions';
import { LintController } from './lintController';

export function registerDiagnostics(workbench: Workbench): LintController {
  const controller = new LintController(workbench);
  workbench.track(controller, vscode.languages.registerCodeActionsProvider(REVISION_FILE_SELECTOR, new LintCodeActionProvider(controller), LintCodeActionProvider.metadata));
  // Documents already open at activation: lint them once the projects are known.
  void workbench.projects.ready().then(() => controller.start());
  return controller;
}

// Navigation over revision ids in revision files: definition, references, hover, CodeLens.
// No DocumentLinkProvider: Go to Definition already makes every id Ctrl+click-able, and links
// would underline the same ids a second time.
import * as vscode from 'vscode';
import type { Workbench } from '../workbench';
import { CurrentRevisionFiles } from './currentRevisionFiles';
import { RevisionCodeLensProvider } from './revisionCodeLensProvider';
import { RevisionDefinitionProvider } from './revisionDefinitionProvider';
import { RevisionHoverProvider } from './revisionHoverProvider';
import { RevisionReferenceProvider } from './revisionReferenceProvider';

/** Python files on disk; each provider then answers only for revision files of a project. */
export const REVISION_FILE_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', language: 'python' },
  { scheme: 'file', pattern: '**/*.py' },
];

export function registerNavigation(workbench: Workbench): void {
  const currentFiles = new CurrentRevisionFiles();
  const codeLenses = new RevisionCodeLensProvider(workbench, currentFiles);
  workbench.track(
    currentFiles,
    codeLenses,
    vscode.languages.registerDefinitionProvider(REVISION_FILE_SELECTOR, new RevisionDefinitionProvider(workbench, currentFiles)),
    vscode.languages.registerReferenceProvider(REVISION_FILE_SELECTOR, new RevisionReferenceProvider(workbench, currentFiles)),
    vscode.languages.registerHoverProvider(REVISION_FILE_SELECTOR, new RevisionHoverProvider(workbench, currentFiles)),
    vscode.languages.registerCodeLensProvider(REVISION_FILE_SELECTOR, codeLenses),
  );
}

// Composition only: build the context, register features. (Filled in by the extension issue.)
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}

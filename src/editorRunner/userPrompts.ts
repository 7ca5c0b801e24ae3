// Every question the Alembic commands ask and every message they show goes through CommandPrompts.
// The extension uses VS Code's own input box, quick pick, notifications and modal dialogs; the
// extension tests put a scripted implementation on `workbench.runners.prompts` to answer them
// (the UI walk drives the real ones with a browser).
import * as vscode from 'vscode';

export type MessageSeverity = 'info' | 'warning' | 'error';

export interface MessageOptions {
  /** A modal dialog: blocks until answered, so the caller may await it. */
  modal?: boolean;
  /** The dialog's second paragraph (modal only: notifications have no room for it). */
  detail?: string;
}

export interface CommandPrompts {
  inputBox(options: vscode.InputBoxOptions): Promise<string | undefined>;
  pickOne<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined>;
  pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<readonly T[] | undefined>;
  /**
   * Shows a message; resolves with the button chosen (undefined: dismissed). Never await a
   * non-modal one on a command's path: a notification left unanswered never resolves.
   */
  message(severity: MessageSeverity, text: string, options: MessageOptions, ...buttons: string[]): Promise<string | undefined>;
}

export class VsCodePrompts implements CommandPrompts {
  async inputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    return vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  }

  async pickOne<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined> {
    return vscode.window.showQuickPick([...items], { ignoreFocusOut: true, ...options, canPickMany: false });
  }

  async pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<readonly T[] | undefined> {
    return vscode.window.showQuickPick([...items], { ignoreFocusOut: true, ...options, canPickMany: true });
  }

  async message(severity: MessageSeverity, text: string, options: MessageOptions, ...buttons: string[]): Promise<string | undefined> {
    const show =
      severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const messageOptions: vscode.MessageOptions = options.modal ? { modal: true, detail: options.detail } : {};
    return show(text, messageOptions, ...buttons);
  }
}

// The output channel "Alembic Workbench", wrapped so nothing we log can carry a password: Alembic's
// output, database errors and command lines all pass through maskSecrets first.
import * as vscode from 'vscode';
import { maskSecrets } from './core/util/maskSecrets';

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor(name = 'Alembic Workbench') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  info(message: string): void {
    this.channel.info(maskSecrets(message));
  }

  warn(message: string): void {
    this.channel.warn(maskSecrets(message));
  }

  error(message: string | Error): void {
    this.channel.error(maskSecrets(message instanceof Error ? (message.stack ?? message.message) : message));
  }

  debug(message: string): void {
    this.channel.debug(maskSecrets(message));
  }

  /** A raw line of a process's output (already masked by the runner; masked again to be safe). */
  appendProcessLine(line: string): void {
    this.channel.appendLine(maskSecrets(line));
  }

  show(preserveFocus = true): void {
    this.channel.show(preserveFocus);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

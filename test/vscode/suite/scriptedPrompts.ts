// Answers the Alembic commands' questions inside the real extension host, the way a user would,
// and records every question and message: put on `workbench.runners.prompts` (the commands' one
// seam for talking to the user). The UI walk drives the real input boxes and dialogs instead.
// An input box answer is checked against the box's own validation first: a value the user could
// not have submitted counts as pressing Escape.
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { CommandPrompts, MessageOptions, MessageSeverity } from '../../../src/editorRunner/userPrompts';
import type { Workbench } from '../../../src/workbench';
import { harnessLog } from './consoleBridge';
import { waitFor } from '../../support/waitFor';

export type PromptKind = 'inputBox' | 'pickOne' | 'pickMany' | 'message';

export interface RecordedPrompt {
  kind: PromptKind;
  /** Input box: title + prompt; pick: placeholder; message: its text. */
  text: string;
  severity?: MessageSeverity;
  modal?: boolean;
  detail?: string;
  /** Message buttons, or the labels of the items offered. */
  choices: string[];
  /** What was answered (undefined: dismissed / Escape). */
  answer?: unknown;
  /** An input box value its validation refused. */
  refused?: string;
}

/** A label, or for pickMany `'all picked'` (accept the preselection). */
type Answer = string | string[] | 'all picked' | undefined;

interface Expectation {
  kind: PromptKind;
  matching: RegExp;
  answer: Answer;
}

export class ScriptedPrompts implements CommandPrompts {
  readonly recorded: RecordedPrompt[] = [];
  private readonly expectations: Expectation[] = [];

  /** The next prompt of this kind whose text matches gets this answer (once). */
  answer(kind: PromptKind, matching: RegExp, answer: Answer): this {
    this.expectations.push({ kind, matching, answer });
    return this;
  }

  /** Answers nobody asked for yet: a test that scripted a question expects it to be asked. */
  get unused(): string[] {
    return this.expectations.map((expectation) => `${expectation.kind} ${expectation.matching}`);
  }

  clear(): void {
    this.recorded.length = 0;
    this.expectations.length = 0;
  }

  messages(severity?: MessageSeverity): RecordedPrompt[] {
    return this.recorded.filter((prompt) => prompt.kind === 'message' && (!severity || prompt.severity === severity));
  }

  /** Waits for a message (non-modal ones arrive after the command returned). */
  waitForMessage(matching: RegExp, timeoutMs = 10_000): Promise<RecordedPrompt> {
    return waitFor(`a message matching ${matching}`, () => this.messages().find((prompt) => matching.test(prompt.text)), { timeoutMs });
  }

  private take(kind: PromptKind, text: string): Expectation | undefined {
    const index = this.expectations.findIndex((expectation) => expectation.kind === kind && expectation.matching.test(text));
    return index < 0 ? undefined : this.expectations.splice(index, 1)[0];
  }

  async inputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const text = [options.title, options.prompt].filter(Boolean).join(' | ');
    const expectation = this.take('inputBox', text);
    const record: RecordedPrompt = { kind: 'inputBox', text, choices: options.value === undefined ? [] : [options.value] };
    this.recorded.push(record);
    const value = typeof expectation?.answer === 'string' ? expectation.answer : undefined;
    if (value === undefined) return undefined;
    const problem = await options.validateInput?.(value);
    if (problem) {
      record.refused = value;
      return undefined;
    }
    record.answer = value;
    return value;
  }

  async pickOne<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined> {
    const text = options.placeHolder ?? options.title ?? '';
    const expectation = this.take('pickOne', text);
    const chosen = typeof expectation?.answer === 'string' ? items.find((item) => item.label === expectation.answer || item.label.endsWith(` ${expectation.answer}`)) : undefined;
    this.recorded.push({ kind: 'pickOne', text, choices: items.map((item) => item.label), answer: chosen?.label });
    return chosen;
  }

  async pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<readonly T[] | undefined> {
    const text = options.placeHolder ?? options.title ?? '';
    const expectation = this.take('pickMany', text);
    let chosen: T[] | undefined;
    if (expectation?.answer === 'all picked') chosen = items.filter((item) => item.picked);
    else if (Array.isArray(expectation?.answer)) chosen = items.filter((item) => (expectation.answer as string[]).includes(item.label));
    this.recorded.push({ kind: 'pickMany', text, choices: items.map((item) => item.label), answer: chosen?.map((item) => item.label) });
    return chosen;
  }

  async message(severity: MessageSeverity, text: string, options: MessageOptions, ...buttons: string[]): Promise<string | undefined> {
    const expectation = this.take('message', text);
    const answer = typeof expectation?.answer === 'string' && buttons.includes(expectation.answer) ? expectation.answer : undefined;
    this.recorded.push({ kind: 'message', text, severity, modal: options.modal === true, detail: options.detail, choices: buttons, answer });
    return answer;
  }
}

/**
 * ScriptedPrompts for a whole suite: put on `workbench().runners.prompts` (call it after the
 * suiteSetup that activates the extension), cleared before each test, checked after each (every
 * scripted answer was asked for; a failed test logs what it was asked), and the extension's own
 * prompts put back when the suite ends.
 */
export function scriptPromptsInSuite(workbench: () => Workbench): ScriptedPrompts {
  const prompts = new ScriptedPrompts();
  let original: Workbench['runners']['prompts'] | undefined;
  suiteSetup(() => {
    original = workbench().runners.prompts;
    workbench().runners.prompts = prompts;
  });
  setup(() => prompts.clear());
  teardown(function () {
    if (this.currentTest?.state === 'failed') harnessLog('prompts of the failed test: %j', prompts.recorded);
    assert.deepEqual(prompts.unused, [], 'a scripted answer was never asked for');
  });
  suiteTeardown(() => {
    if (original) workbench().runners.prompts = original;
  });
  return prompts;
}

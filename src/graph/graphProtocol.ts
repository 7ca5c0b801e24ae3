// The messages between the Revision Graph webview and the extension, in one typed module that both
// sides import (no vscode, no DOM). The webview is untrusted input: the host accepts a message only
// through parseWebviewMessage, which checks every field and drops anything else.
import type { GraphScene } from '../core/revisions/graphScene';

export type CardState = 'applied' | 'current' | 'pending' | 'unknown';

/** The database for the selected target, as the cards show it. */
export interface GraphDatabaseState {
  targetName: string;
  /** One line: "at 12a9efe (head)", "unreachable: ...". */
  message: string;
  states: Record<string, CardState>;
}

export interface LintCounts {
  error: number;
  warning: number;
}

export interface GraphSceneMessage {
  type: 'scene';
  projectLabel: string;
  scene: GraphScene;
  /** Full id -> the shortest unambiguous prefix (at least 7 characters for hex ids). */
  shortIds: Record<string, string>;
  /** Restricted Mode: no action that runs Alembic or edits a file. */
  readOnly: boolean;
}

export interface GraphDecorationsMessage {
  type: 'decorations';
  database?: GraphDatabaseState;
  lint: Record<string, LintCounts>;
}

export interface GraphFocusMessage {
  type: 'focus';
  revision: string;
}

export type HostMessage = GraphSceneMessage | GraphDecorationsMessage | GraphFocusMessage;

/** What a card's menu (or its keyboard shortcut) asks the extension to do with its revision. */
export const CARD_ACTIONS = ['open', 'upgrade', 'downgrade', 'showSql', 'copyId', 'showFindings', 'repoint'] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];
/** Actions that run Alembic or change a file: not offered in Restricted Mode, refused if asked. */
export const WRITING_ACTIONS: ReadonlySet<CardAction> = new Set(['upgrade', 'downgrade', 'showSql', 'repoint']);

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'cardAction'; action: CardAction; revision: string; /** For `repoint`: the missing id to replace. */ missing?: string }
  | { type: 'mergeHeads' };

/** Longer than any revision id or branch label anyone writes; keeps a hostile message small. */
const MAX_ID_LENGTH = 200;

function isId(value: unknown): value is string {
  // Revision ids are free text in Alembic, but never empty, multi-line or huge.
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH && !/[\r\n\0]/.test(value);
}

export class InvalidWebviewMessageError extends Error {
  constructor(reason: string) {
    super(`Ignored a message from the Revision Graph: ${reason}`);
    this.name = 'InvalidWebviewMessageError';
  }
}

/** The message, checked field by field; throws InvalidWebviewMessageError for anything else. */
export function parseWebviewMessage(value: unknown): WebviewMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidWebviewMessageError('not an object');
  const message = value as Record<string, unknown>;
  const keys = Object.keys(message);
  const only = (...allowed: string[]) => {
    const extra = keys.filter((key) => !allowed.includes(key));
    if (extra.length > 0) throw new InvalidWebviewMessageError(`unexpected field ${extra.map((key) => `'${key.slice(0, 40)}'`).join(', ')}`);
  };
  switch (message.type) {
    case 'ready':
      only('type');
      return { type: 'ready' };
    case 'mergeHeads':
      only('type');
      return { type: 'mergeHeads' };
    case 'cardAction': {
      only('type', 'action', 'revision', 'missing');
      const action = message.action;
      if (typeof action !== 'string' || !(CARD_ACTIONS as readonly string[]).includes(action)) throw new InvalidWebviewMessageError('unknown card action');
      if (!isId(message.revision)) throw new InvalidWebviewMessageError('the revision is not a revision id');
      if (action === 'repoint') {
        if (!isId(message.missing)) throw new InvalidWebviewMessageError('repoint needs the missing id');
        return { type: 'cardAction', action, revision: message.revision, missing: message.missing };
      }
      if (message.missing !== undefined) throw new InvalidWebviewMessageError(`'missing' only goes with repoint`);
      return { type: 'cardAction', action: action as CardAction, revision: message.revision };
    }
    default:
      throw new InvalidWebviewMessageError(`unknown message type ${JSON.stringify(String(message.type)).slice(0, 60)}`);
  }
}

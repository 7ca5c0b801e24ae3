import assert from 'node:assert/strict';
import { CARD_ACTIONS, InvalidWebviewMessageError, parseWebviewMessage } from '../../../src/graph/graphProtocol';

describe('Revision Graph message protocol (graphProtocol.ts)', () => {
  it('accepts every well-formed message, as a fresh object', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'mergeHeads' }), { type: 'mergeHeads' });
    assert.deepEqual(parseWebviewMessage({ type: 'shown', version: 3, selected: 'e91f4c6b0a38', scrollTop: 128.5 }), { type: 'shown', version: 3, selected: 'e91f4c6b0a38', scrollTop: 128.5 });
    assert.deepEqual(parseWebviewMessage({ type: 'shown', version: 0, scrollTop: 0 }), { type: 'shown', version: 0, scrollTop: 0 });
    for (const action of CARD_ACTIONS.filter((name) => name !== 'repoint')) {
      assert.deepEqual(parseWebviewMessage({ type: 'cardAction', action, revision: 'e91f4c6b0a38' }), { type: 'cardAction', action, revision: 'e91f4c6b0a38' });
    }
    assert.deepEqual(parseWebviewMessage({ type: 'cardAction', action: 'repoint', revision: 'a1', missing: 'gone' }), {
      type: 'cardAction',
      action: 'repoint',
      revision: 'a1',
      missing: 'gone',
    });
  });

  const refused: Array<[string, unknown, RegExp]> = [
    ['null', null, /not an object/],
    ['a string', 'ready', /not an object/],
    ['an array', [{ type: 'ready' }], /not an object/],
    ['an unknown type', { type: 'runShell', command: 'rm -rf /' }, /unknown message type/],
    ['an unknown action', { type: 'cardAction', action: 'stamp', revision: 'a1' }, /unknown card action/],
    ['an action inherited from Object', { type: 'cardAction', action: 'toString', revision: 'a1' }, /unknown card action/],
    ['a missing revision', { type: 'cardAction', action: 'open' }, /not a revision id/],
    ['a numeric revision', { type: 'cardAction', action: 'open', revision: 12 }, /not a revision id/],
    ['an empty revision', { type: 'cardAction', action: 'open', revision: '' }, /not a revision id/],
    ['a multi-line revision', { type: 'cardAction', action: 'open', revision: 'a1\nb2' }, /not a revision id/],
    ['a huge revision', { type: 'cardAction', action: 'open', revision: 'a'.repeat(201) }, /not a revision id/],
    ['repoint without the missing id', { type: 'cardAction', action: 'repoint', revision: 'a1' }, /needs the missing id/],
    ['missing on another action', { type: 'cardAction', action: 'open', revision: 'a1', missing: 'x' }, /only goes with repoint/],
    ['an extra field', { type: 'cardAction', action: 'open', revision: 'a1', command: 'x' }, /unexpected field 'command'/],
    ['an extra field on ready', { type: 'ready', html: '<script>' }, /unexpected field 'html'/],
    ['shown without a version', { type: 'shown', scrollTop: 0 }, /version is not a count/],
    ['shown with a fractional version', { type: 'shown', version: 1.5, scrollTop: 0 }, /version is not a count/],
    ['shown with a negative scroll position', { type: 'shown', version: 1, scrollTop: -1 }, /scroll position/],
    ['shown with a selection that is no id', { type: 'shown', version: 1, scrollTop: 0, selected: 'a\nb' }, /selection is not a revision id/],
  ];
  for (const [what, message, reason] of refused) {
    it(`refuses ${what}`, () => {
      assert.throws(
        () => parseWebviewMessage(message),
        (error: unknown) => error instanceof InvalidWebviewMessageError && reason.test(error.message),
      );
    });
  }
});

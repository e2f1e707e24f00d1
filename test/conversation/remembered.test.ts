/**
 * A turn remembers what it computed before (transitions, what a short message means at a step, client
 * variables, buttons). Remembering must never change an answer: the same turn with a TurnDeps that has
 * remembered everything (asked twice) and with a fresh one (remembers nothing) must be identical, at every
 * step, for every OS the customer may have named, for the messages customers type most.
 */
import { describe, expect, it } from 'vitest';
import { startConversation, takeTurn, type ConversationRecord } from '../../src/conversation/turn.ts';
import { testDeps } from '../support/turns.ts';
import { deepFreeze } from '../../src/flow/deep-freeze.ts';

const TEXTS = ['はい', 'いいえ', 'わからない', 'Outlook', 'thunderbird', 'iPhone', 'Windows', 'Mac', 'restart', '戻る', '最初から', 'English', 'ポート25', 'taro@owari.ne.jp', '？'];
const OSES = [undefined, 'windows', 'mac', 'smartphone'] as const;

describe('remembered turn computations', () => {
  it('answer exactly as a turn that remembers nothing, at every step, for every OS, asked twice', () => {
    const remembering = testDeps();
    const start = startConversation(remembering, 'ja', 'OW-TEST-00').record;
    let compared = 0;
    for (let round = 0; round < 2; round++) {
      for (const step of Object.keys(remembering.bundle.flow.states)) {
        for (const os of OSES) {
          const stored: ConversationRecord = { ...start, step, context: { trail: [], ...(os ? { os } : {}) } };
          for (const text of TEXTS) {
            const fresh = takeTurn(testDeps(), stored, text);
            expect(takeTurn(remembering, stored, text), `${step} (${os ?? 'no OS'}) ← ${text}`).toEqual(fresh);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('answer exactly as a turn that remembers nothing when the turn starts from a stored record (frozen, its context shared)', () => {
    // As in the store: the record a turn wrote is frozen, and its context is the remembered transition's own.
    const remembering = testDeps();
    const start = startConversation(remembering, 'ja', 'OW-TEST-00').record;
    const then = ['はい', 'いいえ', 'restart', '戻る', '？', 'Outlook'];
    let compared = 0;
    for (let round = 0; round < 2; round++) {
      for (const step of Object.keys(remembering.bundle.flow.states)) {
        for (const os of OSES) {
          const stored: ConversationRecord = { ...start, step, context: { trail: [], ...(os ? { os } : {}) } };
          for (const text of TEXTS) {
            const written = deepFreeze(takeTurn(remembering, stored, text).record);
            for (const next of then) {
              const fresh = takeTurn(testDeps(), written, next);
              expect(takeTurn(remembering, written, next), `${step} (${os ?? 'no OS'}) ← ${text} ← ${next}`).toEqual(fresh);
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(3000);
  });
});

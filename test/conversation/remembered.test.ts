/**
 * A turn remembers what it computed before (transitions, what a short message means at a step, rendered
 * steps). Remembering must never change an answer: the same turn with a TurnDeps that has remembered
 * everything (asked twice) and with a fresh one (remembers nothing) must be identical, at every step, for
 * every OS the customer may have named, for the messages customers type most.
 */
import { describe, expect, it } from 'vitest';
import { startConversation, takeTurn, type ConversationRecord, type TurnDeps } from '../../src/conversation/turn.ts';
import { testDeps } from '../support/turns.ts';
import { deepFreeze } from '../support/deep-freeze.ts';

const TEXTS = ['はい', 'いいえ', 'わからない', 'Outlook', 'thunderbird', 'iPhone', 'Windows', 'Mac', 'restart', '戻る', '最初から', 'English', 'ポート25', 'taro@owari.ne.jp', '？'];
const OSES = [undefined, 'windows', 'mac', 'smartphone'] as const;

/** Twice over (the second time everything is remembered): a conversation stored at every step, for every OS, and each text typed there. */
function* everyStoredTurn(remembering: TurnDeps): Generator<{ label: string; stored: ConversationRecord; text: string }> {
  const start = startConversation(remembering, 'ja', 'OW-TEST-00').record;
  for (let round = 0; round < 2; round++) {
    for (const step of Object.keys(remembering.bundle.flow.states)) {
      for (const os of OSES) {
        const stored: ConversationRecord = { ...start, step, context: { trail: [], ...(os ? { os } : {}) } };
        for (const text of TEXTS) yield { label: `${step} (${os ?? 'no OS'}) ← ${text}`, stored, text };
      }
    }
  }
}

describe('remembered turn computations', () => {
  it('answer exactly as a turn that remembers nothing, at every step, for every OS, asked twice', () => {
    const remembering = testDeps();
    let compared = 0;
    for (const { label, stored, text } of everyStoredTurn(remembering)) {
      expect(takeTurn(remembering, stored, text), label).toEqual(takeTurn(testDeps(), stored, text));
      compared++;
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('answer exactly as a turn that remembers nothing when the turn starts from a stored record, and never change it', () => {
    // The record a turn wrote, as the store hands it on: its context is the remembered transition's own, shared
    // with other conversations. Frozen here, so a turn that changed what it was given would throw.
    const remembering = testDeps();
    const then = ['はい', 'いいえ', 'restart', '戻る', '？', 'Outlook'];
    let compared = 0;
    for (const { label, stored, text } of everyStoredTurn(remembering)) {
      const written = deepFreeze(takeTurn(remembering, stored, text).record);
      for (const next of then) {
        expect(takeTurn(remembering, written, next), `${label} ← ${next}`).toEqual(takeTurn(testDeps(), written, next));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(3000);
  });
});

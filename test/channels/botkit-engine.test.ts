/**
 * The Botkit engine (src/channels/botkit/engine.ts) runs each validated turn through Botkit and returns the turn's
 * replies; a handler's failure becomes the error replies.
 */
import { describe, expect, it } from 'vitest';
import { createBotkitEngine } from '../../src/channels/botkit/engine.ts';
import type { EngineTurn } from '../../src/channels/turn-engine.ts';

describe('the Botkit engine', () => {
  it('answers each turn with its handler’s replies, and a failing handler with the error replies', async () => {
    const seen: EngineTurn[] = [];
    const engine = createBotkitEngine(
      async (turn) => {
        seen.push(turn);
        if (turn.kind === 'message' && turn.text === 'fail') throw new Error('handler failed');
        return [{ type: 'message', text: `${turn.kind} answered` }];
      },
      () => [{ type: 'error', code: 'internal', text: 'sorry' }],
    );
    try {
      expect(await engine.run({ kind: 'start', conversationId: 'c1', lang: 'ja' })).toEqual([{ type: 'message', text: 'start answered' }]);
      expect(await engine.run({ kind: 'message', conversationId: 'c1', text: 'はい' })).toEqual([{ type: 'message', text: 'message answered' }]);
      expect(await engine.run({ kind: 'message', conversationId: 'c1', text: 'fail' })).toEqual([{ type: 'error', code: 'internal', text: 'sorry' }]);
      expect(seen.map((t) => t.kind)).toEqual(['start', 'message', 'message']);
    } finally {
      await engine.shutdown();
    }
  });
});

/**
 * The Botkit engine (src/channels/botkit/engine.ts) runs each validated turn through Botkit and returns the turn's
 * replies; a handler's failure becomes the error replies. Botkit's dialog state is never loaded, so its storage is
 * never used.
 */
import { MemoryStorage } from 'botbuilder';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBotkitEngine } from '../../src/channels/botkit/engine.ts';
import type { EngineTurn } from '../../src/channels/turn-engine.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the Botkit engine', () => {
  it("never reads or writes Botkit's storage (its default, in memory): no dialog state is loaded in a turn", async () => {
    const read = vi.spyOn(MemoryStorage.prototype, 'read');
    const write = vi.spyOn(MemoryStorage.prototype, 'write');
    const engine = createBotkitEngine(async () => [{ type: 'message', text: 'ok' }], () => []);
    try {
      for (const text of ['はい', 'いいえ']) expect(await engine.run({ kind: 'message', conversationId: 'c1', text })).toEqual([{ type: 'message', text: 'ok' }]);
      expect(read).not.toHaveBeenCalled();
      expect(write).not.toHaveBeenCalled();
    } finally {
      await engine.shutdown();
    }
  });

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

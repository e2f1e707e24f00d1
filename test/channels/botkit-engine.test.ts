/**
 * The Botkit engine (src/channels/botkit.ts) runs each validated turn through Botkit and returns the turn's
 * replies; what it trims from Botkit's turn changes nothing Botkit's own code would do. Here: an empty
 * middleware chain calls back exactly as `ware` does, and a chain with middleware still runs it.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { callBackWhenEmpty, createBotkitEngine, type EngineTurn, type MiddlewareChain } from '../../src/channels/botkit.ts';

/** Botkit's own middleware chain class (the `ware` package, as Botkit resolves it). */
const Ware = createRequire(createRequire(import.meta.url).resolve('botkit'))('ware') as new () => unknown;
type Middleware = (bot: unknown, message: { text: string }, next: (error?: Error) => void) => void;
const chain = () => new Ware() as MiddlewareChain & { use(fn: Middleware): void };

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

  it('an empty middleware chain calls back at once with the arguments, as ware does', () => {
    const calls: unknown[][] = [];
    for (const wrapped of [false, true]) {
      const ware = chain();
      if (wrapped) callBackWhenEmpty(ware);
      let synchronous = false;
      ware.run('bot', { text: 'hi' }, (...results: unknown[]) => {
        calls.push(results);
        synchronous = true;
      });
      expect(synchronous).toBe(true);
    }
    expect(calls[1]).toEqual(calls[0]);
    expect(calls[0]).toEqual([null, 'bot', { text: 'hi' }]);
  });

  it('a chain someone adds middleware to still runs it, and its error reaches the callback', () => {
    const ware = chain();
    callBackWhenEmpty(ware);
    ware.use((bot: unknown, message: { text: string }, next: (error?: Error) => void) => {
      message.text += ' (seen by middleware)';
      next(message.text.startsWith('fail') ? new Error('refused') : undefined);
    });
    const results: unknown[][] = [];
    ware.run('bot', { text: 'hi' }, (...r: unknown[]) => results.push(r));
    ware.run('bot', { text: 'fail' }, (...r: unknown[]) => results.push(r));
    expect(results[0]).toEqual([null, 'bot', { text: 'hi (seen by middleware)' }]);
    expect(results[1]![0]).toBeInstanceOf(Error);
  });
});

import { describe, expect, it } from 'vitest';
import { backoff, MAX_HISTORY, parseFrame, restore, save, socketUrl } from '../../src/widget/protocol.ts';

describe('parseFrame', () => {
  it('reads a bot message with quick replies, links, state and outcome', () => {
    const f = parseFrame(
      JSON.stringify({
        type: 'message',
        text: 'はい',
        quick_replies: [{ title: 'はい', payload: 'yes' }, { title: 'x' }, 5, null],
        links: [{ title: 'Thunderbird', url: 'https://owari.ne.jp/tb.html' }, { url: 7 }],
        state: 'settings',
        outcome: 'change-required-owari',
      }),
    );
    expect(f).toEqual({
      type: 'message',
      text: 'はい',
      quick_replies: [{ title: 'はい', payload: 'yes' }, { title: 'x', payload: 'x' }],
      links: [{ title: 'Thunderbird', url: 'https://owari.ne.jp/tb.html' }],
      state: 'settings',
      outcome: 'change-required-owari',
    });
  });

  it('returns null for junk and unknown types, never throws', () => {
    for (const d of ['', 'nope', '[]', 'null', '42', '{"type":"html","html":"<b>"}', '{"type":"session"}', undefined, {}]) {
      expect(parseFrame(d)).toBeNull();
    }
  });

  it('reads session, typing and error frames', () => {
    expect(parseFrame('{"type":"session","user":"abc"}')).toEqual({ type: 'session', user: 'abc' });
    expect(parseFrame('{"type":"typing"}')).toEqual({ type: 'typing' });
    expect(parseFrame('{"type":"error","code":"too_long","text":"長すぎます"}')).toEqual({
      type: 'error',
      code: 'too_long',
      text: '長すぎます',
    });
  });

  it('coerces a message with a non-string text to empty text', () => {
    expect(parseFrame('{"type":"message","text":{"x":1}}')).toMatchObject({ type: 'message', text: '' });
  });
});

describe('restore / save', () => {
  it('round-trips a transcript', () => {
    const s = { v: 1 as const, user: 'u1', lang: 'en' as const, history: [{ from: 'bot' as const, text: 'hi' }], replies: [{ title: 'はい', payload: 'yes' }] };
    expect(restore(save(s))).toEqual({ ...s, history: [{ from: 'bot', text: 'hi', links: undefined }] });
  });

  it('keeps only the last MAX_HISTORY entries', () => {
    const history = Array.from({ length: MAX_HISTORY + 20 }, (_, i) => ({ from: 'user' as const, text: String(i) }));
    const r = restore(save({ v: 1, history }));
    expect(r.history).toHaveLength(MAX_HISTORY);
    expect(r.history[0]?.text).toBe('20');
  });

  it('drops malformed storage instead of failing', () => {
    expect(restore('{')).toEqual({ v: 1, history: [] });
    expect(restore('{"v":2,"history":[]}')).toEqual({ v: 1, history: [] });
    expect(restore(JSON.stringify({ v: 1, user: 5, lang: 'fr', history: [{ from: 'admin', text: 'x' }, { from: 'bot', text: 1 }] }))).toEqual({
      v: 1,
      user: undefined,
      lang: undefined,
      history: [],
      replies: undefined,
    });
  });
});

describe('backoff', () => {
  it('grows exponentially from ~500 ms and caps at ~30 s with jitter', () => {
    expect(backoff(0, 0.5)).toBe(500);
    expect(backoff(1, 0.5)).toBe(1000);
    expect(backoff(3, 0.5)).toBe(4000);
    expect(backoff(20, 0.5)).toBe(30_000);
    expect(backoff(20, 0)).toBe(22_500);
    expect(backoff(20, 1)).toBe(37_500);
  });
});

describe('socketUrl', () => {
  it('derives the websocket address from the script URL', () => {
    expect(socketUrl('https://bot.owari.ne.jp/widget.js')).toBe('wss://bot.owari.ne.jp/');
    expect(socketUrl('http://127.0.0.1:3000/widget.js?v=2')).toBe('ws://127.0.0.1:3000/');
  });
});

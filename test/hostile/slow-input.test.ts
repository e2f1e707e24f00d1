/**
 * Adversarial message shapes — long runs of spaces, letters, digits, kana, @ and separators, あっと/アット
 * sequences, mixtures, characters NFKC expands — at the 1,000-character limit, through every step a
 * customer message takes: validation, normalization, understanding at every step of the flow, the whole
 * turn, masking for the transcript, and a real server over websocket and webhook while /healthz is polled.
 * Each step must finish well within a second even on a slow machine: one slow message stalls every socket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateInbound } from '../../src/channels/inbound.ts';
import { MAX_TEXT_LENGTH } from '../../src/conversation/wire.ts';
import { startConversation, stepContext, takeTurn } from '../../src/conversation/turn.ts';
import { understand } from '../../src/language/index.ts';
import { analyse } from '../../src/language/normalize.ts';
import { maskBotText, maskCustomerText } from '../../src/staff/mask.ts';
import { removeDataDir, tempDataDir } from '../support/server.ts';
import { testDeps } from '../support/turns.ts';
import { startChild, freePort, type Child } from './child.ts';
import { Client, post } from './helpers.ts';

const BOUND_MS = 1000;

/** `unit` repeated up to `limit` characters (as the protocol counts them), then `tail`. */
function fill(unit: string, tail = '', limit = MAX_TEXT_LENGTH): string {
  const units = [...unit].length;
  const room = limit - [...tail].length;
  return unit.repeat(Math.floor(room / units)) + [...unit].slice(0, room % units).join('') + tail;
}

/** A fixed pseudo-random mixture of the pieces the patterns care about. */
function mixture(seed: number, pieces: string[]): string {
  let x = seed;
  let out = '';
  while ([...out].length < MAX_TEXT_LENGTH - 8) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out += pieces[x % pieces.length];
  }
  return [...out].slice(0, MAX_TEXT_LENGTH).join('');
}

const PIECES = [' ', '  ', 'a', 'taro', '1', '090', 'あ', 'ア', '@', '＠', '%40', '.', '。', '-', '－', 'ー', '(', 'あっと', 'アット', ' at ', '〇', '０', 'の', 'tel', 'サーバー', '550', 'relay', '\u3000', '_'];

/** Letters, a long run of spaces, `separator`, spaces up to the limit. */
const spacedAround = (separator: string) => fill(' ', '', MAX_TEXT_LENGTH - 200 - separator.length - 399) + separator + ' '.repeat(399);
/** The shape that once blocked the server for tens of seconds (spaces on both sides of あっと, every split tried). */
const FORMER_REDOS = 'a'.repeat(200) + spacedAround('あっと');

const shapes: Record<string, string> = {
  'letters, spaces, あっと, spaces': FORMER_REDOS,
  'letters, spaces, アット, spaces': 'a'.repeat(200) + spacedAround('アット'),
  'letters, spaces, @, spaces': 'a'.repeat(200) + spacedAround('@'),
  'letters, spaces, at, spaces': 'a'.repeat(200) + spacedAround('at'),
  'digits, spaces, あっと, spaces': '1'.repeat(200) + spacedAround('あっと'),
  'a あっと runs': fill('a あっと '),
  'spaces': fill(' '),
  'ideographic spaces': fill('\u3000'),
  'letters': fill('a'),
  'letters then !': fill('a', '!'),
  'digits': fill('1'),
  'digits then a letter': fill('1', 'a'),
  'hiragana': fill('あ'),
  'katakana': fill('ア'),
  'at signs': fill('@'),
  'dashes': fill('-'),
  'dots': fill('.'),
  'あっと runs': fill('あっと'),
  ' あっと runs': fill(' あっと'),
  'アット with spaces': fill('a アット  '),
  ' at  runs': fill('a at '),
  'a@ runs': fill('a@'),
  'a@a. runs': fill('a@a.'),
  'local part then spaces': fill('a'.repeat(60) + '    '),
  'label dots': fill('a.', '@'),
  'phone-like groups': fill('0-'),
  'digits and brackets': fill('0('),
  'digits and spaces': fill('0 '),
  'kanji numerals': fill('〇-'),
  'full-width digits': fill('０－'),
  'tel prefixes': fill('tel0'),
  'サーバー runs (error patterns)': fill('サーバー'),
  '4545 runs (SMTP)': fill('4545'),
  'relay runs': fill('relay '),
  'mail address words': fill('メールアドレス'),
  'mixture 1': mixture(1, PIECES),
  'mixture 2': mixture(2, PIECES),
  'mixture 3': mixture(3, PIECES),
  // NFKC: full width to ASCII, half-width kana to full width, one character to many.
  'full-width letters and ＠': fill('ａ＠ａ　'),
  'half-width ｱｯﾄ': fill('a ｱｯﾄ '),
  '㍻ (2 after NFKC)': fill('㍻'),
  'ﷺ (18 after NFKC), within the limit after it': fill('ﷺ', '', Math.floor(MAX_TEXT_LENGTH / 18)),
  'ﷺ beyond the limit after NFKC': fill('ﷺ'),
};

/** Runs `step` and returns how long it took. */
function timed(step: () => unknown): number {
  const start = performance.now();
  step();
  return performance.now() - start;
}

describe('adversarial messages are handled quickly at every step', () => {
  const deps = testDeps();
  const steps = Object.keys(deps.bundle.flow.states);
  const started = startConversation(deps, 'ja', 'OW-TEST-00').record;

  it('there is a shape of each kind, each at most the limit as sent', () => {
    expect(Object.keys(shapes).length).toBeGreaterThan(30);
    for (const [name, text] of Object.entries(shapes)) expect([...text].length, name).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
    expect(steps.length).toBeGreaterThan(5);
  });

  it.each(Object.entries(shapes))('%s: validation, normalization, masking', (_name, text) => {
    expect(timed(() => validateInbound({ type: 'message', text }))).toBeLessThan(BOUND_MS);
    expect(timed(() => analyse(text))).toBeLessThan(BOUND_MS);
    expect(timed(() => analyse(text.normalize('NFKC')))).toBeLessThan(BOUND_MS);
    for (const candidate of [text, text.normalize('NFKC')]) {
      expect(timed(() => maskCustomerText(candidate, 'taro'))).toBeLessThan(BOUND_MS);
      expect(timed(() => maskBotText(candidate, 'taro'))).toBeLessThan(BOUND_MS);
    }
  });

  it.each(Object.entries(shapes))('%s: understanding and the whole turn at every step of the flow', (_name, text) => {
    for (const step of steps) {
      expect(timed(() => understand(text, stepContext(deps, step, started.context), deps.lexicon)), step).toBeLessThan(BOUND_MS);
      expect(timed(() => takeTurn(deps, { ...started, step }, text)), step).toBeLessThan(BOUND_MS);
    }
  });

  it('a text NFKC expands beyond the limit is refused as too_long; one that stays within it is accepted', () => {
    expect(validateInbound({ type: 'message', text: shapes['ﷺ beyond the limit after NFKC'] })).toMatchObject({ ok: false, code: 'too_long' });
    expect(validateInbound({ type: 'message', text: '㍻'.repeat(501) })).toMatchObject({ ok: false, code: 'too_long' });
    expect(validateInbound({ type: 'message', text: '㍻'.repeat(500) })).toMatchObject({ ok: true });
    expect(validateInbound({ type: 'message', text: shapes['ﷺ (18 after NFKC), within the limit after it'] })).toMatchObject({ ok: true });
  });

  it('normalization keeps its cut after NFKC too', () => {
    expect(analyse('ﷺ'.repeat(1000)).plain.length).toBeLessThanOrEqual(2000);
  });
});

describe('a running server answers adversarial messages at once and /healthz stays responsive', () => {
  let child: Child;
  let url: string;
  const dataDir = tempDataDir();
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // Its own process, as in production: a blocked event loop there shows as slow answers here.
    child = await startChild({ PORT: String(port), TRUST_PROXY: 'true', SESSION_SECRET: 'slow-input-test-'.padEnd(40, 'x'), DATA_DIR: dataDir });
  }, 60_000);
  afterAll(async () => {
    child?.process.kill('SIGTERM');
    await child?.exited;
    removeDataDir(dataDir);
  });

  /** Polls /healthz every 20 ms while `work` runs; returns the slowest answer. */
  async function slowestHealthz(work: () => Promise<void>): Promise<number> {
    let slowest = 0;
    let running = true;
    const poller = (async () => {
      while (running) {
        const start = performance.now();
        const res = await fetch(`${url}/healthz`);
        expect(res.status).toBe(200);
        slowest = Math.max(slowest, performance.now() - start);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      await work();
    } finally {
      running = false;
      await poller;
    }
    return slowest;
  }

  it('the former ReDoS message and the other shapes, over websocket and webhook', async () => {
    const texts = [FORMER_REDOS, shapes['アット with spaces']!, shapes['mixture 1']!, shapes['full-width letters and ＠']!];
    const slowest = await slowestHealthz(async () => {
      for (const text of texts) {
        const socket = await Client.open(`ws://${url.slice('http://'.length)}/`);
        await socket.ask({ type: 'hello' });
        const start = performance.now();
        const reply = await socket.reply({ type: 'message', text });
        expect(reply.type).toBe('message');
        expect(performance.now() - start).toBeLessThan(BOUND_MS);
        await socket.close();

        const posted = performance.now();
        const res = await post(url, { type: 'message', text });
        expect(res.status).toBe(200);
        expect(res.json.at(-1).type).toBe('message');
        expect(performance.now() - posted).toBeLessThan(BOUND_MS);
      }
    });
    expect(slowest).toBeLessThan(BOUND_MS);
  }, 60_000);

  it('a text NFKC expands beyond the limit is too_long over websocket and webhook', async () => {
    const text = shapes['ﷺ beyond the limit after NFKC']!;
    const socket = await Client.open(`ws://${url.slice('http://'.length)}/`);
    await socket.ask({ type: 'hello' });
    expect(await socket.reply({ type: 'message', text })).toMatchObject({ type: 'error', code: 'too_long' });
    expect((await socket.reply({ type: 'message', text: 'はい' })).type).toBe('message');
    await socket.close();
    const res = await post(url, { type: 'message', text });
    expect((Array.isArray(res.json) ? res.json : [res.json]).at(-1)).toMatchObject({ type: 'error', code: 'too_long' });
  });
});

/**
 * Everything a hostile client can send, against the real server. Every case ends with the
 * same proof: the server is healthy and a victim conversation at question 3 is untouched — nothing
 * arrived on its socket, its stored step is unchanged, and its next answer gets the right reply.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ActivityTypes } from 'botbuilder';
import { Botkit } from 'botkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { removeDataDir, startTestServer } from '../support/server.ts';
import { assertProtocol, assertProtocolReplies, SESSION_ID } from '../support/protocol.ts';
import { Client, expectVictimUnharmed, freshIp, post, storedRecord, victimAtQuestion3, type Victim } from './helpers.ts';

let server: Awaited<ReturnType<typeof startTestServer>>;
let victim: Victim;

beforeAll(async () => {
  // TRUST_PROXY lets each attacker pose as its own IP (X-Forwarded-For), so per-IP limits never mix cases.
  server = await startTestServer({ TRUST_PROXY: 'true', ALLOWED_ORIGINS: 'https://portal.example.jp' });
});
afterAll(async () => {
  await server.close();
  removeDataDir(server.dataDir);
});

/** Each case gets a fresh victim at question 3 and must leave it unharmed. */
function hostile(name: string, attack: () => Promise<void>, timeout?: number) {
  it(
    name,
    async () => {
      victim = await victimAtQuestion3(server.wsUrl);
      await attack();
      await expectVictimUnharmed(server, victim);
    },
    timeout,
  );
}

/** A tampered copy of an id: one character changed at position `i`. */
function flip(id: string, i: number): string {
  const c = id[i] === 'A' ? 'B' : 'A';
  return id.slice(0, i) + c + id.slice(i + 1);
}

/** Botkit's own event names, collected from its code and Bot Framework's activity types, plus ones Botkit documents. */
function botkitEventNames(): string[] {
  const names = new Set<string>(Object.values(ActivityTypes));
  for (const dir of ['node_modules/botkit/lib', 'node_modules/botbuilder-adapter-web/lib']) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(dir, file), 'utf8');
      for (const m of code.matchAll(/\.(?:on|trigger|hears|interrupts|emit|before|after)\(\s*['"]([\w:\-/]+)['"]/g)) names.add(m[1]!);
    }
  }
  for (const n of ['shutdown', 'booted', 'message_received', 'direct_message', 'direct_mention', 'mention', 'ambient', 'webserver_up', 'ready', 'conversationUpdate', 'event', 'invoke', 'ingest', 'receive', 'send', 'interpret', 'spawn', 'dialog:after', 'welcome', 'connected', 'session', 'error', 'typing', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'Message', 'HELLO', 'message ', ' hello', 'hello\u0000']) names.add(n);
  for (const ours of ['hello', 'welcome_back', 'message']) names.delete(ours);
  return [...names];
}

describe('sessions: ids are issued by the server, never adopted from the client', () => {
  hostile('forged ids start a new conversation and never reach the victim (websocket and webhook)', async () => {
    const [nonce, mac] = victim.id.split('.') as [string, string];
    const forged = [
      'victim-guid',
      '',
      'admin',
      'A'.repeat(22) + '.' + 'A'.repeat(22),
      `${nonce}.${'A'.repeat(22)}`,
      `${'A'.repeat(22)}.${mac}`,
      `${nonce}`,
      `${nonce}.${mac}.${mac}`,
      ` ${victim.id}`,
      `${victim.id}\n`,
      victim.id.toUpperCase(),
      'x'.repeat(256),
      'x'.repeat(100_000).slice(0, 10_000),
    ];
    for (const user of forged) {
      const socket = await Client.open(server.wsUrl);
      const frames = await socket.ask({ type: 'welcome_back', user });
      if (user.length > 256) {
        expect(frames).toEqual([expect.objectContaining({ type: 'error', code: 'malformed' })]); // no id is that long
        await socket.close();
        continue;
      }
      expect(frames[0]).toEqual({ type: 'session', user: expect.stringMatching(SESSION_ID) });
      expect(frames[0].user).not.toBe(victim.id);
      expect(frames.at(-1).state).toBe('uses_mail_software');
      await socket.close();

      const res = await post(server.url, { type: 'message', user, text: 'いいえ' });
      if (res.status === 200) {
        assertProtocolReplies(res.json);
        expect(res.json[0].type).toBe('session');
        expect(res.json[0].user).not.toBe(victim.id);
        expect(res.json.at(-1).state).toBe('uses_mail_software');
      } else {
        throw new Error(`status ${res.status}`);
      }
    }
  });

  hostile('tampered ids (every character of the victim id changed in turn) are never adopted', async () => {
    for (let i = 0; i < victim.id.length; i++) {
      if (victim.id[i] === '.') continue;
      const res = await post(server.url, { type: 'message', user: flip(victim.id, i), text: 'いいえ' });
      assertProtocolReplies(res.json);
      expect(res.json[0]).toEqual({ type: 'session', user: expect.stringMatching(SESSION_ID) });
      expect(res.json[0].user).not.toBe(victim.id);
    }
  });

  hostile("frames carrying the victim's id on the attacker's own socket act on the attacker's conversation only", async () => {
    const attacker = await Client.open(server.wsUrl);
    const [session] = await attacker.ask({ type: 'hello' });
    for (const frame of [
      { type: 'message', user: victim.id, text: 'いいえ' },
      { type: 'welcome_back', user: victim.id },
      { type: 'hello', user: victim.id },
      { type: 'message', user: victim.id, text: 'restart' },
      { type: 'message', user: victim.id, text: 'はい' },
    ]) {
      const frames = await attacker.ask(frame);
      expect(frames.some((f) => f.type === 'session'), 'a bound socket is never re-issued or moved').toBe(false);
    }
    // The attacker's own conversation took those turns (restart then はい: question 2), the victim's did not.
    expect(storedRecord(server.dataDir, session.user)?.step).toBe('connects_via_owari');
    await attacker.close();
  });

  it("claiming the victim's user on another socket does not capture the victim's replies (howdyai/botkit#1689)", async () => {
    // With the stock adapter, any frame's `user` re-points its global user→socket map: the victim's next replies went to the attacker.
    victim = await victimAtQuestion3(server.wsUrl);
    const attacker = await Client.open(server.wsUrl);
    await attacker.ask({ type: 'hello', user: victim.id });
    await attacker.ask({ type: 'message', user: victim.id, text: 'いいえ' });
    const seen = attacker.frames.length;
    await expectVictimUnharmed(server, victim); // the victim's answer is replied to on the victim's socket...
    await new Promise((r) => setTimeout(r, 100));
    expect(attacker.frames.slice(seen), "...and nothing of it reaches the attacker's").toEqual([]);
    await attacker.close();
  });
});

describe('bounded input', () => {
  hostile('a 1 MiB websocket frame closes that socket with 1009, and only that socket', async () => {
    const attacker = await Client.open(server.wsUrl);
    await attacker.ask({ type: 'hello' });
    attacker.send(JSON.stringify({ type: 'message', text: 'あ'.repeat(350_000) }));
    expect((await attacker.whenClosed()).code).toBe(1009);

    const justOver = await Client.open(server.wsUrl);
    justOver.send('x'.repeat(16 * 1024 + 1));
    expect((await justOver.whenClosed()).code).toBe(1009);

    const atLimit = await Client.open(server.wsUrl);
    const padded = JSON.stringify({ type: 'hello', pad: '' });
    const error = await atLimit.reply(JSON.stringify({ type: 'hello', pad: 'x'.repeat(16 * 1024 - padded.length) }));
    expect(error.type).toBe('message'); // exactly 16 KiB is accepted
    await atLimit.close();
  });

  hostile('a 1 MiB body, a chunked one, and a gzip bomb get 413 with a JSON error', async () => {
    const big = JSON.stringify({ type: 'message', user: victim.id, text: 'x'.repeat(1024 * 1024) });
    for (const res of [
      await post(server.url, big),
      // No Content-Length: the limit is counted as the body streams in.
      await post(server.url, new Blob([big]).stream() as unknown as string, { headers: { 'transfer-encoding': 'chunked' } }).catch(() => undefined),
      await post(server.url, gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20)), { headers: { 'content-encoding': 'gzip' } }),
    ]) {
      if (!res) continue; // fetch refuses a stream body without duplex; covered by the others
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.json).toMatchObject({ type: 'error', code: 'too_long' });
      expect(res.json.text.length).toBeGreaterThan(0);
    }
  });

  hostile('text over 1,000 characters is too_long; 1,000 (even astral characters) is fine', async () => {
    const socket = await Client.open(server.wsUrl);
    await socket.ask({ type: 'hello' });
    expect(await socket.reply({ type: 'message', text: 'x'.repeat(1001) })).toMatchObject({ type: 'error', code: 'too_long' });
    expect(await socket.reply({ type: 'message', text: '😀'.repeat(1001) })).toMatchObject({ type: 'error', code: 'too_long' });
    expect((await socket.reply({ type: 'message', text: '😀'.repeat(1000) })).type).toBe('message');
    await socket.close();
  });

  hostile('malformed JSON, {}, null, arrays, scalars and binary frames: an error each, the socket stays open', async () => {
    const socket = await Client.open(server.wsUrl);
    for (const frame of ['{bad', '', ' ', '{}', 'null', '[]', '[{"type":"hello"}]', '"hello"', '42', 'true', '{"type":"hello"', '\u0000', '{"__proto__":{"type":"hello"}}']) {
      expect(await socket.reply(frame), JSON.stringify(frame)).toMatchObject({ type: 'error', code: 'malformed' });
    }
    socket.send(Buffer.from([0xff, 0x00, 0x7b]));
    expect((await socket.waitFor(14)).at(-1)).toMatchObject({ type: 'error', code: 'malformed' });
    expect(socket.closed).toBeUndefined();
    expect((await socket.reply({ type: 'hello' })).state).toBe('uses_mail_software');
    await socket.close();

    for (const body of ['{bad', '{}', 'null', '[]', '"hello"', '42', '']) {
      const res = await post(server.url, body);
      expect([200, 400]).toContain(res.status);
      const error = Array.isArray(res.json) ? res.json[0] : res.json;
      expect(error, body).toMatchObject({ type: 'error', code: 'malformed' });
    }
  });

  hostile('wrong field types are malformed', async () => {
    const socket = await Client.open(server.wsUrl);
    for (const frame of [
      { type: 1 },
      { type: null },
      { type: ['hello'] },
      { type: { toString: 'hello' } },
      { type: 'message', text: 42 },
      { type: 'message', text: null },
      { type: 'message', text: ['はい'] },
      { type: 'message' },
      { type: 'hello', user: 42 },
      { type: 'hello', user: { id: victim.id } },
      { type: 'welcome_back', user: [victim.id] },
      { type: 'hello', lang: 5 },
      { type: 'hello', lang: ['en'] },
      { type: 'hello', text: {} },
      { type: 'hello', channel: { evil: true } },
    ]) {
      expect(await socket.reply(frame), JSON.stringify(frame)).toMatchObject({ type: 'error', code: 'malformed' });
      const res = await post(server.url, frame);
      expect(res.json, JSON.stringify(frame)).toEqual([expect.objectContaining({ type: 'error', code: 'malformed' })]);
    }
    expect(socket.frames.some((f) => f.type === 'session')).toBe(false);
    await socket.close();
  });

  hostile("every Botkit event name as type is unsupported_type and never reaches Botkit's dispatcher", async () => {
    const names = botkitEventNames();
    expect(names).toEqual(expect.arrayContaining(['shutdown', 'conversationUpdate', 'event', 'message_received', 'booted', 'invoke']));
    const trigger = vi.spyOn(Botkit.prototype, 'trigger');
    const handleTurn = vi.spyOn(Botkit.prototype, 'handleTurn');
    try {
      let socket = await Client.open(server.wsUrl);
      await socket.ask({ type: 'hello' }); // bound: its frames count against its own conversation
      let sent = 0;
      for (const type of names) {
        // Under the per-conversation limit (20 per 10 s): a fresh socket every 15 names.
        expect(await socket.reply({ type, user: victim.id, text: 'はい', botkitEventType: 'shutdown' }), type).toMatchObject({ type: 'error', code: 'unsupported_type' });
        const res = await post(server.url, { type, user: victim.id, channelData: { botkitEventType: 'shutdown' } });
        expect(res.json, type).toEqual([expect.objectContaining({ type: 'error', code: 'unsupported_type' })]);
        if (++sent % 15 === 0) {
          await socket.close();
          socket = await Client.open(server.wsUrl);
          await socket.ask({ type: 'hello' });
        }
      }
      const dispatched = new Set(trigger.mock.calls.map((c) => c[0]));
      for (const name of dispatched) expect(['hello', 'message', 'welcome_back']).toContain(name);
      // Only the hellos above (one per socket) went through Botkit.
      expect(handleTurn.mock.calls.length).toBe(Math.floor(sent / 15) + 1);
      await socket.close();
    } finally {
      trigger.mockRestore();
      handleTurn.mockRestore();
    }
  });
});

describe('floods', () => {
  hostile(
    '300 frames in a burst on one socket: at most RATE_LIMIT_MESSAGES are served, the rest get rate_limited',
    async () => {
      const socket = await Client.open(server.wsUrl);
      await socket.ask({ type: 'hello' });
      const before = socket.frames.length;
      const payload = Array.from({ length: 300 }, (_, i) => JSON.stringify({ type: 'message', text: i % 2 ? 'はい' : 'restart', user: victim.id }));
      for (const frame of payload) socket.ws.send(frame);
      const frames = (await socket.waitFor(before + 300, 15_000)).slice(before);
      expect(frames).toHaveLength(300); // exactly one reply per frame, in order
      const limited = frames.filter((f) => f.type === 'error' && f.code === 'rate_limited');
      // The hello counted against the unbound client's IP; the conversation then has its own 20.
      expect(limited.length).toBeGreaterThanOrEqual(300 - 20);
      expect(limited[0].text).toMatch(/少し時間をおいて/);
      expect(frames.filter((f) => f.type === 'message').length).toBeLessThanOrEqual(20);
      expect(socket.closed).toBeUndefined();
      await socket.close();
    },
    30_000,
  );

  hostile('300 webhook requests at once: the server answers all of them and stays healthy', async () => {
    const ip = freshIp();
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => post(server.url, i % 3 ? { type: 'hello' } : '{bad', { ip })));
    for (const r of results) {
      expect([200, 400]).toContain(r.status);
      if (r.status === 200) assertProtocolReplies(r.json);
      else assertProtocol(r.json);
    }
    // 200 hellos from one IP: 20 served (RATE_LIMIT_MESSAGES for a client without a conversation), 180 rate_limited;
    // the 100 unparseable bodies are refused by the body parser before any work.
    expect(results.filter((r) => r.json?.[0]?.type === 'session').length).toBe(20);
    expect(results.filter((r) => r.json?.[0]?.code === 'rate_limited').length).toBe(180);
  });

  hostile('300 sockets opened at once from one IP: at most MAX_SOCKETS_PER_IP succeed', async () => {
    const ip = freshIp();
    const opened = await Promise.allSettled(Array.from({ length: 300 }, () => Client.open(server.wsUrl, { ip })));
    const ok = opened.filter((o): o is PromiseFulfilledResult<Client> => o.status === 'fulfilled').map((o) => o.value);
    expect(ok.length).toBe(20);
    for (const o of opened) if (o.status === 'rejected') expect((o.reason as { status?: number }).status).toBe(429);
    await Promise.all(ok.map((c) => c.close()));
  });
});

describe('XSS strings are data, never markup', () => {
  const payloads = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>', "javascript:alert('x')", '{{constructor.constructor("alert(1)")()}}', '</script><script>alert(1)</script>'];

  hostile('sent as messages: stored and echoed only inside JSON strings, served as application/json', async () => {
    const socket = await Client.open(server.wsUrl);
    const [session] = await socket.ask({ type: 'hello' });
    const first = await post(server.url, { type: 'hello' });
    const user = first.json[0].user;
    for (const text of payloads) {
      const reply = await socket.reply({ type: 'message', text });
      expect(reply.type).toBe('message');
      const res = await post(server.url, { type: 'message', user, text });
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      assertProtocolReplies(res.json);
      // If a reply quotes the customer, it quotes them verbatim (no HTML escaping, no markup): clients render text.
      for (const r of [...res.json, reply]) if (r.text.includes('alert')) expect(r.text).toContain(text);
    }
    // Stored as JSON: the record parses, and the conversation is where the not-understood texts left it.
    expect(storedRecord(server.dataDir, session.user)?.step).toBe('uses_mail_software');
    await socket.close();
  });

  hostile('in paths, origins and bodies of refused requests: answered as JSON, never HTML', async () => {
    for (const path of ['/<script>alert(1)</script>', '/api/messages/<img src=x onerror=alert(1)>', '/%3Cscript%3E']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.text()).not.toMatch(/<script|<img/i);
    }
    const res = await post(server.url, '{"type":"<script>alert(1)</script>"');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.text).not.toContain('<script>');
    const unsupported = await post(server.url, { type: '<script>alert(1)</script>' });
    expect(unsupported.json).toEqual([expect.objectContaining({ code: 'unsupported_type' })]);
    expect(unsupported.text).not.toContain('<script>');
  });
});

describe('origins', () => {
  hostile('a foreign Origin: websocket upgrade 403, webhook 403 without CORS headers, preflight 403', async () => {
    for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1.evil.example', 'https://portal.example.jp.evil.example', 'file://', 'https://portal.example.jp:444']) {
      await expect(Client.open(server.wsUrl, { headers: { origin } }), origin).rejects.toMatchObject({ status: 403 });
      const res = await post(server.url, { type: 'message', user: victim.id, text: 'いいえ' }, { headers: { origin } });
      expect(res.status, origin).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await fetch(`${server.url}/api/messages`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(preflight.status).toBe(403);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  hostile('our own origin and ALLOWED_ORIGINS are accepted, with CORS for exactly that origin', async () => {
    for (const origin of ['https://portal.example.jp', server.url]) {
      const socket = await Client.open(server.wsUrl, { headers: { origin } });
      expect((await socket.reply({ type: 'hello' })).state).toBe('uses_mail_software');
      await socket.close();
      const res = await post(server.url, { type: 'hello' }, { headers: { origin } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('vary')).toMatch(/Origin/);
    }
  });
});

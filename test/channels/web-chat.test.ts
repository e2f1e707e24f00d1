/** Conversations over the real transports (protocol.md): webhook and websocket, Japanese and English. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postMessage, removeDataDir, startTestServer, TestSocket } from '../support/server.ts';

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  removeDataDir(server.dataDir);
});

describe('webhook POST /api/messages', () => {
  it('a hello gets a server-issued session first, then question 1', async () => {
    const { status, json } = await postMessage(server.url, { type: 'hello', user: 'my-own-guid', channel: 'webhook' });
    expect(status).toBe(200);
    expect(json[0]).toEqual({ type: 'session', user: expect.stringMatching(/^[\w-]{22}\.[\w-]{22}$/) });
    expect(json[0].user).not.toBe('my-own-guid');
    expect(json[1]).toMatchObject({ type: 'message', state: 'uses_mail_software' });
  });

  it('walks the owari path to the Thunderbird manual in Japanese', async () => {
    const [session] = (await postMessage(server.url, { type: 'hello' })).json;
    const user = session.user;
    for (const text of ['はい', 'はい', 'はい']) await postMessage(server.url, { type: 'message', user, text });
    const os = (await postMessage(server.url, { type: 'message', user, text: 'windows' })).json;
    expect(os).toEqual([expect.objectContaining({ state: 'choose_client_windows' })]);
    const [settings] = (await postMessage(server.url, { type: 'message', user, text: 'thunderbird' })).json;
    expect(settings.state).toBe('settings');
    expect(settings.links.map((l: any) => l.url)).toContain('https://www.owari.ne.jp/support/mail/windows/thunderbird.html');
    expect(settings.text).toContain('587');
  });

  it('processes turns of one conversation strictly in order, even when they arrive at once', async () => {
    const [session] = (await postMessage(server.url, { type: 'hello' })).json;
    const replies = await Promise.all(['はい', 'はい', 'はい'].map((text) => postMessage(server.url, { type: 'message', user: session.user, text })));
    // Each turn saw the state the previous one left: no answer was lost to a concurrent read-modify-write.
    expect(replies.map((r) => r.json[0].state).sort()).toEqual(['change_required_owari', 'connects_via_owari', 'uses_owari_address']);
    const [resumed] = (await postMessage(server.url, { type: 'welcome_back', user: session.user })).json;
    expect(resumed.state).toBe('change_required_owari');
  });

  it('speaks English when hello asks for it', async () => {
    const [session, first] = (await postMessage(server.url, { type: 'hello', lang: 'en' })).json;
    expect(first.text).toContain('Question 1');
    const [verdict] = (await postMessage(server.url, { type: 'message', user: session.user, text: 'no' })).json;
    expect(verdict).toMatchObject({ outcome: 'no-change-needed' });
    expect(verdict.text).toContain('you do not need to change anything');
  });

  it('a message with an id the server never issued starts a new conversation with a session', async () => {
    const { json } = await postMessage(server.url, { type: 'message', user: 'abc', text: 'はい' });
    expect(json[0].type).toBe('session');
    expect(json[1].state).toBe('uses_mail_software');
  });

  it('bad input gets an error reply and the server stays up', async () => {
    for (const [body, code] of [
      ['{not json', 'malformed'],
      [{}, 'malformed'],
      [[], 'malformed'],
      [{ type: 'shutdown' }, 'unsupported_type'],
      [{ type: 'message', text: 42 }, 'malformed'],
      [{ type: 'message', text: 'あ'.repeat(1001) }, 'too_long'],
    ] as const) {
      const { status, json } = await postMessage(server.url, body);
      const error = Array.isArray(json) ? json[0] : json;
      expect([200, 400], JSON.stringify(body)).toContain(status);
      expect(error).toMatchObject({ type: 'error', code });
      expect(error.text.length).toBeGreaterThan(0);
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('websocket on /', () => {
  it('talks through all four outcomes, as the stock Botkit client frames them', async () => {
    const paths: [string[], string][] = [
      [['いいえ'], 'no-change-needed'],
      [['はい', 'いいえ'], 'change-recommended'],
      [['はい', 'はい', 'いいえ'], 'change-required-other-provider'],
      [['はい', 'はい', 'はい'], 'change-required-owari'],
    ];
    for (const [answers, outcome] of paths) {
      const socket = await TestSocket.open(server.wsUrl);
      const first = await socket.ask({ type: 'hello', user: 'client-guid', channel: 'socket', user_profile: null });
      expect(socket.received[0].type).toBe('session');
      expect(first.state).toBe('uses_mail_software');
      let last: any = first;
      for (const text of answers) last = await socket.ask({ type: 'message', text, user: 'client-guid', channel: 'socket' });
      expect(last.outcome).toBe(outcome);
      await socket.close();
    }
  });

  it('welcome_back on a new socket resumes at the same step', async () => {
    const first = await TestSocket.open(server.wsUrl);
    await first.ask({ type: 'hello' });
    const user = first.received[0].user;
    await first.ask({ type: 'message', text: 'はい', user });
    await first.close();
    const second = await TestSocket.open(server.wsUrl);
    const resumed = await second.ask({ type: 'welcome_back', user });
    expect(resumed.state).toBe('connects_via_owari');
    expect(second.received.some((f) => f.type === 'session')).toBe(false);
    await second.close();
  });

  it('in English', async () => {
    const socket = await TestSocket.open(server.wsUrl);
    const first = await socket.ask({ type: 'hello', lang: 'en' });
    expect(first.quick_replies.map((r: any) => r.title)).toEqual(['Yes', 'No', "I don't know"]);
    const next = await socket.ask({ type: 'message', text: 'yes' });
    expect(next.text).toContain('Question 2');
    await socket.close();
  });

  it('frames sent at once on many sockets are all answered, each socket in its own order', async () => {
    // A server of its own: eight new conversations from one address would use up this one's per-address limit.
    const busy = await startTestServer({ RATE_LIMIT_CONVERSATIONS: '1000', RATE_LIMIT_MESSAGES: '1000' });
    try {
      const sockets = await Promise.all(Array.from({ length: 8 }, () => TestSocket.open(busy.wsUrl)));
      // Every socket's hello and three answers go out without waiting for a reply: most arrive in the same
      // pass of the server's event loop and are handled together (src/channels/pass-queue.ts).
      for (const socket of sockets) {
        socket.send({ type: 'hello' });
        for (const text of ['はい', 'はい', 'はい']) socket.send({ type: 'message', text });
      }
      const messagesOf = (socket: TestSocket) => socket.received.filter((f) => f.type === 'message');
      for (const socket of sockets) {
        while (messagesOf(socket).length < 4) await socket.next();
        expect(messagesOf(socket).map((f) => f.state)).toEqual(['uses_mail_software', 'connects_via_owari', 'uses_owari_address', 'change_required_owari']);
        expect(socket.received.filter((f) => f.type === 'error')).toEqual([]);
        await socket.close();
      }
    } finally {
      await busy.close();
      removeDataDir(busy.dataDir);
    }
  });

  it('malformed JSON gets an error and the socket stays open', async () => {
    const socket = await TestSocket.open(server.wsUrl);
    const error = await socket.ask('{"type":');
    expect(error).toMatchObject({ type: 'error', code: 'malformed' });
    const first = await socket.ask({ type: 'hello' });
    expect(first.state).toBe('uses_mail_software');
    await socket.close();
  });
});

describe('restart', () => {
  it('a new server on the same DATA_DIR continues the conversation after welcome_back', async () => {
    const first = await startTestServer();
    const [session] = (await postMessage(first.url, { type: 'hello' })).json;
    await postMessage(first.url, { type: 'message', user: session.user, text: 'はい' });
    await postMessage(first.url, { type: 'message', user: session.user, text: 'はい' });
    await first.close();

    const second = await startTestServer({ DATA_DIR: first.dataDir });
    const socket = await TestSocket.open(second.wsUrl);
    const resumed = await socket.ask({ type: 'welcome_back', user: session.user });
    expect(resumed.state).toBe('uses_owari_address');
    expect(resumed.text).toContain('おかえりなさい');
    const verdict = await socket.ask({ type: 'message', text: 'はい' });
    expect(verdict.outcome).toBe('change-required-owari');
    await socket.close();
    await second.close();
    removeDataDir(first.dataDir);
  });
});

describe('OWARI_NETWORKS', () => {
  it('a client inside the configured ranges gets the hint; the address itself is not stored', async () => {
    const inside = await startTestServer({ OWARI_NETWORKS: '127.0.0.0/8' });
    const [session] = (await postMessage(inside.url, { type: 'hello' })).json;
    const [q2] = (await postMessage(inside.url, { type: 'message', user: session.user, text: 'はい' })).json;
    expect(q2.text).toContain('インターネット尾張の回線から接続されているようです');
    await inside.close();
    const { readFileSync, readdirSync } = await import('node:fs');
    const stored = readdirSync(inside.dataDir).map((f) => readFileSync(`${inside.dataDir}/${f}`).toString('latin1')).join('');
    expect(stored).not.toContain('127.0.0.1');
    removeDataDir(inside.dataDir);
  });
});

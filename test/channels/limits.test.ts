/**
 * Rate limits, configured low so they are quick to reach: per conversation messages per
 * 10 s, per IP new conversations per minute and open sockets. The rate_limited error speaks the
 * conversation's language — also after a mid-conversation switch — and so do the other errors.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { removeDataDir, startTestServer } from '../support/server.ts';
import { isJapanese } from '../support/protocol.ts';
import { Client, freshIp, post } from '../hostile/helpers.ts';

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: 'true', RATE_LIMIT_MESSAGES: '5', RATE_LIMIT_CONVERSATIONS: '3', MAX_SOCKETS_PER_IP: '3' });
});
afterAll(async () => {
  await server.close();
  removeDataDir(server.dataDir);
});

it('defaults are 20 messages per 10 s, 30 conversations per minute, 20 sockets per IP; all three configurable', () => {
  expect(loadConfig({}).limits).toEqual({ messagesPer10s: 20, conversationsPerMinute: 30, socketsPerIp: 20 });
  expect(loadConfig({ RATE_LIMIT_MESSAGES: '7', RATE_LIMIT_CONVERSATIONS: '8', MAX_SOCKETS_PER_IP: '9' }).limits).toEqual({ messagesPer10s: 7, conversationsPerMinute: 8, socketsPerIp: 9 });
  expect(() => loadConfig({ RATE_LIMIT_MESSAGES: '0' })).toThrow(/RATE_LIMIT_MESSAGES/);
});

describe('per conversation: RATE_LIMIT_MESSAGES per 10 s', () => {
  it('the sixth message is refused in Japanese; another conversation from the same IP is still served', async () => {
    const ip = freshIp();
    const socket = await Client.open(server.wsUrl, { ip });
    await socket.ask({ type: 'hello' });
    for (let i = 0; i < 5; i++) expect((await socket.reply({ type: 'message', text: i % 2 ? 'restart' : 'はい' })).type).toBe('message');
    const refused = await socket.reply({ type: 'message', text: 'はい' });
    expect(refused).toMatchObject({ type: 'error', code: 'rate_limited' });
    expect(refused.text).toMatch(/時間をおいて/);
    // Refused frames count too: a flood of garbage does not get through either.
    expect(await socket.reply('{bad')).toMatchObject({ code: 'rate_limited' });

    const neighbour = await Client.open(server.wsUrl, { ip });
    await neighbour.ask({ type: 'hello' });
    expect((await neighbour.reply({ type: 'message', text: 'はい' })).state).toBe('connects_via_owari');
    await Promise.all([socket.close(), neighbour.close()]);
  });

  it('webhook requests count against the conversation they present, not the IP (an office behind one NAT)', async () => {
    const ip = freshIp();
    const a = (await post(server.url, { type: 'hello' }, { ip })).json[0].user;
    const b = (await post(server.url, { type: 'hello' }, { ip })).json[0].user;
    for (let i = 0; i < 5; i++) expect((await post(server.url, { type: 'message', user: a, text: i % 2 ? 'restart' : 'はい' }, { ip })).json[0].type).toBe('message');
    expect((await post(server.url, { type: 'message', user: a, text: 'はい' }, { ip })).json[0]).toMatchObject({ code: 'rate_limited' });
    expect((await post(server.url, { type: 'message', user: b, text: 'はい' }, { ip })).json[0].state).toBe('connects_via_owari');
  });

  it('an English conversation is told in English', async () => {
    const socket = await Client.open(server.wsUrl);
    await socket.ask({ type: 'hello', lang: 'en' });
    for (let i = 0; i < 5; i++) await socket.reply({ type: 'message', text: 'restart' });
    const refused = await socket.reply({ type: 'message', text: 'yes' });
    expect(refused).toMatchObject({ type: 'error', code: 'rate_limited' });
    expect(refused.text).toMatch(/wait/i);
    expect(isJapanese(refused.text)).toBe(false);
    await socket.close();
  });

  it('after switching to English mid-conversation, errors are in English (not the language the socket started in)', async () => {
    const socket = await Client.open(server.wsUrl);
    await socket.ask({ type: 'hello' });
    const switched = await socket.reply({ type: 'message', text: 'english please' });
    expect(isJapanese(switched.text)).toBe(false);
    for (const [frame, code] of [
      [{ type: 'message', text: 'x'.repeat(1001) }, 'too_long'],
      ['{bad', 'malformed'],
      [{ type: 'shutdown' }, 'unsupported_type'],
      [{ type: 'message', text: 'restart' }, undefined], // the fifth frame since hello, still served
      [{ type: 'message', text: 'yes' }, 'rate_limited'],
    ] as const) {
      if (!code) {
        expect((await socket.reply(frame)).type).toBe('message');
        continue;
      }
      const error = await socket.reply(frame);
      expect(error).toMatchObject({ type: 'error', code });
      expect(isJapanese(error.text), `${code}: ${error.text}`).toBe(false);
    }
    await socket.close();
  });
});

describe('per IP: RATE_LIMIT_CONVERSATIONS new conversations per minute', () => {
  it('the fourth new conversation from one IP is refused; another IP is served', async () => {
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await post(server.url, { type: 'hello' }, { ip })).json[0].type).toBe('session');
    const refused = (await post(server.url, { type: 'hello', lang: 'en' }, { ip })).json;
    expect(refused).toEqual([expect.objectContaining({ type: 'error', code: 'rate_limited' })]);
    expect(isJapanese(refused[0].text)).toBe(false);
    // A forged id does not get around it: it would be a new conversation too.
    expect((await post(server.url, { type: 'message', user: 'forged', text: 'はい' }, { ip })).json[0]).toMatchObject({ code: 'rate_limited' });
    expect((await post(server.url, { type: 'hello' }, { ip: freshIp() })).json[0].type).toBe('session');
  });

  it('X-Forwarded-For entries written by the client are ignored: only the one our proxy appended counts', async () => {
    const real = freshIp();
    for (let i = 0; i < 3; i++) {
      expect((await post(server.url, { type: 'hello' }, { ip: `10.0.0.${i}, ${real}` })).json[0].type).toBe('session');
    }
    expect((await post(server.url, { type: 'hello' }, { ip: `10.0.0.99, ${real}` })).json[0]).toMatchObject({ code: 'rate_limited' });
  });
});

describe('per IP: MAX_SOCKETS_PER_IP open sockets', () => {
  it('the fourth socket is refused with 429 until one closes; another IP is unaffected', async () => {
    const ip = freshIp();
    const open = await Promise.all([1, 2, 3].map(() => Client.open(server.wsUrl, { ip })));
    await expect(Client.open(server.wsUrl, { ip })).rejects.toMatchObject({ status: 429 });
    const other = await Client.open(server.wsUrl);
    await open[0]!.close();
    await new Promise((r) => setTimeout(r, 50));
    const again = await Client.open(server.wsUrl, { ip });
    await Promise.all([...open.slice(1), other, again].map((c) => c.close()));
  });

  it('refused handshakes (no Sec-WebSocket-Key) do not use up the slots', async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${server.url}/`, { headers: { connection: 'Upgrade', upgrade: 'websocket', 'x-forwarded-for': ip } });
        req.on('response', (res) => resolve(res.statusCode ?? 0));
        req.on('upgrade', () => reject(new Error('upgraded')));
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(400);
    }
    await new Promise((r) => setTimeout(r, 50));
    const sockets = await Promise.all([1, 2, 3].map(() => Client.open(server.wsUrl, { ip })));
    await Promise.all(sockets.map((c) => c.close()));
  });
});

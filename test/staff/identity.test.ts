/**
 * A helpdesk portal's logged-in customer, end to end: verified, forged and absent identities through the chat
 * (webhook and websocket) to the handoff summary a local receiver gets, and to the staff transcript.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { identityHash } from '../../src/channels/identity.ts';
import type { HandoffSummary } from '../../src/staff/handoff.ts';
import { TestSocket } from '../support/server.ts';
import { newSecret } from '../support/webhook-receiver.ts';
import { bearer, eventually, startStaffServer, staffGet, type TestServer } from './helpers.ts';

const SECRET = 'portal-secret-0123456789abcdef-0123456789';
const identity = (id: string, extra: { email?: string; name?: string } = {}, secret = SECRET) => ({ id, ...extra, hash: identityHash(secret, id) });

/** A local HANDOFF_WEBHOOK_URL receiver keeping every summary it gets. */
async function receiver(): Promise<{ url: string; bodies: HandoffSummary[]; close(): Promise<void> }> {
  const bodies: HandoffSummary[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    bodies,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

async function post(url: string, body: unknown): Promise<{ type: string; user?: string; text?: string; code?: string }[]> {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}

/** hello (with `identity`, if any), then a request for a person: returns the conversation's id and reference. */
async function chatToHandoff(url: string, hello: Record<string, unknown>, before?: (user: string) => Promise<void>) {
  const user = (await post(url, { type: 'hello', lang: 'ja', ...hello })).find((m) => m.type === 'session')!.user!;
  await before?.(user);
  const replies = await post(url, { type: 'message', user, text: '担当者と話したい' });
  const reference = /OW-[A-Z0-9]{4}-\d{2}/.exec(replies.map((m) => m.text ?? '').join('\n'))![0];
  return { user, reference };
}

describe('customer identity from the helpdesk portal', () => {
  let hook: Awaited<ReturnType<typeof receiver>>;
  let server: TestServer;
  let warn: ReturnType<typeof vi.spyOn>;
  const summaryFor = (reference: string) => eventually(async () => hook.bodies.find((b) => b.reference === reference), Boolean);

  beforeAll(async () => {
    hook = await receiver();
    server = await startStaffServer({ HANDOFF_WEBHOOK_URL: hook.url, HANDOFF_WEBHOOK_SECRET: newSecret(), PORTAL_IDENTITY_SECRET: SECRET });
    warn = vi.spyOn(server.log, 'warn');
  });
  afterAll(async () => {
    await server?.stop();
    await hook?.close();
  });

  it('a verified identity reaches the handoff summary and the staff transcript, escaped, never in the customer text', async () => {
    const who = identity('cust-42', { email: 'hanako@example.jp', name: '<b>尾張</b> 花子' });
    const { reference } = await chatToHandoff(server.url, { identity: who });
    const summary = await summaryFor(reference);
    expect(summary?.customer).toEqual({ id: 'cust-42', email: 'hanako@example.jp', name: '<b>尾張</b> 花子' });
    expect(JSON.stringify(summary?.lastMessages)).not.toContain('hanako');
    expect(JSON.stringify(summary)).not.toContain(who.hash);

    const page = await (await staffGet(server.url, `/staff/conversations/${reference}`)).text();
    expect(page).toContain('&lt;b&gt;尾張&lt;/b&gt; 花子');
    expect(page).not.toContain('<b>尾張</b>');
    expect(page).toContain('<a href="mailto:hanako@example.jp">hanako@example.jp</a>');
    expect(page).toContain('cust-42');
    const json = await (await staffGet(server.url, `/staff/api/conversations/${reference}`, bearer)).json();
    expect(json.customer).toEqual({ id: 'cust-42', email: 'hanako@example.jp', name: '<b>尾張</b> 花子' });
    for (const turn of json.turns) {
      expect(JSON.stringify(turn)).not.toContain('hanako@example.jp');
      expect(turn.customer).toBeUndefined();
    }
  });

  it('a forged identity is ignored with a warning that holds neither hash, secret nor the claim; the chat goes on anonymously', async () => {
    warn.mockClear();
    const forged = identity('cust-42', { email: 'hanako@example.jp' }, 'not-the-portal-secret-0123456789abcd');
    const hello = await post(server.url, { type: 'hello', lang: 'ja', identity: forged });
    expect(hello.map((m) => m.type)).toEqual(['session', 'message']);
    const { reference } = await chatToHandoff(server.url, { identity: forged });
    const summary = await summaryFor(reference);
    expect(summary).toBeDefined();
    expect(summary!.customer).toBeUndefined();
    const logged = JSON.stringify(warn.mock.calls);
    expect(logged).toContain('forged');
    for (const secretThing of [forged.hash, SECRET, 'hanako', 'cust-42']) expect(logged).not.toContain(secretThing);
    const page = await (await staffGet(server.url, `/staff/conversations/${reference}`)).text();
    expect(page).not.toContain('hanako');
  });

  it('no identity: no customer in the summary, the transcript says anonymous', async () => {
    const { reference } = await chatToHandoff(server.url, {});
    const summary = await summaryFor(reference);
    expect(summary).toBeDefined();
    expect(summary!).not.toHaveProperty('customer');
    const json = await (await staffGet(server.url, `/staff/api/conversations/${reference}`, bearer)).json();
    expect(json.customer).toBeNull();
  });

  it('identify after the conversation started (webhook): the next turns and the handoff carry the customer', async () => {
    const { reference } = await chatToHandoff(server.url, {}, async (user) => {
      expect(await post(server.url, { type: 'identify', user, identity: identity('cust-7', { name: '山田 太郎' }) })).toEqual([]);
    });
    expect((await summaryFor(reference))?.customer).toEqual({ id: 'cust-7', email: null, name: '山田 太郎' });
  });

  it('websocket: identity with hello, identify later on the same conversation, a malformed identify refused', async () => {
    const socket = await TestSocket.open(`ws://127.0.0.1:${server.port}/`);
    try {
      socket.send({ type: 'hello', lang: 'ja' });
      await socket.next();
      socket.send({ type: 'identify', identity: { id: 'cust-9' } });
      expect((await socket.next((f) => f.type === 'error')).code).toBe('malformed');
      socket.send({ type: 'identify', identity: identity('cust-9', { email: 'taro@example.jp' }) });
      socket.send({ type: 'message', text: '担当者と話したい' });
      const reply = await socket.next((f) => f.type === 'message' && /OW-/.test(f.text));
      const reference = /OW-[A-Z0-9]{4}-\d{2}/.exec(reply.text)![0];
      expect((await summaryFor(reference))?.customer).toEqual({ id: 'cust-9', email: 'taro@example.jp', name: null });
    } finally {
      socket.ws.close();
    }
  });
});

describe('without PORTAL_IDENTITY_SECRET', () => {
  it('identities are ignored: the handoff summary has no customer', async () => {
    const hook = await receiver();
    const server = await startStaffServer({ HANDOFF_WEBHOOK_URL: hook.url, HANDOFF_WEBHOOK_SECRET: newSecret() });
    try {
      const { reference } = await chatToHandoff(server.url, { identity: identity('cust-42', { email: 'hanako@example.jp' }) });
      const summary = await eventually(async () => hook.bodies.find((b) => b.reference === reference), Boolean);
      expect(summary).toBeDefined();
      expect(summary!).not.toHaveProperty('customer');
    } finally {
      await server.stop();
      await hook.close();
    }
  });
});

/**
 * GET /metrics: Prometheus text, behind METRICS_TOKEN; the counters move by exactly what the conversations did.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postMessage, removeDataDir, startTestServer, TestSocket } from '../support/server.ts';
import { newSecret } from '../support/webhook-receiver.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';

/** The value of one sample of the exposition text (0 when the series has not appeared yet). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2] ? m[2].split(',') : [];
    if (wanted.length === have.length && wanted.every((w) => have.includes(w))) return Number(m[3]);
  }
  return 0;
}

async function scrape(url: string, token = TOKEN): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

describe('GET /metrics with METRICS_TOKEN', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer({ METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await server.close();
    removeDataDir(server.dataDir);
  });

  it('refuses a missing or wrong token with 401', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(401);
  });

  it('reports the process: memory and event-loop lag', async () => {
    const text = await scrape(server.url);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(text).toMatch(/^# TYPE owari_turn_duration_seconds histogram$/m);
    // Every outcome and refusal code is reported from the first scrape on, at 0 until it happens.
    expect(text).toMatch(/^owari_outcomes_total\{outcome="change-required-owari"\} 0$/m);
    expect(text).toMatch(/^owari_refusals_total\{code="unavailable"\} 0$/m);
  });

  it('counts what a scripted webhook conversation did, exactly', async () => {
    const before = await scrape(server.url);
    const [session] = (await postMessage(server.url, { type: 'hello' })).json;
    const user = session.user;
    const say = async (text: string) => (await postMessage(server.url, { type: 'message', user, text })).json;
    await say('ほげほげふがふが'); // not understood
    expect((await say('いいえ')).at(-1).outcome).toBe('no-change-needed');
    await say('restart');
    await say('はい');
    const tooLong = await say('あ'.repeat(1001));
    expect(tooLong[0].code).toBe('too_long');
    const malformed = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(malformed.status).toBe(400);

    const after = await scrape(server.url);
    const moved = (name: string, labels?: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(moved('owari_turns_total')).toBe(5);
    expect(moved('owari_outcomes_total', { outcome: 'no-change-needed' })).toBe(1);
    expect(moved('owari_outcomes_total', { outcome: 'change-recommended' })).toBe(0);
    expect(moved('owari_not_understood_total')).toBe(1);
    expect(moved('owari_refusals_total', { code: 'too_long' })).toBe(1);
    expect(moved('owari_refusals_total', { code: 'malformed' })).toBe(1);
    expect(moved('owari_handoffs_total')).toBe(0);
    expect(moved('owari_turn_duration_seconds_count')).toBe(5);
  });

  it('shows open websockets', async () => {
    const a = await TestSocket.open(server.wsUrl);
    const b = await TestSocket.open(server.wsUrl);
    try {
      expect(sample(await scrape(server.url), 'owari_websockets_open')).toBe(2);
      await a.close();
      await expect.poll(async () => sample(await scrape(server.url), 'owari_websockets_open')).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('refusals on the websocket', () => {
  it('counts a frame over 16 KiB (1009) as too_long and a socket over the per-IP quota (429) as rate_limited', async () => {
    const server = await startTestServer({ METRICS_TOKEN: TOKEN, MAX_SOCKETS_PER_IP: '1' });
    try {
      const socket = await TestSocket.open(server.wsUrl);
      await expect(TestSocket.open(server.wsUrl)).rejects.toThrow(/HTTP 429/);
      socket.send('x'.repeat(17 * 1024));
      await expect.poll(() => socket.closed?.code).toBe(1009);
      const text = await scrape(server.url);
      expect(sample(text, 'owari_refusals_total', { code: 'too_long' })).toBe(1);
      expect(sample(text, 'owari_refusals_total', { code: 'rate_limited' })).toBe(1);
    } finally {
      await server.close();
      removeDataDir(server.dataDir);
    }
  });
});

describe('handoffs and their deliveries', () => {
  it('counts a handoff and shows its delivery pending until the receiver answers', async () => {
    const held: ServerResponse[] = [];
    const receiver = createServer((req: IncomingMessage, res) => {
      req.resume();
      held.push(res);
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const server = await startTestServer({ METRICS_TOKEN: TOKEN, HANDOFF_WEBHOOK_URL: hook, HANDOFF_WEBHOOK_SECRET: newSecret() });
    try {
      const [session] = (await postMessage(server.url, { type: 'hello' })).json;
      await postMessage(server.url, { type: 'message', user: session.user, text: '担当者と話したい' });
      await expect.poll(() => held.length).toBe(1);
      const during = await scrape(server.url);
      expect(sample(during, 'owari_handoffs_total')).toBe(1);
      expect(sample(during, 'owari_handoff_deliveries_pending')).toBe(1);
      held[0]!.end();
      await expect.poll(async () => sample(await scrape(server.url), 'owari_handoff_deliveries_pending')).toBe(0);
    } finally {
      for (const res of held) res.end();
      await server.close();
      receiver.close();
      removeDataDir(server.dataDir);
    }
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  // The start-up log line that says so is checked on the real process (test/build/start.test.ts).
  it('does not exist', async () => {
    const server = await startTestServer();
    try {
      const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
    } finally {
      await server.close();
      removeDataDir(server.dataDir);
    }
  });
});

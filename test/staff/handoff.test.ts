/**
 * Handoff: the customer asks for a person (or is not understood twice) → contact options with the reference;
 * HANDOFF_WEBHOOK_URL gets a JSON summary, retried with backoff, never delaying the reply.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandoffNotifier, type HandoffSummary } from '../../src/staff/handoff.ts';
import { Customer, startStaffServer, type TestServer } from './helpers.ts';

interface Receiver {
  url: string;
  bodies: HandoffSummary[];
  attempts: number;
  close(): Promise<void>;
}

/** A local webhook receiver: `respond(n)` decides the n-th attempt's fate (status code, or 'hang'). */
async function receiver(respond: (attempt: number) => number | 'hang'): Promise<Receiver> {
  const state = { bodies: [] as HandoffSummary[], attempts: 0 };
  const hanging: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const attempt = ++state.attempts;
      const fate = respond(attempt);
      if (fate === 'hang') {
        hanging.push(req);
        return;
      }
      if (fate < 300) state.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(fate).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    get bodies() {
      return state.bodies;
    },
    get attempts() {
      return state.attempts;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const quietLog = { warn: () => undefined, error: () => undefined, info: () => undefined };
const summary = (reference: string): HandoffSummary => ({ type: 'handoff', reference, lang: 'ja', reason: 'asked', at: new Date().toISOString(), path: [], answers: [], lastMessages: [] });

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe('handoff webhook delivery', () => {
  it('retries failures (500, 503) with backoff until the receiver accepts', async () => {
    const hook = await receiver((n) => (n === 1 ? 500 : n === 2 ? 503 : 204));
    cleanup.push(hook.close);
    const notifier = createHandoffNotifier({ url: hook.url, log: quietLog, retryDelaysMs: [20, 40, 80] });
    const started = Date.now();
    notifier.send(summary('OW-7K3Q-92'));
    await notifier.idle();
    expect(hook.attempts).toBe(3);
    expect(hook.bodies).toEqual([summary('OW-7K3Q-92')].map((s) => ({ ...s, at: hook.bodies[0]!.at })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(60); // waited 20 + 40 ms between attempts
  });

  it('gives up after the last retry; an unreachable receiver is retried too', async () => {
    const hook = await receiver(() => 500);
    cleanup.push(hook.close);
    const notifier = createHandoffNotifier({ url: hook.url, log: quietLog, retryDelaysMs: [5, 5] });
    notifier.send(summary('OW-7K3Q-92'));
    await notifier.idle();
    expect(hook.attempts).toBe(3);

    const errors: unknown[] = [];
    const down = createHandoffNotifier({ url: 'http://127.0.0.1:9/hook', log: { ...quietLog, error: (o: unknown) => errors.push(o) }, retryDelaysMs: [5] });
    down.send(summary('OW-7K3Q-93'));
    await down.idle();
    expect(errors).toHaveLength(1);
  });

  it('a receiver that never answers times out and is retried', async () => {
    const hook = await receiver((n) => (n === 1 ? 'hang' : 200));
    cleanup.push(hook.close);
    const notifier = createHandoffNotifier({ url: hook.url, log: quietLog, retryDelaysMs: [5], timeoutMs: 200 });
    notifier.send(summary('OW-7K3Q-92'));
    await notifier.idle();
    expect(hook.attempts).toBe(2);
    expect(hook.bodies).toHaveLength(1);
  });
});

describe('handoff in the conversation', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('gives contact options and the reference; the summary reaches the webhook without delaying the reply', async () => {
    const hook = await receiver((n) => (n === 1 ? 'hang' : 200)); // the first delivery hangs (5 s timeout, then a retry)
    cleanup.push(hook.close);
    server = await startStaffServer({ HANDOFF_WEBHOOK_URL: hook.url, CONTACT_HOURS: '00:00-24:00' });
    const c = new Customer(server.url);
    await c.hello();
    await c.say('はい', 'いいえ', 'はい', 'Windows', 'taro@example.com です');
    const started = Date.now();
    const replies = await c.say('担当者と話したい');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(1000);
    const text = replies.map((m) => m.text).join('\n');
    expect(text).toContain('https://www.owari.ne.jp/support/contact/');
    expect(text).toContain('0120-000-000');
    expect(text).toMatch(/受付番号：OW-[A-Z0-9]{4}-\d\d/);
    expect(c.reference).toBeDefined();

    await expect.poll(() => hook.attempts, { timeout: 3000 }).toBeGreaterThanOrEqual(1);
    expect(hook.bodies).toHaveLength(0); // still hanging: the customer got the answer anyway
    const stopping = Date.now();
    await server.stop(); // shutdown does not wait for the hanging receiver either
    server = undefined;
    expect(Date.now() - stopping).toBeLessThan(3000);
  });

  it('sends reference, path, answers, client, outcome and masked last messages', async () => {
    const hook = await receiver(() => 200);
    cleanup.push(hook.close);
    server = await startStaffServer({ HANDOFF_WEBHOOK_URL: hook.url });
    const c = new Customer(server.url);
    await c.hello();
    await c.say('はい', 'はい', 'はい', 'Windows', 'Thunderbird', '電話 090-1234-5678 ください', 'オペレーター');
    await expect.poll(() => hook.bodies.length, { timeout: 5000 }).toBe(1);
    const body = hook.bodies[0]!;
    expect(body.reference).toBe(c.reference);
    expect(body.reason).toBe('asked');
    expect(body.path).toEqual(['uses_mail_software', 'connects_via_owari', 'uses_owari_address', 'change_required_owari', 'choose_client_windows', 'settings']);
    expect(body.answers).toEqual([
      { question: 1, step: 'uses_mail_software', answer: 'yes' },
      { question: 2, step: 'connects_via_owari', answer: 'yes' },
      { question: 3, step: 'uses_owari_address', answer: 'yes' },
    ]);
    expect(body.client).toBe('thunderbird');
    expect(body.os).toBe('windows');
    expect(body.outcome).toBe('change-required-owari');
    expect(body.lastMessages.at(-2)).toMatchObject({ from: 'customer', text: 'オペレーター' });
    expect(body.lastMessages.map((m) => m.text).join('\n')).toContain('電話 [電話番号] ください');
    expect(JSON.stringify(body)).not.toContain('090-1234-5678');
    expect(JSON.stringify(body)).not.toContain(c.user!);
  });

  it('not understood twice → handoff with the reference, reason not_understood', async () => {
    const hook = await receiver(() => 200);
    cleanup.push(hook.close);
    server = await startStaffServer({ HANDOFF_WEBHOOK_URL: hook.url });
    const c = new Customer(server.url);
    await c.hello();
    const replies = await c.say('ふがふが', 'ぴよぴよ');
    expect(replies.map((m) => m.text).join('\n')).toMatch(/担当者[\s\S]*受付番号：OW-/);
    await expect.poll(() => hook.bodies.length, { timeout: 5000 }).toBe(1);
    expect(hook.bodies[0]).toMatchObject({ reference: c.reference, reason: 'not_understood', path: ['uses_mail_software'], answers: [] });
  });
});

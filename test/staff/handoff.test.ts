/**
 * Handoff: the customer asks for a person (or is not understood twice) → contact options with the reference;
 * HANDOFF_WEBHOOK_URL gets a signed JSON summary, stored until delivered, retried with backoff, never delaying the reply.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandoffNotifier, type HandoffOptions, type HandoffSummary } from '../../src/staff/handoff.ts';
import { openSqliteHandoffs } from '../../src/staff/handoff-store/sqlite.ts';
import type { HandoffStore } from '../../src/staff/handoff-store/types.ts';
import { newSecret, verified, WebhookReceiver, type Fate } from '../support/webhook-receiver.ts';
import { Customer, startStaffServer, type TestServer } from './helpers.ts';

const SECRET = newSecret();
const quietLog = { warn: () => undefined, error: () => undefined, info: () => undefined };
const summary = (reference: string): HandoffSummary => ({ type: 'handoff', reference, lang: 'ja', reason: 'asked', at: new Date().toISOString(), path: [], answers: [], lastMessages: [] });

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function receiver(respond: (attempt: number) => Fate): Promise<WebhookReceiver> {
  const hook = await WebhookReceiver.create(respond);
  cleanup.push(() => hook.stop());
  return hook;
}

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'owari-handoff-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A notifier on a SQLite store in `dir` (a new directory unless given), closed after the test. */
function notifier(options: Partial<HandoffOptions> & { url: string }, dir = dataDir()) {
  const store = options.store ?? openSqliteHandoffs(dir);
  const n = createHandoffNotifier({ log: quietLog, secret: SECRET, ...options, store });
  cleanup.push(() => n.close());
  return n;
}

describe('handoff webhook delivery', () => {
  it('retries failures (500, 503) with backoff until the receiver accepts', async () => {
    const hook = await receiver((n) => (n === 1 ? 500 : n === 2 ? 503 : 204));
    const handoff = notifier({ url: hook.url, retryDelaysMs: [20, 40, 80] });
    const started = Date.now();
    handoff.send(summary('OW-7K3Q-92'));
    await handoff.idle();
    expect(hook.attempts).toHaveLength(3);
    expect(hook.bodies).toEqual([summary('OW-7K3Q-92')].map((s) => ({ ...s, at: hook.bodies[0]!.at })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(60); // waited 20 + 40 ms between attempts
    expect(await handoff.pending()).toBe(0);
  });

  it('gives up when the next attempt would fall after the budget; an unreachable receiver is retried too', async () => {
    const hook = await receiver(() => 500);
    const errors: any[] = [];
    const log = { ...quietLog, error: (o: unknown) => void errors.push(o) };
    const handoff = notifier({ url: hook.url, log, retryDelaysMs: [5, 5, 60_000], retryBudgetMs: 30_000 });
    handoff.send(summary('OW-7K3Q-92'));
    await handoff.idle();
    expect(hook.attempts).toHaveLength(3);
    expect(errors).toEqual([expect.objectContaining({ reference: 'OW-7K3Q-92', attempts: 3, failure: 'HTTP 500' })]);
    expect(await handoff.pending()).toBe(0);

    const downErrors: unknown[] = [];
    const down = notifier({ url: 'http://127.0.0.1:9/hook', log: { ...quietLog, error: (o: unknown) => void downErrors.push(o) }, retryDelaysMs: [5, 60_000], retryBudgetMs: 30_000 });
    down.send(summary('OW-7K3Q-93'));
    await down.idle();
    expect(downErrors).toEqual([expect.objectContaining({ reference: 'OW-7K3Q-93', attempts: 2 })]);
  });

  it('a receiver that never answers times out and is retried', async () => {
    const hook = await receiver((n) => (n === 1 ? 'hang' : 200));
    const handoff = notifier({ url: hook.url, retryDelaysMs: [5], timeoutMs: 200 });
    handoff.send(summary('OW-7K3Q-92'));
    await handoff.idle();
    expect(hook.attempts).toHaveLength(2);
    expect(hook.bodies).toHaveLength(1);
  });

  it('signs every attempt per Standard Webhooks (one webhook-id, the attempt\'s own timestamp) and sends the Authorization header', async () => {
    const hook = await receiver((n) => (n < 3 ? 503 : 204));
    let clock = Date.now();
    const handoff = notifier({ url: hook.url, retryDelaysMs: [5], authorization: 'Bearer ticket-token-1', now: () => (clock += 1000) });
    handoff.send(summary('OW-7K3Q-92'));
    await expect.poll(() => hook.delivered.length, { timeout: 5000 }).toBe(1);
    expect(hook.attempts).toHaveLength(3);
    const ids = new Set(hook.attempts.map((a) => a.headers['webhook-id']));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^msg_[A-Za-z0-9_-]{20,}$/);
    const stamps = hook.attempts.map((a) => Number(a.headers['webhook-timestamp']));
    expect(new Set(stamps).size).toBe(3); // each attempt signed at its own time
    for (const a of hook.attempts) {
      expect(a.headers.authorization).toBe('Bearer ticket-token-1');
      expect(a.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
      expect(verified(SECRET, a)).toMatchObject({ reference: 'OW-7K3Q-92' });
    }
    // The package rejects a body changed on the way, another key, or a replayed old timestamp.
    const last = hook.attempts.at(-1)!;
    expect(() => verified(SECRET, { ...last, body: last.body.replace('92', '93') })).toThrow(/signature/);
    expect(() => verified(newSecret(), last)).toThrow(/signature/);
    expect(() => verified(SECRET, { ...last, headers: { ...last.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 3600) } })).toThrow(/too old/);

    // Without HANDOFF_WEBHOOK_AUTHORIZATION there is no Authorization header.
    const plain = await receiver(() => 204);
    const unauthorized = notifier({ url: plain.url });
    unauthorized.send(summary('OW-7K3Q-93'));
    await unauthorized.idle();
    expect(plain.attempts[0]!.headers.authorization).toBeUndefined();
    expect(verified(SECRET, plain.attempts[0]!)).toMatchObject({ reference: 'OW-7K3Q-93' });
  });

  it('deliveries survive close(); a new notifier on the same file retries them at once (whatever the backoff said), with the same webhook-id', async () => {
    const dir = dataDir();
    const hook = await receiver((n) => (n === 1 ? 503 : 204));
    const first = createHandoffNotifier({ url: hook.url, log: quietLog, secret: SECRET, store: openSqliteHandoffs(dir), retryDelaysMs: [60_000] });
    first.send(summary('OW-7K3Q-92'));
    await expect.poll(() => hook.attempts.length).toBe(1);
    await expect.poll(() => first.pending()).toBe(1);
    await first.close();

    const second = notifier({ url: hook.url, retryDelaysMs: [60_000] }, dir);
    expect(await second.pending()).toBe(1);
    await expect.poll(() => hook.delivered.length, { timeout: 5000 }).toBe(1);
    expect(hook.delivered[0]!.headers['webhook-id']).toBe(hook.attempts[0]!.headers['webhook-id']);
    await second.idle();
    expect(await second.pending()).toBe(0);
  });

  it('close() does not wait for a receiver that hangs; the delivery stays stored and is sent after a restart', async () => {
    const dir = dataDir();
    const hook = await receiver((n) => (n === 1 ? 'hang' : 204));
    const first = createHandoffNotifier({ url: hook.url, log: quietLog, secret: SECRET, store: openSqliteHandoffs(dir) });
    first.send(summary('OW-7K3Q-92'));
    await expect.poll(() => hook.attempts.length).toBe(1);
    const closing = Date.now();
    await first.close();
    expect(Date.now() - closing).toBeLessThan(1000);

    const started = Date.now();
    const second = notifier({ url: hook.url }, dir);
    await expect.poll(() => hook.delivered.length, { timeout: 5000 }).toBe(1);
    expect(Date.now() - started).toBeLessThan(3000); // retried at start, not after the dead process's lease
    await second.idle();
  });

  it('a store that is down at send() keeps the delivery in memory and writes it when it answers', async () => {
    const hook = await receiver(() => 204);
    const store = openSqliteHandoffs(dataDir());
    let down = true;
    const flaky: HandoffStore = {
      ...store,
      add: (...args) => (down ? Promise.reject(new Error('disk full')) : store.add(...args)),
      claim: (...args) => (down ? Promise.reject(new Error('disk full')) : store.claim(...args)),
      count: () => (down ? Promise.reject(new Error('disk full')) : store.count()),
    };
    const warnings: any[] = [];
    const handoff = notifier({ url: hook.url, store: flaky, pollMs: 20, log: { ...quietLog, warn: (o: unknown) => void warnings.push(o) } });
    handoff.send(summary('OW-7K3Q-92'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(hook.attempts).toHaveLength(0);
    expect(warnings[0]).toMatchObject({ reference: 'OW-7K3Q-92' });
    down = false;
    expect(await handoff.pending()).toBe(1); // in memory, then in the store
    await expect.poll(() => hook.delivered.length, { timeout: 5000 }).toBe(1);
    await handoff.idle();
    expect(await handoff.pending()).toBe(0);
  });

  it('a delivery still failing when the budget runs out is removed and logged at error with the reference', async () => {
    const hook = await receiver(() => 503);
    const errors: any[] = [];
    const handoff = notifier({ url: hook.url, retryDelaysMs: [30], retryBudgetMs: 300, pollMs: 20, log: { ...quietLog, error: (o: unknown) => void errors.push(o) } });
    const started = Date.now();
    handoff.send(summary('OW-7K3Q-92'));
    await handoff.idle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(hook.attempts.length).toBeGreaterThanOrEqual(4);
    expect(hook.attempts.at(-1)!.startedAt - started).toBeLessThanOrEqual(300 + 50);
    expect(errors).toEqual([expect.objectContaining({ reference: 'OW-7K3Q-92', failure: 'HTTP 503' })]);
    expect(await handoff.pending()).toBe(0);
  });

  it('a delivery found past its budget at start is removed without an attempt, and logged', async () => {
    const dir = dataDir();
    const store = openSqliteHandoffs(dir);
    await store.add({ id: 'msg_old', reference: 'OW-7K3Q-92', body: '{}', createdAt: Date.now() - 20 * 60_000, attempts: 2 }, Date.now());
    await store.close();
    const hook = await receiver(() => 204);
    const errors: any[] = [];
    const handoff = notifier({ url: hook.url, log: { ...quietLog, error: (o: unknown) => void errors.push(o) } }, dir);
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toMatchObject({ reference: 'OW-7K3Q-92', webhookId: 'msg_old' });
    expect(hook.attempts).toHaveLength(0);
    expect(await handoff.pending()).toBe(0);
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
    server = await startStaffServer({ HANDOFF_WEBHOOK_URL: hook.url, HANDOFF_WEBHOOK_SECRET: SECRET, CONTACT_HOURS: '00:00-24:00' });
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

    await expect.poll(() => hook.attempts.length, { timeout: 3000 }).toBeGreaterThanOrEqual(1);
    expect(hook.bodies).toHaveLength(0); // still hanging: the customer got the answer anyway
    const stopping = Date.now();
    await server.stop(); // shutdown does not wait for the hanging receiver either
    server = undefined;
    expect(Date.now() - stopping).toBeLessThan(3000);
  });

  it('sends reference, path, answers, client, outcome and masked last messages', async () => {
    const hook = await receiver(() => 200);
    server = await startStaffServer({ HANDOFF_WEBHOOK_URL: hook.url, HANDOFF_WEBHOOK_SECRET: SECRET });
    const c = new Customer(server.url);
    await c.hello();
    await c.say('はい', 'はい', 'はい', 'Windows', 'Thunderbird', '電話 090-1234-5678 ください', 'オペレーター');
    await expect.poll(() => hook.bodies.length, { timeout: 5000 }).toBe(1);
    const body = hook.bodies[0]! as HandoffSummary;
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
    server = await startStaffServer({ HANDOFF_WEBHOOK_URL: hook.url, HANDOFF_WEBHOOK_SECRET: SECRET });
    const c = new Customer(server.url);
    await c.hello();
    const replies = await c.say('ふがふが', 'ぴよぴよ');
    expect(replies.map((m) => m.text).join('\n')).toMatch(/担当者[\s\S]*受付番号：OW-/);
    await expect.poll(() => hook.bodies.length, { timeout: 5000 }).toBe(1);
    expect(hook.bodies[0]).toMatchObject({ reference: c.reference, reason: 'not_understood', path: ['uses_mail_software'], answers: [] });
  });
});

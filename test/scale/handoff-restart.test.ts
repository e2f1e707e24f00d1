/**
 * Handoff deliveries outlive the process: handoffs made while the receiver is down (or answering 503) are still
 * delivered after SIGTERM or kill -9 and a restart on the same data (SQLite) or the same Redis — each reference,
 * none lost, any repeat with the same webhook-id, every attempt signed per Standard Webhooks and carrying the
 * Authorization header. With two instances on one Redis, each delivery is attempted by one instance at a time,
 * and dropped (logged at error) when the retry budget runs out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Customer } from '../staff/helpers.ts';
import { deleteKeys, redisDbUrl, requireRedis } from '../support/redis.ts';
import { newSecret, verified, WebhookReceiver, type Attempt } from '../support/webhook-receiver.ts';
import { startInstance, waitFor, type Instance } from './instances.ts';

const redis = await requireRedis();
const REDIS = redisDbUrl(10);
const SECRET = newSecret();
const AUTHORIZATION = 'Bearer ticket-system-token-123';
const HANDOFFS = 5;

const referenceOf = (a: Attempt) => (JSON.parse(a.body) as { reference: string }).reference;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function instance(env: Record<string, string>, dataDir?: string): Promise<Instance> {
  const started = await startInstance({ LOG_LEVEL: 'info', HANDOFF_WEBHOOK_SECRET: SECRET, HANDOFF_WEBHOOK_AUTHORIZATION: AUTHORIZATION, ...env }, { dataDir });
  cleanup.push(() => started.destroy());
  return started;
}

/** Customers who ask for a person over the webhook; returns the references the bot gave them. */
async function askForPeople(url: string, n: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const c = new Customer(url);
      await c.hello();
      const replies = await c.say('担当者と話したい');
      expect(replies.map((m) => m.text).join('\n')).toMatch(/受付番号：OW-/);
      return c.reference!;
    }),
  );
}

/** Every attempt is signed and authorized; each reference was delivered, under one webhook-id; nothing else was. */
function expectDeliveredOnce(hook: WebhookReceiver, references: string[]) {
  for (const a of hook.attempts) {
    expect(verified(SECRET, a)).toMatchObject({ type: 'handoff', reference: referenceOf(a) });
    expect(a.headers.authorization).toBe(AUTHORIZATION);
  }
  expect([...new Set(hook.delivered.map(referenceOf))].sort()).toEqual([...references].sort());
  for (const reference of references) {
    const ids = new Set(hook.attempts.filter((a) => referenceOf(a) === reference).map((a) => a.headers['webhook-id']));
    expect(ids.size, `${reference} was sent under several ids`).toBe(1);
  }
}

const engines = [
  { name: 'SQLite', skip: false, env: {} as Record<string, string> },
  { name: 'Redis', skip: !redis.available, env: { REDIS_URL: REDIS } },
];

for (const engine of engines) {
  describe.skipIf(engine.skip)(`handoffs pending at a stop are delivered after a restart (${engine.name})`, { timeout: 120_000 }, () => {
    beforeAll(async () => {
      if (engine.env.REDIS_URL) await deleteKeys(REDIS, 'owari:*');
    });
    afterAll(async () => {
      if (engine.env.REDIS_URL) await deleteKeys(REDIS, 'owari:*');
    });

    it('SIGTERM while the receiver is down', async () => {
      const hook = await WebhookReceiver.create(() => 204, { listening: false });
      cleanup.push(() => hook.stop());
      const dataDir = mkdtempSync(join(tmpdir(), 'owari-handoff-'));
      cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const env = { ...engine.env, HANDOFF_WEBHOOK_URL: hook.url };

      const first = await instance(env, dataDir);
      const references = await askForPeople(first.url, HANDOFFS);
      expect(new Set(references).size).toBe(HANDOFFS);
      first.kill('SIGTERM'); // at once: the summaries are still being put together and stored
      expect(await first.exited).toEqual({ code: 0, signal: null });
      expect(first.stdout.join('')).not.toMatch(/not delivered/);

      await hook.start();
      const second = await instance(env, dataDir);
      await waitFor(async () => new Set(hook.delivered.map(referenceOf)).size === HANDOFFS, 30_000, 'every handoff delivered after the restart');
      await new Promise((resolve) => setTimeout(resolve, 1500)); // time for a stray repeat to show
      expectDeliveredOnce(hook, references);
      expect(hook.attempts).toHaveLength(HANDOFFS);
      second.kill('SIGTERM');
      await second.exited;
    });

    it('kill -9 while the receiver answers 503', async () => {
      const hook = await WebhookReceiver.create(() => 503);
      cleanup.push(() => hook.stop());
      const dataDir = mkdtempSync(join(tmpdir(), 'owari-handoff-'));
      cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
      // Long retry delays: after the first failed attempt nothing is retried before the restart.
      const env = { ...engine.env, HANDOFF_WEBHOOK_URL: hook.url, HANDOFF_RETRY_DELAYS: '600' };

      const first = await instance(env, dataDir);
      const references = await askForPeople(first.url, HANDOFFS);
      // An attempt is made once its delivery is stored.
      await waitFor(async () => new Set(hook.attempts.map(referenceOf)).size === HANDOFFS, 10_000, 'a first attempt of every handoff');
      first.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');

      hook.respond = () => 204;
      const restarted = Date.now();
      const second = await instance(env, dataDir);
      await waitFor(async () => new Set(hook.delivered.map(referenceOf)).size === HANDOFFS, 30_000, 'every handoff delivered after the restart');
      expect(Date.now() - restarted).toBeLessThan(30_000); // the first retry after a start, whatever the 600 s backoff
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expectDeliveredOnce(hook, references);
      expect(hook.delivered).toHaveLength(HANDOFFS);
      second.kill('SIGTERM');
      await second.exited;
    });
  });
}

describe.skipIf(!redis.available)('handoff deliveries shared by two instances on Redis', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    await deleteKeys(REDIS, 'owari:*');
  });
  afterAll(async () => {
    if (redis.available) await deleteKeys(REDIS, 'owari:*');
  });

  it('each delivery is attempted by one instance at a time, then expires after the budget and is logged', async () => {
    // Every attempt takes 150 ms to fail: two instances attempting the same delivery would overlap.
    const hook = await WebhookReceiver.create(() => ({ status: 503, delayMs: 150 }));
    cleanup.push(() => hook.stop());
    const budgetSeconds = 6;
    const env = { REDIS_URL: REDIS, HANDOFF_WEBHOOK_URL: hook.url, HANDOFF_RETRY_DELAYS: '0.2', HANDOFF_RETRY_MINUTES: String(budgetSeconds / 60) };
    const [a, b] = await Promise.all([instance(env), instance(env)]);
    const references = [...(await askForPeople(a.url, 3)), ...(await askForPeople(b.url, 3))];

    await waitFor(async () => new Set(hook.attempts.map(referenceOf)).size === references.length, 10_000, 'a first attempt of every handoff');
    const count = new Redis(REDIS);
    cleanup.push(() => void count.disconnect());
    await waitFor(async () => (await count.zcard('owari:handoff:due')) === 0, (budgetSeconds + 10) * 1000, 'every delivery expired');
    const expired = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(hook.attempts.filter((t) => t.startedAt > expired)).toHaveLength(0); // none after it expired

    for (const reference of references) {
      const attempts = hook.attempts.filter((t) => referenceOf(t) === reference).sort((x, y) => x.startedAt - y.startedAt);
      expect(new Set(attempts.map((t) => t.headers['webhook-id'])).size).toBe(1);
      // At least a few retries, at most what one instance can make in the budget (350 ms an attempt and its delay).
      expect(attempts.length).toBeGreaterThanOrEqual(5);
      expect(attempts.length).toBeLessThanOrEqual(Math.ceil((budgetSeconds * 1000) / 350) + 1);
      for (let i = 1; i < attempts.length; i++) {
        expect(attempts[i]!.startedAt, `${reference}: attempt ${i + 1} began before attempt ${i} was answered`).toBeGreaterThanOrEqual(attempts[i - 1]!.answeredAt);
      }
      // No attempt starts after the budget, counted from the handoff (its first attempt follows at once).
      expect(attempts.at(-1)!.startedAt - attempts[0]!.startedAt).toBeLessThanOrEqual(budgetSeconds * 1000);
    }
    for (const t of hook.attempts) verified(SECRET, t);
    const log = a.stdout.join('') + b.stdout.join('');
    for (const reference of references) expect(log).toMatch(new RegExp(`"level":50[^\\n]*"reference":"${reference}"[^\\n]*giving up`));
  });
});

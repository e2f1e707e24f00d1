/**
 * SIGTERM with turns in flight loses none. The instance stops accepting, finishes the turns, closes
 * every socket with 1001 and exits 0 within 10 s; each customer then resumes on another instance at the step
 * their last message took them to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSocket } from '../support/server.ts';
import { deleteKeys, redisDbUrl, requireRedis } from '../support/redis.ts';
import { startInstance, type Instance } from './instances.ts';

const redis = await requireRedis();
const REDIS = redisDbUrl(13);
const CUSTOMERS = 30;

describe.skipIf(!redis.available)('SIGTERM with turns in flight', { timeout: 90_000 }, () => {
  let other: Instance;
  beforeAll(async () => {
    await deleteKeys(REDIS, 'owari:*');
    other = await startInstance({ REDIS_URL: REDIS });
  }, 120_000);
  afterAll(async () => {
    await other?.destroy();
    if (redis.available) await deleteKeys(REDIS, 'owari:*');
  });

  it('finishes every turn, closes sockets with 1001, exits 0 within 10 s; customers resume elsewhere', async () => {
    const leaving = await startInstance({ REDIS_URL: REDIS });
    const customers = await Promise.all(
      Array.from({ length: CUSTOMERS }, async () => {
        const ws = await TestSocket.open(leaving.wsUrl);
        const first = await ws.ask({ type: 'hello' });
        return { ws, id: ws.received.find((f) => f.type === 'session').user as string, first };
      }),
    );
    const before = customers[0]!.first.state as string;

    // Every customer answers; SIGTERM arrives while those turns are being handled.
    for (const c of customers) c.ws.send({ type: 'message', text: 'はい' });
    const t0 = Date.now();
    leaving.kill('SIGTERM');
    const { code, signal } = await leaving.exited;
    const took = Date.now() - t0;
    await leaving.destroy();
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(took).toBeLessThan(10_000);

    for (const c of customers) {
      await expect.poll(() => c.ws.closed?.code, { timeout: 5000 }).toBe(1001);
    }
    // No turn lost: on the other instance every conversation is at the step after question 1.
    const resumed = await Promise.all(
      customers.map(async (c) => {
        const ws = await TestSocket.open(other.wsUrl);
        const reply = await ws.ask({ type: 'welcome_back', user: c.id });
        await ws.close();
        return reply;
      }),
    );
    for (const r of resumed) {
      expect(r.type).toBe('message');
      expect(r.state).not.toBe(before);
    }
    expect(new Set(resumed.map((r) => r.state)).size).toBe(1);
    // Most replies were still delivered before the socket closed.
    const answered = customers.filter((c) => c.ws.received.filter((f) => f.type === 'message').length === 2).length;
    expect(answered).toBeGreaterThan(0);
  });
});

/**
 * Redis stopped and restarted mid-conversation (a private redis-server of this test's own, never the
 * shared one): turns are refused politely with `unavailable`, /readyz says 503 while /healthz stays 200, the
 * process does not crash, and the conversation continues where it was once Redis is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSocket } from '../support/server.ts';
import { PrivateRedis, requireRedis } from '../support/redis.ts';
import { startInstance, waitFor, type Instance } from './instances.ts';

const redis = await requireRedis();

describe.skipIf(!redis.available)('Redis stopped and restarted mid-conversation', { timeout: 90_000 }, () => {
  let own: PrivateRedis;
  let bot: Instance;
  beforeAll(async () => {
    own = await PrivateRedis.start();
    bot = await startInstance({ REDIS_URL: own.url });
  }, 120_000);
  afterAll(async () => {
    await bot?.destroy();
    await own?.destroy();
  });

  it('refuses turns with `unavailable` while Redis is down and resumes where it was when Redis returns', async () => {
    const ws = await TestSocket.open(bot.wsUrl);
    await ws.ask({ type: 'hello' });
    const atQuestion2 = await ws.ask({ type: 'message', text: 'はい' });
    expect(atQuestion2.type).toBe('message');

    await own.stop();
    const refused = await ws.ask({ type: 'message', text: 'はい' });
    expect(refused).toMatchObject({ type: 'error', code: 'unavailable' });
    expect(refused.text.length).toBeGreaterThan(0);
    expect(await bot.readyz()).toBe(503);
    expect(await bot.healthz()).toBe(200);
    // A new customer is refused politely as well, and the socket stays usable.
    const other = await TestSocket.open(bot.wsUrl);
    expect(await other.ask({ type: 'hello' })).toMatchObject({ type: 'error', code: 'unavailable' });
    await other.close();

    await own.start();
    await waitFor(async () => (await bot.readyz()) === 200, 20_000, '/readyz 200 after Redis returned');
    // The refused turn never happened: the same answer now moves on from question 2.
    const next = await ws.ask({ type: 'message', text: 'はい' });
    expect(next.type).toBe('message');
    expect(next.state).not.toBe(atQuestion2.state);
    expect(bot.child.exitCode).toBeNull();
    await ws.close();
  });
});

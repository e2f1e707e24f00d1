/**
 * With REDIS_URL, rate limits are counted in Redis: two instances share one count of new conversations per IP,
 * messages per conversation and failed staff logins. With Redis stopped, each instance counts on its own (the
 * in-memory insurance): the limits still hold and nothing crashes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, PrivateRedis, redisDbUrl, requireRedis } from '../support/redis.ts';
import { startInstance, type Instance } from './instances.ts';

const redis = await requireRedis();
const REDIS = redisDbUrl(9);
const TOKEN = 'shared-limits-token-0123456789';
const LIMITS = { TRUST_PROXY: 'true', RATE_LIMIT_CONVERSATIONS: '3', RATE_LIMIT_MESSAGES: '4', STAFF_TOKEN: TOKEN };

let nextIp = 1;
const freshIp = () => `198.18.0.${nextIp++}`;

async function post(at: Instance, ip: string, body: unknown): Promise<{ type: string; code?: string; user?: string }[]> {
  const res = await fetch(`${at.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify(body) });
  return (await res.json()) as { type: string; code?: string; user?: string }[];
}

const staffStatus = async (at: Instance, ip: string, token: string) =>
  (await fetch(`${at.url}/staff/api/stats`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': ip } })).status;

describe.skipIf(!redis.available)('rate limits shared by two instances through Redis', { timeout: 90_000 }, () => {
  let a: Instance;
  let b: Instance;
  beforeAll(async () => {
    await deleteKeys(REDIS, 'owari:*');
    [a, b] = await Promise.all([startInstance({ REDIS_URL: REDIS, ...LIMITS }), startInstance({ REDIS_URL: REDIS, ...LIMITS })]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map((i) => i.destroy()));
    if (redis.available) await deleteKeys(REDIS, 'owari:*');
  });

  it('new conversations per IP: 3 on A and B together, the 4th refused on either', async () => {
    const ip = freshIp();
    for (const at of [a, b, a]) expect((await post(at, ip, { type: 'hello' }))[0]!.type).toBe('session');
    expect((await post(b, ip, { type: 'hello' }))[0]).toMatchObject({ type: 'error', code: 'rate_limited' });
    expect((await post(a, ip, { type: 'hello' }))[0]).toMatchObject({ type: 'error', code: 'rate_limited' });
    expect((await post(b, freshIp(), { type: 'hello' }))[0]!.type).toBe('session');
  });

  it('messages per conversation: 4 per 10 s whichever instance each goes to', async () => {
    const user = (await post(a, freshIp(), { type: 'hello' }))[0]!.user;
    for (const at of [a, b, a, b]) expect((await post(at, freshIp(), { type: 'message', user, text: 'restart' }))[0]!.type).toBe('message');
    expect((await post(a, freshIp(), { type: 'message', user, text: 'restart' }))[0]).toMatchObject({ type: 'error', code: 'rate_limited' });
  });

  it('failed staff logins: 5 from one IP across A and B, then 429 on both', async () => {
    const ip = freshIp();
    for (const at of [a, b, a, b, a]) expect(await staffStatus(at, ip, `${TOKEN}-wrong`)).toBe(401);
    expect(await staffStatus(b, ip, TOKEN)).toBe(429);
    expect(await staffStatus(a, ip, TOKEN)).toBe(429);
    expect(await staffStatus(b, freshIp(), TOKEN)).toBe(200);
  });
});

describe.skipIf(!redis.available)('rate limits while Redis is stopped', { timeout: 90_000 }, () => {
  let own: PrivateRedis;
  let bot: Instance;
  beforeAll(async () => {
    own = await PrivateRedis.start();
    bot = await startInstance({ REDIS_URL: own.url, ...LIMITS });
  }, 120_000);
  afterAll(async () => {
    await bot?.destroy();
    await own?.destroy();
  });

  it('still hold, counted by the instance itself; nothing crashes', async () => {
    await own.stop();
    // New conversations per IP: 3 are let through (and told the conversation store is unavailable), the 4th is
    // refused by the limit.
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await post(bot, ip, { type: 'hello' })).at(-1)).toMatchObject({ type: 'error', code: 'unavailable' });
    expect(await post(bot, ip, { type: 'hello' })).toEqual([expect.objectContaining({ type: 'error', code: 'rate_limited' })]);
    // Frames of a client without a conversation count against its IP: 4 malformed ones are answered as such, the 5th is refused.
    const other = freshIp();
    for (let i = 0; i < 4; i++) expect((await post(bot, other, { type: 42 }))[0]).toMatchObject({ type: 'error', code: 'malformed' });
    expect((await post(bot, other, { type: 42 }))[0]).toMatchObject({ type: 'error', code: 'rate_limited' });

    const staffIp = freshIp();
    for (let i = 0; i < 5; i++) expect(await staffStatus(bot, staffIp, `${TOKEN}-wrong`)).toBe(401);
    expect(await staffStatus(bot, staffIp, TOKEN)).toBe(429);

    expect(await bot.healthz()).toBe(200);
    expect(bot.child.exitCode).toBeNull();
    expect(bot.stderr.join('')).not.toMatch(/uncaught|unhandled/i);
  });
});

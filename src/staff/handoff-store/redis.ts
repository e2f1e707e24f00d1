/**
 * Handoff deliveries in Redis (when REDIS_URL is set): every instance sees every delivery, and each is attempted
 * by one instance at a time. Keys:
 *   <prefix>handoff:deliveries  hash: delivery id → delivery JSON (PendingHandoff)
 *   <prefix>handoff:due         sorted set: delivery id → when it is due, or when its lease runs out (ms)
 *   <prefix>handoff:leases      hash: delivery id → the token of the claim that holds it
 * A claim (one Lua script, so atomic against every other instance) takes what is due and moves its score to
 * the end of the lease: while the holder attempts it nobody else sees it due; if the holder dies, the score
 * passes and the next claim takes it over. Giving a delivery back is checked against the lease token, so an
 * instance whose lease ran out does not overwrite the new holder's state.
 *
 * Own connection, failing fast like the conversation store's: no offline queue, a short command timeout.
 */
import { Redis } from 'ioredis';
import { HandoffStoreUnavailableError, type Claimed, type HandoffStore, type LeasedHandoff, type PendingHandoff } from './types.ts';
import { failFastRedisOptions } from '../../storage/redis-options.ts';

/** KEYS: due, deliveries, leases. ARGV: now, leaseUntil, limit, token. Returns { delivery JSON… }, earliest score. */
const CLAIM = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local d = redis.call('HGET', KEYS[2], id)
  if d then
    redis.call('ZADD', KEYS[1], ARGV[2], id)
    redis.call('HSET', KEYS[3], id, ARGV[4])
    out[#out + 1] = d
  else
    redis.call('ZREM', KEYS[1], id)
    redis.call('HDEL', KEYS[3], id)
  end
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return { out, first[2] or '' }
`;

/** KEYS: due, deliveries, leases. ARGV: id, token, dueAt, delivery JSON. 1 = given back, 0 = not the holder. */
const RELEASE = `
if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] or redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
`;

/** KEYS: due, leases. ARGV: now. */
const DUE_NOW = `
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf')) do
  if redis.call('HEXISTS', KEYS[2], id) == 0 then redis.call('ZADD', KEYS[1], ARGV[1], id) end
end
return 0
`;

type ScriptedRedis = Redis & {
  owariHandoffClaim(due: string, deliveries: string, leases: string, now: number, leaseUntil: number, limit: number, token: string): Promise<[string[], string]>;
  owariHandoffDueNow(due: string, leases: string, now: number): Promise<number>;
  owariHandoffRelease(due: string, deliveries: string, leases: string, id: string, token: string, dueAt: number, json: string): Promise<number>;
};

export interface RedisHandoffOptions {
  /** Key prefix (the conversation store's default). */
  prefix?: string;
  commandTimeoutMs?: number;
}

const json = (d: PendingHandoff): string =>
  JSON.stringify({ id: d.id, reference: d.reference, body: d.body, createdAt: d.createdAt, attempts: d.attempts } satisfies PendingHandoff);

export async function openRedisHandoffs(url: string, options: RedisHandoffOptions = {}): Promise<HandoffStore & { redis: Redis }> {
  const prefix = options.prefix ?? 'owari:';
  const due = `${prefix}handoff:due`;
  const deliveries = `${prefix}handoff:deliveries`;
  const leases = `${prefix}handoff:leases`;
  const redis = new Redis(url, failFastRedisOptions(options.commandTimeoutMs)) as ScriptedRedis;
  redis.defineCommand('owariHandoffClaim', { numberOfKeys: 3, lua: CLAIM });
  redis.defineCommand('owariHandoffRelease', { numberOfKeys: 3, lua: RELEASE });
  redis.defineCommand('owariHandoffDueNow', { numberOfKeys: 2, lua: DUE_NOW });
  redis.on('error', () => undefined); // reported by the failing command instead
  // Start-up does not wait for Redis: deliveries are kept in memory until it answers.
  await Promise.race([redis.connect().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);

  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    if (redis.status !== 'ready') throw new HandoffStoreUnavailableError(new Error(`redis ${redis.status}`));
    try {
      return await work();
    } catch (error) {
      throw new HandoffStoreUnavailableError(error);
    }
  };
  let closed = false;

  return {
    engine: 'redis',
    redis,
    add: (d, dueAt, token) =>
      call(async () => {
        const multi = redis.multi().hset(deliveries, d.id, json(d)).zadd(due, dueAt, d.id);
        if (token) multi.hset(leases, d.id, token);
        else multi.hdel(leases, d.id);
        const replies = await multi.exec();
        const failed = replies?.find(([error]) => error)?.[0];
        if (!replies || failed) throw failed ?? new Error('transaction discarded');
      }),
    claim: (now, leaseUntil, limit, token) =>
      call(async (): Promise<Claimed> => {
        const [found, first] = await redis.owariHandoffClaim(due, deliveries, leases, now, leaseUntil, limit, token);
        const claimed: LeasedHandoff[] = found.map((s) => ({ ...(JSON.parse(s) as PendingHandoff), lease: token }));
        return { claimed, nextDueAt: first === '' ? undefined : Number(first) };
      }),
    release: (d, dueAt) => call(async () => (await redis.owariHandoffRelease(due, deliveries, leases, d.id, d.lease, dueAt, json(d))) === 1),
    dueNow: (now) => call(async () => void (await redis.owariHandoffDueNow(due, leases, now))),
    remove: (id) =>
      call(async () => {
        await redis.multi().zrem(due, id).hdel(deliveries, id).hdel(leases, id).exec();
      }),
    count: () => call(() => redis.zcard(due)),
    async close() {
      if (closed) return;
      closed = true;
      // Without a connection QUIT would wait out the reconnection attempts.
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}

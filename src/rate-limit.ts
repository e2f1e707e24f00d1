/**
 * Where rate-limit counters live. With REDIS_URL they are in Redis, so every instance behind the load balancer
 * counts against the same limits; each Redis limiter has an in-memory twin as insurance, which counts while
 * Redis is unreachable (the limits then hold per instance, and nothing waits for Redis). Without REDIS_URL the
 * counters are in this process's memory.
 */
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { failFastRedisOptions } from './storage/redis-options.ts';

export interface LimiterSpec {
  /** Part of the Redis key: `<prefix><name>:<key>`. */
  name: string;
  points: number;
  durationSeconds: number;
}

export interface RateLimiters {
  /** "redis" when the counters are shared through Redis. */
  readonly engine: 'memory' | 'redis';
  create(spec: LimiterSpec): RateLimiterAbstract;
  close(): Promise<void>;
}

/** A limiter call that waits longer than this is answered by the insurance limiter instead. */
const REDIS_COMMAND_TIMEOUT_MS = 500;

/** Counters in this process's memory only. */
export const memoryRateLimiters: RateLimiters = {
  engine: 'memory',
  create: ({ points, durationSeconds }) => new RateLimiterMemory({ points, duration: durationSeconds }),
  close: async () => {},
};

export async function openRateLimiters(redisUrl?: string, options: { prefix?: string } = {}): Promise<RateLimiters> {
  if (!redisUrl) return memoryRateLimiters;
  const prefix = options.prefix ?? 'owari:rl:';
  // Loaded only with Redis: ioredis is ≈ 30 ms of every start.
  const { Redis } = await import('ioredis');
  // While disconnected a limiter call fails at once and the insurance answers: a frame never waits for Redis.
  const redis = new Redis(redisUrl, failFastRedisOptions(REDIS_COMMAND_TIMEOUT_MS));
  // Reconnects are reported by the conversation store's readiness; the limiters just fall back meanwhile.
  redis.on('error', () => {});
  void redis.connect().catch(() => undefined);
  let closed = false;
  return {
    engine: 'redis',
    create: ({ name, points, durationSeconds }) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${prefix}${name}`,
        points,
        duration: durationSeconds,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points, duration: durationSeconds }),
      }),
    async close() {
      if (closed) return;
      closed = true;
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/**
 * How every connection of ours to Redis behaves while Redis is away: a command fails at once (nothing is queued
 * until Redis returns, so a turn, a limiter call or a handoff never waits for it), and the client keeps
 * reconnecting for ever, at most once a second. The caller connects when it chooses (lazyConnect).
 */
import type { RedisOptions } from 'ioredis';

export function failFastRedisOptions(commandTimeoutMs = 1000): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(50 * times, 1000),
    lazyConnect: true,
  };
}

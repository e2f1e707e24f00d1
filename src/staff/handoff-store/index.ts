/** Picks where handoff deliveries wait the way the conversation store is picked: Redis when REDIS_URL is set, else SQLite. */
import { openSqliteHandoffs } from './sqlite.ts';
import type { HandoffStore } from './types.ts';

export type { HandoffStore, LeasedHandoff, PendingHandoff } from './types.ts';

export async function openHandoffStore(config: { dataDir: string; redisUrl?: string }): Promise<HandoffStore> {
  if (!config.redisUrl) return openSqliteHandoffs(config.dataDir);
  // Loaded only with Redis: ioredis is ≈ 30 ms of every start.
  const { openRedisHandoffs } = await import('./redis.ts');
  return openRedisHandoffs(config.redisUrl);
}

/** Picks where handoff deliveries wait the way the conversation store is picked: Redis when REDIS_URL is set, else SQLite. */
import { openSqliteHandoffs } from './sqlite.ts';
import type { HandoffStore } from './types.ts';

export type { HandoffStore, LeasedHandoff, PendingHandoff } from './types.ts';

export async function openHandoffStore(config: { dataDir: string; redisUrl?: string }): Promise<HandoffStore> {
  if (!config.redisUrl) return openSqliteHandoffs(config.dataDir);
  // Loaded only with Redis: a start on the embedded default does not load ioredis.
  const { openRedisHandoffs } = await import('./redis.ts');
  return openRedisHandoffs(config.redisUrl);
}

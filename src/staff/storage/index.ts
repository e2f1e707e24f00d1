/** Picks the transcript engine the way the conversation store is picked: Redis when REDIS_URL is set, else SQLite. */
import { openSqliteTranscripts } from './sqlite.ts';
import type { TranscriptStore } from './types.ts';

export type { Transcript, TranscriptStore, TurnEvent } from './types.ts';
export { normalizeReference } from './types.ts';

export async function openTranscriptStore(config: { dataDir: string; redisUrl?: string; retentionDays: number }): Promise<TranscriptStore> {
  if (!config.redisUrl) return openSqliteTranscripts(config.dataDir);
  // Loaded only with Redis: a start on the embedded default does not load ioredis.
  const { openRedisTranscripts } = await import('./redis.ts');
  return openRedisTranscripts(config.redisUrl, config.retentionDays);
}

/** Picks the transcript engine the way the conversation store is picked: Redis when REDIS_URL is set, else SQLite. */
import { openRedisTranscripts } from './redis.ts';
import { openSqliteTranscripts } from './sqlite.ts';
import type { TranscriptStore } from './types.ts';

export type { Transcript, TranscriptStore, TurnEvent } from './types.ts';
export { normalizeReference } from './types.ts';

export function openTranscriptStore(config: { dataDir: string; redisUrl?: string; retentionDays: number }): TranscriptStore {
  return config.redisUrl ? openRedisTranscripts(config.redisUrl, config.retentionDays) : openSqliteTranscripts(config.dataDir);
}

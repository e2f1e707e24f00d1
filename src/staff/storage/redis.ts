/**
 * Transcripts in Redis (when REDIS_URL is set): per conversation a list of turn events and a reference key,
 * each with a TTL of RETENTION_DAYS refreshed on every turn, plus one sorted set (conversation id by last
 * activity) for date-range statistics, trimmed by purge(). Writes (append, erase, purge) go to a worker thread
 * with its own connection (redis-transcript-writer.mjs); this connection reads. Keys: redis-transcript-keys.mjs.
 */
import { Redis } from 'ioredis';
import type { Transcript, TranscriptStore, TurnEvent } from './types.ts';
import { transcriptKeys } from './redis-transcript-keys.mjs';
import { startWriterThread } from './writer-thread.ts';

export function openRedisTranscripts(url: string, retentionDays: number, prefix = 'owari:staff:'): TranscriptStore {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false });
  redis.on('error', () => undefined); // reported by the failing command instead
  const { turns: turnsKey, ref: refKey, active } = transcriptKeys(prefix);
  const parse = (raw: string[]): TurnEvent[] => raw.map((s) => JSON.parse(s) as TurnEvent);
  const writer = startWriterThread('redis-transcript-writer.mjs', { url, prefix, ttlMs: retentionDays * 86_400_000 });

  async function turnsOf(id: string): Promise<TurnEvent[]> {
    return parse(await redis.lrange(turnsKey(id), 0, -1));
  }

  return {
    engine: 'redis',
    // The writer thread gathers events into one MULTI itself; events held here for BATCH_MS would outlive
    // V8's young generation on a busy instance, and its old-generation collections pause the chat.
    batchEvents: 64,
    // Not an async function: its suspended frame would keep the events until the MULTI has run.
    append: (...events) => writer.append(events),
    async byReference(reference) {
      const id = await redis.get(refKey(reference));
      if (!id) return undefined;
      const turns = await turnsOf(id);
      if (turns.length === 0) return undefined;
      return { reference, lang: turns.at(-1)!.lang, startedAt: turns[0]!.at, updatedAt: turns.at(-1)!.at, turns } satisfies Transcript;
    },
    async recentTurns(conversationId, n) {
      return parse(await redis.lrange(turnsKey(conversationId), -n, -1));
    },
    async events(from, to) {
      const ids = await redis.zrangebyscore(active, from, '+inf');
      const out: TurnEvent[] = [];
      for (let i = 0; i < ids.length; i += 200) {
        const pipe = redis.pipeline();
        for (const id of ids.slice(i, i + 200)) pipe.lrange(turnsKey(id), 0, -1);
        for (const [err, raw] of (await pipe.exec()) ?? []) {
          if (err) throw err;
          out.push(...parse(raw as string[]).filter((e) => e.at >= from && e.at < to));
        }
      }
      return out.sort((a, b) => a.at - b.at);
    },
    erase: (reference) => writer.erase(reference),
    purge: (before) => writer.purge(before),
    async close() {
      await writer.close();
      // Without a connection QUIT would wait out the reconnection attempts.
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}

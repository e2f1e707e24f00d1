/**
 * Transcripts in Redis (when REDIS_URL is set): per conversation a list of turn events and a reference key,
 * each with a TTL of RETENTION_DAYS refreshed on every turn, plus one sorted set (conversation id by last
 * activity) for date-range statistics, trimmed by purge().
 *
 *   <prefix>turns:<conversationId>  list of JSON TurnEvent
 *   <prefix>ref:<reference>         string: the latest conversation id with that reference
 *   <prefix>active                  sorted set: conversation id → last activity (ms)
 */
import { Redis } from 'ioredis';
import type { Transcript, TranscriptStore, TurnEvent } from './types.ts';

export function openRedisTranscripts(url: string, retentionDays: number, prefix = 'owari:staff:'): TranscriptStore {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false });
  redis.on('error', () => undefined); // reported by the failing command instead
  const ttlMs = retentionDays * 86_400_000;
  const turnsKey = (id: string) => `${prefix}turns:${id}`;
  const refKey = (reference: string) => `${prefix}ref:${reference}`;
  const active = `${prefix}active`;
  const parse = (raw: string[]): TurnEvent[] => raw.map((s) => JSON.parse(s) as TurnEvent);

  async function turnsOf(id: string): Promise<TurnEvent[]> {
    return parse(await redis.lrange(turnsKey(id), 0, -1));
  }

  return {
    engine: 'redis',
    async append(...events) {
      // One RPUSH (the turns in order) and one set of bookkeeping commands per conversation in the batch,
      // rather than four commands per turn: a busy conversation has several turns in one batch.
      const byConversation = new Map<string, TurnEvent[]>();
      for (const e of events) {
        const turns = byConversation.get(e.conversationId);
        if (turns) turns.push(e);
        else byConversation.set(e.conversationId, [e]);
      }
      const multi = redis.multi();
      for (const [conversationId, turns] of byConversation) {
        const last = turns.at(-1)!;
        multi
          .rpush(turnsKey(conversationId), ...turns.map((e) => JSON.stringify(e)))
          .pexpire(turnsKey(conversationId), ttlMs)
          .set(refKey(last.reference), conversationId, 'PX', ttlMs)
          .zadd(active, last.at, conversationId);
      }
      await multi.exec();
    },
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
    async erase(reference) {
      const id = await redis.get(refKey(reference));
      if (!id) return [];
      await redis.multi().del(turnsKey(id), refKey(reference)).zrem(active, id).exec();
      return [id];
    },
    async purge(before) {
      const ids = await redis.zrangebyscore(active, '-inf', `(${before}`);
      let removed = 0;
      for (const id of ids) {
        const turns = await turnsOf(id);
        removed += turns.length;
        const refs = [...new Set(turns.map((t) => t.reference))];
        const pipe = redis.multi().del(turnsKey(id)).zrem(active, id);
        for (const r of refs) pipe.eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, 1, refKey(r), id);
        await pipe.exec();
      }
      return removed;
    },
    async close() {
      if (redis.status !== 'end') await redis.quit().catch(() => redis.disconnect());
    },
  };
}

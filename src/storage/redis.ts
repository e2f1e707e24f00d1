/**
 * Redis engine (REDIS_URL): every instance behind the load balancer reads and writes the same conversations,
 * so any instance continues any conversation, and one killed with -9 loses nothing it had answered.
 *
 * A conversation is one hash `<prefix>c:<id>` = { v: version, r: record JSON } with the session TTL, renewed on
 * every write. Turns are ordered across instances by optimistic versioning: read (v, r), compute the turn,
 * then a Lua script writes only if v is still the version read; otherwise the turn is computed again on the
 * newer record. No lock to leak when an instance dies mid-turn, and no lost update.
 *
 * Each instance remembers the version and record it last wrote of recent conversations: the next turn of
 * such a conversation is computed on that record and written with one round trip (the script's version
 * check says whether it is still current); only when another instance wrote in between, or it was
 * erased or expired, is the record read again.
 *
 * The version-checked writes of all turns computed in one pass of the event loop go to Redis as one script
 * call (group commit): per turn, a script call costs Redis more than the writes it makes, and this process a
 * command object, a reply and several promises. A turn is still answered only once its own write is
 * acknowledged.
 *
 * Unavailability is reported, never waited out: no offline queue, a short command timeout, and every
 * connection error becomes StoreUnavailableError (the customer gets `unavailable`). ioredis reconnects
 * in the background, so the service recovers by itself when Redis returns.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { ConversationRecord } from '../conversation/turn.ts';
import { BoundedCache } from '../support/bounded-cache.ts';
import { groupCommit } from './group-commit.ts';
import { migrateRedis, type RedisStep } from './migrations.ts';
import { failFastRedisOptions } from './redis-options.ts';
import { StoreUnavailableError, type Computed, type ConversationStore } from './types.ts';

export interface RedisStoreOptions {
  /** Key prefix, so several deployments (or tests) can share one Redis. Default `owari:`. */
  prefix?: string;
  /** Per-command timeout; a hung Redis is reported as unavailable after this long. Default 1000 ms. */
  commandTimeoutMs?: number;
  /** How long start-up waits for the first connection before going on not-ready. Default 2000 ms. */
  connectWaitMs?: number;
  /** Attempts of one update under contention before giving up with `unavailable`. Default 50. */
  maxAttempts?: number;
  /** Conversations whose last written version and record this instance remembers. Default 10,000. */
  rememberedRecords?: number;
}

/**
 * Version-checked writes of several conversations. KEYS: the conversations; ARGV: TTL seconds, then per key its
 * expected version ('' = absent) and record JSON. Returns per key the new version, or -1 where the stored
 * version was not the expected one (nothing written for that key).
 */
const CAS_MANY = `
local ttl = tonumber(ARGV[1])
local out = {}
for i, key in ipairs(KEYS) do
  local v = redis.call('HGET', key, 'v')
  if (v or '') ~= ARGV[2 * i] then
    out[i] = -1
  else
    local n = (tonumber(v) or 0) + 1
    redis.call('HSET', key, 'v', n, 'r', ARGV[2 * i + 1])
    redis.call('EXPIRE', key, ttl)
    out[i] = n
  end
end
return out
`;
/** Unconditional write: KEYS[1]; ARGV: record JSON, TTL seconds. */
const PUT = `
local n = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'r', ARGV[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
return n
`;

/**
 * The keys under the prefix (conversations here, staff transcripts under `<prefix>staff:`), step by step
 * (migrations.ts); the version is `<prefix>schema-version`. Append a step to change a layout.
 */
export const redisSteps: readonly RedisStep<Redis>[] = [
  {
    version: 1,
    does: 'conversations as hashes <prefix>c:<id> = { v, r }; transcripts as in redis-transcript-keys.mjs (the layout keys had before versions)',
    async up() {},
  },
];

interface VersionedWrite {
  key: string;
  /** '' = absent */
  expected: string;
  json: string;
}

type ScriptedRedis = Redis & {
  owariCasMany(numberOfKeys: number, ...keysThenArgs: (string | number)[]): Promise<(number | string)[]>;
  owariPut(key: string, record: string, ttl: number): Promise<number>;
};

export async function openRedisStore(url: string, ttlSeconds: number, options: RedisStoreOptions = {}): Promise<ConversationStore & { redis: Redis }> {
  const prefix = options.prefix ?? 'owari:';
  const maxAttempts = options.maxAttempts ?? 50;
  const redisOptions: RedisOptions = {
    ...failFastRedisOptions(options.commandTimeoutMs),
    // No auto-pipelining: the turns' writes already go out as one command per pass of the event loop (group
    // commit, below), and ioredis' auto-pipelines kept their commands alive long enough for V8 to move them
    // to the old generation (measured: a third more survivors per young-generation collection).
    enableAutoPipelining: false,
  };
  const redis = new Redis(url, redisOptions) as ScriptedRedis;
  redis.defineCommand('owariCasMany', { lua: CAS_MANY });
  redis.defineCommand('owariPut', { numberOfKeys: 1, lua: PUT });
  // Without a listener ioredis prints every reconnect error; readiness and turns report it instead.
  redis.on('error', () => {});

  // Start-up does not fail when Redis is down: the instance starts not-ready and recovers with Redis.
  const waitMs = options.connectWaitMs ?? 2000;
  await Promise.race([redis.connect().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);

  // Schema migrations run once Redis answers: now, or when it first comes up.
  if (redis.status === 'ready') {
    await migrateRedis(redis, prefix, redisSteps).catch((error: unknown) => {
      redis.disconnect();
      throw error;
    });
  }
  // Keys of a newer release (SchemaVersionError) found only then: this instance disconnects and stays not-ready.
  else redis.once('ready', () => void migrateRedis(redis, prefix, redisSteps).catch(() => redis.disconnect()));

  const key = (id: string) => `${prefix}c:${id}`;
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    if (redis.status !== 'ready') throw new StoreUnavailableError(new Error(`redis ${redis.status}`));
    try {
      return await work();
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  };
  const parse = (json: string | null | undefined) => (json ? (JSON.parse(json) as ConversationRecord) : undefined);
  let closed = false;
  /** Version and record this instance last wrote, per conversation, the oldest written forgotten first. */
  const written = new BoundedCache<string, { v: string; record: ConversationRecord }>(options.rememberedRecords ?? 10_000);
  const queues = new Map<string, Promise<unknown>>();
  const serial = <T>(id: string, work: () => Promise<T>): Promise<T> => {
    const run = (queues.get(id) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    queues.set(id, tail);
    void tail.then(() => {
      if (queues.get(id) === tail) queues.delete(id);
    });
    return run;
  };

  // At most 64 writes per script call: one call blocks Redis while it runs. Its failure is mapped once for the
  // whole group, and each turn takes its own version from the reply as it is: per turn, no promise more than its own.
  const casLater = groupCommit<VersionedWrite, number | string>(64, (group) => {
    const keys = group.map((w) => w.key);
    const args: (string | number)[] = [ttlSeconds];
    for (const w of group) args.push(w.expected, w.json);
    return redis.owariCasMany(keys.length, ...keys, ...args).catch((error: unknown) => {
      throw new StoreUnavailableError(error);
    });
  });

  return {
    engine: 'redis',
    redis,
    async load(id) {
      return parse(await call(() => redis.hget(key(id), 'r')));
    },
    async save(id, record) {
      written.delete(id);
      const json = JSON.stringify(record);
      await call(() => redis.owariPut(key(id), json, ttlSeconds));
    },
    update<T>(id: string, compute: (current: ConversationRecord | undefined) => Computed<T> | undefined): Promise<T | undefined> {
      // Updates of one id from this instance go one at a time, so retries only ever race other instances.
      return serial(id, async () => {
        const k = key(id);
        let last = written.get(id);
        for (let attempt = 0; attempt < maxAttempts; attempt++) {
          let v: string | null;
          let current: ConversationRecord | undefined;
          if (last) {
            ({ v, record: current } = last);
            last = undefined;
          } else {
            const [version, r] = await call(() => redis.hmget(k, 'v', 'r'));
            v = version ?? null;
            current = parse(r);
          }
          const next = compute(current);
          if (!next) return undefined;
          if (redis.status !== 'ready') throw new StoreUnavailableError(new Error(`redis ${redis.status}`));
          const version = Number(await casLater({ key: k, expected: v ?? '', json: JSON.stringify(next.record) }));
          if (version >= 0) {
            written.set(id, { v: String(version), record: next.record });
            return next.value;
          }
          // Another instance wrote this conversation in between (or it was erased): compute the turn again on what is stored.
          written.delete(id);
          if (attempt > 2) await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * attempt));
        }
        throw new StoreUnavailableError(new Error(`conversation ${id.slice(0, 8)} stayed contended for ${maxAttempts} attempts`));
      });
    },
    async delete(id) {
      written.delete(id);
      await call(() => redis.del(key(id)));
    },
    async ping() {
      if (closed || redis.status !== 'ready') return false;
      try {
        return (await redis.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      // QUIT waits for the replies to every command already sent; writes are acknowledged before that anyway.
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}


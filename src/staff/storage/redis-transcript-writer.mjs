/**
 * Worker thread: writes staff transcripts to Redis (redis.ts reads them), with its own connection, beside the
 * chat instead of inside its event loop. Built on the main thread, a busy instance's transcript writes were
 * one MULTI of ≈ 0.5 MB every 50 ms: turning it into commands, encoding it for the socket and the events held
 * until its reply cost the chat's event loop more than the conversations' own Redis writes, and the held
 * events outlived V8's young generation (old-generation collections pause every customer's turn).
 *
 * Events arrive in small batches and go out together every WRITE_MS: per conversation one RPUSH of its turns
 * in order and its bookkeeping (TTL, reference key, activity score), all in one MULTI. An append is answered
 * once its MULTI has run, so whoever awaits it can read the events back over another connection.
 * Erase and purge send what is pending first: one connection runs commands in the order they were sent.
 * Keys: redis-transcript-keys.mjs. Messages (src/storage/worker-loop.mjs): { op: 'append', events (each
 * TurnEvent as a JSON string) } | { op: 'erase', reference } (→ conversation ids) | { op: 'purge', before } (→ turns
 * deleted) | { op: 'close' }.
 */
import { workerData } from 'node:worker_threads';
import { Redis } from 'ioredis';
import { lowerThreadPriority } from '../../storage/thread-priority.mjs';
import { serve } from '../../storage/worker-loop.mjs';
import { transcriptKeys } from './redis-transcript-keys.mjs';

const WRITE_MS = 50;

// Staff transcripts are background work: the chat's event loop comes first (thread-priority.mjs).
lowerThreadPriority();

const { url, prefix, ttlMs } = workerData;
const redis = new Redis(url, { maxRetriesPerRequest: 2 });
redis.on('error', () => undefined); // reported by the failing command instead
const { turns: turnsKey, ref: refKey, active } = transcriptKeys(prefix);

/**
 * Per conversation, its turns not sent yet (each already the JSON string stored), the references they were
 * given under (usually one; a conversation started afresh gets a new one) and the time of the last; and the
 * appends they came from (answered when their MULTI has run). Only strings wait for the
 * MULTI, not the parsed events: what waits outlives a few of the thread's young-generation collections, and
 * strings are copied, not traced.
 */
let pending = new Map();
let waiting = [];
let timer;

function write() {
  clearTimeout(timer);
  timer = undefined;
  const conversations = pending;
  const appends = waiting;
  pending = new Map();
  waiting = [];
  if (conversations.size === 0) {
    for (const a of appends) a.resolve();
    return;
  }
  const multi = redis.multi();
  for (const [conversationId, { turns, references, at }] of conversations) {
    multi.rpush(turnsKey(conversationId), ...turns).pexpire(turnsKey(conversationId), ttlMs);
    for (const reference of references) multi.set(refKey(reference), conversationId, 'PX', ttlMs);
    multi.zadd(active, at, conversationId);
  }
  multi.exec().then(
    () => {
      for (const a of appends) a.resolve();
    },
    (error) => {
      for (const a of appends) a.reject(error);
    },
  );
}

/** `events`: each TurnEvent as its JSON string, stored as it is. */
function append(events) {
  for (const json of events) {
    const e = JSON.parse(json);
    const conversation = pending.get(e.conversationId);
    if (conversation) {
      conversation.turns.push(json);
      conversation.references.add(e.reference);
      conversation.at = e.at;
    } else pending.set(e.conversationId, { turns: [json], references: new Set([e.reference]), at: e.at });
  }
  timer ??= setTimeout(write, WRITE_MS);
  return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
}

async function erase(reference) {
  write();
  const id = await redis.get(refKey(reference));
  if (!id) return [];
  await redis.multi().del(turnsKey(id), refKey(reference)).zrem(active, id).exec();
  return [id];
}

async function purge(before) {
  write();
  const ids = await redis.zrangebyscore(active, '-inf', `(${before}`);
  let removed = 0;
  for (const id of ids) {
    const turns = (await redis.lrange(turnsKey(id), 0, -1)).map((s) => JSON.parse(s));
    removed += turns.length;
    const refs = [...new Set(turns.map((t) => t.reference))];
    const pipe = redis.multi().del(turnsKey(id)).zrem(active, id);
    // A reference key is left alone if a newer conversation has taken it over.
    for (const r of refs) pipe.eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, 1, refKey(r), id);
    await pipe.exec();
  }
  return removed;
}

serve(
  {
    append: (m) => append(m.events),
    erase: (m) => erase(m.reference),
    purge: (m) => purge(m.before),
  },
  async () => {
    write();
    // QUIT is answered after every command sent before it, the last MULTI included. Without a connection
    // nothing pending can be written, and QUIT would wait out the reconnection attempts (seconds of shutdown).
    if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
    else redis.disconnect();
  },
);

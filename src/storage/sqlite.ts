/**
 * Embedded default: one SQLite file under DATA_DIR, in WAL mode. One process owns the file (several instances
 * need REDIS_URL). Writes are group-committed: the turns computed in one tick of the event loop are written in
 * one transaction by the writer thread (conversation-writer.mjs), and each turn's promise resolves only after
 * that commit, so kill -9 still loses no answered turn while 50 concurrent conversations cost one commit
 * instead of 50 — and neither the commit nor SQLite's checkpoints run on the event loop. This connection
 * creates the schema and reads. A conversation with a write pending or in flight is read from that write, and
 * turns of one conversation are serialized by the service anyway.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConversationRecord } from '../conversation/turn.ts';
import { deepFreeze } from '../flow/deep-freeze.ts';
import { projectFile } from './project-file.ts';
import { startWorkerRpc } from './worker-rpc.ts';
import { StoreUnavailableError, type Computed, type ConversationStore } from './types.ts';

const SWEEP_MS = 60 * 60 * 1000;
/** Committed records kept in memory: the file is this process's alone, so a cached record is never stale. */
const CACHED_RECORDS = 10_000;

export function openSqliteStore(
  dataDir: string,
  ttlSeconds: number,
  now: () => number = Date.now,
  /** walAutocheckpointPages: the writer's checkpoint threshold (SQLite's default, 1,000 pages, unless a test sets it). */
  options: { walAutocheckpointPages?: number } = {},
): ConversationStore & { db: Database.Database } {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'conversations.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  )`);
  db.exec('CREATE INDEX IF NOT EXISTS conversations_expiry ON conversations (expires_at)');
  const select = db.prepare<[string, number], { record: string }>('SELECT record FROM conversations WHERE id = ? AND expires_at > ?');
  const writer = startWorkerRpc(projectFile('src', 'storage', 'conversation-writer.mjs'), { file, walAutocheckpointPages: options.walAutocheckpointPages });

  /**
   * Recently committed records and their expiry, oldest first: most turns read what the previous turn wrote.
   * Records are kept as objects, frozen, so a turn reads them without parsing JSON and no caller can change
   * what is cached (turns build new records; they never edit the one they were given).
   */
  const cache = new Map<string, { record: ConversationRecord; expiresAt: number }>();
  const remember = (id: string, record: ConversationRecord, expiresAt: number) => {
    cache.delete(id);
    cache.set(id, { record, expiresAt });
    if (cache.size > CACHED_RECORDS) cache.delete(cache.keys().next().value!);
  };
  /** Records written this tick, the commit that will write them, and batches sent to the writer and not yet committed. */
  let pending = new Map<string, ConversationRecord>();
  let commit: Promise<void> | undefined;
  const inFlight = new Set<Map<string, ConversationRecord>>();

  const flush = async (): Promise<void> => {
    const batch = pending;
    pending = new Map();
    commit = undefined;
    if (batch.size === 0) return;
    const expiresAt = now() + ttlSeconds * 1000;
    inFlight.add(batch);
    try {
      await writer.call({ op: 'commit', rows: [...batch].map(([id, record]) => [id, JSON.stringify(record)]), expiresAt });
      // A conversation deleted meanwhile has left the batch (see delete), so it is not cached again.
      for (const [id, record] of batch) remember(id, record, expiresAt);
    } finally {
      inFlight.delete(batch);
    }
  };
  const read = (id: string): ConversationRecord | undefined => {
    const written = pending.get(id);
    if (written) return written;
    for (const batch of inFlight) {
      const sent = batch.get(id);
      if (sent) return sent;
    }
    const cached = cache.get(id);
    if (cached && cached.expiresAt > now()) return cached.record;
    const row = select.get(id, now());
    return row ? deepFreeze(JSON.parse(row.record) as ConversationRecord) : undefined;
  };
  /** Queues a write for this tick's commit; resolves once the writer has committed it. */
  const write = (id: string, record: ConversationRecord): Promise<void> => {
    pending.set(id, deepFreeze(record));
    commit ??= new Promise<void>((resolve, reject) =>
      setImmediate(() => flush().then(resolve, (error: unknown) => reject(new StoreUnavailableError(error)))),
    );
    return commit;
  };
  /** A closed database is the only way SQLite is "unavailable" (e.g. a turn arriving during shutdown). */
  const guard = <T>(work: () => T): T => {
    if (!db.open) throw new StoreUnavailableError(new Error('database closed'));
    return work();
  };

  // Expired conversations are deleted at start (here, before any turn) and hourly by the writer (reads already ignore them).
  db.prepare<[number]>('DELETE FROM conversations WHERE expires_at <= ?').run(now());
  const sweep = () => {
    if (db.open) writer.call({ op: 'expire', now: now() }).catch(() => undefined);
  };
  const sweeper = setInterval(sweep, SWEEP_MS);
  sweeper.unref();

  return {
    engine: 'sqlite',
    db,
    async load(id) {
      return guard(() => read(id));
    },
    async save(id, record) {
      await guard(() => write(id, record));
    },
    async update<T>(id: string, compute: (current: ConversationRecord | undefined) => Computed<T> | undefined): Promise<T | undefined> {
      const next = guard(() => compute(read(id)));
      if (!next) return undefined;
      await write(id, next.record);
      return next.value;
    },
    async delete(id) {
      guard(() => {
        pending.delete(id);
        for (const batch of inFlight) batch.delete(id);
        cache.delete(id);
      });
      // After any commit already sent that still holds it: the writer handles messages in order.
      await writer.call({ op: 'delete', conversation: id });
    },
    async ping() {
      return db.open;
    },
    async close() {
      clearInterval(sweeper);
      if (!db.open) return;
      // The commit already scheduled for this tick, if any; a batch already sent is committed before `close` below.
      await commit?.catch(() => undefined);
      // The writer checkpoints the whole log into the file and stops; then this connection closes.
      await writer.close();
      db.close();
    },
  };
}

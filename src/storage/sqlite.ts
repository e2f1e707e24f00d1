/**
 * Embedded default: one SQLite file under DATA_DIR, in WAL mode. One process owns the file (several instances
 * need REDIS_URL). Writes are group-committed: the turns computed in one tick of the event loop are written in
 * one transaction, and each turn's promise resolves only after that commit, so kill -9 still loses no answered
 * turn while 50 concurrent conversations cost one commit instead of 50. A conversation with a write pending is
 * read from the pending write, and turns of one conversation are serialized by the service anyway.
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { ConversationRecord } from '../conversation/turn.ts';
import { BoundedCache } from '../support/bounded-cache.ts';
import { ensurePrivateDir, ensurePrivateFile } from './private-files.ts';
import { projectFile } from './project-file.ts';
import { columnsOf, migrateSqlite, type SqliteStep } from './migrations.ts';
import { openDatabase, pragma, transaction, type DatabaseSync } from './sqlite-db.mjs';
import { StoreUnavailableError, type Computed, type ConversationStore } from './types.ts';

const SWEEP_MS = 60 * 60 * 1000;
/** How often the checkpointer thread moves the WAL into the database file, and the log size that makes it start the log over. */
const CHECKPOINT_MS = 1000;
const WAL_RESTART_BYTES = 64 * 1024 * 1024;
/** Committed records kept in memory: the file is this process's alone, so a cached record is never stale. */
const CACHED_RECORDS = 10_000;
/**
 * Every turn moves a conversation's expiry, and an index on it would make each write a delete and an insert in
 * that index as well as the row's rewrite, nearly doubling its cost. So the index is on
 * `sweep_after`, the hourly sweep's bound, which a write moves only when the expiry has passed it: written as
 * expiry + SWEEP_SLACK_MS, it then stays put for an hour of turns. Reads go by the exact expiry.
 */
const SWEEP_SLACK_MS = 60 * 60 * 1000;

interface Cached {
  record: ConversationRecord;
  expiresAt: number;
  /** As committed: a later expiry up to this one can be written without touching the index. */
  sweepAfter: number;
}

export function openSqliteStore(
  dataDir: string,
  ttlSeconds: number,
  now: () => number = Date.now,
  options: { checkpointMs?: number; walRestartBytes?: number } = {},
): ConversationStore & { db: DatabaseSync } {
  ensurePrivateDir(dataDir);
  ensurePrivateFile(join(dataDir, 'conversations.db'));
  const db = openDatabase(join(dataDir, 'conversations.db'));
  // Checkpoints run on a worker thread (sqlite-checkpointer.mjs), not inside a commit on the event loop.
  pragma(db, 'wal_autocheckpoint = 0');
  pragma(db, `journal_size_limit = ${options.walRestartBytes ?? WAL_RESTART_BYTES}`);
  const checkpointer = new Worker(projectFile('src', 'storage', 'sqlite-checkpointer.mjs'), {
    workerData: { file: join(dataDir, 'conversations.db'), everyMs: options.checkpointMs ?? CHECKPOINT_MS, restartBytes: options.walRestartBytes ?? WAL_RESTART_BYTES },
  });
  checkpointer.unref();
  const checkpointerExited = new Promise<void>((resolve) => checkpointer.once('exit', () => resolve()));
  // Should the thread fail, SQLite checkpoints by itself again (in commits) rather than the WAL growing unchecked.
  checkpointer.once('error', () => {
    if (db.isOpen) pragma(db, 'wal_autocheckpoint = 1000');
  });
  migrateSqlite(db, 'conversations.db', conversationSteps);
  const sweepSlackMs = Math.min(ttlSeconds * 1000, SWEEP_SLACK_MS);
  const select = db.prepare('SELECT record FROM conversations WHERE id = ? AND expires_at > ?');
  const upsert = db.prepare(
    `INSERT INTO conversations (id, record, expires_at, sweep_after) VALUES (?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at, sweep_after = excluded.sweep_after`,
  );
  // Leaves sweep_after, and with it the index, alone.
  const rewrite = db.prepare('UPDATE conversations SET record = ?, expires_at = ? WHERE id = ?');
  // A row past its expiry has sweep_after ≤ expires_at + slack ≤ now + slack: the index finds every candidate.
  const expire = db.prepare('DELETE FROM conversations WHERE sweep_after <= ? AND expires_at <= ?');
  const remove = db.prepare('DELETE FROM conversations WHERE id = ?');

  /**
   * Recently committed records and their expiry, the oldest written forgotten first: most turns read what the
   * previous turn wrote. Records are kept as objects, so a turn reads them without parsing JSON; turns build new
   * records, they never change the one they were given.
   */
  const cache = new BoundedCache<string, Cached>(CACHED_RECORDS);
  /** Records written this tick and not committed yet, and the commit that will write them. */
  let pending = new Map<string, ConversationRecord>();
  let commit: Promise<void> | undefined;
  const commitBatch = (batch: Map<string, ConversationRecord>) => transaction(db, () => {
    const expiresAt = now() + ttlSeconds * 1000;
    const written: [string, Cached][] = [];
    for (const [id, record] of batch) {
      const json = JSON.stringify(record);
      let sweepAfter = cache.get(id)?.sweepAfter ?? -Infinity;
      if (sweepAfter < expiresAt || rewrite.run(json, expiresAt, id).changes === 0) {
        sweepAfter = expiresAt + sweepSlackMs;
        upsert.run(id, json, expiresAt, sweepAfter);
      }
      written.push([id, { record, expiresAt, sweepAfter }]);
    }
    return written;
  });
  const flush = () => {
    const batch = pending;
    pending = new Map();
    commit = undefined;
    if (batch.size === 0) return;
    if (!db.isOpen) throw new Error('database closed with writes pending');
    for (const [id, cached] of commitBatch(batch)) cache.set(id, cached);
  };
  const read = (id: string): ConversationRecord | undefined => {
    const written = pending.get(id);
    if (written) return written;
    const cached = cache.get(id);
    if (cached && cached.expiresAt > now()) return cached.record;
    const row = select.get(id, now()) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as ConversationRecord) : undefined;
  };
  /** Queues a write for this tick's commit; resolves once it is committed. */
  const write = (id: string, record: ConversationRecord): Promise<void> => {
    pending.set(id, record);
    commit ??= new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        try {
          flush();
          resolve();
        } catch (error) {
          reject(new StoreUnavailableError(error));
        }
      }),
    );
    return commit;
  };
  /** A closed database is the only way SQLite is "unavailable" (e.g. a turn arriving during shutdown). */
  const guard = <T>(work: () => T): T => {
    if (!db.isOpen) throw new StoreUnavailableError(new Error('database closed'));
    return work();
  };

  // Expired conversations are deleted at start and hourly (reads already ignore them).
  const sweep = () => {
    const at = now();
    if (db.isOpen) expire.run(at + sweepSlackMs, at);
  };
  sweep();
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
      await guard(() => {
        pending.delete(id);
        cache.delete(id);
        remove.run(id);
      });
    },
    async ping() {
      return db.isOpen;
    },
    async close() {
      clearInterval(sweeper);
      // Referenced while closing, so the process waits for it rather than exiting mid-close.
      checkpointer.ref();
      checkpointer.postMessage({ op: 'close' });
      await checkpointerExited;
      if (db.isOpen) {
        flush();
        pragma(db, 'wal_checkpoint(TRUNCATE)');
        db.close();
      }
    },
  };
}

/** conversations.db's schema, step by step (migrations.ts): append a step to change it. */
export const conversationSteps: readonly SqliteStep[] = [
  {
    version: 1,
    does: 'conversations table; sweep_after and its index in place of the index on the expiry',
    up(db) {
      db.exec(`CREATE TABLE IF NOT EXISTS conversations (
        id TEXT PRIMARY KEY,
        record TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        sweep_after INTEGER NOT NULL DEFAULT 0
      )`);
      // Files whose index was on the expiry itself: it would go on costing every write. The column's default
      // keeps such a file usable by a release before (a rollback): its writes leave sweep_after at 0, due once expired.
      if (!columnsOf(db, 'conversations').includes('sweep_after')) {
        db.exec('ALTER TABLE conversations ADD COLUMN sweep_after INTEGER NOT NULL DEFAULT 0');
        db.exec('UPDATE conversations SET sweep_after = expires_at');
      }
      db.exec('DROP INDEX IF EXISTS conversations_expiry');
      db.exec('CREATE INDEX IF NOT EXISTS conversations_sweep ON conversations (sweep_after)');
    },
  },
];

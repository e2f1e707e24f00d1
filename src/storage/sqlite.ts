/**
 * Embedded default: one SQLite file under DATA_DIR, written synchronously in WAL mode so kill -9 loses no
 * finished turn. One process owns the file; `update` is a single IMMEDIATE transaction, so even a second
 * process on the same file could not interleave a turn.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConversationRecord } from '../conversation/turn.ts';
import { StoreUnavailableError, type Computed, type ConversationStore } from './types.ts';

const SWEEP_MS = 60 * 60 * 1000;

export function openSqliteStore(dataDir: string, ttlSeconds: number, now: () => number = Date.now): ConversationStore & { db: Database.Database } {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'conversations.db'));
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
  const upsert = db.prepare<[string, string, number]>(
    'INSERT INTO conversations (id, record, expires_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at',
  );
  const expire = db.prepare<[number]>('DELETE FROM conversations WHERE expires_at <= ?');

  const read = (id: string): ConversationRecord | undefined => {
    const row = select.get(id, now());
    return row ? (JSON.parse(row.record) as ConversationRecord) : undefined;
  };
  const write = (id: string, record: ConversationRecord) => upsert.run(id, JSON.stringify(record), now() + ttlSeconds * 1000);
  const updateTx = db.transaction((id: string, compute: (current: ConversationRecord | undefined) => Computed<unknown> | undefined) => {
    const next = compute(read(id));
    if (next) write(id, next.record);
    return next;
  });
  /** A closed database is the only way SQLite is "unavailable" (e.g. a turn arriving during shutdown). */
  const guard = <T>(work: () => T): T => {
    if (!db.open) throw new StoreUnavailableError(new Error('database closed'));
    return work();
  };

  // Expired conversations are deleted at start and hourly (reads already ignore them).
  const sweep = () => {
    if (db.open) expire.run(now());
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
      guard(() => write(id, record));
    },
    async update<T>(id: string, compute: (current: ConversationRecord | undefined) => Computed<T> | undefined): Promise<T | undefined> {
      return guard(() => updateTx.immediate(id, compute)?.value as T | undefined);
    },
    async ping() {
      return db.open;
    },
    async close() {
      clearInterval(sweeper);
      if (db.open) {
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
      }
    },
  };
}

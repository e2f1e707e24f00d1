/** Embedded default: one SQLite file under DATA_DIR, written synchronously in WAL mode so kill -9 loses no finished turn. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConversationRecord } from '../conversation/turn.ts';
import type { ConversationStore } from './types.ts';

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
  const select = db.prepare<[string, number], { record: string }>('SELECT record FROM conversations WHERE id = ? AND expires_at > ?');
  const upsert = db.prepare<[string, string, number]>(
    'INSERT INTO conversations (id, record, expires_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at',
  );
  return {
    engine: 'sqlite',
    db,
    async load(id) {
      const row = select.get(id, now());
      return row ? (JSON.parse(row.record) as ConversationRecord) : undefined;
    },
    async save(id, record) {
      upsert.run(id, JSON.stringify(record), now() + ttlSeconds * 1000);
    },
    async ping() {
      return db.open;
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

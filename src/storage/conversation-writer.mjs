/**
 * Worker thread: the only writer of the conversation store's file (conversations.db). A group commit of the
 * turns of one event-loop tick, and SQLite's automatic checkpoints after it, run here beside the event loop
 * instead of inside it. The store answers a turn only after this thread has committed it, so kill -9 loses
 * no answered turn. The event loop keeps its own connection for reading (WAL) and creates the schema first.
 * Messages (worker-loop.mjs): { op: 'commit', rows: [[id, json]…], expiresAt } | { op: 'delete', conversation } |
 * { op: 'expire', now } (→ rows deleted) | { op: 'close' } (a full checkpoint, then the thread ends).
 */
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { serve } from './worker-loop.mjs';

const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
if (workerData.walAutocheckpointPages) db.pragma(`wal_autocheckpoint = ${workerData.walAutocheckpointPages}`);

const upsert = db.prepare(
  'INSERT INTO conversations (id, record, expires_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at',
);
const commitAll = db.transaction((rows, expiresAt) => {
  for (const [id, json] of rows) upsert.run(id, json, expiresAt);
});
const remove = db.prepare('DELETE FROM conversations WHERE id = ?');
const expire = db.prepare('DELETE FROM conversations WHERE expires_at <= ?');

serve(
  {
    commit: (m) => void commitAll.immediate(m.rows, m.expiresAt),
    delete: (m) => void remove.run(m.conversation),
    expire: (m) => expire.run(m.now).changes,
  },
  () => {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  },
);

/**
 * Worker thread: the only writer of the staff transcript file (staff.db). Recording a turn for staff is a
 * few SQLite B-tree inserts (≈ 40 µs with its indexes); here they run beside the chat instead of inside
 * its event loop, so customers never wait for staff storage. The main thread keeps its own connection for
 * reading (WAL lets it read while this thread writes) and creates the schema before starting this worker.
 * Messages (src/storage/worker-loop.mjs): { op: 'append', events (a JSON array of TurnEvent) } |
 * { op: 'erase', reference } (→ conversation ids) | { op: 'purge', before } (→ turns deleted) | { op: 'close' }.
 */
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { serve } from '../../storage/worker-loop.mjs';

const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');

// Positional parameters: binding by name costs a lookup per column on every row.
const insert = db.prepare(
  `INSERT INTO transcript_turns (conversation_id, reference, lang, at, step_from, step_to, understood, input, reply, outcome, client, error_code, faq, handoff)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const appendAll = db.transaction((events) => {
  for (const e of events) {
    insert.run(e.conversationId, e.reference, e.lang, e.at, e.from, e.to, e.understood, e.input ?? null, e.reply, e.outcome ?? null, e.client ?? null, e.errorCode ?? null, e.faq ?? null, e.handoff ? 1 : 0);
  }
});
const idsOfRef = db.prepare('SELECT DISTINCT conversation_id FROM transcript_turns WHERE reference = ?');
const eraseRef = db.prepare('DELETE FROM transcript_turns WHERE reference = ?');
const eraseAll = db.transaction((reference) => {
  const ids = idsOfRef.all(reference).map((r) => r.conversation_id);
  eraseRef.run(reference);
  return ids;
});
const purgeOld = db.prepare('DELETE FROM transcript_turns WHERE at < ?');

serve(
  {
    append: (m) => void appendAll(JSON.parse(m.events)),
    erase: (m) => eraseAll(m.reference),
    purge: (m) => purgeOld.run(m.before).changes,
  },
  () => db.close(),
);

/**
 * Worker thread: the only writer of the staff transcript file (staff.db). Recording a turn for staff is a
 * few SQLite B-tree inserts (≈ 10 µs with its indexes); here they run beside the chat instead of inside
 * its event loop, so customers never wait for staff storage. The main thread keeps its own connection for
 * reading (WAL lets it read while this thread writes) and creates the schema before starting this worker.
 *
 * Rows are inserted as their messages arrive, into a transaction committed every COMMIT_MS: the main thread
 * hands events on in small batches (held there, they would outlive V8's young generation), while the
 * indexes' pages are written once per commit, not once per batch (a row costs about half as much). An append
 * is answered once its commit is done, so whoever awaits it can read the rows back from another connection.
 * Messages (src/storage/worker-loop.mjs): { op: 'append', events (a JSON array of TurnEvent) } |
 * { op: 'erase', reference } (→ conversation ids) | { op: 'purge', before } (→ turns deleted) | { op: 'close' }.
 */
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { serve } from '../../storage/worker-loop.mjs';

const COMMIT_MS = 50;

const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');

// Positional parameters: binding by name costs a lookup per column on every row.
const insert = db.prepare(
  `INSERT INTO transcript_turns (conversation_id, reference, lang, at, step_from, step_to, understood, input, reply, outcome, client, error_code, faq, handoff)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
// Inside the open transaction, better-sqlite3 runs this as a savepoint: one append's rows go in whole or not at all.
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

/** The appends in the open transaction, answered when it commits (or fails). */
let uncommitted = [];
let timer;

function commit() {
  clearTimeout(timer);
  timer = undefined;
  const appends = uncommitted;
  uncommitted = [];
  if (!db.inTransaction) return;
  try {
    db.exec('COMMIT');
    for (const a of appends) a.resolve();
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    for (const a of appends) a.reject(error);
  }
}

function append(events) {
  if (!db.inTransaction) db.exec('BEGIN IMMEDIATE');
  timer ??= setTimeout(commit, COMMIT_MS);
  appendAll(events);
  return new Promise((resolve, reject) => uncommitted.push({ resolve, reject }));
}

/** Erasing and purging commit what is pending first, then run (and commit) on their own. */
const committedFirst = (work) => (m) => {
  commit();
  return work(m);
};

serve(
  {
    append: (m) => append(JSON.parse(m.events)),
    erase: committedFirst((m) => eraseAll(m.reference)),
    purge: committedFirst((m) => purgeOld.run(m.before).changes),
  },
  () => {
    commit();
    db.close();
  },
);

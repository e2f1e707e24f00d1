/**
 * Worker thread: the only writer of the staff transcript file (staff.db). Recording a turn for staff is a
 * few SQLite B-tree inserts with their indexes; here they run beside the chat instead of inside
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
import { openDatabase, transaction } from '../../storage/sqlite-db.mjs';
import { lowerThreadPriority } from '../../storage/thread-priority.mjs';
import { serve } from '../../storage/worker-loop.mjs';

const COMMIT_MS = 50;

// Staff transcripts are background work: the chat's event loop comes first (thread-priority.mjs).
lowerThreadPriority();

const db = openDatabase(workerData.file);

// Positional parameters: binding by name costs a lookup per column on every row.
const insert = db.prepare(
  `INSERT INTO transcript_turns (conversation_id, reference, lang, at, step_from, step_to, understood, input, reply, outcome, client, error_code, faq, handoff, customer, passed)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
// OR IGNORE: a reference and conversation's row is written by their first turn, and later turns find it there.
const insertRef = db.prepare('INSERT OR IGNORE INTO transcript_refs (reference, conversation_id, first_at) VALUES (?, ?, ?)');

// Inside the open transaction this is a savepoint (sqlite-db.mjs): one append's rows go in whole or not at all.
const appendAll = (events) => transaction(db, () => {
  for (const e of events) {
    insert.run(e.conversationId, e.reference, e.lang, e.at, e.from, e.to, e.understood, e.input ?? null, e.reply, e.outcome ?? null, e.client ?? null, e.errorCode ?? null, e.faq ?? null, e.handoff ? 1 : 0, e.customer ? JSON.stringify(e.customer) : null, e.passed?.join(' ') ?? null);
    insertRef.run(e.reference, e.conversationId, e.at);
  }
});
const conversationsOfRef = db.prepare('SELECT conversation_id FROM transcript_refs WHERE reference = ?');
const eraseTurns = db.prepare('DELETE FROM transcript_turns WHERE conversation_id = ? AND reference = ?');
const eraseRefs = db.prepare('DELETE FROM transcript_refs WHERE reference = ?');
const eraseAll = (reference) => transaction(db, () => {
  const ids = conversationsOfRef.all(reference).map((r) => r.conversation_id);
  for (const id of ids) eraseTurns.run(id, reference);
  eraseRefs.run(reference);
  return ids;
});
const purgeTurns = db.prepare('DELETE FROM transcript_turns WHERE at < ?');
// A reference given before the cut-off goes with the last of its turns.
const purgeRefs = db.prepare(`DELETE FROM transcript_refs WHERE first_at < ? AND NOT EXISTS (
  SELECT 1 FROM transcript_turns t WHERE t.conversation_id = transcript_refs.conversation_id AND t.reference = transcript_refs.reference)`);
const purgeOld = (before) => transaction(db, () => {
  const removed = purgeTurns.run(before).changes;
  purgeRefs.run(before);
  return removed;
});

/** The appends in the open transaction, answered when it commits (or fails). */
let uncommitted = [];
let timer;

function commit() {
  clearTimeout(timer);
  timer = undefined;
  const appends = uncommitted;
  uncommitted = [];
  if (!db.isTransaction) return;
  try {
    db.exec('COMMIT');
    for (const a of appends) a.resolve();
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    for (const a of appends) a.reject(error);
  }
}

function append(events) {
  if (!db.isTransaction) db.exec('BEGIN IMMEDIATE');
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
    purge: committedFirst((m) => purgeOld(m.before)),
  },
  () => {
    commit();
    db.close();
  },
);

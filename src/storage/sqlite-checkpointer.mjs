/**
 * Worker thread: checkpoints the conversation store's WAL into its database file every `everyMs`.
 *
 * SQLite's automatic checkpoint runs inside whichever commit crosses 1,000 WAL pages — on the event loop,
 * stalling every conversation for milliseconds. The store turns it off and this thread checkpoints instead.
 * PASSIVE never blocks the writer, but under steady writes the log can then never start over (a new commit
 * always lands before the checkpoint has caught up), so once the log passes `restartBytes` a RESTART
 * checkpoint makes the next commit wait the few milliseconds it takes to finish what PASSIVE left, and the
 * log is reused from its start (journal_size_limit then trims the file).
 *
 * Plain JavaScript, so the same file runs under the test runner, `npm run start:dev` and the server bundle.
 * Messages: { op: 'close' } stops it.
 */
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, pragma } from './sqlite-db.mjs';

const { file, everyMs, restartBytes } = workerData;
// The store set the journal mode; this connection only checkpoints.
const db = openDatabase(file, { wal: false });
const walBytes = () => {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
};
const timer = setInterval(() => {
  try {
    pragma(db, 'wal_checkpoint(PASSIVE)');
    if (walBytes() > restartBytes) pragma(db, 'wal_checkpoint(RESTART)');
  } catch {
    // Busy or closing: the next round tries again, and the store checkpoints fully when it closes.
  }
}, everyMs);

parentPort.on('message', (m) => {
  if (m.op !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});

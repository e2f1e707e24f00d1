/**
 * Handoff deliveries in SQLite: their own file (DATA_DIR/handoffs.db), written only by this connection on the
 * main thread, so a write never waits behind the transcript writer thread's open transaction (staff.db) or the
 * conversations' group commits (conversations.db). A delivery is a few hundred bytes written once and removed
 * once: a handful of small transactions per handoff. WAL with synchronous=NORMAL: a committed delivery survives
 * the process being killed.
 *
 * The file is one process's (as conversations.db is): a lease found at start was held by a process that is
 * gone, so it is given up at once and the delivery is retried straight away.
 */
import { join } from 'node:path';
import { migrateSqlite, type SqliteStep } from '../../storage/migrations.ts';
import { openDatabase, transaction, type DatabaseSync } from '../../storage/sqlite-db.mjs';
import { ensurePrivateDir, ensurePrivateFile } from '../../storage/private-files.ts';
import { HandoffStoreUnavailableError, type HandoffStore, type LeasedHandoff, type PendingHandoff } from './types.ts';

interface Row {
  id: string;
  reference: string;
  body: string;
  created_at: number;
  attempts: number;
}

const toDelivery = (r: Row): PendingHandoff => ({ id: r.id, reference: r.reference, body: r.body, createdAt: r.created_at, attempts: r.attempts });

export function openSqliteHandoffs(dataDir: string, now: () => number = Date.now, file = 'handoffs.db'): HandoffStore & { db: DatabaseSync } {
  ensurePrivateDir(dataDir);
  const path = join(dataDir, file);
  ensurePrivateFile(path);
  const db = openDatabase(path);
  migrateSqlite(db, file, handoffSteps);
  db.prepare('UPDATE handoff_deliveries SET due_at = MIN(due_at, ?), lease = NULL WHERE lease IS NOT NULL').run(now());

  const insert = db.prepare(
    'INSERT OR REPLACE INTO handoff_deliveries (id, reference, body, created_at, attempts, due_at, lease) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const due = db.prepare('SELECT id, reference, body, created_at, attempts FROM handoff_deliveries WHERE due_at <= ? ORDER BY due_at LIMIT ?');
  const lease = db.prepare('UPDATE handoff_deliveries SET due_at = ?, lease = ? WHERE id = ?');
  const earliest = db.prepare('SELECT MIN(due_at) AS at FROM handoff_deliveries');
  const giveBack = db.prepare('UPDATE handoff_deliveries SET attempts = ?, due_at = ?, lease = NULL WHERE id = ? AND lease = ?');
  const dueNow = db.prepare('UPDATE handoff_deliveries SET due_at = ? WHERE due_at > ? AND lease IS NULL');
  const remove = db.prepare('DELETE FROM handoff_deliveries WHERE id = ?');
  const count = db.prepare('SELECT COUNT(*) AS n FROM handoff_deliveries');
  const claimAll = (at: number, leaseUntil: number, limit: number, token: string) => transaction(db, () => {
    const claimed: LeasedHandoff[] = (due.all(at, limit) as unknown as Row[]).map((row) => ({ ...toDelivery(row), lease: token }));
    for (const d of claimed) lease.run(leaseUntil, token, d.id);
    return { claimed, nextDueAt: ((earliest.get() as { at: number | null } | undefined)?.at ?? undefined) };
  });

  /** A closed database (a call during shutdown) or a failing disk is reported as unavailable. */
  const guard = async <T>(work: () => T): Promise<T> => {
    if (!db.isOpen) throw new HandoffStoreUnavailableError(new Error('database closed'));
    try {
      return work();
    } catch (error) {
      throw new HandoffStoreUnavailableError(error);
    }
  };

  return {
    engine: 'sqlite',
    db,
    add: (d, dueAt, token) => guard(() => void insert.run(d.id, d.reference, d.body, d.createdAt, d.attempts, dueAt, token ?? null)),
    claim: (at, leaseUntil, limit, token) => guard(() => claimAll(at, leaseUntil, limit, token)),
    release: (d, dueAt) => guard(() => Number(giveBack.run(d.attempts, dueAt, d.id, d.lease).changes) > 0),
    dueNow: (at) => guard(() => void dueNow.run(at, at)),
    remove: (id) => guard(() => void remove.run(id)),
    count: () => guard(() => Number((count.get() as { n: number }).n)),
    async close() {
      if (db.isOpen) db.close();
    },
  };
}

/** The handoffs database's schema, one step per version (src/storage/migrations.ts). */
export const handoffSteps: readonly SqliteStep[] = [
  {
    version: 1,
    does: 'handoff_deliveries table and its index on the due time',
    up(db) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS handoff_deliveries (
          id TEXT PRIMARY KEY,
          reference TEXT NOT NULL,
          body TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          attempts INTEGER NOT NULL,
          due_at INTEGER NOT NULL,
          lease TEXT
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS handoff_deliveries_due ON handoff_deliveries (due_at);
      `);
    },
  },
];

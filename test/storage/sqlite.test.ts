import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync as Database, pragma } from '../../src/storage/sqlite-db.mjs';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/storage/sqlite.ts';
import { StoreUnavailableError } from '../../src/storage/types.ts';
import { record, storeContract } from './contract.ts';

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'owari-store-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

storeContract('sqlite', async () => openSqliteStore(dir(), 3600));

/** Opens the file as a start at `now` does (a start sweeps) and returns how many conversations it still holds. */
async function rowsAfterStart(d: string, ttlSeconds: number, now: number): Promise<number> {
  const store = openSqliteStore(d, ttlSeconds, () => now);
  const { n } = store.db.prepare('SELECT count(*) AS n FROM conversations').get() as { n: number };
  await store.close();
  return n;
}

describe('sqlite engine', () => {
  it('forgets a conversation after SESSION_TTL and sweeps it from the file on the next start', async () => {
    const d = dir();
    let now = 1_000_000;
    const store = openSqliteStore(d, 60, () => now);
    await store.save('old', record());
    now += 59_000;
    expect(await store.load('old')).toBeDefined();
    now += 2_000;
    expect(await store.load('old')).toBeUndefined();
    await store.close();
    expect(await rowsAfterStart(d, 60, now)).toBe(0);
  });

  it('keeps a conversation its turns keep alive, however long it goes on, and sweeps it one TTL after its last turn', async () => {
    const d = dir();
    let now = 1_000_000;
    const store = openSqliteStore(d, 60, () => now);
    for (let turn = 0; turn < 10; turn++) {
      await store.update('alive', () => ({ record: record(), value: 1 }));
      now += 45_000;
    }
    await store.close();
    // A start sweeps: ten turns, 45 s apart, carried the conversation well past its first turn's TTL.
    expect(await rowsAfterStart(d, 60, now)).toBe(1);
    now += 60_000;
    expect(await rowsAfterStart(d, 60, now)).toBe(0);
  });

  it('moves the indexed sweep bound only when the expiry passes it, not on every turn', async () => {
    const d = dir();
    let now = 1_000_000;
    const store = openSqliteStore(d, 3600, () => now);
    const row = () => store.db.prepare('SELECT expires_at, sweep_after FROM conversations WHERE id = ?').get('c') as { expires_at: number; sweep_after: number };
    await store.save('c', record());
    const first = row();
    expect(first.sweep_after).toBe(first.expires_at + 3_600_000);
    now += 60_000;
    await store.update('c', () => ({ record: record('connects_via_owari'), value: 1 }));
    expect(row()).toEqual({ expires_at: first.expires_at + 60_000, sweep_after: first.sweep_after });
    now += 3_600_000;
    await store.update('c', () => ({ record: record(), value: 1 }));
    expect(row()).toEqual({ expires_at: now + 3_600_000, sweep_after: now + 7_200_000 });
    expect(store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'conversations' AND sql IS NOT NULL").all()).toEqual([{ name: 'conversations_sweep' }]);
    await store.close();
  });

  it('opens a file written before the sweep bound existed: its conversations load, and expired ones are swept', async () => {
    const d = dir();
    const old = new Database(join(d, 'conversations.db'));
    old.exec('CREATE TABLE conversations (id TEXT PRIMARY KEY, record TEXT NOT NULL, expires_at INTEGER NOT NULL)');
    old.exec('CREATE INDEX conversations_expiry ON conversations (expires_at)');
    const insert = old.prepare('INSERT INTO conversations VALUES (?, ?, ?)');
    insert.run('kept', JSON.stringify(record('connects_via_owari')), 2_000_000);
    insert.run('expired', JSON.stringify(record()), 500_000);
    old.close();
    const store = openSqliteStore(d, 3600, () => 1_000_000);
    expect((await store.load('kept'))?.step).toBe('connects_via_owari');
    expect(store.db.prepare('SELECT id, sweep_after FROM conversations').all()).toEqual([{ id: 'kept', sweep_after: 2_000_000 }]);
    expect(store.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'conversations_expiry'").get()).toEqual({ n: 0 });
    await store.update('kept', () => ({ record: record(), value: 1 }));
    expect((await store.load('kept'))?.step).toBe(record().step);
    await store.close();
  });

  it('a file this version wrote stays usable by the version before (a rollback), and its rows are swept after', async () => {
    const d = dir();
    let now = 1_000_000;
    const store = openSqliteStore(d, 60, () => now);
    await store.save('new', record());
    await store.close();
    // The previous version's write, which knows nothing of sweep_after.
    const previous = new Database(join(d, 'conversations.db'));
    previous
      .prepare('INSERT INTO conversations (id, record, expires_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at')
      .run('old', JSON.stringify(record('connects_via_owari')), now + 60_000);
    previous.close();
    const again = openSqliteStore(d, 60, () => now);
    expect((await again.load('old'))?.step).toBe('connects_via_owari');
    await again.close();
    now += 61_000;
    expect(await rowsAfterStart(d, 60, now)).toBe(0);
  });

  it('keeps what it saved across a reopen (a restart of the instance)', async () => {
    const d = dir();
    const store = openSqliteStore(d, 3600);
    await store.update('k', () => ({ record: record('connects_via_owari'), value: 1 }));
    await store.close();
    const again = openSqliteStore(d, 3600);
    expect((await again.load('k'))?.step).toBe('connects_via_owari');
    await again.close();
  });

  it('a turn arriving after close is refused as unavailable, not a crash', async () => {
    const store = openSqliteStore(dir(), 3600);
    await store.close();
    await expect(store.load('x')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.update('x', () => ({ record: record(), value: 1 }))).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('checkpoints the write-ahead log on its own thread: commits never do, and under steady writes the log stays bounded', async () => {
    const d = dir();
    const store = openSqliteStore(d, 3600, Date.now, { checkpointMs: 50, walRestartBytes: 1024 * 1024 });
    expect(pragma(store.db, 'wal_autocheckpoint')).toBe(0);
    const walBytes = () => statSync(join(d, 'conversations.db-wal')).size;
    const text = 'x'.repeat(2000);
    let largest = 0;
    let commits = 0;
    // The checkpointer thread takes a moment to start (longer with the test runner's loader): the bound is for steady writes after that.
    const steadyFrom = Date.now() + 750;
    const until = Date.now() + 2000;
    let steadyCommits = 0;
    while (Date.now() < until) {
      // One commit per loop: each writes at least one 4 KiB page to the log.
      await store.update(`c${commits % 200}`, () => ({ record: { ...record(), reference: text + commits }, value: 1 }));
      commits++;
      if (Date.now() >= steadyFrom) {
        steadyCommits++;
        largest = Math.max(largest, walBytes());
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    // Without checkpoints (or with PASSIVE ones alone) the log would hold every commit, ≥ commits × 4 KiB.
    expect(steadyCommits).toBeGreaterThan(300);
    expect(largest).toBeLessThan(Math.min(steadyCommits * 4096, 4 * 1024 * 1024));
    await store.close();
  });

  it('a conversation deleted while its commit is pending stays deleted', async () => {
    const d = dir();
    const store = openSqliteStore(d, 3600);
    await store.save('gone', record('connects_via_owari'));
    const saving = store.save('gone', record('uses_owari_address'));
    await new Promise((resolve) => setImmediate(resolve));
    await store.delete('gone');
    await saving;
    expect(await store.load('gone')).toBeUndefined();
    await store.close();
    const again = openSqliteStore(d, 3600);
    expect(await again.load('gone')).toBeUndefined();
    await again.close();
  });
});

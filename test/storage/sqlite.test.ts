import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    const again = openSqliteStore(d, 60, () => now);
    expect(again.db.prepare('SELECT count(*) AS n FROM conversations').get()).toEqual({ n: 0 });
    await again.close();
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
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const walBytes = () => statSync(join(d, 'conversations.db-wal')).size;
    const text = 'x'.repeat(2000);
    let largest = 0;
    let commits = 0;
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      // One commit per loop: each writes at least one 4 KiB page to the log.
      await store.update(`c${commits % 200}`, () => ({ record: { ...record(), reference: text + commits }, value: 1 }));
      commits++;
      largest = Math.max(largest, walBytes());
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    // Without checkpoints (or with PASSIVE ones alone) the log would hold every commit, ≥ commits × 4 KiB.
    expect(commits).toBeGreaterThan(300);
    expect(largest).toBeLessThan(Math.min(commits * 4096, 4 * 1024 * 1024));
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

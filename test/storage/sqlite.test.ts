import { mkdtempSync, rmSync } from 'node:fs';
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
});

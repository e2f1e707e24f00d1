import { afterAll, describe, expect, it } from 'vitest';
import { openRedisStore } from '../../src/storage/redis.ts';
import { StoreUnavailableError } from '../../src/storage/types.ts';
import { deleteKeys, freePort, PrivateRedis, requireRedis, uniquePrefix } from '../support/redis.ts';
import { record, storeContract } from './contract.ts';

const redis = await requireRedis();
const prefixes: string[] = [];
const prefix = (name: string) => {
  const p = uniquePrefix(name);
  prefixes.push(p);
  return p;
};
afterAll(async () => {
  if (redis.available) for (const p of prefixes) await deleteKeys(redis.url, `${p}*`);
});

describe.skipIf(!redis.available)('redis engine', () => {
  storeContract('redis', () => openRedisStore(redis.url, 3600, { prefix: prefix('contract') }));

  it('stores each conversation under its prefix with the SESSION_TTL, renewed on every write', async () => {
    const p = prefix('ttl');
    const store = await openRedisStore(redis.url, 120, { prefix: p });
    await store.save('t', record());
    expect(await store.redis.ttl(`${p}c:t`)).toBeGreaterThan(110);
    await store.redis.expire(`${p}c:t`, 5);
    await store.update('t', (c) => ({ record: c!, value: 1 }));
    expect(await store.redis.ttl(`${p}c:t`)).toBeGreaterThan(110);
    await store.close();
  });

  it('two instances updating one conversation at once lose no update (optimistic versioning)', async () => {
    const p = prefix('race');
    const a = await openRedisStore(redis.url, 3600, { prefix: p });
    const b = await openRedisStore(redis.url, 3600, { prefix: p });
    await a.save('n', record('count', 0));
    const bump = (store: typeof a) => store.update('n', (c) => ({ record: { ...c!, misses: c!.misses + 1 }, value: c!.misses }));
    // Two separate connections interleave freely: only the version check keeps every increment.
    const seen = await Promise.all(Array.from({ length: 100 }, (_, i) => bump(i % 2 ? a : b)));
    expect((await a.load('n'))?.misses).toBe(100);
    // Each update saw a distinct predecessor: they were applied one after another.
    expect(new Set(seen).size).toBe(100);
    await Promise.all([a.close(), b.close()]);
  });

  it('turns of many conversations written in one call: each checked on its own version, each answered its own result', async () => {
    const p = prefix('group');
    const a = await openRedisStore(redis.url, 3600, { prefix: p });
    const b = await openRedisStore(redis.url, 3600, { prefix: p });
    const ids = Array.from({ length: 80 }, (_, i) => `g${i}`);
    await Promise.all(ids.map((id) => a.update(id, () => ({ record: record(`${id}:a`), value: 0 }))));
    // Behind a's back, b moves two of them on: a's remembered versions of those are stale.
    await b.update('g7', (c) => ({ record: record(`${c!.step}>b`), value: 0 }));
    await b.update('g70', (c) => ({ record: record(`${c!.step}>b`), value: 0 }));
    // All 80 in one tick: more than one call's worth (64), and two of them must be computed again.
    const seen = await Promise.all(ids.map((id) => a.update(id, (c) => ({ record: record(`${c!.step}>a2`), value: c!.step }))));
    expect(seen[7]).toBe('g7:a>b');
    expect(seen[70]).toBe('g70:a>b');
    expect(seen[8]).toBe('g8:a');
    for (const id of ids) {
      const expected = id === 'g7' || id === 'g70' ? `${id}:a>b>a2` : `${id}:a>a2`;
      expect((await b.load(id))?.step).toBe(expected);
      expect(await a.redis.hget(`${p}c:${id}`, 'v')).toBe(id === 'g7' || id === 'g70' ? '3' : '2');
    }
    await Promise.all([a.close(), b.close()]);
  });

  it('an instance sees the other instance’s write on its next turn', async () => {
    const p = prefix('handover');
    const a = await openRedisStore(redis.url, 3600, { prefix: p });
    const b = await openRedisStore(redis.url, 3600, { prefix: p });
    await a.update('h', () => ({ record: record('q1'), value: 0 }));
    await b.update('h', (c) => ({ record: record(`${c!.step}>q2`), value: 0 }));
    await a.update('h', (c) => ({ record: record(`${c!.step}>q3`), value: 0 }));
    expect((await b.load('h'))?.step).toBe('q1>q2>q3');
    await Promise.all([a.close(), b.close()]);
  });

  it('with no Redis listening: starts quickly, not ready, every call refused as unavailable', async () => {
    const port = await freePort();
    const t0 = Date.now();
    const store = await openRedisStore(`redis://127.0.0.1:${port}`, 3600, { connectWaitMs: 500 });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(await store.ping()).toBe(false);
    await expect(store.load('x')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.save('x', record())).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.update('x', () => ({ record: record(), value: 1 }))).rejects.toBeInstanceOf(StoreUnavailableError);
    await store.close();
  });

  it('recovers by itself when Redis comes back, with the data it had', async () => {
    const own = await PrivateRedis.start();
    try {
      const store = await openRedisStore(own.url, 3600);
      await store.save('r', record('connects_via_owari'));
      await own.stop();
      await expect(store.load('r')).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(await store.ping()).toBe(false);
      await own.start();
      const end = Date.now() + 10_000;
      while (!(await store.ping()) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      expect(await store.ping()).toBe(true);
      expect((await store.load('r'))?.step).toBe('connects_via_owari');
      await store.close();
    } finally {
      await own.destroy();
    }
  });
});

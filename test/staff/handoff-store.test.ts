/**
 * Where handoff deliveries wait (SQLite file, Redis): stored durably, leased to one caller at a time, taken over
 * when a lease runs out, given back only by the lease's holder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRedisHandoffs } from '../../src/staff/handoff-store/redis.ts';
import { openSqliteHandoffs } from '../../src/staff/handoff-store/sqlite.ts';
import type { HandoffStore, PendingHandoff } from '../../src/staff/handoff-store/types.ts';
import { deleteKeys, requireRedis, uniquePrefix } from '../support/redis.ts';

const redis = await requireRedis();
const dirs: string[] = [];
const prefixes: string[] = [];
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (redis.available) for (const p of prefixes) await deleteKeys(redis.url, `${p}*`);
});

const delivery = (n: number, createdAt = 1_000): PendingHandoff => ({ id: `msg_${n}`, reference: `OW-AAAA-${String(n).padStart(2, '0')}`, body: `{"n":${n}}`, createdAt, attempts: 0 });

const engines: { name: string; skip: boolean; open(): Promise<{ a: HandoffStore; b: HandoffStore }> }[] = [
  {
    name: 'sqlite',
    skip: false,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'owari-handoff-store-'));
      dirs.push(dir);
      // One file, two connections: the claims are transactions, as they would be for two callers in the process.
      return { a: openSqliteHandoffs(dir), b: openSqliteHandoffs(dir) };
    },
  },
  {
    name: 'redis',
    skip: !redis.available,
    async open() {
      const prefix = uniquePrefix('handoffs');
      prefixes.push(prefix);
      return { a: await openRedisHandoffs(redis.url, { prefix }), b: await openRedisHandoffs(redis.url, { prefix }) };
    },
  },
];

for (const engine of engines) {
  describe.skipIf(engine.skip)(`handoff store: ${engine.name}`, () => {
    it('claims what is due, oldest due first, and nothing leased or not yet due', async () => {
      const { a, b } = await engine.open();
      await a.add(delivery(1), 100);
      await a.add(delivery(2), 50);
      await a.add(delivery(3), 500);
      await a.add(delivery(4), 5_000, 'held-elsewhere');
      expect(await a.count()).toBe(4);
      const { claimed, nextDueAt } = await a.claim(200, 10_000, 10, 'lease-a');
      expect(claimed.map((d) => d.id)).toEqual(['msg_2', 'msg_1']);
      expect(claimed[0]).toEqual({ ...delivery(2), lease: 'lease-a' });
      expect(nextDueAt).toBe(500);
      expect((await b.claim(200, 10_000, 10, 'lease-b')).claimed).toEqual([]);
      await Promise.all([a.close(), b.close()]);
    });

    it('each delivery goes to one of two callers claiming at once', async () => {
      const { a, b } = await engine.open();
      for (let i = 0; i < 40; i++) await a.add(delivery(i), 0);
      const [x, y] = await Promise.all([a.claim(10, 10_000, 25, 'x'), b.claim(10, 10_000, 25, 'y')]);
      const ids = [...x.claimed, ...y.claimed].map((d) => d.id);
      expect(ids).toHaveLength(40);
      expect(new Set(ids).size).toBe(40);
      await Promise.all([a.close(), b.close()]);
    });

    it('a lease that runs out is taken over; only the holder gives it back, with its attempts; dueNow spares leased ones', async () => {
      const { a, b } = await engine.open();
      await a.add(delivery(1), 1_000, 'dead-instance'); // leased until 1000
      const early = await b.claim(500, 600, 5, 'b1');
      expect(early.claimed).toEqual([]);
      const late = await b.claim(1_500, 20_000, 5, 'b2'); // the lease ran out: b takes over
      expect(late.claimed.map((d) => d.id)).toEqual(['msg_1']);
      const stale = { ...late.claimed[0]!, lease: 'dead-instance', attempts: 9 };
      expect(await a.release(stale, 2_000)).toBe(false);
      expect(await b.release({ ...late.claimed[0]!, attempts: 1 }, 60_000)).toBe(true);
      expect((await a.claim(30_000, 40_000, 5, 'a1')).claimed).toEqual([]);

      await a.add(delivery(2), 100_000, 'held'); // leased until 100 000
      await a.dueNow(30_000); // msg_1 (free, due 60 000) becomes due; msg_2 (leased) keeps its lease
      const now = await a.claim(30_000, 40_000, 5, 'a2');
      expect(now.claimed.map((d) => ({ id: d.id, attempts: d.attempts }))).toEqual([{ id: 'msg_1', attempts: 1 }]);
      await a.remove('msg_1');
      await a.remove('msg_2');
      expect(await a.count()).toBe(0);
      expect(await b.release(now.claimed[0]!, 1)).toBe(false); // gone
      await Promise.all([a.close(), b.close()]);
    });
  });
}

describe('handoff store: sqlite file', () => {
  it('keeps deliveries across a reopen; leases held by a process that is gone are given up at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'owari-handoff-store-'));
    dirs.push(dir);
    const first = openSqliteHandoffs(dir);
    await first.add(delivery(1), Date.now() + 60_000, 'killed');
    await first.add(delivery(2), Date.now() + 60_000);
    first.db.close(); // as a kill would leave it: no clean close
    const second = openSqliteHandoffs(dir);
    expect(await second.count()).toBe(2);
    expect((await second.claim(Date.now(), Date.now() + 1000, 5, 'x')).claimed.map((d) => d.id)).toEqual(['msg_1']);
    await second.close();
  });
});

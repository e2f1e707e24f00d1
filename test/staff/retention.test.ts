/** Retention: transcripts and analytics events older than RETENTION_DAYS are deleted; both engines behave alike. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/staff/index.ts';
import { openRedisTranscripts } from '../../src/staff/storage/redis.ts';
import { openSqliteTranscripts } from '../../src/staff/storage/sqlite.ts';
import type { TranscriptStore, TurnEvent } from '../../src/staff/storage/types.ts';
import { loadDataOrThrow } from '../../src/flow/load.ts';
import { createTranslate } from '../../src/conversation/i18n.ts';
import { createLogger } from '../../src/log.ts';

const data = loadDataOrThrow();

const DAY = 86_400_000;
const NOW = Date.parse('2025-06-30T12:00:00+09:00');
const bundle = data.bundle;
const t = createTranslate(data.resources);
const log = createLogger('silent');

const event = (conversationId: string, reference: string, at: number, extra: Partial<TurnEvent> = {}): TurnEvent => ({
  conversationId,
  reference,
  lang: 'ja',
  at,
  from: '',
  to: 'uses_mail_software',
  understood: 'start',
  reply: '【質問1】…',
  ...extra,
});

async function seed(store: TranscriptStore) {
  await store.append(event('old-conversation', 'OW-AAAA-11', NOW - 120 * DAY));
  await store.append(event('old-conversation', 'OW-AAAA-11', NOW - 120 * DAY + 1000, { from: 'uses_mail_software', to: 'no_change_needed', understood: 'answer', input: 'いいえ', outcome: 'no-change-needed' }));
  await store.append(event('new-conversation', 'OW-CCCC-22', NOW - 2 * DAY));
  await store.append(event('new-conversation', 'OW-CCCC-22', NOW - 2 * DAY + 1000, { from: 'uses_mail_software', to: 'no_change_needed', understood: 'answer', input: 'いいえ', outcome: 'no-change-needed' }));
}

function behavesLikeATranscriptStore(open: () => Promise<TranscriptStore>) {
  let store: TranscriptStore;
  beforeAll(async () => {
    store = await open();
    await seed(store);
  });
  afterAll(() => store.close());

  it('finds by reference, lists events by time, keeps order', async () => {
    const tr = await store.byReference('OW-CCCC-22');
    expect(tr?.turns.map((x) => x.to)).toEqual(['uses_mail_software', 'no_change_needed']);
    expect(tr?.startedAt).toBe(NOW - 2 * DAY);
    expect((await store.events(NOW - 200 * DAY, NOW)).map((e) => e.reference)).toEqual(['OW-AAAA-11', 'OW-AAAA-11', 'OW-CCCC-22', 'OW-CCCC-22']);
    expect((await store.events(NOW - 7 * DAY, NOW)).map((e) => e.reference)).toEqual(['OW-CCCC-22', 'OW-CCCC-22']);
    expect((await store.recentTurns('new-conversation', 1)).map((e) => e.to)).toEqual(['no_change_needed']);
  });

  it('purges what is older than the cut-off, keeps the rest', async () => {
    expect(await store.purge(NOW - 90 * DAY)).toBe(2);
    expect(await store.byReference('OW-AAAA-11')).toBeUndefined();
    expect(await store.byReference('OW-CCCC-22')).toBeDefined();
    expect(await store.events(0, NOW)).toHaveLength(2);
  });

  it('erases by reference', async () => {
    expect(await store.erase('OW-CCCC-22')).toEqual(['new-conversation']);
    expect(await store.erase('OW-CCCC-22')).toEqual([]);
    expect(await store.byReference('OW-CCCC-22')).toBeUndefined();
    expect(await store.events(0, NOW)).toHaveLength(0);
  });

  it('a conversation started afresh within one write is found under both of its references', async () => {
    // One append: on Redis both turns go out in the same MULTI, which must record both references.
    await store.append(event('restarted', 'OW-EEEE-55', NOW - DAY), event('restarted', 'OW-FFFF-66', NOW - DAY + 1000));
    expect((await store.byReference('OW-EEEE-55'))?.turns).toHaveLength(2);
    expect((await store.byReference('OW-FFFF-66'))?.turns).toHaveLength(2);
    await store.erase('OW-EEEE-55');
    await store.erase('OW-FFFF-66');
  });
}

describe('SQLite transcript store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'owari-retention-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  behavesLikeATranscriptStore(async () => openSqliteTranscripts(dir));
});

describe('retention in the staff side', () => {
  it('purges at start-up with RETENTION_DAYS, and on demand', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'owari-retention-'));
    const store = openSqliteTranscripts(dir);
    await seed(store);
    let now = NOW;
    const staff = createStaff({ config: { staff: {}, retentionDays: 90, dataDir: dir }, bundle, t, log, now: () => now, store });
    try {
      await expect.poll(async () => (await store.events(0, NOW)).length).toBe(2);
      expect(await store.byReference('OW-AAAA-11')).toBeUndefined();
      now = NOW + 88 * DAY;
      expect(await staff.purge()).toBe(0);
      now = NOW + 88 * DAY + 1;
      expect(await staff.purge()).toBe(1); // the newer conversation's first turn is now just over 90 days old
    } finally {
      await staff.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;

describe.skipIf(!hasRedis)('Redis transcript store', () => {
  let redis: ChildProcess;
  let port = 0;
  beforeAll(async () => {
    port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => resolve(p));
      });
    });
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      if (spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().includes('PONG')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(() => {
    redis?.kill();
  });

  behavesLikeATranscriptStore(async () => openRedisTranscripts(`redis://127.0.0.1:${port}`, 90, `test:${Date.now()}:`));

  it('keys expire after RETENTION_DAYS', async () => {
    const prefix = `ttl:${Date.now()}:`;
    const store = openRedisTranscripts(`redis://127.0.0.1:${port}`, 90, prefix);
    await store.append(event('c1', 'OW-DDDD-33', Date.now()));
    await store.close();
    const ttl = Number(spawnSync('redis-cli', ['-p', String(port), 'pttl', `${prefix}turns:c1`]).stdout.toString());
    expect(ttl).toBeGreaterThan(89 * DAY);
    expect(ttl).toBeLessThanOrEqual(90 * DAY);
  });
});

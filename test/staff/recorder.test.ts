/**
 * The staff recorder hands transcript events on in batches without holding a busy instance's events for long,
 * keeps them in order, and a handoff summary reads back every turn recorded before it. The writer threads of
 * both engines answer an append only once it is written (readable over another connection).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TurnResult } from '../../src/conversation/turn.ts';
import { loadDataOrThrow } from '../../src/flow/load.ts';
import { createLogger } from '../../src/log.ts';
import type { HandoffNotifier, HandoffSummary } from '../../src/staff/handoff.ts';
import { BATCH_MS, createRecorder, MAX_PENDING_WRITES } from '../../src/staff/recorder.ts';
import { openRedisTranscripts } from '../../src/staff/storage/redis.ts';
import { openSqliteTranscripts } from '../../src/staff/storage/sqlite.ts';
import type { TranscriptStore, TurnEvent } from '../../src/staff/storage/types.ts';
import { deleteKeys, requireRedis, uniquePrefix } from '../support/redis.ts';

const data = loadDataOrThrow();

const { flow } = data.bundle;
const log = createLogger('silent');

function turn(n: number, extra: Partial<TurnResult['trace']> = {}): TurnResult {
  return {
    record: { flowVersion: 1, lang: 'ja', step: 'connects_via_owari', context: { trail: ['uses_mail_software'] }, misses: 0, reference: 'OW-TEST-01', createdAt: 0, updatedAt: n },
    replies: [{ type: 'message', text: `reply ${n}` }],
    trace: { from: 'uses_mail_software', to: 'connects_via_owari', understood: 'answer', keys: [], ...extra },
  } as TurnResult;
}

/** A store whose appends stay pending until `settle()`: what the recorder holds meanwhile is visible. */
function slowStore(batchEvents?: number) {
  const appends: { events: TurnEvent[]; settle: () => void }[] = [];
  const stored: TurnEvent[] = [];
  const store: TranscriptStore = {
    engine: 'sqlite',
    ...(batchEvents ? { batchEvents } : {}),
    append: (...events) =>
      new Promise<void>((resolve) =>
        appends.push({
          events,
          settle: () => {
            stored.push(...events);
            resolve();
          },
        }),
      ),
    byReference: async () => undefined,
    recentTurns: async (id, n) => stored.filter((e) => e.conversationId === id).slice(-n),
    events: async () => stored,
    erase: async () => [],
    purge: async () => 0,
    close: async () => undefined,
  };
  return { store, appends, stored, settleAll: () => appends.forEach((a) => a.settle()) };
}

describe('the staff recorder', () => {
  it('hands events on as soon as the store’s batch is full, without waiting for earlier appends', async () => {
    const { store, appends, settleAll } = slowStore(3);
    const recorder = createRecorder({ store, flow, log });
    for (let n = 1; n <= 7; n++) recorder.observe('c1', turn(n), 'はい');
    // Two full batches went out at once, though neither append has finished; the seventh event waits.
    expect(appends.map((a) => a.events.map((e) => e.reply))).toEqual([
      ['reply 1', 'reply 2', 'reply 3'],
      ['reply 4', 'reply 5', 'reply 6'],
    ]);
    let idle = false;
    const waiting = recorder.idle().then(() => (idle = true));
    await Promise.resolve();
    expect(appends).toHaveLength(3);
    expect(idle).toBe(false);
    settleAll();
    await waiting;
    expect(idle).toBe(true);
  });

  it('without a batch size from the store, writes what BATCH_MS gathered in one append', async () => {
    const { store, appends, settleAll } = slowStore();
    const recorder = createRecorder({ store, flow, log });
    for (let n = 1; n <= 100; n++) recorder.observe('c1', turn(n));
    expect(appends).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, BATCH_MS + 30));
    expect(appends.map((a) => a.events.length)).toEqual([100]);
    settleAll();
    await recorder.idle();
  });

  it('counts events still being written against MAX_PENDING_WRITES, and drops beyond it', async () => {
    const { store, appends, settleAll } = slowStore(1000);
    const recorder = createRecorder({ store, flow, log });
    for (let n = 0; n < MAX_PENDING_WRITES + 500; n++) recorder.observe('c1', turn(n));
    // Ten full batches are being written; the last 500 events found no room.
    expect(appends.reduce((sum, a) => sum + a.events.length, 0)).toBe(MAX_PENDING_WRITES);
    settleAll();
    await recorder.idle();
    // Once written, there is room again.
    recorder.observe('c1', turn(1));
    const idle = recorder.idle();
    expect(appends.at(-1)!.events).toHaveLength(1);
    appends.at(-1)!.settle();
    await idle;
  });

  it('sends a handoff summary only after every earlier turn is written, and it includes them', async () => {
    const { store, appends, settleAll } = slowStore(2);
    const sent: HandoffSummary[] = [];
    const handoff: HandoffNotifier = { send: (s) => void sent.push(s), pending: async () => 0, idle: async () => undefined, close: async () => undefined };
    const recorder = createRecorder({ store, flow, log, handoff });
    recorder.observe('c1', turn(1), 'はい');
    recorder.observe('c1', turn(2), 'はい');
    recorder.observe('c1', turn(3, { handoff: true }), '担当者');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent).toHaveLength(0);
    settleAll();
    await recorder.idle();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.lastMessages.filter((m) => m.from === 'bot').map((m) => m.text)).toEqual(['reply 1', 'reply 2', 'reply 3']);
    expect(appends).toHaveLength(2);
  });
});

const redis = await requireRedis();

/** A transcript store of one engine that can be opened again on the same data (a file, or a key prefix). */
interface Engine {
  name: string;
  skip: boolean;
  open(): TranscriptStore;
  cleanup(): Promise<void>;
}

function sqliteEngine(): Engine {
  let dir: string | undefined;
  return {
    name: 'SQLite',
    skip: false,
    open: () => openSqliteTranscripts((dir ??= mkdtempSync(join(tmpdir(), 'owari-recorder-')))),
    async cleanup() {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    },
  };
}

function redisEngine(): Engine {
  let prefix: string | undefined;
  return {
    name: 'Redis',
    skip: !redis.available,
    open: () => openRedisTranscripts(redis.url, 1, (prefix ??= uniquePrefix('recorder'))),
    async cleanup() {
      if (prefix) await deleteKeys(redis.url, `${prefix}*`);
      prefix = undefined;
    },
  };
}

for (const engine of [sqliteEngine(), redisEngine()]) {
  describe.skipIf(engine.skip)(`the ${engine.name} transcript writer thread`, () => {
    afterEach(() => engine.cleanup());

    const event = (conversationId: string, at: number): TurnEvent => ({ conversationId, reference: 'OW-TEST-02', lang: 'ja', at, from: 'a', to: 'b', understood: 'answer', reply: `at ${at}` });

    it('answers appends once written: overlapping appends are all readable, in order, when they resolve', async () => {
      const store = engine.open();
      try {
        await Promise.all(Array.from({ length: 20 }, (_, i) => store.append(event('c1', i * 2), event('c1', i * 2 + 1))));
        const transcript = await store.byReference('OW-TEST-02');
        expect(transcript?.turns.map((t) => t.at)).toEqual(Array.from({ length: 40 }, (_, i) => i));
      } finally {
        await store.close();
      }
    });

    it('erases turns appended just before, written or not, and close() writes what is pending', async () => {
      const store = engine.open();
      const appended = store.append(event('c2', 1));
      expect(await store.erase('OW-TEST-02')).toEqual(['c2']);
      await appended;
      expect(await store.byReference('OW-TEST-02')).toBeUndefined();
      const last = store.append(event('c3', 2));
      await store.close();
      await last;
      const reopened = engine.open();
      try {
        expect((await reopened.byReference('OW-TEST-02'))?.turns.map((t) => t.conversationId)).toEqual(['c3']);
      } finally {
        await reopened.close();
      }
    });
  });
}

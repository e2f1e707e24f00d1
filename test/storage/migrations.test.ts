/**
 * Stored schemas carry a version and are migrated at start: stores written before versions were kept (SQLite
 * user_version 0, no Redis version key) are brought up to date with their data intact; a store from a newer
 * release stops start-up.
 */
import { DatabaseSync } from '../../src/storage/sqlite-db.mjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createSessionIds } from '../../src/channels/sessions.ts';
import { conversationSteps } from '../../src/storage/sqlite.ts';
import { transcriptSteps } from '../../src/staff/storage/sqlite.ts';
import { migrateSqlite, redisVersionKey, SchemaVersionError, sqliteVersion } from '../../src/storage/migrations.ts';
import { openRedisStore, redisSteps } from '../../src/storage/redis.ts';
import { deleteKeys, requireRedis, uniquePrefix } from '../support/redis.ts';
import { postMessage, startTestServer } from '../support/server.ts';
import { bearer, staffGet } from '../staff/helpers.ts';
import { record } from './contract.ts';

const SECRET = 'a-session-secret-for-the-migration-tests-0123456789';
const dirs: string[] = [];
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'owari-migrate-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** conversations.db and staff.db as the release before versions wrote them: this schema, user_version 0. */
function writeUnversionedStores(dir: string, id: string) {
  const conversations = new DatabaseSync(join(dir, 'conversations.db'));
  conversations.exec('PRAGMA journal_mode = WAL');
  conversations.exec(`CREATE TABLE conversations (id TEXT PRIMARY KEY, record TEXT NOT NULL, expires_at INTEGER NOT NULL, sweep_after INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX conversations_sweep ON conversations (sweep_after);`);
  const stored = { ...record('connects_via_owari'), reference: 'OW-MIGR-01', context: { trail: ['uses_mail_software'] } };
  const expires = Date.now() + 3600_000;
  conversations.prepare('INSERT INTO conversations VALUES (?, ?, ?, ?)').run(id, JSON.stringify(stored), expires, expires);
  conversations.close();

  const staff = new DatabaseSync(join(dir, 'staff.db'));
  staff.exec('PRAGMA journal_mode = WAL');
  staff.exec(`CREATE TABLE transcript_turns (id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL, reference TEXT NOT NULL,
      lang TEXT NOT NULL, at INTEGER NOT NULL, step_from TEXT NOT NULL, step_to TEXT NOT NULL, understood TEXT NOT NULL, input TEXT,
      reply TEXT NOT NULL, outcome TEXT, client TEXT, error_code TEXT, faq TEXT, handoff INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX transcript_turns_conversation ON transcript_turns (conversation_id, id);
    CREATE INDEX transcript_turns_at ON transcript_turns (at);
    CREATE TABLE transcript_refs (reference TEXT NOT NULL, conversation_id TEXT NOT NULL, first_at INTEGER NOT NULL, PRIMARY KEY (reference, conversation_id)) WITHOUT ROWID;`);
  const at = Date.now() - 60_000;
  staff.prepare(`INSERT INTO transcript_turns (conversation_id, reference, lang, at, step_from, step_to, understood, input, reply)
    VALUES (?, 'OW-MIGR-01', 'ja', ?, 'uses_mail_software', 'connects_via_owari', 'answer', 'はい', '接続していますか？')`).run(id, at);
  staff.prepare("INSERT INTO transcript_refs VALUES ('OW-MIGR-01', ?, ?)").run(id, at);
  staff.close();
  writeFileSync(join(dir, 'session-secret'), SECRET);
}

describe('SQLite schema versions', () => {
  it('a DATA_DIR from before versions (user_version 0) is migrated at start, its conversations and transcripts intact', async () => {
    const dir = dataDir();
    const id = createSessionIds(SECRET).issue();
    writeUnversionedStores(dir, id);
    const server = await startTestServer({ DATA_DIR: dir, STAFF_TOKEN: bearer.authorization.slice(7) });
    try {
      for (const [file, steps] of [['conversations.db', conversationSteps], ['staff.db', transcriptSteps]] as const) {
        const db = new DatabaseSync(join(dir, file), { readOnly: true });
        expect(sqliteVersion(db), file).toBe(steps.length);
        db.close();
      }
      const staffDb = new DatabaseSync(join(dir, 'staff.db'), { readOnly: true });
      expect(staffDb.prepare("SELECT name FROM pragma_table_info('transcript_turns')").all()).toContainEqual({ name: 'customer' });
      staffDb.close();
      // The stored conversation resumes at its step (question 2), under the same id.
      const resumed = await postMessage(server.url, { type: 'welcome_back', user: id });
      expect(resumed.json.map((m: { type: string }) => m.type)).not.toContain('session');
      expect(resumed.json.at(-1).state).toBe('connects_via_owari');
      const answered = await postMessage(server.url, { type: 'message', user: id, text: 'はい' });
      expect(answered.json.at(-1).state).toBe('uses_owari_address');
      // The old transcript reads back, with the turn it had.
      const transcript = await (await staffGet(server.url, '/staff/api/conversations/OW-MIGR-01')).json();
      expect(transcript.turns[0]).toMatchObject({ input: 'はい', reply: '接続していますか？', to: 'connects_via_owari' });
    } finally {
      await server.close();
    }
  });

  it('a file of the previous layout (index on the expiry, no sweep_after) is migrated too', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE conversations (id TEXT PRIMARY KEY, record TEXT NOT NULL, expires_at INTEGER NOT NULL); CREATE INDEX conversations_expiry ON conversations (expires_at);');
    db.prepare('INSERT INTO conversations VALUES (?, ?, ?)').run('a', '{}', 123);
    expect(migrateSqlite(db, 'conversations.db', conversationSteps)).toEqual({ from: 0, to: conversationSteps.length });
    expect(db.prepare('SELECT id, record, expires_at, sweep_after FROM conversations').all()).toEqual([{ id: 'a', record: '{}', expires_at: 123, sweep_after: 123 }]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'conversations' AND sql IS NOT NULL").all()).toEqual([{ name: 'conversations_sweep' }]);
    // Running again changes nothing.
    expect(migrateSqlite(db, 'conversations.db', conversationSteps)).toEqual({ from: conversationSteps.length, to: conversationSteps.length });
  });

  it('a database of a newer release stops start-up; a failing step leaves the version where it was', () => {
    const db = new DatabaseSync(':memory:');
    db.exec(`PRAGMA user_version = ${conversationSteps.length + 1}`);
    expect(() => migrateSqlite(db, 'conversations.db', conversationSteps)).toThrow(SchemaVersionError);
    const fresh = new DatabaseSync(':memory:');
    const failing = [
      { version: 1, does: 'a table', up: (d: { exec(s: string): unknown }) => void d.exec('CREATE TABLE t (x)') },
      { version: 2, does: 'breaks', up: (d: { exec(s: string): unknown }) => void d.exec('ALTER TABLE t ADD COLUMN y; SELECT * FROM no_such_table') },
    ];
    expect(() => migrateSqlite(fresh, 'x.db', failing)).toThrow(/no_such_table/);
    expect(sqliteVersion(fresh)).toBe(1);
    expect(fresh.prepare("SELECT name FROM pragma_table_info('t')").all()).toEqual([{ name: 'x' }]);
  });
});

const redis = await requireRedis();
describe.skipIf(!redis.available)('Redis schema version', () => {
  const prefixes: string[] = [];
  afterEach(async () => {
    for (const p of prefixes.splice(0)) await deleteKeys(redis.url, `${p}*`);
  });

  it('keys from before versions (no version key) are migrated at start and read back intact; a newer version is refused', async () => {
    const prefix = uniquePrefix('migrate');
    prefixes.push(prefix);
    const raw = new Redis(redis.url);
    try {
      const stored = { ...record('uses_owari_address'), reference: 'OW-MIGR-02' };
      await raw.hset(`${prefix}c:conv-1`, 'v', '3', 'r', JSON.stringify(stored));
      expect(await raw.get(redisVersionKey(prefix))).toBeNull();
      const store = await openRedisStore(redis.url, 3600, { prefix });
      expect(await raw.get(redisVersionKey(prefix))).toBe(String(redisSteps.length));
      expect(await store.load('conv-1')).toEqual(stored);
      await store.close();

      await raw.set(redisVersionKey(prefix), String(redisSteps.length + 1));
      await expect(openRedisStore(redis.url, 3600, { prefix })).rejects.toThrow(SchemaVersionError);
    } finally {
      raw.disconnect();
    }
  });
});

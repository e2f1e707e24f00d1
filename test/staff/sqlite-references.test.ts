/**
 * SQLite transcripts find conversations by reference through transcript_refs (one row per reference and
 * conversation) instead of an index on every turn; files written before that are moved over when opened.
 */
import { DatabaseSync as Database } from '../../src/storage/sqlite-db.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteTranscripts } from '../../src/staff/storage/sqlite.ts';
import type { TurnEvent } from '../../src/staff/storage/types.ts';

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'owari-refs-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const turn = (conversationId: string, reference: string, at: number, to = 'uses_mail_software'): TurnEvent => ({
  conversationId,
  reference,
  lang: 'ja',
  at,
  from: '',
  to,
  understood: 'start',
  reply: '【質問1】…',
});

describe('finding transcripts by reference (SQLite)', () => {
  it('a conversation started afresh gets a new reference: each finds it, and erasing one leaves the other’s turns', async () => {
    const store = openSqliteTranscripts(dir());
    await store.append(turn('c1', 'OW-AAAA-11', 1000), turn('c1', 'OW-AAAA-11', 2000, 'no_change_needed'));
    await store.append(turn('c1', 'OW-BBBB-22', 3000));
    expect((await store.byReference('OW-AAAA-11'))?.turns).toHaveLength(3);
    expect((await store.byReference('OW-BBBB-22'))?.turns).toHaveLength(3);
    expect(await store.erase('OW-AAAA-11')).toEqual(['c1']);
    expect(await store.byReference('OW-AAAA-11')).toBeUndefined();
    expect((await store.byReference('OW-BBBB-22'))?.turns.map((t) => t.reference)).toEqual(['OW-BBBB-22']);
    await store.close();
  });

  it('turns recorded after an erase or a purge are found again under the same reference', async () => {
    const store = openSqliteTranscripts(dir());
    await store.append(turn('c2', 'OW-CCCC-33', 1000));
    await store.erase('OW-CCCC-33');
    await store.append(turn('c2', 'OW-CCCC-33', 2000, 'no_change_needed'));
    expect((await store.byReference('OW-CCCC-33'))?.turns.map((t) => t.to)).toEqual(['no_change_needed']);
    await store.purge(5000);
    await store.append(turn('c2', 'OW-CCCC-33', 6000, 'must_change'));
    expect((await store.byReference('OW-CCCC-33'))?.turns.map((t) => t.to)).toEqual(['must_change']);
    await store.close();
  });

  it('two conversations under one reference (a rare collision): the one that took it last is found; erase removes both', async () => {
    const store = openSqliteTranscripts(dir());
    await store.append(turn('older', 'OW-DDDD-44', 1000));
    await store.append(turn('newer', 'OW-DDDD-44', 5000, 'must_change'));
    expect((await store.byReference('OW-DDDD-44'))?.turns.map((t) => t.to)).toEqual(['must_change']);
    expect((await store.erase('OW-DDDD-44')).sort()).toEqual(['newer', 'older']);
    expect(await store.events(0, 10_000)).toEqual([]);
    await store.close();
  });

  it('a staff.db from before transcript_refs: opened, its references are found, and the per-turn index is gone', async () => {
    const d = dir();
    // The earlier schema: an index on every turn's reference, no transcript_refs.
    const old = new Database(join(d, 'staff.db'));
    old.exec(`CREATE TABLE transcript_turns (
      id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL, reference TEXT NOT NULL, lang TEXT NOT NULL, at INTEGER NOT NULL,
      step_from TEXT NOT NULL, step_to TEXT NOT NULL, understood TEXT NOT NULL, input TEXT, reply TEXT NOT NULL, outcome TEXT, client TEXT,
      error_code TEXT, faq TEXT, handoff INTEGER NOT NULL DEFAULT 0);
      CREATE INDEX transcript_turns_conversation ON transcript_turns (conversation_id, id);
      CREATE INDEX transcript_turns_reference ON transcript_turns (reference, at);
      CREATE INDEX transcript_turns_at ON transcript_turns (at);`);
    const insert = old.prepare("INSERT INTO transcript_turns (conversation_id, reference, lang, at, step_from, step_to, understood, reply) VALUES (?, ?, 'ja', ?, '', ?, 'start', '…')");
    insert.run('e1', 'OW-EEEE-55', 1000, 'uses_mail_software');
    insert.run('e1', 'OW-EEEE-55', 2000, 'no_change_needed');
    insert.run('f1', 'OW-FFFF-66', 3000, 'uses_mail_software');
    old.close();

    const store = openSqliteTranscripts(d);
    expect((await store.byReference('OW-EEEE-55'))?.turns.map((t) => t.to)).toEqual(['uses_mail_software', 'no_change_needed']);
    expect(await store.erase('OW-FFFF-66')).toEqual(['f1']);
    expect(await store.byReference('OW-FFFF-66')).toBeUndefined();
    await store.close();
    const check = new Database(join(d, 'staff.db'), { readOnly: true });
    expect(check.prepare("SELECT name FROM sqlite_master WHERE name = 'transcript_turns_reference'").get()).toBeUndefined();
    expect(check.prepare('SELECT reference, conversation_id, first_at FROM transcript_refs').all()).toEqual([{ reference: 'OW-EEEE-55', conversation_id: 'e1', first_at: 1000 }]);
    check.close();
  });
});

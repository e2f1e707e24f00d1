/**
 * Transcripts in SQLite: their own file (DATA_DIR/staff.db), apart from the conversation store. Writes go to
 * a worker thread (sqlite-transcript-writer.mjs), the file's only writer; this connection creates the schema and reads.
 */
import { join } from 'node:path';
import type { Lang } from '../../conversation/wire.ts';
import type { CustomerIdentity } from '../../conversation/customer.ts';
import type { Transcript, TranscriptStore, TurnEvent } from './types.ts';
import { ensurePrivateDir, ensurePrivateFile } from '../../storage/private-files.ts';
import { startWriterThread } from './writer-thread.ts';
import { columnsOf, migrateSqlite, type SqliteStep } from '../../storage/migrations.ts';
import { openDatabase, transaction, type DatabaseSync } from '../../storage/sqlite-db.mjs';

interface Row {
  conversation_id: string;
  reference: string;
  lang: string;
  at: number;
  step_from: string;
  step_to: string;
  understood: string;
  input: string | null;
  reply: string;
  outcome: string | null;
  client: string | null;
  error_code: string | null;
  faq: string | null;
  handoff: number;
  customer: string | null;
  passed: string | null;
}

const toEvent = (r: Row): TurnEvent => ({
  conversationId: r.conversation_id,
  reference: r.reference,
  lang: r.lang as Lang,
  at: r.at,
  from: r.step_from,
  to: r.step_to,
  understood: r.understood,
  ...(r.input !== null ? { input: r.input } : {}),
  reply: r.reply,
  ...(r.outcome ? { outcome: r.outcome } : {}),
  ...(r.client ? { client: r.client } : {}),
  ...(r.error_code ? { errorCode: r.error_code } : {}),
  ...(r.faq ? { faq: r.faq } : {}),
  ...(r.handoff ? { handoff: true } : {}),
  ...(r.customer ? { customer: JSON.parse(r.customer) as CustomerIdentity } : {}),
  ...(r.passed ? { passed: r.passed.split(' ') } : {}),
});

export function openSqliteTranscripts(dataDir: string, file = 'staff.db'): TranscriptStore {
  ensurePrivateDir(dataDir);
  const path = join(dataDir, file);
  ensurePrivateFile(path);
  const db = openDatabase(path);
  migrateSqlite(db, 'staff.db', transcriptSteps);
  const latestByRef = db.prepare('SELECT conversation_id FROM transcript_refs WHERE reference = ? ORDER BY first_at DESC LIMIT 1');
  const turnsOf = db.prepare('SELECT * FROM transcript_turns WHERE conversation_id = ? ORDER BY id');
  const recent = db.prepare('SELECT * FROM (SELECT * FROM transcript_turns WHERE conversation_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id');
  const inRange = db.prepare('SELECT * FROM transcript_turns WHERE at >= ? AND at < ? ORDER BY at, id');
  const writer = startWriterThread('sqlite-transcript-writer.mjs', { file: path });

  return {
    engine: 'sqlite',
    // The writer thread gathers rows into one commit itself; events held here for BATCH_MS would outlive
    // V8's young generation on a busy instance, and its old-generation collections pause the chat.
    batchEvents: 64,
    // Not an async function: its suspended frame would keep the events until the commit.
    append: (...events) => writer.append(events),
    async byReference(reference) {
      const latest = latestByRef.get(reference) as { conversation_id: string } | undefined;
      if (!latest) return undefined;
      const turns = (turnsOf.all(latest.conversation_id) as unknown as Row[]).map(toEvent);
      if (turns.length === 0) return undefined;
      return { reference, lang: turns.at(-1)!.lang, startedAt: turns[0]!.at, updatedAt: turns.at(-1)!.at, turns } satisfies Transcript;
    },
    async recentTurns(conversationId, n) {
      return (recent.all(conversationId, n) as unknown as Row[]).map(toEvent);
    },
    async events(from, to) {
      return (inRange.all(from, to) as unknown as Row[]).map(toEvent);
    },
    erase: (reference) => writer.erase(reference),
    purge: (before) => writer.purge(before),
    async close() {
      await writer.close();
      if (db.isOpen) db.close();
    },
  };
}

/** staff.db's schema, step by step (src/storage/migrations.ts): append a step to change it. */
export const transcriptSteps: readonly SqliteStep[] = [
  {
    version: 1,
    does: 'transcript_turns and transcript_refs, in place of an index on every turn\'s reference',
    up(db) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS transcript_turns (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          conversation_id TEXT NOT NULL,
          reference TEXT NOT NULL,
          lang TEXT NOT NULL,
          at INTEGER NOT NULL,
          step_from TEXT NOT NULL,
          step_to TEXT NOT NULL,
          understood TEXT NOT NULL,
          input TEXT,
          reply TEXT NOT NULL,
          outcome TEXT,
          client TEXT,
          error_code TEXT,
          faq TEXT,
          handoff INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS transcript_turns_conversation ON transcript_turns (conversation_id, id);
        CREATE INDEX IF NOT EXISTS transcript_turns_at ON transcript_turns (at);
        -- Which conversations a reference was given in: one row per reference and conversation, written with the
        -- first turn under it, instead of an index on every turn's reference (a third of a turn's row cost).
        CREATE TABLE IF NOT EXISTS transcript_refs (
          reference TEXT NOT NULL,
          conversation_id TEXT NOT NULL,
          first_at INTEGER NOT NULL,
          PRIMARY KEY (reference, conversation_id)
        ) WITHOUT ROWID;
      `);
      if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'transcript_turns_reference'").get()) {
        db.exec(`INSERT OR IGNORE INTO transcript_refs (reference, conversation_id, first_at)
          SELECT reference, conversation_id, MIN(at) FROM transcript_turns GROUP BY reference, conversation_id`);
        db.exec('DROP INDEX transcript_turns_reference');
      }
    },
  },
  {
    version: 2,
    does: 'transcript_turns.customer: the portal customer verified for the conversation (JSON), apart from what they typed',
    up(db) {
      if (!columnsOf(db, 'transcript_turns').includes('customer')) db.exec('ALTER TABLE transcript_turns ADD COLUMN customer TEXT');
    },
  },
  {
    version: 3,
    does: 'transcript_turns.passed: the questions passed without asking because their answer was known (space-separated step ids)',
    up(db) {
      if (!columnsOf(db, 'transcript_turns').includes('passed')) db.exec('ALTER TABLE transcript_turns ADD COLUMN passed TEXT');
    },
  },
];

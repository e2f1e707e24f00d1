/** Questions passed without asking (their answer was known) still count for staff: reached in the funnel, answered in the handoff summary. */
import { describe, expect, it } from 'vitest';
import { computeStats } from '../../src/staff/stats.ts';
import { pathAndAnswers, toTurnEvent } from '../../src/staff/recorder.ts';
import { DatabaseSync } from '../../src/storage/sqlite-db.mjs';
import { join } from 'node:path';
import { openSqliteTranscripts } from '../../src/staff/storage/sqlite.ts';
import { converse, testDeps } from '../support/turns.ts';
import { removeDataDir, tempDataDir } from '../support/server.ts';

const deps = testDeps();
const flow = deps.bundle.flow;

function skippingConversation() {
  // The address answers question 3 before it is asked.
  return converse(deps).say('はい、taro@owari.ne.jp をWindowsのBecky!で使ってます').say('はい');
}

describe('questions passed because their answer was known', () => {
  it('are in the turn event, count as reached in the funnel, and carry their answer in the handoff path', () => {
    const c = skippingConversation();
    const last = c.turns.at(-1)!;
    expect(last.trace.passed).toEqual(['uses_owari_address']);
    const events = c.turns.slice(1).map((t, i) => toTurnEvent('conv-1', t, 'x', Date.parse('2026-11-27T03:00:00Z') + i));
    expect(events.at(-1)!.passed).toEqual(['uses_owari_address']);
    const q3 = computeStats(events, flow, { from: '2026-11-27', to: '2026-11-27' }).funnel.find((s) => s.id === 'q3')!;
    expect(q3.reached).toBe(1);
    const { answers } = pathAndAnswers(flow, c.record.context.trail, c.record.step);
    expect(answers).toEqual([
      { question: 1, step: 'uses_mail_software', answer: 'yes' },
      { question: 2, step: 'connects_via_owari', answer: 'yes' },
      { question: 3, step: 'uses_owari_address', answer: 'yes' },
    ]);
  });

  it('are stored and read back by the SQLite transcripts (a file without the column gets it)', async () => {
    const dir = tempDataDir();
    try {
      const old = new DatabaseSync(join(dir, 'staff.db'));
      old.exec(`CREATE TABLE transcript_turns (id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL, reference TEXT NOT NULL,
        lang TEXT NOT NULL, at INTEGER NOT NULL, step_from TEXT NOT NULL, step_to TEXT NOT NULL, understood TEXT NOT NULL, input TEXT,
        reply TEXT NOT NULL, outcome TEXT, client TEXT, error_code TEXT, faq TEXT, handoff INTEGER NOT NULL DEFAULT 0)`);
      old.close();
      const store = openSqliteTranscripts(dir);
      const c = skippingConversation();
      const events = c.turns.slice(1).map((t, i) => toTurnEvent('conv-2', t, 'x', 1_000 + i));
      await store.append(...events);
      const back = await store.events(0, 10_000);
      expect(back.at(-1)!.passed).toEqual(['uses_owari_address']);
      expect(back[0]!.passed).toBeUndefined();
      await (store as { close?: () => Promise<void> }).close?.();
    } finally {
      removeDataDir(dir);
    }
  });
});

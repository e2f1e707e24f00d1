/**
 * What customers typed, as staff read it: in CSV every text cell is quoted (a spreadsheet whose separator is ";"
 * must not split a cell at one) and keeps the formula-injection prefix; bidirectional controls, which make text
 * display in another order than it was typed ("‮gnp.exe" shows as "exe.png"), are shown as their codes in the
 * pages, the CSV and the handoff summary.
 */
import { describe, expect, it } from 'vitest';
import { createTranslate } from '../../src/conversation/i18n.ts';
import type { TurnResult } from '../../src/conversation/turn.ts';
import { loadDataOrThrow } from '../../src/flow/load.ts';
import { createLogger } from '../../src/log.ts';
import { BIDI_CONTROLS, showBidiControls } from '../../src/staff/bidi.ts';
import type { HandoffNotifier, HandoffSummary } from '../../src/staff/handoff.ts';
import { dashboardPage, transcriptPage } from '../../src/staff/html.ts';
import { createRecorder } from '../../src/staff/recorder.ts';
import { computeStats, statsCsv } from '../../src/staff/stats.ts';
import type { TranscriptStore, TurnEvent } from '../../src/staff/storage/types.ts';

const data = loadDataOrThrow();

const { flow } = data.bundle;
const t = createTranslate(data.resources);
const controls = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
const TRICK = 'invoice\u202Egnp.exe \u2067abc\u2069 \u200F\u061C';
const hasControl = (s: string) => controls.some((c) => s.includes(c));

function event(input: string, at = Date.parse('2026-11-27T03:00:00Z')): TurnEvent {
  return { conversationId: 'c1', reference: 'OW-TEST-01', lang: 'ja', at, from: 'uses_mail_software', to: 'uses_mail_software', understood: 'unknown', input, reply: `reply ${input}` };
}

/** The cells of one CSV line as written: quoted ones with their quotes. */
function rawCells(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let end: number;
    if (line[i] === '"') {
      end = i + 1;
      while (!(line[end] === '"' && line[end + 1] !== '"')) end += line[end] === '"' ? 2 : 1;
      end += 1;
    } else {
      end = line.indexOf(',', i);
      if (end < 0) end = line.length;
    }
    out.push(line.slice(i, end));
    if (line[end] !== ',') return out;
    i = end + 1;
  }
}
/** The cells as a spreadsheet reads them. */
const cells = (line: string) => rawCells(line).map((c) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c));

describe('bidirectional controls', () => {
  it('each one is shown as its code; other text is untouched', () => {
    for (const c of controls) expect(showBidiControls(`a${c}b`)).toBe(`a[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]b`);
    expect(showBidiControls('はい 0x800CCC0E')).toBe('はい 0x800CCC0E');
    expect(hasControl(showBidiControls(TRICK))).toBe(false);
    expect(controls.every((c) => BIDI_CONTROLS.source.length > 0 && new RegExp(BIDI_CONTROLS.source, 'u').test(c))).toBe(true);
  });

  it('the transcript page and the dashboard show them as codes', () => {
    const page = transcriptPage(t, 'ja', { reference: 'OW-TEST-01', lang: 'ja', startedAt: 0, updatedAt: 0, turns: [event(TRICK)] });
    expect(hasControl(page)).toBe(false);
    expect(page).toContain('invoice[U+202E]gnp.exe');
    const stats = computeStats([event(TRICK)], flow, { from: '2026-11-27', to: '2026-11-27' });
    const dashboard = dashboardPage(t, 'ja', stats, { retentionDays: 90, clientNames: {} });
    expect(stats.notUnderstood.length).toBeGreaterThan(0);
    expect(hasControl(dashboard)).toBe(false);
  });

  it('the handoff summary shows them as codes', async () => {
    const sent: HandoffSummary[] = [];
    const stored: TurnEvent[] = [];
    const store = {
      engine: 'sqlite',
      append: async (...events: TurnEvent[]) => void stored.push(...events),
      recentTurns: async (id: string, n: number) => stored.filter((e) => e.conversationId === id).slice(-n),
    } as unknown as TranscriptStore;
    const handoff: HandoffNotifier = { send: (s) => void sent.push(s), pending: async () => 0, idle: async () => undefined, close: async () => undefined };
    const recorder = createRecorder({ store, flow, log: createLogger('silent'), handoff });
    const result = {
      record: { flowVersion: 1, lang: 'ja', step: 'uses_mail_software', context: { trail: [] }, misses: 0, reference: 'OW-TEST-01', createdAt: 0, updatedAt: 0 },
      replies: [{ type: 'message', text: `bot \u202Etxet` }],
      trace: { from: 'uses_mail_software', to: 'uses_mail_software', understood: 'handoff', keys: [], handoff: true },
    } as unknown as TurnResult;
    recorder.observe('c1', result, TRICK);
    await recorder.idle();
    expect(sent).toHaveLength(1);
    const texts = sent[0]!.lastMessages.map((m) => m.text).join('\n');
    expect(texts).toContain('invoice[U+202E]gnp.exe');
    expect(hasControl(JSON.stringify(sent[0]))).toBe(false);
  });
});

describe('statistics CSV', () => {
  const stats = computeStats(
    [event('=HYPERLINK("http://evil.example")'), event('a;b,c "d"'), event('-1+1'), event('@SUM(A1)'), event(TRICK)],
    flow,
    { from: '2026-11-27', to: '2026-11-27' },
  );
  const csv = statsCsv(stats);
  const lines = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');

  it('quotes every text cell, numbers stay bare', () => {
    expect(lines[0]).toBe('"section","key","value","value2"');
    for (const line of lines) {
      for (const raw of rawCells(line)) expect(/^"(?:[^"]|"")*"$/.test(raw) || /^\d+$/.test(raw), `${raw} in ${line}`).toBe(true);
    }
    expect(lines).toContain('"total","conversations",1,""');
  });

  it('a text with ; , and " stays one cell, and formulas stay text', () => {
    const notUnderstood = lines.filter((l) => l.startsWith('"not_understood"')).map(cells);
    const keys = notUnderstood.map((c) => c[1]);
    expect(keys).toContain('a;b,c "d"');
    expect(keys).toContain(`'=HYPERLINK("http://evil.example")`);
    expect(keys).toContain(`'-1+1`);
    expect(keys).toContain(`'@SUM(A1)`);
    expect(notUnderstood.every((c) => c.length === 4)).toBe(true);
  });

  it('shows bidirectional controls as codes', () => {
    expect(hasControl(csv)).toBe(false);
    expect(csv).toContain('invoice[U+202E]gnp.exe');
  });
});

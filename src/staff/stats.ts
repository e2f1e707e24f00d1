/**
 * Statistics over turn events (pure): conversations per day, verdicts reached, where customers give up,
 * mail clients, error numbers, FAQ, handoffs, and what was not understood (to improve the word lists).
 *
 * - A conversation counts on the (Japan-time) day of its first turn in the range.
 * - outcomes[id]: conversations that reached that verdict (a customer who restarts and reaches two
 *   different verdicts counts once in each).
 * - funnel: for the 3 questions and the OS / mail-client choice, how many conversations reached the step
 *   and how many ended there: the conversation's last turn is at that step and did not give a verdict.
 */
import { outcomeIds, type FlowData, type OutcomeId } from '../flow/flow-data.ts';
import { showBidiControls } from './bidi.ts';
import type { TurnEvent } from './storage/types.ts';

const JST_MS = 9 * 3600 * 1000;
export const DAY_MS = 86_400_000;

export const jstDay = (ms: number): string => new Date(ms + JST_MS).toISOString().slice(0, 10);
/** Start of a Japan-time day ("2025-04-01") in ms, or undefined when malformed. */
export function jstDayStart(day: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const ms = Date.parse(`${day}T00:00:00+09:00`);
  return Number.isNaN(ms) || jstDay(ms) !== day ? undefined : ms;
}

export interface FunnelStage {
  /** q1 | q2 | q3 | os | client */
  id: string;
  steps: string[];
  reached: number;
  ended: number;
}

export interface Stats {
  /** Inclusive Japan-time days. */
  from: string;
  to: string;
  conversations: number;
  perDay: { day: string; conversations: number }[];
  outcomes: Record<OutcomeId, number>;
  funnel: FunnelStage[];
  clients: Record<string, number>;
  errorCodes: Record<string, number>;
  faq: Record<string, number>;
  handoffs: number;
  notUnderstood: { text: string; count: number }[];
}

export function funnelStages(flow: FlowData): { id: string; steps: string[] }[] {
  const entries = Object.entries(flow.states);
  const stages = [1, 2, 3].map((q) => ({ id: `q${q}`, steps: entries.filter(([, s]) => s.meta.question === q).map(([id]) => id) }));
  stages.push({ id: 'os', steps: entries.filter(([, s]) => s.meta.expects === 'os').map(([id]) => id) });
  stages.push({ id: 'client', steps: entries.filter(([, s]) => s.meta.expects === 'client').map(([id]) => id) });
  return stages.filter((s) => s.steps.length > 0);
}

const bump = (m: Record<string, number>, k: string, by = 1) => {
  m[k] = (m[k] ?? 0) + by;
};
const sortDesc = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));

export function computeStats(events: readonly TurnEvent[], flow: FlowData, range: { from: string; to: string }, topN = 20): Stats {
  const byConversation = new Map<string, TurnEvent[]>();
  for (const e of [...events].sort((a, b) => a.at - b.at)) {
    const list = byConversation.get(e.conversationId);
    if (list) list.push(e);
    else byConversation.set(e.conversationId, [e]);
  }
  const stages = funnelStages(flow);
  const perDay: Record<string, number> = {};
  const outcomes = Object.fromEntries(outcomeIds.map((o) => [o, 0])) as Record<OutcomeId, number>;
  const funnel: FunnelStage[] = stages.map((s) => ({ ...s, reached: 0, ended: 0 }));
  const clients: Record<string, number> = {};
  const errorCodes: Record<string, number> = {};
  const faq: Record<string, number> = {};
  const missed = new Map<string, { text: string; count: number }>();
  let handoffs = 0;

  for (const turns of byConversation.values()) {
    bump(perDay, jstDay(turns[0]!.at));
    const reachedOutcomes = new Set<string>();
    const chosen = new Set<string>();
    const visited = new Set<string>();
    let handedOff = false;
    for (const t of turns) {
      visited.add(t.to);
      // A question passed because its answer was known counts as reached (and answered).
      for (const step of t.passed ?? []) visited.add(step);
      if (t.outcome) reachedOutcomes.add(t.outcome);
      if (t.client) chosen.add(t.client);
      if (t.errorCode) bump(errorCodes, t.errorCode);
      if (t.faq) bump(faq, t.faq);
      if (t.handoff) handedOff = true;
      if (t.understood === 'unknown' && t.input) {
        const key = t.input.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
        if (key) {
          const entry = missed.get(key) ?? { text: t.input.trim(), count: 0 };
          entry.count += 1;
          missed.set(key, entry);
        }
      }
    }
    for (const o of reachedOutcomes) if (o in outcomes) outcomes[o as OutcomeId] += 1;
    for (const c of chosen) bump(clients, c);
    if (handedOff) handoffs += 1;
    const last = turns.at(-1)!;
    for (const stage of funnel) {
      if (stage.steps.some((s) => visited.has(s))) stage.reached += 1;
      if (stage.steps.includes(last.to) && !last.outcome) stage.ended += 1;
    }
  }

  return {
    from: range.from,
    to: range.to,
    conversations: byConversation.size,
    perDay: Object.entries(perDay)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, conversations]) => ({ day, conversations })),
    outcomes,
    funnel,
    clients: sortDesc(clients),
    errorCodes: sortDesc(errorCodes),
    faq: sortDesc(faq),
    handoffs,
    notUnderstood: [...missed.values()].sort((a, b) => b.count - a.count || a.text.localeCompare(b.text)).slice(0, topN),
  };
}

/**
 * Spreadsheet-safe CSV, BOM for Excel. Every text cell is quoted, so a spreadsheet that splits at ";" (the
 * separator in many locales) keeps it whole; one starting with = + - @ is prefixed with ' (no formula).
 */
export function statsCsv(stats: Stats): string {
  const cell = (v: string | number) => {
    if (typeof v === 'number') return String(v);
    let s = showBidiControls(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return `"${s.replace(/"/g, '""')}"`;
  };
  const rows: (string | number)[][] = [['section', 'key', 'value', 'value2']];
  rows.push(['range', 'from', stats.from, ''], ['range', 'to', stats.to, ''], ['total', 'conversations', stats.conversations, ''], ['total', 'handoffs', stats.handoffs, '']);
  for (const d of stats.perDay) rows.push(['day', d.day, d.conversations, '']);
  for (const [k, v] of Object.entries(stats.outcomes)) rows.push(['outcome', k, v, '']);
  for (const f of stats.funnel) rows.push(['funnel', f.id, f.reached, f.ended]);
  for (const [k, v] of Object.entries(stats.clients)) rows.push(['client', k, v, '']);
  for (const [k, v] of Object.entries(stats.errorCodes)) rows.push(['error_code', k, v, '']);
  for (const [k, v] of Object.entries(stats.faq)) rows.push(['faq', k, v, '']);
  for (const n of stats.notUnderstood) rows.push(['not_understood', n.text, n.count, '']);
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

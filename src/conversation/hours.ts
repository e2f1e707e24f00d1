/**
 * When staff answer: CONTACT_HOURS and CONTACT_CLOSED_DATES, in Japan time (no daylight saving) whatever the
 * server's time zone. Parsed once at start-up (config.ts), read on a handoff.
 *
 *   CONTACT_HOURS="09:00-18:00"                          every day, public holidays included
 *   CONTACT_HOURS="mon-fri 09:00-18:00, sat 10:00-17:00"  days not named (here Sunday) and public holidays closed
 *   CONTACT_HOURS="mon-fri 09:00-18:00, hol 10:00-15:00"  … or open on public holidays with their own hours
 *   CONTACT_CLOSED_DATES="12-29..01-03, 08-13..08-15"     closed every year on these dates, whatever the above says
 */
import { isJapaneseHoliday } from './holidays.ts';

const JST_OFFSET_MS = 9 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** Minutes after midnight: opens at `from`, closes at `to` (exclusive). */
export interface Span {
  from: number;
  to: number;
}

export interface OpeningHours {
  /** By day of the week, 0 = Sunday; undefined = closed. */
  week: (Span | undefined)[];
  /** Japanese public holidays; undefined = closed. */
  holiday?: Span;
  /** Closed every year from `from` to `to`, month-day as MMDD numbers (1229 … 103 wraps over the new year). */
  closed: { from: number; to: number }[];
}

export const HOURS_EXAMPLE = '"09:00-18:00" (every day) or "mon-fri 09:00-18:00, sat 10:00-17:00"';
export const CLOSED_DATES_EXAMPLE = '"12-29..01-03" or "12-29..01-03, 08-13..08-15"';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const SPAN = /^([01]?\d|2[0-3]):([0-5]\d)-([01]?\d|2[0-4]):([0-5]\d)$/;

function parseSpan(text: string): Span | undefined {
  const m = SPAN.exec(text);
  if (!m) return undefined;
  const [from, to] = [Number(m[1]) * 60 + Number(m[2]), Number(m[3]) * 60 + Number(m[4])];
  return from < to && to <= 24 * 60 ? { from, to } : undefined;
}

/** The days an entry names: `mon-fri`, `sat`, `sun,hol`…; -1 stands for public holidays. */
function parseDays(text: string): number[] | undefined {
  const days: number[] = [];
  for (const part of text.split('/')) {
    const [first, last, ...rest] = part.split('-');
    if (rest.length > 0) return undefined;
    if (first === 'hol' && last === undefined) {
      days.push(-1);
      continue;
    }
    const a = DAYS.indexOf(first!);
    const b = last === undefined ? a : DAYS.indexOf(last);
    if (a < 0 || b < 0) return undefined;
    for (let d = a; ; d = (d + 1) % 7) {
      days.push(d);
      if (d === b) break;
    }
  }
  return days;
}

/** CONTACT_HOURS → opening hours, or the problem in words. */
export function parseHours(text: string): { hours: OpeningHours } | { problem: string } {
  const bad = (why: string) => ({ problem: `"${text}" ${why}; e.g. ${HOURS_EXAMPLE}` });
  const entries = text.toLowerCase().split(',').map((e) => e.trim());
  const every = entries.length === 1 ? parseSpan(entries[0]!) : undefined;
  if (every) return { hours: { week: DAYS.map(() => every), holiday: every, closed: [] } };
  const hours: OpeningHours = { week: DAYS.map(() => undefined), closed: [] };
  for (const entry of entries) {
    const m = /^(\S+)\s+(\S+)$/.exec(entry);
    if (!m) return bad(`has an entry "${entry}" that is not "days HH:MM-HH:MM"`);
    const days = parseDays(m[1]!);
    if (!days) return bad(`names days "${m[1]}" (use mon tue wed thu fri sat sun hol, a range like mon-fri, or several joined by /)`);
    const span = parseSpan(m[2]!);
    if (!span) return bad(`has hours "${m[2]}" that are not HH:MM-HH:MM with the opening before the closing`);
    for (const day of days) {
      const taken = day < 0 ? hours.holiday : hours.week[day];
      if (taken) return bad(`gives ${day < 0 ? 'hol' : DAYS[day]} two sets of hours`);
      if (day < 0) hours.holiday = span;
      else hours.week[day] = span;
    }
  }
  return { hours };
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function parseMonthDay(text: string): number | undefined {
  const m = /^(\d\d)-(\d\d)$/.exec(text);
  if (!m) return undefined;
  const [month, day] = [Number(m[1]), Number(m[2])];
  return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1]! ? month * 100 + day : undefined;
}

/** CONTACT_CLOSED_DATES → closed ranges, or the problem in words. */
export function parseClosedDates(text: string): { closed: OpeningHours['closed'] } | { problem: string } {
  const closed: OpeningHours['closed'] = [];
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [first, last, ...rest] = entry.split('..');
    const from = parseMonthDay(first!);
    const to = last === undefined ? from : parseMonthDay(last);
    if (rest.length > 0 || from === undefined || to === undefined) {
      return { problem: `"${entry}" is not a date MM-DD or a range MM-DD..MM-DD; e.g. ${CLOSED_DATES_EXAMPLE}` };
    }
    closed.push({ from, to });
  }
  return { closed };
}

/** A Japan calendar day. */
export interface JapanDay {
  year: number;
  month: number;
  day: number;
  /** 0 = Sunday. */
  weekday: number;
}

function japanDay(ms: number): JapanDay {
  const d = new Date(ms + JST_OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

const ymd = (d: JapanDay) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/** The hours of one Japan day: closed dates first, then public holidays, then the day of the week. */
export function hoursOn(hours: OpeningHours, day: JapanDay): Span | undefined {
  const md = day.month * 100 + day.day;
  const closed = hours.closed.some(({ from, to }) => (from <= to ? md >= from && md <= to : md >= from || md <= to));
  if (closed) return undefined;
  if (isJapaneseHoliday(ymd(day))) return hours.holiday;
  return hours.week[day.weekday];
}

const minuteOf = (ms: number) => Math.floor(((ms + JST_OFFSET_MS) % DAY_MS) / 60_000);

export function isOpen(hours: OpeningHours, nowMs: number): boolean {
  const span = hoursOn(hours, japanDay(nowMs));
  const minute = minuteOf(nowMs);
  return span !== undefined && minute >= span.from && minute < span.to;
}

/** When staff are next available after `nowMs` (closed now), or undefined if not within a year. */
export function nextOpening(hours: OpeningHours, nowMs: number): { day: JapanDay; minute: number } | undefined {
  const minute = minuteOf(nowMs);
  for (let i = 0; i <= 366; i++) {
    const day = japanDay(nowMs + i * DAY_MS);
    const span = hoursOn(hours, day);
    if (span && (i > 0 || minute < span.from)) return { day, minute: span.from };
  }
  return undefined;
}

const weekdayJa = new Intl.DateTimeFormat('ja-JP', { weekday: 'short', timeZone: 'UTC' });
const weekdayEn = new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' });

/** The date and time of an opening as a sentence shows them: 「1月4日（月）」「9:00」, "Monday, January 4" "9:00". */
export function openingVars(lang: 'ja' | 'en', opening: { day: JapanDay; minute: number }): { date: string; time: string } {
  const { day, minute } = opening;
  const noonUtc = new Date(Date.UTC(day.year, day.month - 1, day.day, 12));
  const date =
    lang === 'ja'
      ? `${day.month}月${day.day}日（${weekdayJa.format(noonUtc)}）`
      : weekdayEn.format(noonUtc);
  return { date, time: `${Math.floor(minute / 60)}:${String(minute % 60).padStart(2, '0')}` };
}

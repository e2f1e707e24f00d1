/**
 * Opening hours that know the calendar: days of the week, Japanese public holidays, the year-end closure, and
 * the sentence that tells a customer outside them when staff are next available.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { isJapaneseHoliday, lastHolidayYear } from '../../src/conversation/holidays.ts';
import { isOpen, nextOpening, openingVars, parseClosedDates, parseHours, type OpeningHours } from '../../src/conversation/hours.ts';
import { converse, testDeps } from '../support/turns.ts';

/** A Japan time as an instant: "2027-01-08 10:00". */
const jst = (text: string) => Date.parse(`${text.replace(' ', 'T')}:00+09:00`);

const DESK = { CONTACT_HOURS: 'mon-fri 09:00-18:00, sat 10:00-17:00', CONTACT_CLOSED_DATES: '12-29..01-03' };
const desk: OpeningHours = loadConfig(DESK).contact.openingHours;

describe('CONTACT_HOURS and CONTACT_CLOSED_DATES', () => {
  it('a weekday is open in its hours only', () => {
    expect(isOpen(desk, jst('2027-01-06 09:00'))).toBe(true); // Wednesday
    expect(isOpen(desk, jst('2027-01-06 17:59'))).toBe(true);
    expect(isOpen(desk, jst('2027-01-06 18:00'))).toBe(false);
    expect(isOpen(desk, jst('2027-01-06 08:59'))).toBe(false);
  });

  it('Saturday has its own hours; Sunday, not named, is closed', () => {
    expect(isOpen(desk, jst('2027-01-09 10:30'))).toBe(true);
    expect(isOpen(desk, jst('2027-01-09 09:30'))).toBe(false);
    expect(isOpen(desk, jst('2027-01-09 17:30'))).toBe(false);
    expect(isOpen(desk, jst('2027-01-10 12:00'))).toBe(false);
  });

  it('a public holiday is closed (成人の日, 2027-01-11, a Monday), unless hol has hours', () => {
    expect(isOpen(desk, jst('2027-01-11 12:00'))).toBe(false);
    expect(isOpen(desk, jst('2027-01-12 12:00'))).toBe(true);
    const withHoliday = loadConfig({ CONTACT_HOURS: 'mon-fri 09:00-18:00, hol 10:00-15:00' }).contact.openingHours;
    expect(isOpen(withHoliday, jst('2027-01-11 12:00'))).toBe(true);
    expect(isOpen(withHoliday, jst('2027-01-11 16:00'))).toBe(false);
  });

  it('the year-end closure: 12-31 is closed though it is a weekday, and the range wraps into January', () => {
    expect(isOpen(desk, jst('2026-12-31 12:00'))).toBe(false); // Thursday
    expect(isOpen(desk, jst('2027-01-02 12:00'))).toBe(false); // Saturday
    expect(isOpen(desk, jst('2026-12-28 12:00'))).toBe(true);
    expect(isOpen(desk, jst('2027-01-04 12:00'))).toBe(true);
    const several = parseClosedDates('12-29..01-03, 08-13..08-15, 05-01');
    expect(several).toEqual({ closed: [{ from: 1229, to: 103 }, { from: 813, to: 815 }, { from: 501, to: 501 }] });
  });

  it('the old form HH:MM-HH:MM keeps meaning every day, Sundays and public holidays included', () => {
    const every = loadConfig({ CONTACT_HOURS: '09:00-18:00' }).contact.openingHours;
    expect(isOpen(every, jst('2027-01-10 12:00'))).toBe(true);
    expect(isOpen(every, jst('2027-01-11 12:00'))).toBe(true);
    expect(isOpen(every, jst('2027-01-11 18:30'))).toBe(false);
  });

  it('Japan time, whatever the instant: 00:30 UTC is 09:30 in Japan', () => {
    expect(isOpen(desk, Date.parse('2027-01-06T00:30:00Z'))).toBe(true);
  });

  it('the next opening: after the year-end closure, after a holiday weekend, later the same day', () => {
    expect(nextOpening(desk, jst('2026-12-31 10:00'))).toMatchObject({ day: { year: 2027, month: 1, day: 4, weekday: 1 }, minute: 540 });
    expect(nextOpening(desk, jst('2027-01-09 18:00'))).toMatchObject({ day: { month: 1, day: 12 }, minute: 540 }); // Sun, then 成人の日
    expect(nextOpening(desk, jst('2027-01-09 08:00'))).toMatchObject({ day: { month: 1, day: 9 }, minute: 600 });
    expect(openingVars('ja', nextOpening(desk, jst('2026-12-31 10:00'))!)).toEqual({ date: '1月4日（月）', time: '9:00' });
    expect(openingVars('en', nextOpening(desk, jst('2027-01-09 08:00'))!)).toEqual({ date: 'Saturday, January 9', time: '10:00' });
  });

  it('bad values stop the start with the bad part and an example of a good value', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        return (error as ConfigError).problems.join('\n');
      }
      return '';
    };
    expect(problems({ CONTACT_HOURS: 'mon-fri 9-18' })).toMatch(/^CONTACT_HOURS: "mon-fri 9-18" has hours "9-18" .*e\.g\. "09:00-18:00" \(every day\) or "mon-fri 09:00-18:00, sat 10:00-17:00"/);
    expect(problems({ CONTACT_HOURS: 'weekdays 09:00-18:00' })).toMatch(/CONTACT_HOURS: .*names days "weekdays".*e\.g\./);
    expect(problems({ CONTACT_HOURS: 'mon-fri 18:00-09:00' })).toMatch(/opening before the closing/);
    expect(problems({ CONTACT_HOURS: 'mon-fri 09:00-18:00, fri 10:00-12:00' })).toMatch(/fri two sets of hours/);
    expect(problems({ CONTACT_HOURS: '09:00-18:00, sat 10:00-17:00' })).toMatch(/not "days HH:MM-HH:MM"/);
    expect(problems({ CONTACT_CLOSED_DATES: '12/29-01/03' })).toMatch(/^CONTACT_CLOSED_DATES: "12\/29-01\/03" is not .*e\.g\. "12-29\.\.01-03"/);
    expect(problems({ CONTACT_CLOSED_DATES: '02-30' })).toMatch(/CONTACT_CLOSED_DATES: "02-30"/);
    expect(problems({ CONTACT_HOURS: 'sun/hol 10:00-16:00, mon-fri 09:00-18:00' })).toBe('');
  });
});

describe('public holiday data', () => {
  it('knows Japanese public holidays through at least 2030, substitute holidays included', () => {
    expect(lastHolidayYear()).toBeGreaterThanOrEqual(2030);
    expect(isJapaneseHoliday('2027-01-11')).toBe(true); // 成人の日
    expect(isJapaneseHoliday('2030-01-14')).toBe(true); // 成人の日
    expect(isJapaneseHoliday('2026-05-06')).toBe(true); // 振替休日
    expect(isJapaneseHoliday('2027-01-12')).toBe(false);
  });
});

describe('the handoff message outside the hours', () => {
  const ask = (lang: 'ja' | 'en', at: string) => {
    const c = converse(testDeps(DESK, () => jst(at)), lang).say(lang === 'ja' ? '担当者と話したい' : 'I want to talk to a person');
    expect(c.turns.at(-1)!.trace.handoff).toBe(true);
    return c.turns.at(-1)!.replies.map((r) => r.text).join('\n');
  };

  it('on 12-31 says when staff are next available, in Japanese and in English', () => {
    expect(ask('ja', '2026-12-31 10:00')).toContain('次の受付は 1月4日（月）9:00 からです。');
    expect(ask('en', '2026-12-31 10:00')).toContain('Staff are next available on Monday, January 4 from 9:00 (Japan time).');
  });

  it('on a holiday it names the next working day; within the hours it says nothing of it', () => {
    expect(ask('ja', '2027-01-11 12:00')).toContain('次の受付は 1月12日（火）9:00 からです。');
    const open = ask('ja', '2027-01-12 12:00');
    expect(open).not.toContain('次の受付');
    expect(open).not.toContain('受付時間外');
  });
});

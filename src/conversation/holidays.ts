/**
 * Japanese public holidays (振替休日 and 国民の休日 included), from @holiday-jp/holiday_jp's data (1970–2050; the
 * package is updated when the law changes). A lookup in data: as pure as the rest of the turn.
 */
import holidayJp from '@holiday-jp/holiday_jp';

const holidays: Readonly<Record<string, unknown>> = holidayJp.holidays;

/** `ymd` as "YYYY-MM-DD" (a Japan date). */
export const isJapaneseHoliday = (ymd: string): boolean => Object.hasOwn(holidays, ymd);

/** The last year the data covers (a dated holiday list runs out; tests check it reaches far enough). */
export const lastHolidayYear = (): number => Math.max(...Object.keys(holidays).map((d) => Number(d.slice(0, 4))));

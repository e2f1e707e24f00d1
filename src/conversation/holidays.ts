/**
 * Japanese public holidays (振替休日 and 国民の休日 included), from @holiday-jp/holiday_jp's data (1970–2050; the
 * package is updated when the law changes). A lookup in data: as pure as the rest of the turn. The data (≈ 9,000
 * dates) is loaded on the first lookup — a handoff outside the hours — not at every start.
 */
import { createRequire } from 'node:module';

let holidays: Readonly<Record<string, unknown>> | undefined;
const data = () => (holidays ??= (createRequire(import.meta.url)('@holiday-jp/holiday_jp') as { holidays: Record<string, unknown> }).holidays);

/** `ymd` as "YYYY-MM-DD" (a Japan date). */
export const isJapaneseHoliday = (ymd: string): boolean => Object.hasOwn(data(), ymd);

/** The last year the data covers (a dated holiday list runs out; tests check it reaches far enough). */
export const lastHolidayYear = (): number => Math.max(...Object.keys(data()).map((d) => Number(d.slice(0, 4))));

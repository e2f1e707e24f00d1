/** Opening hours are kept in Japan time (no daylight saving), whatever the server's time zone. */
const JST_OFFSET_MS = 9 * 3600 * 1000;

export function isWithinHours(hours: string, nowMs: number): boolean {
  const m = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(hours);
  if (!m) return true;
  const [, h1, m1, h2, m2] = m.map(Number) as [number, number, number, number, number];
  const jst = new Date(nowMs + JST_OFFSET_MS);
  const minute = jst.getUTCHours() * 60 + jst.getUTCMinutes();
  return minute >= h1 * 60 + m1 && minute < h2 * 60 + m2;
}

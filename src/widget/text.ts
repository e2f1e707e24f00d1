/**
 * Pure helpers for turning bot text into safe pieces. No DOM here: the UI turns each segment into a
 * text node or an <a>, never into an HTML string (see ui.ts).
 */

export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/** Schemes a link from the bot may use. Everything else (javascript:, data:, vbscript:, file:…) is dropped. */
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:']);

/**
 * The URL to put in an href, or null when it is not an absolute http/https/mailto/tel URL.
 * `new URL` strips tabs/newlines and lower-cases the scheme, so "java\tscript:" or "JAVASCRIPT:" cannot slip by.
 */
export function safeHref(raw: unknown, schemes: ReadonlySet<string> = SAFE_SCHEMES): string | null {
  if (typeof raw !== 'string' || raw.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (!schemes.has(url.protocol)) return null;
  if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.hostname) return null;
  return url.href;
}

const WEB_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:']);

// ASCII URL characters only: a URL in Japanese text ends where the Japanese starts ("…/manual/をご覧ください").
const URL_RE = /https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/g;
const TRAILING = /[.,;:!?'\])]$/;

/** Drops sentence punctuation glued to the end of a URL, keeping a ")" that closes a "(" inside it. */
function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const m = TRAILING.exec(url);
    if (!m) return url;
    const last = url[url.length - 1];
    if (last === ')' && count(url, '(') >= count(url, ')')) return url;
    if (last === ']' && count(url, '[') >= count(url, ']')) return url;
    url = url.slice(0, -1);
  }
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/** Splits plain text into text and http(s) link segments. Concatenating the segments' text gives back the input. */
export function linkify(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  URL_RE.lastIndex = 0;
  for (let m = URL_RE.exec(text); m; m = URL_RE.exec(text)) {
    const url = trimUrl(m[0]);
    const href = safeHref(url, WEB_SCHEMES);
    if (!href) continue;
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    out.push({ kind: 'link', text: url, href });
    last = m.index + url.length;
    URL_RE.lastIndex = last;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/** Accepts only colours that cannot break out of a CSS value: #rgb, #rrggbb (with optional alpha) or a plain name. */
export function safeColor(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const v = raw.trim();
  return /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(v) || /^[a-z]{3,20}$/i.test(v) ? v : null;
}

/** Black or white, whichever reads better on the given #hex colour (WCAG relative luminance). */
export function textColorOn(hex: string): '#fff' | '#111' {
  let h = hex.replace('#', '');
  if (h.length === 3 || h.length === 4) h = h.slice(0, 3).replace(/./g, (c) => c + c);
  if (!/^[0-9a-f]{6}/i.test(h)) return '#fff';
  const lin = (i: number): number => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin(0) + 0.7152 * lin(2) + 0.0722 * lin(4);
  // Contrast with white (1.05 / (l + .05)) against contrast with near-black ((l + .05) / .056).
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.056 ? '#fff' : '#111';
}

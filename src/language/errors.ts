/** Error messages and numbers customers paste: Outlook codes, socket errors, SMTP replies, Thunderbird texts. */
import type { Analysed } from './normalize.js';
import { has } from './matcher.js';
import type { Lexicon } from './lexicon.js';

// 0x800CCC0E in every spelling: with or without 0x, the letter O for zero, full width (NFKC has
// already folded that), upper or lower case, even a stray space after 0x.
const HEX = /(?<![0-9a-z])(?:[0o] ?[x×] ?)?([0-9a-fo]{8})(?![0-9a-z])/g;
// People often copy only the tail: "CCC0E".
const HEX_TAIL = /(?<![0-9a-z])(ccc[0-9a-fo]{2})(?![0-9a-z])/g;
const NUMBER = /(?<!\d)(\d{5})(?!\d)/g;
const SMTP = /(?<![\d.])(?:([2-5]\d\d)(?:[ -]*#?([2-5]\.\d{1,3}\.\d{1,3}))?|([2-5]\.\d{1,3}\.\d{1,3}))(?![\d.])/g;

export function findError(a: Analysed, lex: Lexicon): string | null {
  const plain = a.plain;
  // Every code has a digit; only pasted texts ("Relay access denied") do without.
  if (/\d/.test(plain)) return findCode(a, lex) ?? findPattern(a, lex);
  return findPattern(a, lex);
}

function findPattern(a: Analysed, lex: Lexicon): string | null {
  if (lex.errorPatternAny && !lex.errorPatternAny.test(a.key)) return null;
  for (const e of lex.errors) {
    if (e.patterns.some((re) => re.test(a.key))) return e.id;
  }
  return null;
}

function findCode(a: Analysed, lex: Lexicon): string | null {
  const plain = a.plain;
  for (const m of plain.matchAll(HEX)) {
    const id = lex.hexCodes.get(m[1]!.replace(/o/g, '0'));
    if (id) return id;
  }
  for (const m of plain.matchAll(HEX_TAIL)) {
    const id = lex.hexCodes.get('800' + m[1]!.replace(/o/g, '0'));
    if (id) return id;
  }
  for (const m of plain.matchAll(NUMBER)) {
    const id = lex.numberCodes.get(m[1]!);
    if (id) return id;
  }
  return findSmtp(a, lex);
}

function findSmtp(a: Analysed, lex: Lexicon): string | null {
  const text = a.plain.replace(/\s+/g, ' ');
  if (!/\d\d/.test(text)) return null;
  const found: { code?: string; status?: string }[] = [];
  for (const m of text.matchAll(SMTP)) {
    const code = m[1];
    const status = m[2] ?? m[3];
    found.push({ ...(code ? { code } : {}), ...(status ? { status } : {}) });
  }
  if (found.length === 0) return null;
  // A bare number is only a server reply when the message talks about an error ("530 エラー"),
  // or is nothing but the number; an enhanced status code (5.7.1) is evidence enough on its own.
  const hasContext = has(lex.smtpContext, a) || /^[\s\d.#:-]+$/.test(text);
  let best: { id: string; score: number } | null = null;
  for (const f of found) {
    if (!f.status && !hasContext) continue;
    for (const s of lex.smtpCodes) {
      let score = 0;
      if (s.code && s.status) score = f.code === s.code && f.status === s.status ? 3 : 0;
      else if (s.status) score = f.status === s.status ? 2 : 0;
      else if (s.code) score = f.code === s.code ? 1 : 0;
      if (score > 0 && (!best || score > best.score)) best = { id: s.id, score };
    }
  }
  return best?.id ?? null;
}

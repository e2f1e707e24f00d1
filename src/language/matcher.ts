/**
 * Word-list matching on normalized text. Every list entry (staff-editable data) is compiled once into
 * a regular expression over the `key` form of normalize.ts.
 */
import { analyse, type Analysed } from './normalize.js';

export interface Hit { start: number; end: number; term: string }

export interface CompiledTerm {
  readonly term: string;   // normalized entry, for diagnostics and "longest wins"
  readonly re: RegExp;     // global, sticky-free
  readonly kanaShort: boolean;
  readonly latinStart: boolean;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isLatinCh = (ch: string): boolean => /[a-z0-9]/.test(ch);
const isKanaCh = (ch: string): boolean => /[\u3041-\u309fー]/.test(ch);

export interface CompileOptions {
  /** Allow an omitted or extra ー after any kana (サンダバード = サンダーバード). For names, not yes/no (うーん ≠ うん). */
  looseLongVowel?: boolean;
  /** Allow digits right after a latin term (a version: outlook2007, oe6). */
  digitsAfter?: boolean;
}

/** Compile one entry. Returns null for an entry that normalizes to nothing (the caller reports it). */
export function compileTerm(entry: string, opts: CompileOptions = {}): CompiledTerm | null {
  const term = analyse(entry).key.trim();
  if (term === '') return null;
  const chars = [...term];
  let src = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const next = chars[i + 1];
    if (ch === ' ') { src += ' ?'; continue; }
    if (ch === 'ー' && opts.looseLongVowel) { src += 'ー*'; continue; }
    // In names, の between two words is optional: 「Macのメール」 = 「Macメール」.
    if (ch === 'の' && opts.looseLongVowel && i > 0 && next !== undefined) { src += 'の?'; continue; }
    src += escape(ch);
    if (opts.looseLongVowel && isKanaCh(ch) && ch !== 'ー' && next !== 'ー') src += 'ー*';
    // "outlookexpress" and "outlook express" are the same name: between two latin letters of a
    // name the space is optional either way.
    if (next !== undefined && next !== ' ' && isLatinCh(ch) && isLatinCh(next) && /[a-z]/.test(ch) !== /[a-z]/.test(next)) src += ' ?';
  }
  const first = chars[0]!;
  const last = chars[chars.length - 1]!;
  if (isLatinCh(first)) src = '(?<![a-z0-9])' + src;
  if (isLatinCh(last)) src += opts.digitsAfter && /[a-z]/.test(last) ? '(?![a-z])' : '(?![a-z0-9])';
  const kanaLen = chars.filter((c) => isKanaCh(c) && c !== 'ー').length;
  return {
    term,
    re: new RegExp(src, 'gu'),
    kanaShort: kanaLen > 0 && kanaLen === chars.filter((c) => c !== 'ー').length && kanaLen <= 4,
    latinStart: isLatinCh(first),
  };
}

/**
 * All hits of a compiled term. A short all-kana term must stand alone in katakana: 「ネスケ」 matches in
 * 「ネスケを使ってる」 but not inside 「ビジネスケース」 (a katakana word on either side means it is part of
 * another word). `allowAfter` lists words that may follow even so (メール, ソフト: 「ポスペメール」).
 */
export function findHits(t: CompiledTerm, a: Analysed, allowAfter: readonly string[] = []): Hit[] {
  const hits: Hit[] = [];
  t.re.lastIndex = 0;
  for (let m = t.re.exec(a.key); m; m = t.re.exec(a.key)) {
    if (m[0].length === 0) { t.re.lastIndex++; continue; }
    const start = m.index;
    const end = start + m[0].length;
    if (t.kanaShort && !standsAlone(a, start, end, allowAfter)) continue;
    hits.push({ start, end, term: t.term });
  }
  return hits;
}

function standsAlone(a: Analysed, start: number, end: number, allowAfter: readonly string[]): boolean {
  // Only katakana spans are checked: hiragana next to a hiragana-typed name is usually a particle.
  const spanScript = a.script.slice(start, end);
  if (!spanScript.includes('K')) return true;
  const before = a.script[start - 1];
  const after = a.script[end];
  if (before === 'K') return false;
  if (after === 'K') return allowAfter.some((w) => a.key.startsWith(w, end));
  return true;
}

/** Compile a list; reports the index of an entry that normalizes to nothing. */
export function compileList(list: readonly string[], opts: CompileOptions = {}): { terms: CompiledTerm[]; bad: number } {
  const terms: CompiledTerm[] = [];
  for (let i = 0; i < list.length; i++) {
    const t = compileTerm(list[i]!, opts);
    if (!t) return { terms, bad: i };
    terms.push(t);
  }
  // Longest first, so callers taking the first hit get the most specific entry.
  terms.sort((x, y) => y.term.length - x.term.length);
  return { terms, bad: -1 };
}

/** First (longest) entry that occurs anywhere; null if none. */
export function firstHit(terms: readonly CompiledTerm[], a: Analysed): Hit | null {
  for (const t of terms) {
    const h = findHits(t, a);
    if (h.length > 0) return h[0]!;
  }
  return null;
}

export function allHits(terms: readonly CompiledTerm[], a: Analysed): Hit[] {
  const out: Hit[] = [];
  for (const t of terms) out.push(...findHits(t, a));
  return out;
}

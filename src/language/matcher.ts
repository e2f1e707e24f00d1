/**
 * Word-list matching on normalized text. Every list (staff-editable data) is compiled once into one
 * regular expression over the `key` form of normalize.ts: one alternation per list, longest entry
 * first, so a message is scanned once per list however long the list grows.
 */
import { analyse, type Analysed } from './normalize.js';

export interface Hit { start: number; end: number; term: string }

export interface CompiledTerm {
  readonly term: string;   // normalized entry
  readonly source: string; // regex source for this entry, boundaries included
  readonly re: RegExp;     // this entry alone, global
}

export interface CompiledList {
  readonly terms: readonly CompiledTerm[];
  readonly re: RegExp;     // all entries, global
  readonly sticky: RegExp; // all entries, anchored at lastIndex
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isLatinCh = (ch: string): boolean => (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
const isKanaCh = (ch: string): boolean => (ch >= '\u3041' && ch <= '\u309f') || ch === 'ー';

export interface CompileOptions {
  /** Names: an omitted or extra ー after any kana (サンダバード = サンダーバード), optional の between words. Not for yes/no (うーん ≠ うん). */
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
    if (ch === 'の' && opts.looseLongVowel && i > 0 && next !== undefined) { src += 'の?'; continue; }
    src += escape(ch);
    if (opts.looseLongVowel && isKanaCh(ch) && next !== 'ー') src += 'ー*';
    // "outlook2007" and "outlook 2007" are the same: a space is optional where letters meet digits.
    if (next !== undefined && next !== ' ' && isLatinCh(ch) && isLatinCh(next) && /[a-z]/.test(ch) !== /[a-z]/.test(next)) src += ' ?';
  }
  const first = chars[0]!;
  const last = chars[chars.length - 1]!;
  if (isLatinCh(first)) src = '(?<![a-z0-9])' + src;
  if (isLatinCh(last)) src += opts.digitsAfter && /[a-z]/.test(last) ? '(?![a-z])' : '(?![a-z0-9])';
  return { term, source: src, re: new RegExp(src, 'gu') };
}

export function makeList(terms: CompiledTerm[]): CompiledList {
  // Longest first: at one position the alternation takes the first entry that matches.
  const sorted = [...terms].sort((x, y) => y.term.length - x.term.length);
  const src = sorted.length > 0 ? sorted.map((t) => `(?:${t.source})`).join('|') : '(?!)';
  return { terms: sorted, re: new RegExp(src, 'gu'), sticky: new RegExp(src, 'yu') };
}

/** Compile a list; `bad`: the indexes of the entries that normalize to nothing (left out of the list). */
export function compileList(list: readonly string[], opts: CompileOptions = {}): { list: CompiledList; bad: number[] } {
  const terms: CompiledTerm[] = [];
  const bad: number[] = [];
  for (let i = 0; i < list.length; i++) {
    const t = compileTerm(list[i]!, opts);
    if (t) terms.push(t);
    else bad.push(i);
  }
  return { list: makeList(terms), bad };
}

/**
 * A short all-kana match must stand alone in katakana: 「ネスケ」 matches in 「ネスケを使ってる」 but
 * not inside 「ビジネスケース」 (katakana on either side means it is part of another word).
 * `allowAfter` lists words that may follow even so (メール, ソフト: 「ポスペメール」).
 */
export function standsAlone(a: Analysed, start: number, end: number, allowAfter: readonly string[] = []): boolean {
  let kana = 0;
  for (let i = start; i < end; i++) {
    const ch = a.key[i]!;
    if (!isKanaCh(ch)) return true;   // names with latin letters or kanji carry their own boundaries
    if (ch !== 'ー') kana++;
  }
  // A name is typed in one script: a match that begins inside a run of hiragana and reaches katakana took the tail
  // of another word (「スタートにある「メール」」 is not アルメール).
  const script = a.script.slice(start, end);
  if (a.script[start] === 'H' && a.script[start - 1] === 'H' && script.includes('K')) return false;
  if (kana > 4) return true;
  // Only katakana spans are checked: hiragana next to a hiragana-typed name is usually a particle.
  if (!script.includes('K')) return true;
  // Katakana next to a katakana edge of the match continues that word; next to a hiragana edge (the particle of
  // 「ソフトでメール」) it starts another.
  if (a.script[start] === 'K' && a.script[start - 1] === 'K' && !spaceTypedAt(a, start)) return false;
  if (a.script[end - 1] === 'K' && a.script[end] === 'K' && !spaceTypedAt(a, end)) return allowAfter.some((w) => a.key.startsWith(w, end));
  return true;
}

/**
 * Whether the customer typed a space right before `at` of the folded text (「ﾊｲ ｿｳﾃﾞｽ」 from a phone that writes only
 * katakana: the space tells はい from そうです). Known only where folding kept every other character in place.
 */
export function spaceTypedAt(a: Analysed, at: number): boolean {
  const words = a.plain.split(/\s+/).filter((w) => w !== '');
  if (words.length < 2 || words.join('').length !== a.key.length) return false;
  let end = 0;
  for (const w of words) {
    end += w.length;
    if (end === at) return true;
    if (end > at) return false;
  }
  return false;
}

function scan(re: RegExp, a: Analysed, allowAfter: readonly string[] | undefined, all: boolean): Hit[] {
  const hits: Hit[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(a.key); m; m = re.exec(a.key)) {
    const start = m.index;
    const end = start + m[0].length;
    if (end === start) { re.lastIndex = start + 1; continue; }
    if (!standsAlone(a, start, end, allowAfter)) { re.lastIndex = start + 1; continue; }
    hits.push({ start, end, term: m[0] });
    if (!all) break;
  }
  re.lastIndex = 0;
  return hits;
}

/** Every (non-overlapping, leftmost-longest-entry) hit of a list. */
export function listHits(list: CompiledList, a: Analysed, allowAfter?: readonly string[]): Hit[] {
  return scan(list.re, a, allowAfter, true);
}

export function firstHit(list: CompiledList, a: Analysed): Hit | null {
  return scan(list.re, a, undefined, false)[0] ?? null;
}

export function has(list: CompiledList, a: Analysed): boolean {
  return firstHit(list, a) !== null;
}

/** The hit of a list starting exactly at `at`, if any. */
export function hitAt(list: CompiledList, a: Analysed, at: number, allowAfter?: readonly string[]): Hit | null {
  list.sticky.lastIndex = at;
  const m = list.sticky.exec(a.key);
  if (!m || m[0].length === 0) return null;
  const end = at + m[0].length;
  return standsAlone(a, at, end, allowAfter) ? { start: at, end, term: m[0] } : null;
}

/** Hits of one entry (used for catalogue aliases, where the entry tells the product). */
export function termHits(t: CompiledTerm, a: Analysed, allowAfter?: readonly string[]): Hit[] {
  return scan(t.re, a, allowAfter, true);
}

/** Mail-client names: catalogue aliases, kana, romaji, misspellings and versions → product ids. */
import type { Analysed } from './normalize.js';
import { findHits, firstHit } from './matcher.js';
import type { Lexicon, Os } from './lexicon.js';
import { negatedAfter } from './yesno.js';

export interface ClientMention { product: string; os?: Os; version?: string }
export interface FoundClient extends ClientMention { start: number; end: number; negated: boolean; fuzzy: boolean }

const VERSION_AFTER = /^ ?(?:ver\.?|version|ばーじょん|v\.?)? ?(\d{1,4}(?:\.\d{1,3}){0,2})(?![\d])/;
const VERSION_BEFORE = /(?:ver\.?|version|ばーじょん|v\.?) ?(\d{1,4}(?:\.\d{1,3}){0,2})$/;

/** The OS a text names, if any (first mention wins). */
export function findOs(a: Analysed, lex: Lexicon): { os: Os; start: number; end: number } | null {
  let best: { os: Os; start: number; end: number } | null = null;
  for (const os of ['windows', 'mac', 'smartphone'] as const) {
    const h = firstHit(lex.os[os], a);
    if (h && (!best || h.start < best.start)) best = { os, start: h.start, end: h.end };
  }
  return best;
}

export function findClients(a: Analysed, lex: Lexicon, fuzzy: boolean): FoundClient[] {
  const raw: { start: number; end: number; product: string; term: string }[] = [];
  for (const al of lex.aliases) {
    for (const h of findHits(al, a, lex.clientSuffixes)) raw.push({ ...h, product: al.product });
  }
  // Longest alias wins (Outlook Express over Outlook); overlapping shorter hits are dropped.
  // On equal spans the alias written exactly as typed wins over one matched through optional の/ー.
  const slack = (h: { start: number; end: number; term: string }): number => Math.abs(h.term.length - (h.end - h.start));
  raw.sort((x, y) => (y.end - y.start) - (x.end - x.start) || slack(x) - slack(y) || x.start - y.start);
  const chosen: typeof raw = [];
  for (const h of raw) {
    if (chosen.some((c) => h.start < c.end && c.start < h.end)) continue;
    chosen.push(h);
  }
  let found: FoundClient[] = chosen
    .sort((x, y) => x.start - y.start)
    .map((h) => describe(a, lex, h.product, h.term, h.start, h.end, false));
  if (found.length === 0 && fuzzy) found = fuzzyClients(a, lex);
  // The same product named twice counts once.
  const seen = new Set<string>();
  return found.filter((f) => (seen.has(f.product) ? false : (seen.add(f.product), true)));
}

function describe(a: Analysed, lex: Lexicon, product: string, term: string, start: number, end: number, fuzzy: boolean): FoundClient {
  const out: FoundClient = { product, start, end, negated: negatedAfter(a, end, lex), fuzzy };
  // "oe6": the alias itself carries the version when its letters alone are also an alias of the product.
  const own = /^([a-z][a-z .!-]*?) ?(\d{1,4}(?:\.\d)?)$/.exec(term);
  if (own && lex.aliases.some((al) => al.product === product && al.term === own[1])) out.version = own[2]!;
  const after = VERSION_AFTER.exec(a.key.slice(end));
  if (after && !out.version) {
    out.version = after[1]!;
    out.end = end + after[0].length;
  } else if (!out.version) {
    const before = VERSION_BEFORE.exec(a.key.slice(Math.max(0, start - 16), start));
    if (before) out.version = before[1]!;
  }
  const editions = lex.products.get(product) ?? [];
  if (editions.length === 1) out.os = editions[0]!;
  else {
    const os = findOs(a, lex);
    if (os && editions.includes(os.os)) out.os = os.os;
  }
  return out;
}

/** Optimal-string-alignment distance, bounded: returns max+1 as soon as it cannot be ≤ max. */
export function distance(s: string, t: string, max: number): number {
  if (Math.abs(s.length - t.length) > max) return max + 1;
  const n = s.length;
  const m = t.length;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: m + 1 }, (_, j) => j);
  for (let i = 1; i <= n; i++) {
    const cur: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[m]!;
}

const allowedTypos = (len: number): number => (len >= 9 ? 2 : len >= 5 ? 1 : 0);

/**
 * Misspelled names ("thunderbard", "サンダーバート", "outlok"): each latin word and each kana run is
 * compared with the aliases long enough for a typo to be unambiguous. Only used where a client name
 * is plausible, and only when no exact name was found.
 */
function fuzzyClients(a: Analysed, lex: Lexicon): FoundClient[] {
  if (a.key.length > 80) return [];
  let best: { product: string; term: string; start: number; end: number; d: number } | null = null;
  const consider = (product: string, term: string, start: number, end: number, d: number): void => {
    if (!best || d < best.d || (d === best.d && term.length > best.term.length)) best = { product, term, start, end, d };
  };
  const latin = [...a.key.matchAll(/[a-z][a-z!-]*/g)];
  const kanaRuns = [...a.key.matchAll(/[\u3041-\u309fー]{3,}/g)];
  for (const al of lex.aliases) {
    const t = al.term.replace(/ /g, '');
    if (/^[a-z!-]+$/.test(t)) {
      const max = allowedTypos(t.length);
      if (max === 0) continue;
      for (let i = 0; i < latin.length; i++) {
        const w1 = latin[i]![0];
        const d1 = distance(w1, t, max);
        if (d1 <= max) consider(al.product, al.term, latin[i]!.index, latin[i]!.index + w1.length, d1);
        const nx = latin[i + 1];
        if (nx && nx.index === latin[i]!.index + w1.length + 1) {
          const d2 = distance(w1 + nx[0], t, max);
          if (d2 <= max) consider(al.product, al.term, latin[i]!.index, nx.index + nx[0].length, d2);
        }
      }
    } else if (/^[\u3041-\u309fー]+$/.test(t)) {
      const tl = t.replace(/ー/g, '');
      const max = allowedTypos(tl.length);
      if (max === 0) continue;
      for (const run of kanaRuns) {
        const r = run[0].replace(/ー/g, '');
        for (let len = tl.length - 1; len <= tl.length + 1; len++) {
          if (len < 3) continue;
          for (let s = 0; s + len <= r.length; s++) {
            const d = distance(r.slice(s, s + len), tl, max);
            if (d <= max) consider(al.product, al.term, run.index, run.index + run[0].length, d);
          }
        }
      }
    }
  }
  if (!best) return [];
  const b = best as { product: string; term: string; start: number; end: number };
  return [describe(a, lex, b.product, b.term, b.start, b.end, true)];
}

/** Questions (FAQ) recognised at any step. */
import type { Analysed } from './normalize.js';
import { has, listHits } from './matcher.js';
import type { Lexicon } from './lexicon.js';

export interface FaqMatch { id: string; action?: 'start_diagnosis' | 'handoff'; doubt?: boolean; aboutQuestion?: 1 | 2 | 3; score: number }

export function findFaq(text: Analysed, lex: Lexicon): FaqMatch | null {
  const a = withoutLookalikes(text, lex);
  // Every pattern needs its first group: a message with none of those words matches no entry.
  if (!has(lex.faqAny, a)) return null;
  let best: FaqMatch | null = null;
  for (const e of lex.faq) {
    let entryScore = -1;
    for (const groups of e.patterns) {
      let score = 0;
      for (const alts of groups) {
        // The longest alternative found in this group counts; a group with none fails the pattern.
        let g = 0;
        for (const h of listHits(alts, a)) if (h.end - h.start > g) g = h.end - h.start;
        if (g === 0) { score = -1; break; }
        score += g;
      }
      // Every group that matched is evidence: a pattern of two groups beats a single word.
      if (score >= 0) score += 2 * groups.length;
      if (score > entryScore) entryScore = score;
    }
    if (entryScore < 0) continue;
    const total = entryScore + e.priority;
    if (!best || total > best.score) best = { id: e.id, ...(e.action ? { action: e.action } : {}), ...(e.doubt ? { doubt: true } : {}), ...(e.aboutQuestion ? { aboutQuestion: e.aboutQuestion } : {}), score: total };
  }
  return best;
}

/** The message with words such as いつも blanked: their いつ asks nothing. */
function withoutLookalikes(a: Analysed, lex: Lexicon): Analysed {
  const hits = listHits(lex.questionLookalikes, a);
  if (hits.length === 0) return a;
  let key = a.key;
  for (const h of hits) key = key.slice(0, h.start) + ' '.repeat(h.end - h.start) + key.slice(h.end);
  return { ...a, key };
}

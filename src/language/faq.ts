/** Questions (FAQ) recognised at any step. */
import type { Analysed } from './normalize.js';
import { findHits } from './matcher.js';
import type { Lexicon } from './lexicon.js';

export interface FaqMatch { id: string; action?: 'start_diagnosis' | 'handoff'; score: number }

export function findFaq(a: Analysed, lex: Lexicon): FaqMatch | null {
  let best: FaqMatch | null = null;
  for (const e of lex.faq) {
    let entryScore = -1;
    for (const groups of e.patterns) {
      let score = 0;
      for (const alts of groups) {
        // The longest alternative found in this group counts; a group with none fails the pattern.
        let g = 0;
        for (const t of alts) if (t.term.length > g && findHits(t, a).length > 0) g = t.term.length;
        if (g === 0) { score = -1; break; }
        score += g;
      }
      // Every group that matched is evidence: a pattern of two groups beats a single word.
      if (score >= 0) score += 2 * groups.length;
      if (score > entryScore) entryScore = score;
    }
    if (entryScore < 0) continue;
    const total = entryScore + e.priority;
    if (!best || total > best.score) best = { id: e.id, ...(e.action ? { action: e.action } : {}), score: total };
  }
  return best;
}

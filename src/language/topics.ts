/**
 * What a name is said of, read back over topics and joiners: 「回線もアドレスも尾張」 says the line and the
 * address are インターネット尾張's, 「アドレス尾張」 the address. Pure.
 */
import type { Analysed } from './normalize.js';
import { listHits } from './matcher.js';
import type { Lexicon } from './lexicon.js';
import { denied } from './yesno.js';

/** Between topics and the name said of them: 「回線もアドレスも尾張」「回線・メアドとも owari」「アドレス尾張」. */
const JOINERS = ['とも', 'も', 'と', '・', 'は', 'が', 'って', '、', ',', ':', '：', '=', ' '];
const TOPIC_REACH = 24;

/** The topic words of a lexicon, listed once (read back from every name of every message). */
const topicWords = new WeakMap<Lexicon, { lineWords: string[]; addressWords: string[] }>();
function topicWordsOf(lex: Lexicon): { lineWords: string[]; addressWords: string[] } {
  let words = topicWords.get(lex);
  if (!words) {
    words = { lineWords: lex.q2.lineWords.terms.map((t) => t.term), addressWords: [...lex.q3.addressWords.terms.map((t) => t.term), 'めーる'] };
    topicWords.set(lex, words);
  }
  return words;
}

/**
 * The topics a name is said of, read back from the name over topics and joiners only: the line
 * (回線, 光, ネット…), the address (アドレス, メアド, and メール as a topic). Undefined when no topic stands
 * right before the name.
 */
export function topicsBefore(a: Analysed, start: number, lex: Lexicon): { line: boolean; address: boolean } | undefined {
  let head = a.key.slice(Math.max(0, start - TOPIC_REACH), start);
  const stop = /[。.!?！？\n;；]/g;
  let last = -1;
  for (const m of head.matchAll(stop)) last = m.index!;
  head = head.slice(last + 1);
  const topics = { line: false, address: false };
  const { lineWords, addressWords } = topicWordsOf(lex);
  const endsWith = (text: string, words: string[]) => words.filter((w) => text.endsWith(w)).sort((x, y) => y.length - x.length)[0];
  const topicEnds = (text: string) => Boolean(endsWith(text, addressWords) ?? endsWith(text, lineWords));
  for (let guard = 0; guard < 8 && head !== ''; guard++) {
    // A topic first (「ネット」 ends in と but is a word), then a joiner: 「ネットも」 is ネット + も, 「メアドとも」 メアド + とも.
    const address = endsWith(head, addressWords);
    const line = endsWith(head, lineWords);
    const word = (address?.length ?? 0) >= (line?.length ?? 0) ? address : line;
    if (word) {
      if (word === address) topics.address = true; else topics.line = true;
      head = head.slice(0, head.length - word.length);
      continue;
    }
    const joiners = JOINERS.filter((j) => head.endsWith(j));
    if (joiners.length === 0) break;
    const joiner = joiners.find((j) => topicEnds(head.slice(0, head.length - j.length))) ?? joiners[0]!;
    head = head.slice(0, head.length - joiner.length);
  }
  return topics.line || topics.address ? topics : undefined;
}


/** インターネット尾張 said of the address as a topic (「会社のアドレスも尾張のです」), unless denied. */
export function ownedAddress(a: Analysed, lex: Lexicon): 'owari' | undefined {
  return listHits(lex.q2.owari, a).some((h) => topicsBefore(a, h.start, lex)?.address && !denied(a, h.start, h.end, lex)) ? 'owari' : undefined;
}

/**
 * Whether a provider's name is said of the line, not of an address: before a word for the line itself
 * (「ドコモ光」「ドコモの回線」) or after one as its topic (「回線はドコモ」). Provider words (プロバイダ) do not count:
 * asked about the address, 「プロバイダはニフティ」 may well mean the address.
 */
export function namesTheLine(a: Analysed, h: { start: number; end: number }, lex: Lexicon): boolean {
  const kinds = lex.q2.lineKinds.terms.map((t) => t.term);
  const after = a.key.slice(h.end).replace(/^ ?の? ?/, '');
  const before = a.key.slice(0, h.start).replace(/ ?(?:は|が|も|って|:|：)? ?$/, '');
  return kinds.some((w) => after.startsWith(w) || before.endsWith(w));
}

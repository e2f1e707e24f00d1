/** Yes / no / unsure / ambiguous in their many forms. */
import type { Analysed } from './normalize.js';
import { has, hitAt, listHits, type CompiledList, type Hit } from './matcher.js';
import type { Lexicon } from './lexicon.js';

/** Punctuation and spaces before an answer (symbols and emoji are kept: 👍 and × are answers). */
const NOISE = /^[\s\p{P}]+/u;
/** Symbols and emoji around an answer, for "is anything left?" checks. */
const DECOR = /[\s\p{P}\p{S}\p{Extended_Pictographic}\u200d\ufe0f]/gu;
const CLAUSE_END = /[、。,.!?！？\n;；]/;
const CLAUSE_START = /[\s\p{P}]/u;
/** Particles that may directly follow an interjection (はいよ, うんうん, そうだね). */
const FOLLOWERS = ['よ', 'ね', 'な', 'さ', 'です', 'だ', 'っす', 'なんです', 'なの', 'ー', 'わ', 'じゃ', 'でも', 'では', 'て'];
const ONLY = /^(?:[でにはを]?しか|[でに]?だけ|のみ|以外)/;

export function slice(a: Analysed, from: number, to = a.key.length): Analysed {
  return { plain: a.plain, key: a.key.slice(from, to), script: a.script.slice(from, to) };
}

/** Offset after leading fillers (えーと, あの) and punctuation. */
export function leadOffset(a: Analysed, lex: Lexicon): number {
  let i = 0;
  for (let guard = 0; guard < 10; guard++) {
    const m = NOISE.exec(a.key.slice(i));
    if (m) { i += m[0].length; continue; }
    // A filler is a whole word: 「あの、」 but not the あの of 「あのソフト」's neighbours in hiragana.
    const f = hitAt(lex.fillers, a, i);
    if (f && a.script[f.end] !== 'H') { i = f.end; continue; }
    break;
  }
  return i;
}

/** A negation right after `end`, in the same clause: 「尾張じゃない」, 「Outlookは使ってない」. */
export function negatedAfter(a: Analysed, end: number, lex: Lexicon, window = 12): boolean {
  let tail = a.key.slice(end, end + window);
  const cut = CLAUSE_END.exec(tail);
  if (cut) tail = tail.slice(0, cut.index);
  if (tail === '') return false;
  // 「LINEしか使いません」「Webメールってやつしか使ってへん」「Webメールだけ」: しか…ない means "only", not a negation of the word.
  if (ONLY.test(tail) || tail.includes('しか')) return false;
  const part = { plain: tail, key: tail, script: a.script.slice(end, end + tail.length) };
  // 「iPhoneのメールで送れない」「Outlookが使えなくなった」: trouble with the word, which is still in use.
  const trouble = listHits(lex.complaint, part)[0];
  // 「尾張さんで間違いないです」: a negation inside an affirmation (no mistake) affirms.
  const affirmations = listHits(lex.yesPhrases, part);
  return listHits(lex.negation, part).some((h) => isNegation(a.key, end + h.start, h.term) && !(trouble && trouble.start <= h.start)
    && !affirmations.some((y) => y.start <= h.start && h.end <= y.end));
}

/** English puts the negation first: "I don't use webmail", "not Gmail" (up to two words between, same clause). */
// 「no gmail」 denies; 「no its a gmail address」 is an answer, then a sentence (no before a subject or a verb).
const ENGLISH_NEGATION_BEFORE = /\b(?:don'?t|do not|doesn'?t|does not|didn'?t|not|never|no longer|no(?! (?:it|its|it's|i|i'm|im|we|my|that|this|that's|thats|the|is|was|use|i've)\b)|without)(?: [a-z']{1,12}){0,2} ?$/;

/** Whether the word at [start, end) is denied: a negation after it in its clause, or an English one before it. */
export function denied(a: Analysed, start: number, end: number, lex: Lexicon): boolean {
  if (negatedAfter(a, end, lex)) return true;
  if (a.script[start] !== 'L') return false;
  const before = a.key.slice(Math.max(0, start - 30), start);
  const cut = Math.max(...[...'、。,.!?！？\n;；'].map((c) => before.lastIndexOf(c)));
  const clause = before.slice(cut + 1).trimStart();
  // 「I can't send with Thunderbird」: trouble, not a denial.
  if (clause !== '' && has(lex.complaint, { plain: clause, key: clause, script: a.script.slice(start - clause.length, start) })) return false;
  return ENGLISH_NEGATION_BEFORE.test(clause);
}

/** Whether a negation stands after `end` anywhere in the same clause (not only right after the word). */
export function negatedInClause(a: Analysed, end: number, lex: Lexicon): boolean {
  const cut = CLAUSE_END.exec(a.key.slice(end));
  return negatedAfter(a, end, lex, cut ? cut.index : a.key.length - end);
}

/**
 * Verb endings that precede a negative ない are in the a-, i- or e-row (使わない, いない, 見えない) or are
 * a kanji (無い) or the noun こと (使ったことない); after a u- or o-row kana the な belongs to the word itself:
 * つないで (繋いで), おとなしい.
 * This is inflection, not a list of phrases: it holds for every verb.
 */
const NOT_BEFORE_NEGATIVE_NA = new Set([...'うつすぬふむゆるずづぶぷおこそとのほもよろごぞどぼぽ']);
export function isNegation(key: string, at: number, term: string): boolean {
  if (!term.startsWith('な')) return true;
  // 「使ったことない」: after こと (a noun) ない is the negative itself.
  if (key.endsWith('こと', at)) return true;
  return !NOT_BEFORE_NEGATIVE_NA.has(key[at - 1] ?? '');
}

/**
 * Without what a contrast word turns down: 「Outlookじゃなくてサンダーバード」 is about サンダーバード. Only the word
 * before the contrast is dropped (the run of letters, katakana, kanji and digits before it): in
 * 「MacのメールでiCloudじゃなくて尾張のアドレス」 the Mac still stands.
 */
export function afterContrast(a: Analysed, lex: Lexicon): Analysed {
  let cut = -1;
  let from = 0;
  let term = '';
  for (const h of listHits(lex.contrast, a)) {
    if (h.end > cut && h.end < a.key.length) {
      cut = h.end;
      from = h.start;
      term = h.term;
      // 「ヤフーのじゃなくて」: the word may end in の.
      if (from > 0 && a.key[from - 1] === 'の') from--;
      // 「他社とか会社のLANとかじゃなくて」: a list turned down goes back to the start of its clause.
      if (ENUMERATION_END.test(a.key.slice(0, from))) {
        while (from > 0 && !CLAUSE_END.test(a.key[from - 1]!)) from--;
      }
      while (from > 0 && TURNED_DOWN.test(a.script[from - 1]!)) from--;
    }
  }
  if (cut < 0) return a;
  const rest = slice(a, cut);
  if (!/[^\s\p{P}\p{S}]/u.test(rest.key)) return a;
  // 「ネットは尾張じゃないけど、メールは尾張のアドレスで」: "but" then another topic; both halves hold.
  if (/(?:けど|けれど|が)$/.test(term) && TOPIC_AFTER.test(rest.key)) return a;
  if (from === 0) return rest;
  return { plain: a.plain, key: a.key.slice(0, from) + '、' + rest.key, script: a.script.slice(0, from) + 'P' + rest.script };
}
/** A list of things turned down together (「AとかBとか」, 「AやBなど」). */
const ENUMERATION_END = /(?:とか|など|なんか|なんて)$/;
/** Another topic right after "but": 「、メールは」「アドレスも」. */
const TOPIC_AFTER = /^[、,\s]*[^、。,.\sはも]{1,8}[はも]/;
/** Script classes of the word a contrast turns down: latin, katakana, kanji, digits (and spaces between latin words). */
const TURNED_DOWN = /[LKJDS]/;

/**
 * An interjection opening the message or a clause that stands as a word: 「はい、」 「うん」
 * 「お願いします、はい」 but not 「はいってます」 (はい followed by more hiragana is another word).
 */
function startHit(list: CompiledList, a: Analysed, lead: number, lex: Lexicon): Hit | null {
  for (let at = lead; at < a.key.length; at++) {
    if (at !== lead && !CLAUSE_START.test(a.key[at - 1]!)) continue;
    // 「ｿｳﾃﾞｽﾖ」 from a phone that writes only katakana: a follower may go on in katakana.
    const h = hitAt(list, a, at, FOLLOWERS);
    if (!h) continue;
    if (h.end >= a.key.length || a.script[h.end] !== 'H') return h;
    const rest = a.key.slice(h.end);
    if (FOLLOWERS.some((f) => rest.startsWith(f)) || hitAt(lex.followers, a, h.end)) return h;
  }
  return null;
}

const overlaps = (h: Hit, spans: readonly Hit[]): boolean => spans.some((s) => h.start < s.end && s.start < h.end);

export interface YesNo {
  polarity: 'yes' | 'no' | null;
  unsure: boolean;
  ambiguous: boolean;
  /** A yes/no interjection opened the message or a clause (はい / いいえ): the strongest evidence there is. */
  interjection: boolean;
}

export function classifyYesNo(a: Analysed, lex: Lexicon): YesNo {
  const lead = leadOffset(a, lex);
  const body = a.key.slice(lead);
  const out: YesNo = { polarity: null, unsure: false, ambiguous: false, interjection: false };
  if (has(lex.unsure, a)) { out.unsure = true; return out; }

  const ambiguous = listHits(lex.ambiguous, a);
  const noStart = startHit(lex.noStart, a, lead, lex);
  const yesStart = startHit(lex.yesStart, a, lead, lex);
  // 「問題ありません」 is the ambiguous 問題ない, not a no: no-phrases inside an ambiguous phrase do not count.
  // 「業者が管理しているドメイン」: a phrase right before a noun describes that noun (a relative clause), it answers nothing.
  const predicative = (h: Hit) => !/[KJ]/.test(a.script[h.end] ?? '');
  const yesPhrases = listHits(lex.yesPhrases, a).filter(predicative);
  // 「相違ございません」「間違いないです」: a no-phrase inside a yes-phrase is part of the yes.
  const noPhrases = listHits(lex.noPhrases, a).filter((h) => !overlaps(h, ambiguous) && !overlaps(h, yesPhrases) && predicative(h));
  // Negation wins over yes-words: 「そうじゃない」, 「使ってるわけじゃない」.
  const negatedYes = [...(yesStart ? [yesStart] : []), ...yesPhrases].some((h) => negatedAfter(a, h.end, lex));
  if (noStart || noPhrases.length > 0 || negatedYes) out.polarity = 'no';
  else if (yesStart || yesPhrases.length > 0) out.polarity = 'yes';
  out.interjection = Boolean(noStart || yesStart);
  out.ambiguous = out.polarity === null && ambiguous.length > 0;
  // Nothing but fillers, dots or question marks (「うーん…」 「？」): the customer does not know.
  if (out.polarity === null && !out.ambiguous && body.replace(DECOR, '') === '' && /^[\s?？…・.]*$/.test(body)) out.unsure = true;
  return out;
}

/** Where what follows the last "but" (けど, but) starts, or -1: what is said after it is what the customer means. */
export function afterBut(a: Analysed): number {
  return Math.max(...BUT.map((w) => { const i = a.key.lastIndexOf(w); return i < 0 ? -1 : i + w.length; }));
}
const BUT = ['けど、', 'けれど、', 'けど', 'けれど', 'but '];

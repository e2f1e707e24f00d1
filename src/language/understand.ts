/**
 * One customer message + the current step → what they meant. Pure and total: never throws, and an
 * unknown input is `{ kind: 'unknown' }` (the conversation layer decides how to react).
 *
 * Precedence, and why:
 *  1. Quick-reply payloads first: they are exact ids the client sent, there is nothing to interpret.
 *  2. Commands (最初から, 戻る, 続ける) and language switches, but only when the message is little more
 *     than the command: 「最初から使ってない」 is an answer, not a restart.
 *  3. Error numbers and pasted error texts, everywhere and even inside long sentences: an error code
 *     is the most specific thing a customer can tell us, and they paste it whatever we just asked.
 *  4. A wish to talk to a person, everywhere: never keep someone who asked for a human in a quiz.
 *  5. A question (FAQ) beats an answer when the message is phrased as a question (「Webメールは変わるの？」
 *     at the yes/no step must not be read as "no") or when it carries no answer at all; a plain answer
 *     that happens to share a word with an FAQ (「Gmailをブラウザで見てるだけ」) stays an answer.
 *  6. Then the answer the step expects: content words decide a question (Outlook → uses software;
 *     ドコモ光 → another provider; an @owari.ne.jp address → yes) before bare yes/no words, because
 *     content is what the customer actually knows; a negation right after the content flips it.
 *  7. Whatever is left: an FAQ with weaker evidence, then unknown.
 */
import { analyse, type Analysed } from './normalize.js';
import { has, listHits, type CompiledList } from './matcher.js';
import type { Lexicon, Os } from './lexicon.js';
import { builtinMail, findClients, findOs, namedBySystemOnly, nearOs, unknownName, type ClientMention, type FoundClient } from './clients.js';
import { findError } from './errors.js';
import { findFaq, type FaqMatch } from './faq.js';
import { afterContrast, classifyYesNo, negatedAfter, negatedInClause, denied, slice, type YesNo } from './yesno.js';
import { findAddress, isOwariDomain, programNamed } from './address.js';
import { namesTheLine, ownedAddress } from './topics.js';
import { romajiText } from './romaji.js';

export type Expectation = 'yesno' | 'os' | 'client' | 'none';
export interface StepContext {
  expects: Expectation;
  offered: string[];
  question?: 1 | 2 | 3;
  os?: Os;
  /** The smartphone is an Android one named by its maker. */
  androidPhone?: boolean;
}
export type Understanding =
  | { kind: 'command'; command: 'restart' | 'back' | 'continue' }
  | { kind: 'language'; lang: 'ja' | 'en' }
  | { kind: 'answer'; answer: string; client?: ClientMention; account?: string }
  | { kind: 'client'; client: ClientMention }
  | { kind: 'unsure' }
  | { kind: 'ambiguous' }
  | { kind: 'error_code'; id: string }
  | { kind: 'faq'; id: string; action?: 'start_diagnosis' | 'handoff'; hypothetical?: true; answer?: 'yes' | 'no' }
  | { kind: 'handoff' }
  | { kind: 'unknown'; hypothetical?: true };

const COMMANDS = ['restart', 'back', 'continue'] as const;
const OS_IDS: readonly Os[] = ['windows', 'mac', 'smartphone'];
const UNKNOWN: Understanding = { kind: 'unknown' };

export function understand(text: string, step: StepContext, lexicon: Lexicon): Understanding {
  try {
    return understandOrThrow(text, safeStep(step), lexicon);
  } catch {
    return UNKNOWN;
  }
}

function safeStep(step: StepContext | undefined): StepContext {
  const s = step ?? { expects: 'none', offered: [] };
  return {
    expects: s.expects ?? 'none',
    offered: Array.isArray(s.offered) ? s.offered.filter((o) => typeof o === 'string') : [],
    ...(s.question ? { question: s.question } : {}),
    ...(s.os ? { os: s.os } : {}),
    ...(s.androidPhone ? { androidPhone: true } : {}),
  };
}

function understandOrThrow(text: string, step: StepContext, lex: Lexicon): Understanding {
  const a = withoutLanguageTalk(analyse(text), lex);
  if (a.key === '') return UNKNOWN;

  const payload = fromPayload(a.plain, step, lex);
  if (payload) return payload;

  const command = shortCommand(a, lex);
  if (command) return command;

  const error = findError(a, lex);
  if (error) return { kind: 'error_code', id: error };

  const faq = findFaq(a, lex);
  const question = isQuestion(a, lex);
  // 「担当者と話したい」「スタッフと話せますか」 are a wish for a person; 「電話番号は？」 (no wish word) is the FAQ.
  if (wantsPerson(a, lex)) return { kind: 'handoff' };
  // 「メールソフトって何のことですか？よくわかりません」, or 「メールソフトってなに？」 asked at question 1: the
  // question's own help explains it and how to answer.
  if (faq?.doubt && step.expects === 'yesno' && (has(lex.unsure, a) || (faq.aboutQuestion === step.question && oneClause(a)))) return { kind: 'unsure' };

  // A pasted English error text ("…isn't in my list…", "…failed.") answers no question: its not / failed / isn't
  // are the server's words. Only a yes or no said first (「No, it says …」) still answers.
  if (step.expects === 'yesno' && looksPasted(a, lex)) {
    const yn = classifyYesNo(a, lex);
    if (!yn.interjection && !yn.unsure) return faq ? faqResult(faq) : UNKNOWN;
  }

  // 「他の会社のネットやったらどないなるん？」: a case asked about, not the customer's own: never an answer.
  if (endsAsQuestion(a) && has(lex.hypothetical, a)) return faq ? { ...faqResult(faq), hypothetical: true } : { kind: 'unknown', hypothetical: true };
  // 「これは尾張なの？」「他社プロバイダって、例えばどこのことを言うとるの？」「OSって何のことですか？」: the answer's words
  // asked about, not said; the question's help explains them.
  if ((step.question || step.expects === 'os' || step.expects === 'client') && !faq && asksAtEnd(a) && !classifyYesNo(a, lex).interjection && !answers(withoutQuestions(a, lex), step, lex)) return { kind: 'unsure' };
  // 「hai, pasokon no meeru sofuto tsukatteru yo」: Japanese typed without an IME that opens with a yes or no is read
  // as Japanese (its "no" is the particle の).
  const kanaTyped = /[HKJ]/.test(a.script) ? null : romajiText(a.key);
  const kana = kanaTyped === null ? null : analyse(kanaTyped);
  if (kana && classifyYesNo(kana, lex).interjection) {
    const r = answerFor(kana, step, lex);
    if (r && r.u.kind === 'answer') return r.u;
  }
  const reading = answerFor(a, step, lex);
  // Asked for the mail client, a program named without a question (「らくらくスマートフォンに入ってたメールのアプリ」) is the
  // answer, whatever FAQ its words also touch.
  const programAnswered = step.expects === 'client' && !question && (has(lex.unlistedClients, a) || unknownName(a, lex) !== undefined);
  // 「…ソフトなのかウェブなのか私には判断がつかなくて」: not knowing, said rather than asked, is not knowing, whatever
  // FAQ its words touch.
  if (faq && reading?.u.kind === 'unsure' && !reading.weak && !asksAtEnd(a) && endsNotKnowing(a, lex)) return reading.u;
  if (faq && (question || !reading || reading.weak) && !programAnswered) {
    // 「いいえ。ちなみに今の設定のままでも送れますか？」: the はい / いいえ said first answers the question asked, too.
    const said = step.expects === 'yesno' ? classifyYesNo(a, lex) : undefined;
    // 「使ってます。それよりなんで急に送れなくなったの？」: a first sentence that answers, then the question.
    const first = step.question ? firstSentenceAnswer(a, step, lex) : undefined;
    const answer = said?.interjection && (said.polarity === 'yes' || said.polarity === 'no') && step.offered.includes(said.polarity) ? said.polarity : first;
    return { ...faqResult(faq), ...(answer ? { answer } : {}) };
  }
  if (reading) return reading.u;

  // Typed without an IME: "hai", "wakaranai", "sandaba-do". Tried last so English stays English.
  if (kana) {
    const r = answerFor(kana, step, lex);
    if (r) return r.u;
  }
  return UNKNOWN;
}

/** Latin words a customer does not type as an answer in one go: a text copied from an error window. */
const PASTED_WORDS = 4;
function looksPasted(a: Analysed, lex: Lexicon): boolean {
  const words = a.key.match(/[a-z]+(?:'[a-z]+)?/g) ?? [];
  return words.length >= PASTED_WORDS && has(lex.smtpContext, a);
}

function faqResult(f: FaqMatch): Extract<Understanding, { kind: 'faq' }> {
  return { kind: 'faq', id: f.id, ...(f.action ? { action: f.action } : {}) };
}

/** Quick-reply payloads arrive as their exact ids. */
function fromPayload(plain: string, step: StepContext, lex: Lexicon): Understanding | null {
  const id = plain.trim();
  if (!/^[a-z][a-z0-9_]*$/.test(id)) return null;
  if ((COMMANDS as readonly string[]).includes(id)) return { kind: 'command', command: id as (typeof COMMANDS)[number] };
  if (lex.products.has(id)) {
    const client = mention(id, lex, step);
    if (step.question === 1) return { kind: 'answer', answer: 'yes', client };
    return { kind: 'client', client };
  }
  if (step.offered.includes(id)) return { kind: 'answer', answer: id };
  return null;
}

export function mention(product: string, lex: Lexicon, step: StepContext, found?: FoundClient): ClientMention {
  const m: ClientMention = { product };
  const editions = lex.products.get(product) ?? [];
  const os = found?.os ?? (editions.length === 1 ? editions[0] : step.os && editions.includes(step.os) ? step.os : undefined);
  if (os) m.os = os;
  if (found?.version) m.version = found.version;
  return m;
}

/** How much of the message is left once `hit` and politeness/fillers/punctuation are removed. */
export function leftover(key: string, lex: Lexicon): number {
  const rest = key.replace(lex.politeness.re, ' ').replace(lex.fillers.re, ' ');
  return rest.replace(/[\s\p{P}\p{S}\p{Extended_Pictographic}\u200d\ufe0f]/gu, '').length;
}

/** Characters left once every hit of `terms`, politeness, fillers and punctuation are removed. */
function leftoverWithout(a: Analysed, list: CompiledList, lex: Lexicon): number {
  const hits = listHits(list, a);
  if (hits.length === 0) return Infinity;
  let rest = '';
  let at = 0;
  for (const h of hits) { rest += a.key.slice(at, h.start) + ' '; at = h.end; }
  return leftover(rest + a.key.slice(at), lex);
}

function shortCommand(a: Analysed, lex: Lexicon): Understanding | null {
  for (const command of COMMANDS) {
    if (leftoverWithout(a, lex.commands[command], lex) <= 3) return { kind: 'command', command };
  }
  // A command that ends the message (its inflection or a request after it at most) (「間違えたので最初からお願いします」「ひとつ前に戻りたいです」):
  // whatever came before is the reason. 「最初から使ってない」 goes on after the command word: an answer. A pasted
  // error is never one (「530 Authentication required ってメールが戻ってくる」).
  const pasted = findError(a, lex) !== null;
  for (const command of pasted ? [] : (['restart', 'back'] as const)) {
    const last = listHits(lex.commands[command], a).at(-1);
    if (!last) continue;
    const rest = a.key.slice(last.end);
    if (leftover(rest, lex) <= 3) return { kind: 'command', command };
  }
  // A command said as its own first sentence, the reason after it (「戻って。パソコンじゃなくてスマホでした」), an apology
  // or a filler before it at most (「すみません、戻ってください。Macじゃなかったです」). Not in a pasted error
  // (「…ってメールが戻ってくる」).
  if (!pasted) {
    for (const command of ['restart', 'back'] as const) {
      const breaks = /[。！!？?\n、,]/g;
      let from = 0;
      for (const m of a.key.matchAll(breaks)) {
        const clause = { ...a, key: a.key.slice(from, m.index), script: a.script.slice(from, m.index) };
        const rest = a.key.slice(m.index + 1).trim();
        from = m.index + 1;
        if (leftover(clause.key, lex) === 0) continue;
        // 「最初から、ずっと入ってるメールです」: a bare 最初から before a comma is an adverb; 「最初からやり直したい、…」 is not.
        const adverb = m[0] !== '。' && m[0] !== '\n' && listHits(lex.commands[command], clause).every((h) => h.term.endsWith('から'));
        if (rest !== '' && !adverb && leftoverWithout(clause, lex.commands[command], lex) <= 3) return { kind: 'command', command };
        break;
      }
    }
  }
  for (const lang of ['en', 'ja'] as const) {
    if (leftoverWithout(a, lex.language[lang], lex) <= 3) return { kind: 'language', lang };
  }
  // 「Sorry, can we do this in English? I can't read Japanese well」: a language asked for (英語で, in English, English
  // please), and the other one only named, whatever else the message says.
  // 「…Relay access denied って英語で返ってきた」 only tells how an error was written.
  const asked = (['en', 'ja'] as const).filter((lang) => listHits(lex.language[lang], a).some((h) => LANGUAGE_ASKED.test(h.term) && REQUEST.test(sentenceAround(a.key, h))));
  if (asked.length === 1) return { kind: 'language', lang: asked[0]! };
  return null;
}
/**
 * Without sentences about the customer's languages (「sorry my japanese is not good. mail soft yes」): their not and
 * yes are about the language, never an answer. A request for a language is kept (it switches).
 */
function withoutLanguageTalk(a: Analysed, lex: Lexicon): Analysed {
  const talk = (['en', 'ja'] as const).flatMap((lang) => listHits(lex.language[lang], a)).filter((h) => !(LANGUAGE_ASKED.test(h.term) && REQUEST.test(sentenceAround(a.key, h))));
  if (talk.length === 0) return a;
  const dropped = new Array<boolean>(a.key.length).fill(false);
  for (const h of talk) {
    const sentence = sentenceAround(a.key, h);
    const at = a.key.lastIndexOf(sentence, h.start);
    for (let i = Math.max(0, at); i < at + sentence.length; i++) dropped[i] = true;
  }
  let key = '';
  let script = '';
  for (let i = 0; i < a.key.length; i++) if (!dropped[i]) (key += a.key[i], script += a.script[i]);
  return key.trim() === '' ? a : { plain: a.plain, key, script };
}

/** A language word in the form of a request: 英語で, in English, English please, speak English. */
const LANGUAGE_ASKED = /で$|^in |please|speak/;
/** Words that make a sentence a request or a question to the bot. */
const REQUEST = /お願|おねが|頼|たの[むみ]|できま|でき[るん]|いい[?？]?$|ください|下さ|please|\bcan\b|\bcould\b|\bwould\b|[?？]/;
function sentenceAround(key: string, h: { start: number; end: number }): string {
  let from = h.start;
  while (from > 0 && !/[。.!?！？\n]/.test(key[from - 1]!)) from--;
  let to = h.end;
  while (to < key.length && !/[。.!！\n]/.test(key[to]!)) to++;
  return key.slice(from, Math.min(key.length, to + 1));
}

function isQuestion(a: Analysed, lex: Lexicon): boolean {
  return endsAsQuestion(a) || has(lex.question, a);
}
/**
 * A message without the question it ends with: the last sentence when a word that asks is in it (「…って、例えば
 * どこのこと？」), else the last clause only (「尾張の光ですけど、これでいいの？」 keeps 「尾張の光ですけど」).
 */
function withoutQuestion(a: Analysed, lex: Lexicon): Analysed {
  const body = withoutTrailingPunctuation(a.key);
  const sentenceStart = Math.max(...[...'。！？!?\n'].map((c) => body.lastIndexOf(c))) + 1;
  const sentence = slice(a, sentenceStart, body.length);
  const asks = listHits(lex.questionWords, sentence).some((h) => !listHits(lex.questionLookalikes, sentence).some((l) => l.start <= h.start && h.end <= l.end));
  // A clause also ends at けど / ですが (「Windows10ですけど大丈夫ですか？」).
  const clauseStart = Math.max(...[...'。！？!?\n、,'].map((c) => body.lastIndexOf(c) + 1), ...['けど', 'けれど', 'ですが', 'ますが'].map((w) => { const i = body.lastIndexOf(w); return i < 0 ? 0 : i + w.length; }));
  return analyse(a.key.slice(0, asks ? sentenceStart : clauseStart));
}
/** Without every question it ends with (「これって尾張なの？違うの？」 asks twice). */
function withoutQuestions(a: Analysed, lex: Lexicon): Analysed {
  let rest = withoutQuestion(a, lex);
  for (let guard = 0; guard < 4 && rest.key !== '' && asksAtEnd(rest); guard++) rest = withoutQuestion(rest, lex);
  return rest;
}

/** Words for a detail of the setup whose not being known leaves the question's answer open. */
const DETAIL = /(?:名前|なまえ|ばーじょん|version|name)(?:は|が|も|とか)?$/;

/** The message without its clauses of not knowing a detail, or undefined when a doubt is about something else. */
function withoutDoubtsAboutDetails(a: Analysed, lex: Lexicon): Analysed | undefined {
  const hits = listHits(lex.unsure, a);
  if (hits.length === 0) return undefined;
  let key = a.key;
  for (const h of hits) {
    let from = h.start;
    while (from > 0 && !/[、。,.!?！？\n]/.test(a.key[from - 1]!)) from--;
    if (!DETAIL.test(a.key.slice(from, h.start))) return undefined;
    key = key.slice(0, from) + '、'.repeat(h.end - from) + key.slice(h.end);
  }
  return { plain: a.plain, key, script: a.script };
}

/** `text` without the spaces and punctuation it ends with (a loop: an end-anchored pattern would be polynomial). */
function withoutTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && /[\s\p{P}]/u.test(text[end - 1]!)) end--;
  return text.slice(0, end);
}

/** Whether the last clause of a message says the customer does not know (「…後ろが思い出せません」). */
function endsNotKnowing(a: Analysed, lex: Lexicon): boolean {
  const last = listHits(lex.unsure, a).at(-1);
  return last !== undefined && !/[、。,.!?！？\n]/.test(withoutTrailingPunctuation(a.key.slice(last.end)));
}

/** The answer a message's first sentence gives on its own, when a later sentence follows (「使ってます。それより…？」). */
function firstSentenceAnswer(a: Analysed, step: StepContext, lex: Lexicon): 'yes' | 'no' | undefined {
  const end = a.key.search(/[。.!！?？\n]/);
  if (end <= 0 || end >= a.key.length - 1) return undefined;
  const sentence = slice(a, 0, end);
  // The sentence says yes or no itself (「使ってます。」), not only names something (「メールソフト？」).
  if (!classifyYesNo(sentence, lex).polarity) return undefined;
  const r = answerFor(sentence, step, lex);
  const answer = r && r.u.kind === 'answer' ? r.u.answer : undefined;
  return answer === 'yes' || answer === 'no' ? answer : undefined;
}

/** Whether a message answers the question asked (a bare 「よくわからない」 does not). */
function answers(a: Analysed, step: StepContext, lex: Lexicon): boolean {
  if (leftover(a.key, lex) === 0) return false;
  const kind = answerFor(a, step, lex)?.u.kind;
  return kind === 'answer' || kind === 'client';
}
/**
 * Ends with a question mark or a question ending. A bare の (「…です（会社の）」) and a hedge (「使ってないかな」,
 * 「いいえかね」) are no question to the bot.
 */
const asksAtEnd = (a: Analysed): boolean => /[?？]\s*$/.test(a.key) || /(ですか|ますか|でしょうか|のか|なの|なん)[\s\p{P}]*$/u.test(a.key);
const endsAsQuestion = (a: Analysed): boolean => asksAtEnd(a) || /(の|かな|かね)[\s\p{P}]*$/u.test(a.key);

/** Particles that may follow a word typed in katakana on a phone that writes only katakana (「ｵﾍﾟﾚｰﾀｰｻﾝﾆﾂﾅｲﾃ」). */
const KANA_PARTICLES = ['さん', 'に', 'と', 'を', 'で', 'が', 'は', 'の', 'へ'];

function wantsPerson(a: Analysed, lex: Lexicon): boolean {
  if (listHits(lex.handoff, a, KANA_PARTICLES).length > 0) return true;
  // 「電話で詳しい人に聞きたいです」: someone, then the wish, in one clause (and the wish not denied).
  const wishes = listHits(lex.handoffWish, a);
  return listHits(lex.handoffPerson, a).some((p) => wishes.some((w) => w.start >= p.end && !/[。、,.!?！？\n]/.test(a.key.slice(p.end, w.start)) && !negatedAfter(a, w.end, lex)));
}

interface Reading { u: Understanding; weak: boolean }
function strong(u: Understanding): Reading { return { u, weak: false }; }
function weak(u: Understanding): Reading { return { u, weak: true }; }

/** A content word counts unless a negation follows it in the same clause (「尾張じゃない」). */
export function positive(list: CompiledList, a: Analysed, lex: Lexicon): 'yes' | 'no' | null {
  const hits = listHits(list, a);
  if (hits.length === 0) return null;
  return hits.some((h) => !denied(a, h.start, h.end, lex)) ? 'yes' : 'no';
}

/** A message of one clause (「メールソフトってなに？」), not a question followed by an answer (「メールソフト？使ってない」). */
function oneClause(a: Analysed): boolean {
  let end = a.key.length;
  while (end > 0 && '。.!?！？ \n'.includes(a.key[end - 1]!)) end--;
  return !/[。、,.!?！？\n]/.test(a.key.slice(0, end));
}

/**
 * Mail software said to be used as well or only (「メールソフトでも送ってます」「パソコンのメールしか使わん」): も, しか or
 * だけ after it, not denied.
 */
export function softwareStressed(a: Analysed, lex: Lexicon): boolean {
  return listHits(lex.q1.software, a).some((h) => STRESSED_AFTER.test(a.key.slice(h.end)) && !denied(a, h.start, h.end, lex)) && !noMailSaid(a, lex);
}
const STRESSED_AFTER = /^ ?(?:[でにを]?も|[でにはを]?しか|[でに]?だけ)/;

/** A mail program described as one (「標準のメールアプリ」「スマホのメールアプリ」), used (not denied in its clause). */
function describesAProgram(a: Analysed, lex: Lexicon): boolean {
  const used = listHits(lex.q1.software, a).some((h) => !denied(a, h.start, h.end, lex) && !negatedInClause(a, h.end, lex));
  return used && (has(lex.builtinMail.modifiers, a) || has(lex.programWords, a));
}

/** 「メールはほとんどしません」: no mail software at all (not the メール of a longer word, 「ウェブメールは使ってない」). */
export function noMailSaid(a: Analysed, lex: Lexicon): string | undefined {
  return listHits(lex.q1.noMail, a).find((h) => h.start === 0 || !'KL'.includes(a.script[h.start - 1]!))?.term;
}

/**
 * A content word's answer against the message's own yes/no: a no said in another clause
 * (「ウェブメールは使ってないです。パソコンにメールソフトを入れてます」) does not turn it round; a no opening
 * the message or standing in the word's clause does.
 */
function contentAnswer(list: CompiledList, a: Analysed, yn: YesNo, lex: Lexicon): 'yes' | 'no' | null {
  const hits = listHits(list, a);
  if (hits.length === 0) return null;
  const affirmedHits = hits.filter((h) => !denied(a, h.start, h.end, lex));
  if (affirmedHits.length === 0) return 'no';
  if (yn.polarity !== 'no') return 'yes';
  if (yn.interjection) return 'no';
  return affirmedHits.some((h) => !negatedInClause(a, h.end, lex)) ? 'yes' : 'no';
}

function answerFor(full: Analysed, step: StepContext, lex: Lexicon): Reading | null {
  const a = afterContrast(full, lex);
  // 「いいえ、ウェブメールではなくメールソフトです」: the opening no goes with the webmail it turns down.
  const yn = step.question === 1 ? openingNoOf(lex.q1.webmail, full, classifyYesNo(a, lex), lex) : classifyYesNo(a, lex);
  // Misspelt names are only looked for where a name is plausible (never in an OS's name: findClients).
  // At question 1 only when the message holds no yes/no word: 「はい」 needs no spelling correction.
  const fuzzy = step.expects === 'client' || step.expects === 'os' || (step.question === 1 && !yn.polarity && !yn.unsure);
  const clients = findClients(a, lex, fuzzy, step.expects === 'client' ? step.os : undefined);
  const systemOrNamed = namedOrOwn(clients.find((c) => !c.negated && !c.osConflict), namesCounted(clients), a, step, lex);
  // 「iPhoneでSparkってアプリ」: the program named beside the system is the client (not in the list), not the system's own.
  const named = systemOrNamed && step.expects !== 'client' && namedBySystemOnly(a, lex, systemOrNamed, false) ? undefined : systemOrNamed;
  switch (step.expects) {
    case 'yesno': {
      // 「メールソフト？よくわからんけど…サンダーバードの鳥のマークを押して見とる」: the program named answers question 1.
      if (yn.unsure && !(step.question === 1 && named)) {
        // 「孫が入れてくれたソフトで送っとる、名前はわからん、ブラウザではない」: not knowing a name or a version is no doubt
        // about the question; what the rest says answers it.
        const rest = withoutDoubtsAboutDetails(full, lex);
        const answered = rest && answerFor(rest, step, lex);
        return answered && answered.u.kind === 'answer' ? answered : strong({ kind: 'unsure' });
      }
      if (step.question === 1) return q1(a, yn, clients, named, step, lex);
      // 「私メールソフトなんか使っとらんわ」 asked about the line or the address: a negation of question 1's topic.
      if (yn.polarity === 'no' && !yn.interjection && listHits(lex.q1.software, a).some((h) => negatedInClause(a, h.end, lex))) return null;
      if (step.question === 2) {
        const r = q2(a, yn, lex);
        if (r) return r;
      }
      if (step.question === 3) {
        const r = q3(a, yn, lex);
        if (r) return r;
      }
      if (yn.polarity) return (yn.interjection ? strong : weak)({ kind: 'answer', answer: yn.polarity });
      // The offer to show the settings (a yes/no step that is none of the notice's questions): 「見せて」「お願いします」.
      if (step.question === undefined && positive(lex.yesSettings, a, lex) === 'yes') return weak({ kind: 'answer', answer: 'yes' });
      if (named) return strong({ kind: 'client', client: mention(named.product, lex, step, named) });
      const typed = offeredTyped(a, step, lex, yn);
      if (typed) return typed;
      if (yn.ambiguous) return weak({ kind: 'ambiguous' });
      return null;
    }
    case 'os': {
      if (named) return strong({ kind: 'client', client: mention(named.product, lex, step, named) });
      const os = findOs(a, lex)?.os ?? nearOs(a, lex);
      if (os && step.offered.includes(os)) return strong({ kind: 'answer', answer: os });
      if (yn.unsure) return strong({ kind: 'unsure' });
      if (step.offered.includes('other') && has(lex.otherChoice, a)) return strong({ kind: 'answer', answer: 'other' });
      return offeredTyped(a, step, lex, yn);
    }
    case 'client': {
      // 「AquaMailってアプリです（アンドロイド）」: a program not in the list, on Android.
      if (named && namedBySystemOnly(a, lex, named, true)) return null;
      // Opera asked on Windows: the notice lists it for the Mac only, so on Windows it is software not in the list.
      if (named && step.os && step.offered.includes('other') && !findOs(a, lex) && !(lex.products.get(named.product) ?? []).includes(step.os)) {
        return strong({ kind: 'answer', answer: 'other' });
      }
      if (named) return strong({ kind: 'client', client: mention(named.product, lex, step, named) });
      if (yn.unsure) return strong({ kind: 'unsure' });
      if (step.offered.includes('other') && has(lex.otherChoice, a)) return strong({ kind: 'answer', answer: 'other' });
      return offeredTyped(a, step, lex, yn);
    }
    default: {
      const typed = offeredTyped(a, step, lex, yn);
      if (typed) return typed;
      if (named) return strong({ kind: 'client', client: mention(named.product, lex, step, named) });
      // 「はい」 after the settings were shown: an acknowledgement (the turn answers with what else it can do).
      if (yn.interjection && yn.polarity === 'yes' && leftover(a.key, lex) <= 6) return weak({ kind: 'answer', answer: 'yes' });
      return null;
    }
  }
}

/** The mail program of the customer's system, named by what it is (「最初から入ってるメール」). */
export function systemsOwn(a: Analysed, step: StepContext, lex: Lexicon): FoundClient | undefined {
  const found = builtinMail(a, lex, step.os, step.expects === 'client', (key) => leftover(key, lex));
  return found && !found.negated && !found.osConflict ? found : undefined;
}

/**
 * The client a message names, or else the system's own program. A name for a program the known system
 * does not have (the Windows 「メールアプリ」 on a Mac) gives way to that system's own program.
 */
/** Names found, but not a mail word that names another system's program (「メールアプリ」 on a Mac is the Mac's own). */
export const namesCounted = (clients: FoundClient[]): number => clients.filter((c) => !(c.osConflict && c.generic === 'mail-word')).length;

export function namedOrOwn(named: FoundClient | undefined, found: number, a: Analysed, step: StepContext, lex: Lexicon): FoundClient | undefined {
  const editions = named ? lex.products.get(named.product) ?? [] : [];
  const foreign = named && step.os && editions.length > 0 && !editions.includes(step.os) && !findOs(a, lex);
  // 「メールアプリ使ってます」 with no system known is no particular program.
  const systemKnown = (os: Os | undefined) => os !== undefined && editions.includes(os);
  const unplaced = named?.generic === 'mail-word' && !systemKnown(step.os) && !systemKnown(findOs(a, lex)?.os);
  if (named && !foreign && !unplaced) return named;
  if (unplaced) return systemsOwn(a, step, lex);
  if (found > 0 && !named) return undefined;
  return systemsOwn(a, step, lex) ?? named;
}

/** Typed versions of the other offered payloads (別のソフト → another_client, 設定を教えて → yes_settings). */
function offeredTyped(a: Analysed, step: StepContext, lex: Lexicon, yn: YesNo): Reading | null {
  if (step.offered.includes('another_client') && has(lex.anotherClient, a)) return { u: { kind: 'answer', answer: 'another_client' }, weak: false };
  if (step.offered.includes('yes_settings')) {
    if (has(lex.yesSettings, a) || yn.polarity === 'yes') return { u: { kind: 'answer', answer: 'yes_settings' }, weak: false };
  }
  if (yn.polarity && step.offered.includes(yn.polarity)) return { u: { kind: 'answer', answer: yn.polarity }, weak: !yn.interjection };
  if (yn.unsure && step.offered.includes('unsure')) return { u: { kind: 'unsure' }, weak: false };
  for (const os of OS_IDS) {
    if (step.offered.includes(os) && has(lex.os[os], a)) return { u: { kind: 'answer', answer: os }, weak: false };
  }
  return null;
}

/** Q1: does the customer use mail software? Webmail → no; a named client → yes (remembered). */
function q1(a: Analysed, yn: YesNo, clients: FoundClient[], named: FoundClient | undefined, step: StepContext, lex: Lexicon): Reading | null {
  // 「Webメールも見るけど、メールソフトでも送ってます」「パソコンのメールしか使わん、ブラウザのやつは好かん」: mail
  // software said to be used as well, or only, is what the question asks.
  const softwareToo = softwareStressed(a, lex);
  // A name only guessed from a near spelling ("open" ≈ Opera) does not outweigh webmail ("I open Gmail in Safari").
  if (positive(lex.q1.webmail, a, lex) === 'yes' && (!named || named.fuzzy) && !softwareToo) return strong({ kind: 'answer', answer: 'no' });
  if (named) {
    if (yn.polarity === 'no' && !yn.interjection && clients.length === 1 && positive(lex.q1.webmail, a, lex) === 'yes') return strong({ kind: 'answer', answer: 'no' });
    return strong({ kind: 'answer', answer: 'yes', client: mention(named.product, lex, step, named) });
  }
  if (clients.some((c) => c.negated)) return strong({ kind: 'answer', answer: 'no' });   // 「Outlookは使ってない」
  if (noMailSaid(a, lex)) return strong({ kind: 'answer', answer: 'no' });
  // 「いいえ。スマホの標準のメールアプリで見てるだけです」: a mail program described outweighs the いいえ before it.
  if (yn.interjection && yn.polarity === 'no' && describesAProgram(a, lex)) return strong({ kind: 'answer', answer: 'yes' });
  const webmail = positive(lex.q1.webmail, a, lex);
  if (softwareToo) return strong({ kind: 'answer', answer: 'yes' });
  if (webmail === 'yes') return strong({ kind: 'answer', answer: 'no' });
  if (positive(lex.q1.webmailWeak, a, lex) === 'yes' && yn.polarity !== 'no') return strong({ kind: 'answer', answer: 'no' });
  const soft = contentAnswer(lex.q1.software, a, yn, lex);
  if (soft) return strong({ kind: 'answer', answer: soft });
  // 「ブラウザでは見てないです」 / "I don't use webmail": not webmail, so mail software.
  if (webmail === 'no' && !yn.interjection) return strong({ kind: 'answer', answer: 'yes' });
  // 「うちはケーブルテレビのネットじゃけぇ尾張じゃないんよ」: a negation of the line or the address answers another question.
  if (yn.polarity === 'no' && !yn.interjection && negatesAnotherTopic(a, lex)) return null;
  if (yn.polarity) return { u: { kind: 'answer', answer: yn.polarity }, weak: !yn.interjection };
  if (yn.ambiguous) return { u: { kind: 'ambiguous' }, weak: true };
  return null;
}

/** Whether a negation in the message belongs to a name of a line or an address (「尾張じゃない」「Gmailじゃない」). */
function negatesAnotherTopic(a: Analysed, lex: Lexicon): boolean {
  return [lex.q2.owari, lex.q2.otherNetwork, lex.q3.otherAddress].some((list) => listHits(list, a).some((h) => negatedAfter(a, h.end, lex)));
}


/** Q2: connected through インターネット尾張? Another provider or a company LAN → no. */
/**
 * "no other provider, just Internet Owari", 「いえいえ、他社なんて使ったことないです」: the opening no goes with the other
 * choice it denies and answers nothing itself.
 */
function openingNoOf(list: CompiledList, a: Analysed, yn: YesNo, lex: Lexicon): YesNo {
  if (!yn.interjection || yn.polarity !== 'no') return yn;
  const hits = listHits(list, a);
  const deniesIt = /^no /.test(a.key) ? hits.some((h) => h.start <= 12) : hits.some((h) => negatedInClause(a, h.end, lex));
  return deniesIt ? { ...yn, polarity: null, interjection: false } : yn;
}

function q2(a: Analysed, said: YesNo, lex: Lexicon): Reading | null {
  const yn = openingNoOf(lex.q2.otherNetwork, a, said, lex);
  const other = positive(lex.q2.otherNetwork, a, lex);
  const owari = contentAnswer(lex.q2.owari, a, yn, lex);
  if (other === 'yes') return strong({ kind: 'answer', answer: 'no' });
  if (owari) return strong({ kind: 'answer', answer: owari });
  if (positive(lex.q2.otherPlace, a, lex) === 'yes') return strong({ kind: 'answer', answer: 'no' });
  // 「他のプロバイダーは使ってないです」: no other line, so ours.
  if (other === 'no' && !yn.interjection) return strong({ kind: 'answer', answer: 'yes' });
  // 「フレッツ光です」 names the line, not the provider on it (which may be インターネット尾張): explain how to tell.
  // 「使ってます」 there only says they use the line; an explicit はい/いいえ still answers.
  if (!yn.interjection && has(lex.q2.lineOnly, a)) return strong({ kind: 'unsure' });
  return null;
}

/** Q3: an @owari.ne.jp address? A typed address decides; its local part is the account name. */
function q3(a: Analysed, said: YesNo, lex: Lexicon): Reading | null {
  const yn = openingNoOf(lex.q3.otherAddress, a, said, lex);
  const addr = findAddress(a);
  if (addr) {
    if (isOwariDomain(addr.domain, lex.q3.owariDomains)) {
      return strong({ kind: 'answer', answer: 'yes', ...(addr.local ? { account: addr.local } : {}) });
    }
    return strong({ kind: 'answer', answer: 'no' });
  }
  // 「会社のアドレスも尾張のです」: インターネット尾張 said of the address outweighs whose it is.
  if (ownedAddress(a, lex) === 'owari') return strong({ kind: 'answer', answer: 'yes' });
  // 「両方つかっとる 尾張のとGmail」: an address of ours used besides another is an address of ours.
  if (has(lex.q3.both, a) && (has(lex.q3.owariAddress, a) || has(lex.q2.owari, a))) return strong({ kind: 'answer', answer: 'yes' });
  const otherHits = listHits(lex.q3.otherAddress, a).filter((h) => !programNamed(a, h.end) && !namesTheLine(a, h, lex));
  const other = otherHits.length === 0 ? null : otherHits.some((h) => !denied(a, h.start, h.end, lex)) ? 'yes' : 'no';
  if (other === 'yes') return strong({ kind: 'answer', answer: 'no' });
  // Asked about the address, インターネット尾張 named loosely (「owariです」「尾張のだけ」) names the address.
  const owari = contentAnswer(lex.q3.owariAddress, a, yn, lex) ?? contentAnswer(lex.q2.owari, a, yn, lex);
  if (owari) return strong({ kind: 'answer', answer: owari });
  // 「ほかのアドレスは持ってないです」: no other address, so ours.
  if (other === 'no' && !yn.interjection) return strong({ kind: 'answer', answer: 'yes' });
  return null;
}


/**
 * Everything a message tells about the customer's setup, whatever was asked: 「Windows 11でOutlook使ってます」
 * at question 1 also names the OS and the client; an address typed with the client answers question 3.
 * Pure. Each fact carries its evidence (the words it was read from) for transcripts and tests.
 *
 * Only content is read here (names, addresses, lines, descriptions): a bare はい / いいえ answers the
 * question that was asked and nothing else, and understand.ts reads it. A negation in the same clause
 * turns a content word round (「尾張じゃない」); the part after a contrast word replaces what came before.
 */
import { analyse, type Analysed } from './normalize.js';
import { has, listHits, type CompiledList } from './matcher.js';
import type { Lexicon, Os } from './lexicon.js';
import { calledAProgram, findClients, findOs, makerNamed, namedBySystemOnly, ownMailDescribed, unknownName } from './clients.js';
import { findAddress, isOwariDomain, programNamed, withoutAddresses } from './address.js';
import { afterBut, afterContrast, denied, slice } from './yesno.js';
import { namesTheLine, ownedAddress, topicsBefore } from './topics.js';
import { mention, namedOrOwn, namesCounted, noMailSaid, positive, softwareStressed, type StepContext } from './understand.js';

export interface Fact<T> {
  value: T;
  /** The words of the message the fact was read from. */
  evidence: string;
}

export interface Facts {
  /** Mail software (true) or webmail only (false). */
  software?: Fact<boolean>;
  /** The line: インターネット尾張's, or another provider's / a company LAN / a mobile line. */
  connection?: Fact<'owari' | 'other'>;
  /** The address: ours, another's (a provider's, an employer's, a free mail's), or "the one the line's provider gave". */
  address?: Fact<'owari' | 'other' | 'employer' | 'line_provider'> & { account?: string; domain?: string };
  /** `androidPhone`: an Android phone named by its maker or model (「Xperia」). */
  os?: Fact<Os> & { androidPhone?: true };
  client?: Fact<string> & { os?: Os; version?: string };
  /**
   * Mail software the notice does not list. `named`: a program for sure (one of unlisted_clients, a listed program on
   * a system the notice does not list it for, a name called a program); otherwise an unknown word at the client question.
   */
  unlistedClient?: Fact<true> & { named: boolean };
  /** The message corrects an answer given earlier (やっぱり, 実は, 間違えました). */
  correction?: Fact<true>;
}

const evidenceOf = (a: Analysed, list: CompiledList): string => listHits(list, a)[0]?.term ?? '';

/** A list's hit that is not turned round by a negation after it. */
function affirmed(list: CompiledList, a: Analysed, lex: Lexicon): string | undefined {
  return listHits(list, a).find((h) => !denied(a, h.start, h.end, lex))?.term;
}

export function readFacts(text: string | Analysed, step: StepContext, lex: Lexicon): Facts {
  try {
    return read(typeof text === 'string' ? analyse(text) : text, step, lex);
  } catch {
    return {};
  }
}

function read(full: Analysed, step: StepContext, lex: Lexicon): Facts {
  const facts: Facts = {};
  const typed = findAddress(full);
  // The address is read from the text as typed; everything else from the text without it ("owari" in an address is not the line).
  // A server's host name (「サーバ mail.owari.ne.jp に接続できません」) names neither the line nor the address.
  const withoutHosts = full.plain.replace(SERVER_HOST, '、');
  const a = afterContrast(typed || withoutHosts !== full.plain ? analyse((typed ? withoutAddresses(withoutHosts) : withoutHosts)) : full, lex);

  if (typed) {
    const ours = isOwariDomain(typed.domain, lex.q3.owariDomains);
    facts.address = { value: ours ? 'owari' : 'other', evidence: `@${typed.domain}`, domain: typed.domain, ...(ours && typed.local ? { account: typed.local } : {}) };
  } else {
    const described = describedAddress(a, lex);
    if (described) facts.address = described;
  }

  const line = describedLine(a, lex, step.question === 2);
  if (line) facts.connection = line;

  sameAsTheOther(a, facts, lex);

  const os = findOs(a, lex);
  if (os && !denied(a, os.start, os.end, lex)) {
    facts.os = { value: os.os, evidence: a.key.slice(os.start, os.end) };
    if (os.os === 'smartphone' && has(lex.androidPhones, a)) facts.os.androidPhone = true;
  }

  const fuzzy = step.expects === 'client' || step.expects === 'os';
  const clients = findClients(a, lex, fuzzy, step.expects === 'client' ? step.os : undefined);
  const unlisted = listHits(lex.unlistedClients, a).find((h) => !denied(a, h.start, h.end, lex));
  const named = unlisted ? clients.find((c) => !c.negated && !c.osConflict) : namedOrOwn(clients.find((c) => !c.negated && !c.osConflict), namesCounted(clients), a, step, lex);
  // 「Outlookアプリ」 on a phone is not Outlook for Windows: the longer, unlisted name wins where both match.
  const elsewhereNamed = clients.find((c) => c.osConflict && !c.negated && !/^(?:めーる|mail)/.test(a.key.slice(c.start, c.end)));
  const elsewhere = named && step.expects === 'client' && step.os && !os && !(lex.products.get(named.product) ?? []).includes(step.os);
  const guessed = unknownName(a, lex);
  // 「Sparkってアプリ」, or a maker's own program described (「Galaxyに最初から入ってる「Eメール」」).
  const calledOne = guessed !== undefined && (calledAProgram(a, lex, guessed) || ownMailDescribed(a, lex));
  if (named && ((step.expects === 'client' && elsewhere) || namedBySystemOnly(a, lex, named, step.expects === 'client'))) {
    // 「AquaMailってアプリです（アンドロイド）」「iPhoneのOutlookアプリ」; Opera asked on Windows (the notice lists it for the Mac only).
    const evidence = elsewhere ? a.key.slice(named.start, named.end) : unlisted?.term ?? (elsewhereNamed ? a.key.slice(elsewhereNamed.start, elsewhereNamed.end) : guessed!);
    facts.unlistedClient = { value: true, evidence, named: Boolean(elsewhere || unlisted || elsewhereNamed || calledOne) };
  } else if (unlisted && (!named || (unlisted.start <= named.start && unlisted.end > named.end))) {
    facts.unlistedClient = { value: true, evidence: unlisted.term, named: true };
  } else if (named) {
    const m = mention(named.product, lex, step, named);
    facts.client = { value: named.product, evidence: a.key.slice(named.start, named.end), ...(m.os ? { os: m.os } : {}), ...(m.version ? { version: m.version } : {}) };
    if (m.os && !facts.os) facts.os = { value: m.os, evidence: facts.client.evidence };
  } else if (elsewhereNamed) {
    // 「MacでOutlook」: a program the notice lists for another system only.
    facts.unlistedClient = { value: true, evidence: a.key.slice(elsewhereNamed.start, elsewhereNamed.end), named: true };
  } else if (guessed && (step.expects === 'client' || calledOne)) {
    facts.unlistedClient = { value: true, evidence: guessed, named: calledOne };
  }

  // 「最初から入ってたEメールってアプリ」 on a phone named earlier as an Android one (「Xperia」): the maker's own program.
  if (!facts.client && !facts.unlistedClient && (step.androidPhone || makerNamed(a, lex)) && ownMailDescribed(a, lex)) {
    facts.unlistedClient = { value: true, evidence: evidenceOf(a, lex.builtinMail.words), named: true };
  }
  if (facts.client || facts.unlistedClient) facts.software = { value: true, evidence: (facts.client ?? facts.unlistedClient)!.evidence };
  else {
    const webmail = affirmed(lex.q1.webmail, a, lex) ?? noMailSaid(a, lex);
    const software = positive(lex.q1.software, a, lex);
    // Webmail as well as mail software: the software is what matters.
    if (webmail && !softwareStressed(a, lex)) facts.software = { value: false, evidence: webmail };
    else if (software) facts.software = { value: software === 'yes', evidence: evidenceOf(a, lex.q1.software) };
  }
  const correcting = evidenceOf(full, lex.correction);
  if (correcting) facts.correction = { value: true, evidence: correcting };
  return facts;
}

/**
 * 「プロバイダは尾張です、アドレスもそう」「回線は尾張で、メアドも同じ」: a topic said to be the same as the other one
 * takes its value (the line's for the address, the address's for the line).
 */
function sameAsTheOther(a: Analysed, facts: Facts, lex: Lexicon): void {
  for (const m of a.key.matchAll(SAME)) {
    const topics = topicsBefore(a, m.index!, lex);
    if (!topics) continue;
    const evidence = a.key.slice(Math.max(0, m.index! - 6), m.index! + m[0].length);
    if (topics.address && !facts.address && facts.connection) facts.address = { value: facts.connection.value, evidence };
    else if (topics.line && !facts.connection && (facts.address?.value === 'owari' || facts.address?.value === 'other')) facts.connection = { value: facts.address.value, evidence };
  }
}
const SAME = /(?:そう|同じ|おなじ|一緒|いつしよ)/g;

/** Host names of mail servers: a service label, then a domain (smtp.example.ne.jp, mail.owari.ne.jp). */
const SERVER_HOST = /(?<![@a-z0-9.-])(?:smtp|mail|pop3?|imap|mx)\.[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,4}/gi;

/** Clause boundaries for "same clause" checks. */
const CLAUSE = /[、。,.!?！？\n;；/|｜]/;
/** How far before an address word a provider's name describes that address (「ニフティのメールアドレス」). */
const OWNER_REACH = 16;

/** Whether webmail is spoken of in the clause of a word (「出先でWebメールも見ます」, "I use webmail at work"). */
function webmailInClause(a: Analysed, h: { start: number; end: number }, lex: Lexicon): boolean {
  const rest = a.key.slice(h.end);
  const cutAfter = rest.search(CLAUSE);
  const head = a.key.slice(0, h.start);
  let from = head.length;
  while (from > 0 && !CLAUSE.test(head[from - 1]!)) from--;
  const end = cutAfter < 0 ? a.key.length : h.end + cutAfter;
  const clause = a.key.slice(from, end);
  return has(lex.q1.webmail, { plain: clause, key: clause, script: a.script.slice(from, end) });
}

/** A device right after a place: the place of the device, not a line. */
const DEVICE_AFTER = /^ ?の ?(?:ぱそこん|pc|すまほ|けいたい|たぶれっと|のーとぱそこん|のーとpc)/;
/** Words joining two things said: the part after them is about the second. */
const AND = /と|や|および|\band\b|&/;
/** An address word followed by は / も / が opens what is said of the address, after it (「ネットは尾張で、メアドはgmail」). */
const TOPIC = /^ ?(?:は|も|が|って)/;
const PROVIDERS_MAIL = /^ ?の ?めーる ?(?:を|で|が|は|も|$)/;

/** Whether an address word follows `end` closely in the same clause, described by what came before it. */
function addressWordAfter(a: Analysed, end: number, lex: Lexicon): boolean {
  const tail = a.key.slice(end, end + OWNER_REACH);
  const cut = CLAUSE.exec(tail);
  let clause = cut ? tail.slice(0, cut.index) : tail;
  // 「尾張の回線と尾張のアドレス」, "Internet Owari and my address": what follows と / and is said of something else.
  const and = AND.exec(clause);
  if (and) clause = clause.slice(0, and.index);
  // 「尾張の光でGmailのアドレス」: a line word right after the name makes it the line's; the address is another thing said.
  const lineWord = listHits(lex.q2.lineWords, { plain: clause, key: clause, script: a.script.slice(end, end + clause.length) })[0];
  if (lineWord && /^ ?の? ?$/.test(clause.slice(0, lineWord.start))) return false;
  if (clause === '') return false;
  // 「owari のメールを使ってて」: a provider's mail is its address (its mail program would be 「…のメールアプリ」).
  if (PROVIDERS_MAIL.test(clause)) return true;
  return listHits(lex.q3.addressWords, { plain: clause, key: clause, script: a.script.slice(end, end + clause.length) }).some((h) => !TOPIC.test(a.key.slice(end + h.end)));
}

/** Whether the word at `start` is what an address was said to be (「アドレスもowariのやつ」, 「メアドはニフティ」). */
function addressWordBefore(a: Analysed, start: number, lex: Lexicon): boolean {
  const from = Math.max(0, start - OWNER_REACH);
  const head = a.key.slice(from, start);
  const clauses = head.split(CLAUSE);
  const clause = clauses[clauses.length - 1]!;
  const at = start - clause.length;
  const hits = listHits(lex.q3.addressWords, { plain: clause, key: clause, script: a.script.slice(at, start) });
  return hits.some((h) => TOPIC.test(clause.slice(h.end)));
}

/** A name that describes the address, before or after an address word. */
const ownsAddress = (a: Analysed, h: { start: number; end: number }, lex: Lexicon): boolean =>
  addressWordAfter(a, h.end, lex) || addressWordBefore(a, h.start, lex) || Boolean(topicsBefore(a, h.start, lex)?.address);
/** Whether a name may be said of the line: not only of an address, and not after topics that leave the line out. */
const ownsLine = (a: Analysed, h: { start: number; end: number }, lex: Lexicon): boolean => {
  const topics = topicsBefore(a, h.start, lex);
  return topics ? topics.line : !addressWordAfter(a, h.end, lex) && !addressWordBefore(a, h.start, lex);
};

/**
 * The address described in words. An employer's or another provider's never counts as ours; the line's
 * provider's is ours exactly when the line is (the conversation decides); a provider named right before
 * an address word describes the address, not the line (「ニフティのアドレスです」, 「尾張さんのアドレス」).
 */
function describedAddress(a: Analysed, lex: Lexicon): Facts['address'] | undefined {
  // 「さっき尾張のアドレスって言ったけど会社のでした」: another address said after "but" is the one meant.
  const but = afterBut(a);
  if (but > 0) {
    const after = describedAddress(slice(a, but), lex);
    if (after && after.value !== 'owari') return after;
  }
  // 「会社のアドレスも尾張のです」: インターネット尾張 said of the address outweighs whose it is.
  const owned = ownedAddress(a, lex);
  if (owned === 'owari') return { value: 'owari', evidence: 'owari' };
  // 「両方つかっとる 尾張のとGmail」: an address of ours used besides another.
  const both = listHits(lex.q3.both, a)[0];
  if (both && (has(lex.q3.owariAddress, a) || has(lex.q2.owari, a))) return { value: 'owari', evidence: both.term };
  const employer = affirmed(lex.q3.employerAddress, a, lex);
  if (employer) return { value: 'employer', evidence: employer };
  // 「Gmailのアプリ」 names a program and 「ドコモ光」 a line, not the address.
  const other = listHits(lex.q3.otherAddress, a).find((h) => !denied(a, h.start, h.end, lex) && !programNamed(a, h.end) && !namesTheLine(a, h, lex))?.term;
  const otherOwner = listHits(lex.q2.otherNetwork, a).find((h) => ownsAddress(a, h, lex) && !denied(a, h.start, h.end, lex));
  if (other || otherOwner) return { value: 'other', evidence: other ?? otherOwner!.term };
  const lineProvider = affirmed(lex.q3.lineProviderAddress, a, lex);
  const owari = positive(lex.q3.owariAddress, a, lex);
  const owariOwner = listHits(lex.q2.owari, a).find((h) => ownsAddress(a, h, lex));
  if (owari === 'yes' || (owariOwner && !denied(a, owariOwner.start, owariOwner.end, lex) && owari !== 'no')) return { value: 'owari', evidence: evidenceOf(a, lex.q3.owariAddress) || owariOwner!.term };
  if (owari === 'no' || owariOwner) return { value: 'other', evidence: evidenceOf(a, lex.q3.owariAddress) || owariOwner!.term };
  if (lineProvider) return { value: 'line_provider', evidence: lineProvider };
  return undefined;
}

/** The line: another provider's, a company's or a mobile one beats ours; a name that describes the address does not count. */
function describedLine(a: Analysed, lex: Lexicon, asked: boolean): Facts['connection'] | undefined {
  // Told in passing, 「事務所のパソコン」 says where the computer is, not whose line it uses; asked about the line, it answers.
  const device = (h: { end: number; term: string }) => !asked && (DEVICE_AFTER.test(a.key.slice(h.end)) || /(?:ぱそこん|pc)$/.test(h.term));
  const ofLine = (h: { start: number; end: number; term: string }) => ownsLine(a, h, lex) && !device(h);
  // Told in passing, where webmail is read (「出先でWebメールも見ます」, "I use webmail at work") says nothing of the line
  // the mail software uses.
  const notWebmail = (h: { start: number; end: number }) => asked || !webmailInClause(a, h, lex);
  const otherYes = listHits(lex.q2.otherNetwork, a).filter(ofLine).find((h) => !denied(a, h.start, h.end, lex) && notWebmail(h));
  const owari = listHits(lex.q2.owari, a).filter(ofLine);
  const affirmedOwari = owari.find((h) => !denied(a, h.start, h.end, lex));
  // 「マンションのネットだけど、インターネット尾張のマンション向けのやつです」: ours said after "but" is what is meant.
  const but = afterBut(a);
  // Not when what follows is about the mail (「…ドコモ光に乗り換えたんですけど、メールだけ昔の尾張のを残してます」).
  const aboutMail = but >= 0 && (has(lex.q3.addressWords, slice(a, but)) || /めーる|mail/.test(a.key.slice(but)));
  if (otherYes && affirmedOwari && but >= 0 && !aboutMail && otherYes.start < but && affirmedOwari.start >= but) return { value: 'owari', evidence: affirmedOwari.term };
  if (otherYes) return { value: 'other', evidence: otherYes.term };
  if (affirmedOwari) return { value: 'owari', evidence: affirmedOwari.term };
  // 「会社の事務所から…事務所のネットはインターネット尾張」: a place gives way to a line named as ours.
  const place = listHits(lex.q2.otherPlace, a).filter(ofLine).find((h) => !denied(a, h.start, h.end, lex) && notWebmail(h));
  if (place) return { value: 'other', evidence: place.term };
  return owari.length ? { value: 'other', evidence: owari[0]!.term } : undefined;
}

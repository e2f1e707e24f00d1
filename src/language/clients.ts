/** Mail-client names: catalogue aliases, kana, romaji, misspellings and versions → product ids. */
import type { Analysed } from './normalize.js';
import { firstHit, has, hitAt, listHits, spaceTypedAt } from './matcher.js';
import type { CompiledAlias, Lexicon, Os } from './lexicon.js';
import { afterBut, denied } from './yesno.js';

export interface ClientMention { product: string; os?: Os; version?: string }
/** `generic`: named by a word that means this program only where its system is known (「メールアプリ」, 「Gmail」): see CompiledAlias. */
export interface FoundClient extends ClientMention { start: number; end: number; negated: boolean; fuzzy: boolean; osConflict?: boolean; generic?: 'mail-word' | 'known' }

// Keys are folded (small kana to full size: バージョン is ばーじよん). 「ユードラの6」 names a version; 「の25番」 a port.
const VERSION_AFTER = /^ ?(?:[のはも] ?)?(?:ver\.?|version|ばーじよん|v\.?)? ?(\d{1,4}(?:\.\d{1,3}){0,2})(?![\d.]|ばん|番|ぽーと|port)/;
const VERSION_ANYWHERE = /(?:ver\.?|version|ばーじよん) ?(?:[はが] ?)?(\d{1,4}(?:\.\d{1,3}){0,2})(?![\d.])/;
const VERSION_BEFORE = /(?:ver\.?|version|ばーじよん|v\.?) ?(\d{1,4}(?:\.\d{1,3}){0,2})$|(\d{4}) ?(?:年版|年|版)の? ?$|(?:office|おふいす) ?(\d{4}) ?の? ?$/;

/** The OS a text names, if any (first mention wins). */
export function findOs(a: Analysed, lex: Lexicon): { os: Os; start: number; end: number } | null {
  // 「今はスマホから打っとるけど、設定したいのは家のWindowsのパソコンの方です」: after "but", the system meant.
  const but = afterBut(a);
  let best: { os: Os; start: number; end: number } | null = null;
  const rank = (start: number) => (but >= 0 && start >= but ? 0 : 1);
  for (const os of ['windows', 'mac', 'smartphone'] as const) {
    // 「スマホのテザリングでパソコンつないでる」: a phone that is the line, not the device.
    for (const h of listHits(lex.os[os], a).filter((hit) => !LINE_AFTER.test(a.key.slice(hit.end)))) {
      if (!best || rank(h.start) < rank(best.start) || (rank(h.start) === rank(best.start) && h.start < best.start)) best = { os, start: h.start, end: h.end };
    }
  }
  return best;
}
/** At the device question, a short answer one letter away from a system's latin name (「wimdows」). */
export function nearOs(a: Analysed, lex: Lexicon): Os | undefined {
  if (a.key.length > 24) return undefined;
  for (const m of a.key.matchAll(/[a-z]{5,}/g)) {
    for (const os of SYSTEMS) {
      if (lex.os[os].terms.some((t) => /^[a-z]{5,}$/.test(t.term) && distance(m[0], t.term, 1) <= 1)) return os;
    }
  }
  return undefined;
}

/** A line right after a device: the device is the line (tethering), not the computer. */
const LINE_AFTER = /^ ?の? ?(?:てざりんぐ|回線|わいふあい|wi-?fi|ねつと)/;

/** `askedOn`: the system already known when the mail client is asked (names such as 「Gmail」 count only there). */
export function findClients(a: Analysed, lex: Lexicon, fuzzy: boolean, askedOn?: Os): FoundClient[] {
  // One scan finds where names are (the alternation takes the longest alias at each position, so
  // Outlook Express wins over Outlook); then the alias matching that exact span tells the product.
  const found: FoundClient[] = [];
  const deniedByName = new Set<string>();
  for (const h of listHits(lex.aliasList, a, lex.clientSuffixes)) {
    const best = aliasAt(a, lex, h);
    // 「Yahoo!メールのアプリ」「AquaMailのメールアプリ」: a generic mail word after another program's name is that program.
    if (best?.onItsSystem === 'mail-word' && afterAName(a, h.start, lex)) continue;
    // 「Gmail」 is the Gmail app where a phone's client is asked, or where it is called an app (「Gmailっていうアプリ」);
    // denied, it denies the app wherever it is named (「アンドロイドです。標準のメールアプリ(Gmailじゃない方)」).
    if (best?.onItsSystem === 'known' && !(askedOn && lex.products.get(best.product)?.includes(askedOn)) && !calledAProgramAt(a, lex, h.end)) {
      if (denied(a, h.start, h.end, lex)) deniedByName.add(best.product);
      continue;
    }
    // 「outlook.com」「hotmail.co.jp」 are mail services in a browser, not the program.
    if (best && DOMAIN_AFTER.test(a.key.slice(h.end))) continue;
    if (best) found.push({ ...describe(a, lex, best.product, best.term, h.start, h.end, false), ...(best.onItsSystem ? { generic: best.onItsSystem } : {}) });
  }
  // A near spelling of a name never starts at the bare mail word (「メールってやつ」 is not AL-Mail, "mail app" not the Gmail app).
  // Nor is an OS name a near spelling of a program (「ウィンドウズ」 is not 「ウィンドウズメール」); a program typed beside it may be
  // (「Windows ライフメール」).
  const systems = fuzzy && found.length === 0 ? SYSTEMS.flatMap((os) => listHits(lex.os[os], a)) : [];
  const all = found.length === 0 && fuzzy
    ? fuzzyClients(a, lex).filter((f) => !a.key.startsWith('めーる', f.start) && !a.key.startsWith('mail', f.start) && !systems.some((o) => o.start <= f.start && f.end <= o.end))
    : found;
  // The same product named twice counts once; denied once, it is denied (「Androidのメールアプリ（Gmailじゃない方）」).
  const deniedProducts = new Set([...deniedByName, ...all.filter((f) => f.negated).map((f) => f.product)]);
  const seen = new Set<string>();
  return all.filter((f) => (seen.has(f.product) ? false : (seen.add(f.product), true))).map((f) => (deniedProducts.has(f.product) ? { ...f, negated: true } : f));
}

/** The alias that matches exactly the span of a hit; on equal spans, the one written as typed (not through optional の/ー). */
function aliasAt(a: Analysed, lex: Lexicon, h: { start: number; end: number }): CompiledAlias | undefined {
  let best: { alias: CompiledAlias; slack: number } | undefined;
  for (const al of lex.aliases) {
    al.sticky.lastIndex = h.start;
    const m = al.sticky.exec(a.key);
    if (!m || m[0].length !== h.end - h.start) continue;
    const slack = Math.abs(al.term.length - m[0].length);
    if (!best || slack < best.slack) best = { alias: al, slack };
  }
  return best?.alias;
}

function describe(a: Analysed, lex: Lexicon, product: string, term: string, start: number, end: number, fuzzy: boolean): FoundClient {
  const out: FoundClient = { product, start, end, negated: denied(a, start, end, lex), fuzzy };
  // "oe6": the alias itself carries the version when its letters alone are also an alias of the product.
  // A version written after the name wins over digits of the name itself (「AL-Mail32 1.11」 is 1.11, not 32).
  const after = VERSION_AFTER.exec(a.key.slice(end));
  const own = /^([a-z][a-z .!-]*?) ?(\d{1,4}(?:\.\d)?)$/.exec(term);
  if (after) {
    out.version = after[1]!;
    out.end = end + after[0].length;
  } else if (own && lex.aliases.some((al) => al.product === product && al.term === own[1])) {
    out.version = own[2]!;
  } else {
    const before = VERSION_BEFORE.exec(a.key.slice(Math.max(0, start - 16), start));
    // 「サンダーバードなんですけど、かなり古くてバージョン1.0です」: a version said anywhere in the message.
    const anywhere = before ? null : VERSION_ANYWHERE.exec(a.key);
    if (before) out.version = (before[1] ?? before[2] ?? before[3])!;
    else if (anywhere) out.version = anywhere[1]!;
  }
  const editions = lex.products.get(product) ?? [];
  const os = findOs(a, lex);
  // 「スマホのメールアプリ」 is not the Windows メールアプリ: a name whose product does not run on the OS the
  // customer names beside it is a different program with a similar name. An OS in another sentence
  // (「スマホも変えるの？パソコンはアウトルック」) says nothing of this name.
  const beside = sentenceOf(a, start, end);
  if (os && !editions.includes(os.os) && !(os.start >= start && os.end <= end) && os.start >= beside.start && os.end <= beside.end) out.osConflict = true;
  if (editions.length === 1) out.os = editions[0]!;
  else if (os && editions.includes(os.os)) out.os = os.os;
  return out;
}

/** The sentence around a span: from the last sentence end before it to the first after it. */
function sentenceOf(a: Analysed, start: number, end: number): { start: number; end: number } {
  let from = start;
  while (from > 0 && !SENTENCE_END.test(a.key[from - 1]!)) from--;
  let to = end;
  while (to < a.key.length && !SENTENCE_END.test(a.key[to]!)) to++;
  return { start: from, end: to };
}
const SENTENCE_END = /[。.!?！？\n]/;

const ROWS = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** Optimal-string-alignment distance, bounded: returns max+1 as soon as it cannot be ≤ max. */
export function distance(s: string, t: string, max: number): number {
  const n = s.length;
  const m = t.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (m + 1 > 64) return max + 1;
  let prev2 = ROWS[0]!;
  let prev = ROWS[1]!;
  let cur = ROWS[2]!;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const si = s.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const tj = t.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (si === tj ? 0 : 1));
      if (i > 1 && j > 1 && si === t.charCodeAt(j - 2) && s.charCodeAt(i - 2) === tj) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const tmp = prev2;
    prev2 = prev;
    prev = cur;
    cur = tmp;
  }
  return prev[m]!;
}

const allowedTypos = (len: number): number => (len >= 9 ? 2 : len >= 5 ? 1 : 0);

interface FuzzyForm { product: string; term: string; t: string; max: number }
const fuzzyCache = new WeakMap<Lexicon, { latin: FuzzyForm[]; kana: FuzzyForm[] }>();

/** Alias forms long enough for a typo to be unambiguous, computed once per lexicon. */
function fuzzyForms(lex: Lexicon): { latin: FuzzyForm[]; kana: FuzzyForm[] } {
  let forms = fuzzyCache.get(lex);
  if (!forms) {
    forms = { latin: [], kana: [] };
    for (const al of lex.aliases) {
      // 「mail」 is one letter from 「gmail」: a name that needs its system is never guessed.
      if (al.onItsSystem === 'known') continue;
      const t = al.term.replace(/ /g, '');
      if (/^[a-z!-]+$/.test(t)) {
        const max = allowedTypos(t.length);
        if (max > 0) forms.latin.push({ product: al.product, term: al.term, t, max });
      } else if (/^[\u3041-\u309fー]+$/.test(t)) {
        const tl = t.replace(/ー/g, '');
        const max = allowedTypos(tl.length);
        if (max > 0) forms.kana.push({ product: al.product, term: al.term, t: tl, max });
      }
    }
    fuzzyCache.set(lex, forms);
  }
  return forms;
}

/**
 * Misspelled names ("thunderbard", "サンダーバート", "outlok"): each latin word and each kana run is
 * compared with the aliases long enough for a typo to be unambiguous. Only used where a client name
 * is plausible, and only when no exact name was found.
 */
function fuzzyClients(a: Analysed, lex: Lexicon): FoundClient[] {
  if (a.key.length > 40) return [];
  const forms = fuzzyForms(lex);
  let best: { product: string; term: string; start: number; end: number; d: number } | null = null;
  const consider = (f: FuzzyForm, start: number, end: number, d: number): void => {
    if (!best || d < best.d || (d === best.d && f.term.length > best.term.length)) best = { product: f.product, term: f.term, start, end, d };
  };
  const latin = [...a.key.matchAll(/[a-z][a-z!-]*/g)];
  for (let i = 0; i < latin.length; i++) {
    const w = latin[i]!;
    const nx = latin[i + 1];
    const joined = nx && nx.index === w.index + w[0].length + 1 ? w[0] + nx[0] : null;
    for (const f of forms.latin) {
      const d1 = distance(w[0], f.t, f.max);
      if (d1 <= f.max) consider(f, w.index, w.index + w[0].length, d1);
      if (joined) {
        const d2 = distance(joined, f.t, f.max);
        if (d2 <= f.max) consider(f, w.index, nx!.index + nx![0].length, d2);
      }
    }
  }
  // Kana runs only in short messages (a name typed as the answer); a sentence has too many windows.
  // A name is typed in one script: hiragana and katakana are separate runs (「スタートにある」 holds no アルメール).
  for (const run of a.key.length <= 24 ? oneScriptRuns(a) : []) {
    const r = run.text.replace(/ー/g, '');
    for (const f of forms.kana) {
      for (let len = f.t.length - 1; len <= f.t.length + 1; len++) {
        for (let s = 0; s + len <= r.length; s++) {
          // A typo rarely changes both ends: a cheap filter before the distance.
          if (r[s] !== f.t[0] && r[s + len - 1] !== f.t[f.t.length - 1]) continue;
          const d = distance(r.slice(s, s + len), f.t, f.max);
          if (d <= f.max) consider(f, run.index, run.index + run.text.length, d);
        }
      }
    }
  }
  if (!best) return [];
  const b = best as { product: string; term: string; start: number; end: number };
  return [describe(a, lex, b.product, b.term, b.start, b.end, true)];
}

/** Runs of three or more kana in one script (all hiragana or all katakana), with where each starts. */
function oneScriptRuns(a: Analysed): { text: string; index: number }[] {
  const runs: { text: string; index: number }[] = [];
  for (const m of a.key.matchAll(/[\u3041-\u309fー]{3,}/g)) {
    let from = m.index;
    for (let i = m.index + 1; i <= m.index + m[0].length; i++) {
      if (i < m.index + m[0].length && a.script[i] === a.script[from]) continue;
      if (i - from >= 3) runs.push({ text: a.key.slice(from, i), index: from });
      from = i;
    }
  }
  return runs;
}

/** Clause boundaries: a modifier describes a mail word only within its clause. */
// Quotes wrap a name (「メール」ってアプリ); they do not end a clause.
const SYSTEMS = ['windows', 'mac', 'smartphone'] as const;
const DOMAIN_AFTER = /^\.(?:com|jp|co|ne|net|org)\b/;

/** Whether a latin name that is not a system's ends right before `start` (past の, ! and a space). */
function afterAName(a: Analysed, start: number, lex: Lexicon): boolean {
  let end = start;
  while (end > 0 && 'の! 「'.includes(a.key[end - 1]!)) end--;
  let from = end;
  while (from > 0 && a.script[from - 1] === 'L') from--;
  if (end - from < 3) return false;
  const word = a.key.slice(from, end);
  return !SYSTEMS.some((os) => has(lex.os[os], { plain: word, key: word, script: 'L'.repeat(word.length) }));
}

/**
 * A client named only by its system (「アンドロイド」 for the Gmail app) gives way to another program named beside it
 * (「iPhoneでSparkってアプリ」, 「iPhoneのOutlookアプリ」): the program not in the list, as a name. Where the client is not
 * asked, an unknown word counts only when it is called a program (「…ってアプリ」): a pasted error is full of words.
 */
export function namedBySystemOnly(a: Analysed, lex: Lexicon, found: FoundClient, clientAsked: boolean): boolean {
  const bySystem = SYSTEMS.some((os) => listHits(lex.os[os], a).some((h) => h.start === found.start && h.end === found.end));
  if (!bySystem) return false;
  // 「Androidのgmailアプリ」: another name of the same program is there too.
  if (listHits(lex.aliasList, a, lex.clientSuffixes).some((h) => h.start !== found.start && aliasAt(a, lex, h)?.product === found.product)) return false;
  // 「Androidの最初から入ってるメールアプリです（Galaxy）」: the phone's maker named, its own program described.
  if (makerNamed(a, lex) && ownMailDescribed(a, lex)) return true;
  // "the built-in Mail app on my iPhone": the system's own program, described.
  if (has(lex.builtinMail.modifiers, a)) return false;
  if (has(lex.unlistedClients, a) || findClients(a, lex, false).some((c) => c.product !== found.product && c.osConflict && !c.negated)) return true;
  const name = unknownName(a, lex);
  return name !== undefined && (clientAsked || calledAProgram(a, lex, name));
}

const CALLED = /^ ?(?:っていう|って言う|という|と言う|って|の)? ?/;
/** Whether a name is followed by a word for a program (「Sparkってアプリ」, 「Foxのメーラー」). */
export function calledAProgram(a: Analysed, lex: Lexicon, name: string): boolean {
  const at = a.key.indexOf(name);
  return at >= 0 && calledAProgramAt(a, lex, at + name.length);
}

/** Whether a program word follows the name that ends at `end`. */
function calledAProgramAt(a: Analysed, lex: Lexicon, end: number): boolean {
  return hitAt(lex.programWords, a, end + CALLED.exec(a.key.slice(end))![0].length) !== null;
}

const CLAUSE_BREAK = /[、。,.!?！？\n;；()（）]/;
/** How far before a mail word a modifier still describes it (「Mac に最初から入ってる「メール」」). */
const MODIFIER_REACH = 16;
const ADDRESS_AFTER = /^(?:あどれす|address|あど|ad)/;

/**
 * The mail program a system comes with, named by what it is instead of by its name: a mail word described
 * as the system's own (「最初から入ってるメール」, 「標準のメールアプリ」), or, where the mail client is asked, a
 * first clause that is nothing but the mail word (「メールです」). Which program: the system named in the
 * message (「Windows 10 の」), else the system already known when it alone decides (a Mac). A maker's name
 * right before the word (「ギャラクシーのメール」) is another program; 「メールアドレス」 is no program at all.
 */
export function builtinMail(a: Analysed, lex: Lexicon, knownOs: Os | undefined, clientAsked: boolean, leftover: (key: string) => number): FoundClient | null {
  const b = lex.builtinMail;
  for (const h of listHits(b.words, a)) {
    // 「メールアドレス」 is no program; 「メールアプリ アドレスも尾張の」 typed with a space is a program, then an address.
    if (ADDRESS_AFTER.test(a.key.slice(h.end)) && !spaceTypedAt(a, h.end)) continue;
    let before = h.start > 0 && a.key[h.start - 1] === 'の' ? h.start - 1 : h.start;
    // 「Yahoo!メール」: a service's name may end in ! (and a quote may open the word).
    while (before > 0 && '!「『"'.includes(a.key[before - 1]!)) before--;
    if (before > 0 && (a.script[before - 1] === 'K' || a.script[before - 1] === 'L')) {
      // 「Mac のメール」 is the system's own, and so is 「切手のマークのメール」; 「ギャラクシーのメール」 is not.
      if (!b.systems.some((s) => listHits(s.words, a).some((w) => w.end === before)) && !looksEndAt(a, lex, before)) continue;
    }
    const described = describedAsOwn(a, lex, h);
    const firstClause = a.key.split(CLAUSE_BREAK).find((c) => c.trim() !== '') ?? '';
    const alone = clientAsked && a.key.indexOf(firstClause) <= h.start && h.end <= a.key.indexOf(firstClause) + firstClause.length
      && leftover(firstClause.replace(b.words.re, ' ')) === 0;
    // 「MacBookでメールアプリ使ってます」: a program word (not the bare メール) beside a system that has one mail program.
    const besideItsSystem = a.key.slice(h.start, h.end) !== 'めーる' && b.systems.some((s) => s.alone === true && has(s.words, a));
    if (!described && !alone && !besideItsSystem) continue;
    const system = systemOf(a, lex, knownOs, described);
    if (system) return describe(a, lex, system.client, a.key.slice(h.start, h.end), h.start, h.end, false);
  }
  // Asked for the mail program, 「Windows 11 に付いてきたやつです」: the program a named system comes with, no mail word said.
  const modifier = clientAsked ? firstHit(b.modifiers, a) : null;
  const named = modifier ? b.systems.find((s) => has(s.words, a)) : undefined;
  if (modifier && named) return describe(a, lex, named.client, a.key.slice(modifier.start, modifier.end), modifier.start, modifier.end, false);
  return null;
}

/** A mail word described as a system's own program: 「最初から入ってるメール」, 「メール」ってアプリ, a 「メール」 in quotes. */
function describedAsOwn(a: Analysed, lex: Lexicon, h: { start: number; end: number }): boolean {
  const b = lex.builtinMail;
  if (hitAt(b.namedAs, a, h.end) !== null || b.quotedWords.some((q) => a.plain.includes(q))) return true;
  // Before the word (「最初から入ってるメール」「封筒のアイコンのやつ ウィンドウズ10のメール」), or after it in its clause
  // (「めーる りんごのやつに最初からついとるの」, "the Mail app that comes with Windows 10").
  const reach = a.key.slice(Math.max(0, h.start - MODIFIER_REACH), h.start);
  const cut = reach.split(CLAUSE_BREAK);
  const before = cut[cut.length - 1]!;
  const after = a.key.slice(h.end, h.end + MODIFIER_REACH).split(CLAUSE_BREAK)[0]!;
  const part = (text: string, from: number): Analysed => ({ plain: text, key: text, script: a.script.slice(from, from + text.length) });
  return [part(before, h.start - before.length), part(after, h.end)].some((p) => has(b.modifiers, p) || has(b.looks, p));
}

/**
 * Whether the message describes a system's own mail program (「Galaxyに最初から入ってる「Eメール」」): with a maker's
 * name that is no system of builtin_mail, it is that maker's program, which the notice does not list.
 */
export function ownMailDescribed(a: Analysed, lex: Lexicon): boolean {
  return listHits(lex.builtinMail.words, a).some((h) => !ADDRESS_AFTER.test(a.key.slice(h.end)) && describedAsOwn(a, lex, h));
}

function systemOf(a: Analysed, lex: Lexicon, knownOs: Os | undefined, described: boolean): { client: string } | undefined {
  let best: { client: string; start: number } | undefined;
  for (const s of lex.builtinMail.systems) {
    const h = firstHit(s.words, a);
    if (h && (!best || h.start < best.start)) best = { client: s.client, start: h.start };
  }
  if (best) return best;
  const os = findOs(a, lex)?.os ?? knownOs;
  const alone = lex.builtinMail.systems.filter((s) => (s.alone === true || (s.alone === 'described' && described)) && s.os === os);
  return alone.length === 1 ? alone[0] : undefined;
}

/** An Android phone named by its maker or model (「Galaxy」), not only as Android. */
export function makerNamed(a: Analysed, lex: Lexicon): boolean {
  return listHits(lex.androidPhones, a).some((h) => h.term !== 'android' && h.term !== 'あんどろいど');
}

/** Whether a word for how a program looks (マーク, アイコン) ends at `end`: 「切手のマークのメール」. */
function looksEndAt(a: Analysed, lex: Lexicon, end: number): boolean {
  return listHits(lex.builtinMail.looks, a).some((h) => h.end === end);
}

/** Words around a product name that are not a product name. */
const NOT_A_NAME = new Set(['mail', 'mailer', 'app', 'soft', 'software', 'email', 'e', 'the', 'my', 'i', 'use', 'using', 'pc', 'os', 'ok', 'no', 'yes', 'id', 'smtp', 'pop', 'imap', 'web', 'webmail', 'built-in', 'builtin', 'default', 'standard', 'stock', 'phone', 'just', 'this', 'that', 'one', 'its', 'with', 'and', 'for']);

/**
 * At the mail-client question, a name that matches no client in the catalogue: a latin word (「Claws Mailです」),
 * or katakana before メール / ソフト / アプリ, with の or without (「ギャラクシーのメールアプリ」). The notice's answer for software
 * not in its list applies.
 */
export function unknownName(a: Analysed, lex: Lexicon): string | undefined {
  for (const m of a.key.matchAll(/[a-z][a-z0-9!+.-]{2,}/g)) {
    if (!NOT_A_NAME.has(m[0]) && !isSystemWord(m[0], lex)) return m[0];
  }
  for (const h of listHits(lex.unlistedClientWords, a)) {
    // 「ギャラクシーのメール」: the maker's name may come with の.
    const name = h.start > 0 && a.key[h.start - 1] === 'の' ? h.start - 1 : h.start;
    let start = name;
    while (start > 0 && a.script[start - 1] === 'K') start--;
    if (name - start >= 3 && !isSystemWord(a.key.slice(start, name), lex) && !looksEndAt(a, lex, name)) return a.key.slice(start, h.end);
  }
  return undefined;
}

/** 「Windows10」「アイフォン」 name a system that comes with its own program, not a program (a Galaxy's is another). */
function isSystemWord(word: string, lex: Lexicon): boolean {
  const script = /^[a-z]/.test(word) ? 'L' : 'K';
  return lex.builtinMail.systems.some((s) => listHits(s.words, { plain: word, key: word, script: script.repeat(word.length) }).some((h) => h.start === 0 && h.end === word.length));
}

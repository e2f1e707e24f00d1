/**
 * Validates the word-list data (flows/language/*.json, flows/clients.json) and precompiles it.
 * Staff edit those files; a malformed entry must fail loudly at start-up with the file and the key,
 * not quietly make the bot misunderstand customers — every malformed entry at once, not the first.
 */
import { z } from 'zod';
import type { DataProblem } from '../flow/flow-data.js';
import { analyse, foldReadings } from './normalize.js';
import { compileList, compileTerm, makeList, type CompiledList, type CompiledTerm, type CompileOptions } from './matcher.js';

/** Every problem of the word lists, each located by file and key. */
export class LexiconError extends Error {
  constructor(readonly problems: DataProblem[]) {
    super(problems.map((p) => `${p.file}: ${p.key}: ${p.message}`).join('\n'));
    this.name = 'LexiconError';
  }
}

export interface LexiconData { words: unknown; faq: unknown; errors: unknown; clients: unknown }

export const FILES = {
  words: 'flows/language/words.json',
  faq: 'flows/language/faq.json',
  errors: 'flows/language/errors.json',
  clients: 'flows/clients.json',
} as const;

const word = z.string().trim().min(1, 'empty word');
const list = z.array(word).min(1, 'empty list');

const wordsSchema = z.object({
  yes: z.object({ start: list, phrases: list }),
  no: z.object({ start: list, phrases: list }),
  negation: list,
  contrast: list,
  complaint: list,
  unsure: list,
  ambiguous: list,
  fillers: list,
  politeness: list,
  question: list,
  question_words: list,
  hypothetical: list,
  correction: list,
  question_lookalikes: list,
  commands: z.object({ restart: list, back: list, continue: list }),
  language: z.object({ ja: list, en: list }),
  handoff: list,
  handoff_person: list,
  handoff_wish: list,
  contact_question: list,
  os: z.object({ windows: list, mac: list, smartphone: list }),
  android_phones: list,
  other_choice: list,
  another_client: list,
  yes_settings: list,
  client_suffixes: list,
  q1: z.object({ webmail: list, webmail_weak: list, no_mail: list, software: list }),
  q2: z.object({ owari: list, other_network: list, other_place: list, line_words: list, line_kinds: list, line_only: list }),
  q3: z.object({ owari_domains: list, owari_address: list, other_address: list, line_provider_address: list, employer_address: list, address_words: list, both: list }),
  unlisted_clients: list,
  program_words: list,
  unlisted_client_words: list,
  builtin_mail: z.object({
    words: list,
    modifiers: list,
    named_as: list,
    looks: list,
    systems: z.array(z.object({ client: z.string().min(1), os: z.enum(['windows', 'mac', 'smartphone']), words: list, alone: z.union([z.boolean(), z.literal('described')]).optional() })),
  }),
});

const faqSchema = z.object({
  entries: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9_]+$/, 'id must be lower-case letters, digits and _'),
        action: z.enum(['start_diagnosis', 'handoff']).optional(),
        priority: z.number().min(-10).max(10).optional(),
        doubt: z.boolean().optional(),
        about_question: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
        patterns: z.array(z.array(word).min(1, 'empty pattern')).min(1, 'no patterns'),
      }),
    )
    .min(1, 'no entries'),
});

const errorsSchema = z.object({
  smtp_context: list,
  entries: z
    .array(
      z.object({
        id: z.string().regex(/^[A-Za-z0-9_]+$/, 'id must be letters, digits and _'),
        codes: z.array(word).optional(),
        smtp: z.array(word).optional(),
        patterns: z.array(word).optional(),
      }),
    )
    .min(1, 'no entries'),
});

const clientsSchema = z.object({
  os: z.array(z.enum(['windows', 'mac', 'smartphone'])),
  products: z.record(
    z.string().regex(/^[a-z0-9_]+$/),
    z.object({
      name: word,
      aliases: list,
      aliases_on_its_system: list.optional(),
      status: z.string().optional(),
      editions: z.partialRecord(z.enum(['windows', 'mac', 'smartphone']), z.unknown()),
    }),
  ),
});

export type Os = 'windows' | 'mac' | 'smartphone';

/**
 * `onItsSystem`: the name means this product only where the customer's system is one of its editions: `mail-word`
 * (「メールアプリ」) with the system named in the message or known before; `known` (「Gmail」, also webmail) only at the
 * mail-client question, with the system known before the message; never guessed from a near spelling.
 */
export interface CompiledAlias extends CompiledTerm { product: string; alias: string; sticky: RegExp; onItsSystem?: 'mail-word' | 'known' }
/**
 * `doubt`: asked together with 「よくわからない」 at a question, the question's own help answers it. `aboutQuestion`: the
 * flowchart question (1–3) this asks about: asked there, that question's help answers it.
 */
export interface CompiledFaq { id: string; action?: 'start_diagnosis' | 'handoff'; doubt?: boolean; aboutQuestion?: 1 | 2 | 3; priority: number; patterns: CompiledList[][] }
export interface CompiledError { id: string; hex: string[]; numbers: string[]; smtp: { code?: string; status?: string }[]; patterns: RegExp[] }

/** Precompiled lexicon. Fields are internal to src/language; the shape may change. */
export interface Lexicon {
  readonly yesStart: CompiledList;
  readonly yesPhrases: CompiledList;
  readonly noStart: CompiledList;
  readonly noPhrases: CompiledList;
  readonly negation: CompiledList;
  readonly contrast: CompiledList;
  /** Trouble verbs (送れ, 使え): a negation after one tells of trouble, not of not using. */
  readonly complaint: CompiledList;
  readonly unsure: CompiledList;
  readonly ambiguous: CompiledList;
  readonly fillers: CompiledList;
  readonly politeness: CompiledList;
  readonly question: CompiledList;
  /** Words that ask (どこ, 何, which). */
  readonly questionWords: CompiledList;
  /** Words holding a question word that ask nothing (いつも): blanked before questions are matched. */
  readonly questionLookalikes: CompiledList;
  /** In a question, words that make it a case not the customer's own (場合, たら, what if). */
  readonly hypothetical: CompiledList;
  /** Words correcting an earlier answer (やっぱり, 実は, 間違えました). */
  readonly correction: CompiledList;
  readonly commands: Record<'restart' | 'back' | 'continue', CompiledList>;
  readonly language: Record<'ja' | 'en', CompiledList>;
  readonly handoff: CompiledList;
  /** A person word, then a wish in the same clause (「詳しい人に聞きたい」): a person asked for. */
  readonly handoffPerson: CompiledList;
  readonly handoffWish: CompiledList;
  readonly contactQuestion: CompiledList;
  readonly os: Record<Os, CompiledList>;
  /** Android phones named by maker or model (Xperia, AQUOS). */
  readonly androidPhones: CompiledList;
  readonly otherChoice: CompiledList;
  readonly anotherClient: CompiledList;
  readonly yesSettings: CompiledList;
  readonly clientSuffixes: string[];
  readonly q1: { webmail: CompiledList; webmailWeak: CompiledList; noMail: CompiledList; software: CompiledList };
  readonly q2: { owari: CompiledList; otherNetwork: CompiledList; otherPlace: CompiledList; lineWords: CompiledList; lineKinds: CompiledList; lineOnly: CompiledList };
  readonly q3: { owariDomains: string[]; owariAddress: CompiledList; otherAddress: CompiledList; lineProviderAddress: CompiledList; employerAddress: CompiledList; addressWords: CompiledList; both: CompiledList };
  /** Mail programs the notice does not list, and the words after a name that make it a mail program. */
  readonly unlistedClients: CompiledList;
  readonly unlistedClientWords: CompiledList;
  /** Words that call the name before them a program (アプリ, ソフト). */
  readonly programWords: CompiledList;
  /** The mail program a system comes with, named by what it is (「Mac に最初から入ってるメール」). */
  readonly builtinMail: { words: CompiledList; modifiers: CompiledList; namedAs: CompiledList; looks: CompiledList; quotedWords: readonly string[]; systems: { client: string; os: Os; words: CompiledList; alone: boolean | 'described' }[] };
  readonly aliases: CompiledAlias[];
  /** All aliases in one list, to find where names are; `aliases` then tells which product. */
  readonly aliasList: CompiledList;
  /** Words that may directly follow a yes/no interjection (はいそうです, うんお願いします). */
  readonly followers: CompiledList;
  /** product id → the OS editions it has. */
  readonly products: Map<string, Os[]>;
  readonly faq: CompiledFaq[];
  readonly errors: CompiledError[];
  /** Every error pattern in one expression: most messages match none, and are done in one scan. */
  readonly errorPatternAny: RegExp | null;
  /** Every FAQ word in one list: most answers contain none. */
  readonly faqAny: CompiledList;
  readonly hexCodes: Map<string, string>;     // 800ccc0e → error id
  readonly numberCodes: Map<string, string>;  // 10060 → error id
  readonly smtpCodes: { code?: string; status?: string; id: string }[];
  readonly smtpContext: CompiledList;
}

function parse<T>(schema: z.ZodType<T>, data: unknown, file: string, problems: DataProblem[]): T | undefined {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  for (const issue of r.error.issues) problems.push({ file, key: issue.path.map(String).join('.') || '(root)', message: issue.message });
  return undefined;
}

/** Katakana in a staff-written regex is folded like the message is (the message is matched in hiragana). */
function foldKana(src: string): string {
  return src.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))
    .replace(/[ぁぃぅぇぉゃゅょゎ]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 1));
}

/** One expression for many; null when they cannot be combined (e.g. back-references), then each is tried. */
function anyOf(res: RegExp[]): RegExp | null {
  if (res.length === 0) return null;
  try {
    return new RegExp(res.map((r) => `(?:${r.source})`).join('|'), 'iu');
  } catch {
    return null;
  }
}

const HEX = /^(?:0x)?([0-9a-f]{8})$/i;
const QUOTE_PAIRS = [['「', '」'], ['『', '』'], ['"', '"'], ['“', '”']] as const;

/** The compiled lexicon; throws a LexiconError listing every problem of the four files. */
export function buildLexicon(data: LexiconData): Lexicon {
  const problems: DataProblem[] = [];
  const report: Report = (file, key, message) => problems.push({ file, key, message });
  const terms: Terms = (l, file, key, opts) => {
    const { list, bad } = compileList(l, opts);
    for (const i of bad) report(file, `${key}.${i}`, `entry ${JSON.stringify(l[i])} is empty after normalization`);
    return list;
  };
  // Each file is compiled if its shape is right, so a problem in one does not hide those of the others.
  const w = parse(wordsSchema, data.words, FILES.words, problems);
  const f = parse(faqSchema, data.faq, FILES.faq, problems);
  const e = parse(errorsSchema, data.errors, FILES.errors, problems);
  const c = parse(clientsSchema, data.clients, FILES.clients, problems);
  const catalogue = c && compileCatalogue(c, report);
  const faq = f && compileFaq(f, terms, report);
  const errors = e && compileErrors(e, terms, report);
  const words = w && compileWords(w, catalogue?.products, terms, report);
  if (problems.length > 0 || !catalogue || !faq || !errors || !words) throw new LexiconError(problems);
  return {
    ...words,
    ...catalogue,
    aliasList: makeList(catalogue.aliases),
    faq,
    faqAny: makeList(faq.flatMap((x) => x.patterns.flatMap((p) => (p[0] ? [...p[0].terms] : [])))),
    ...errors,
    errorPatternAny: anyOf(errors.errors.flatMap((x) => x.patterns)),
  };
}

type Report = (file: string, key: string, message: string) => void;
type Terms = (l: readonly string[], file: string, key: string, opts?: CompileOptions) => CompiledList;

function compileCatalogue(c: z.infer<typeof clientsSchema>, report: Report): Pick<Lexicon, 'aliases' | 'products'> {
  const aliases: CompiledAlias[] = [];
  const products = new Map<string, Os[]>();
  for (const [id, p] of Object.entries(c.products)) {
    products.set(id, (Object.keys(p.editions) as Os[]).filter((os) => p.editions[os] !== undefined));
    const named = [...p.aliases.map((alias, i) => ({ alias, at: `aliases.${i}`, onItsSystem: false })),
      ...(p.aliases_on_its_system ?? []).map((alias, i) => ({ alias, at: `aliases_on_its_system.${i}`, onItsSystem: true }))];
    for (const { alias, at, onItsSystem } of named) {
      const t = compileTerm(alias, { looseLongVowel: true, digitsAfter: true });
      if (!t) {
        report(FILES.clients, `products.${id}.${at}`, `alias ${JSON.stringify(alias)} is empty after normalization`);
        continue;
      }
      // 「メールアプリ」 and its like name no program until the system is known.
      const place = onItsSystem ? 'known' : t.term.startsWith('めーる') ? 'mail-word' : undefined;
      aliases.push({ ...t, product: id, alias, sticky: new RegExp(t.source, 'yu'), ...(place ? { onItsSystem: place } : {}) });
    }
  }
  aliases.sort((x, y) => y.term.length - x.term.length);
  return { aliases, products };
}

function compileFaq(f: z.infer<typeof faqSchema>, terms: Terms, report: Report): CompiledFaq[] {
  const seenFaq = new Set<string>();
  return f.entries.map((entry, i) => {
    if (seenFaq.has(entry.id)) report(FILES.faq, `entries.${i}.id`, `duplicate id ${entry.id}`);
    seenFaq.add(entry.id);
    return {
      id: entry.id,
      ...(entry.action ? { action: entry.action } : {}),
      ...(entry.doubt ? { doubt: true } : {}),
      ...(entry.about_question ? { aboutQuestion: entry.about_question } : {}),
      priority: entry.priority ?? 0,
      patterns: entry.patterns.map((groups, j) =>
        groups.map((g, k) => {
          const alts = g.split('|');
          return terms(alts.map((a) => a.trim()), FILES.faq, `entries.${i}.patterns.${j}.${k}`);
        }),
      ),
    };
  });
}

function compileErrors(e: z.infer<typeof errorsSchema>, terms: Terms, report: Report): Pick<Lexicon, 'errors' | 'hexCodes' | 'numberCodes' | 'smtpCodes' | 'smtpContext'> {
  const hexCodes = new Map<string, string>();
  const numberCodes = new Map<string, string>();
  const smtpCodes: { code?: string; status?: string; id: string }[] = [];
  const seenErr = new Set<string>();
  const errors: CompiledError[] = e.entries.map((entry, i) => {
    const at = `entries.${i}`;
    if (seenErr.has(entry.id)) report(FILES.errors, `${at}.id`, `duplicate id ${entry.id}`);
    seenErr.add(entry.id);
    const hex: string[] = [];
    const numbers: string[] = [];
    (entry.codes ?? []).forEach((code, j) => {
      const m = HEX.exec(code.trim());
      if (m) { hex.push(m[1]!.toLowerCase()); hexCodes.set(m[1]!.toLowerCase(), entry.id); }
      else if (/^\d{4,6}$/.test(code.trim())) { numbers.push(code.trim()); numberCodes.set(code.trim(), entry.id); }
      else report(FILES.errors, `${at}.codes.${j}`, `code ${JSON.stringify(code)} is neither a hex error number (0x800CCC0E) nor a socket error number (10060)`);
    });
    const smtp = (entry.smtp ?? []).flatMap((s, j) => {
      const m = /^(?:([2-5]\d\d)(?:[ -]+([2-5]\.\d{1,3}\.\d{1,3}))?|([2-5]\.\d{1,3}\.\d{1,3}))$/.exec(s.trim());
      if (!m) {
        report(FILES.errors, `${at}.smtp.${j}`, `${JSON.stringify(s)} is not an SMTP reply code like "530" or "554 5.7.1" or "5.7.1"`);
        return [];
      }
      const code = m[1];
      const status = m[2] ?? m[3];
      const r = { ...(code ? { code } : {}), ...(status ? { status } : {}) };
      smtpCodes.push({ ...r, id: entry.id });
      return [r];
    });
    const patterns = (entry.patterns ?? []).flatMap((src, j) => {
      try {
        return [new RegExp(foldReadings(foldKana(src)), 'iu')];
      } catch (err) {
        report(FILES.errors, `${at}.patterns.${j}`, `regular expression does not compile: ${(err as Error).message}`);
        return [];
      }
    });
    if ((entry.codes ?? []).length + (entry.smtp ?? []).length + (entry.patterns ?? []).length === 0) report(FILES.errors, at, 'entry has no codes, smtp or patterns');
    return { id: entry.id, hex, numbers, smtp, patterns };
  });
  return { errors, hexCodes, numberCodes, smtpCodes, smtpContext: terms(e.smtp_context, FILES.errors, 'smtp_context') };
}

type WordLists = Omit<Lexicon, 'aliases' | 'aliasList' | 'products' | 'faq' | 'faqAny' | 'errors' | 'errorPatternAny' | 'hexCodes' | 'numberCodes' | 'smtpCodes' | 'smtpContext'>;

/** `products`: the catalogue's, to check the built-in mail programs against (unknown while clients.json is malformed). */
function compileWords(w: z.infer<typeof wordsSchema>, products: Map<string, Os[]> | undefined, terms: Terms, report: Report): WordLists {
  const W = FILES.words;
  const name = { looseLongVowel: true } as const;
  const yesStart = terms(w.yes.start, W, 'yes.start');
  const yesPhrases = terms(w.yes.phrases, W, 'yes.phrases');
  const noStart = terms(w.no.start, W, 'no.start');
  const noPhrases = terms(w.no.phrases, W, 'no.phrases');
  const politeness = terms(w.politeness, W, 'politeness');
  return {
    yesStart,
    yesPhrases,
    noStart,
    noPhrases,
    followers: makeList([yesStart, yesPhrases, noStart, noPhrases, politeness].flatMap((l) => [...l.terms])),
    negation: terms(w.negation, W, 'negation'),
    contrast: terms(w.contrast, W, 'contrast'),
    complaint: terms(w.complaint, W, 'complaint'),
    unsure: terms(w.unsure, W, 'unsure'),
    ambiguous: terms(w.ambiguous, W, 'ambiguous'),
    fillers: terms(w.fillers, W, 'fillers'),
    politeness,
    question: terms(w.question, W, 'question'),
    questionWords: terms(w.question_words, W, 'question_words'),
    hypothetical: terms(w.hypothetical, W, 'hypothetical'),
    correction: terms(w.correction, W, 'correction'),
    questionLookalikes: terms(w.question_lookalikes, W, 'question_lookalikes'),
    commands: {
      restart: terms(w.commands.restart, W, 'commands.restart'),
      back: terms(w.commands.back, W, 'commands.back'),
      continue: terms(w.commands.continue, W, 'commands.continue'),
    },
    language: { ja: terms(w.language.ja, W, 'language.ja'), en: terms(w.language.en, W, 'language.en') },
    handoff: terms(w.handoff, W, 'handoff'),
    handoffPerson: terms(w.handoff_person, W, 'handoff_person'),
    handoffWish: terms(w.handoff_wish, W, 'handoff_wish'),
    contactQuestion: terms(w.contact_question, W, 'contact_question'),
    os: {
      windows: terms(w.os.windows, W, 'os.windows', name),
      mac: terms(w.os.mac, W, 'os.mac', name),
      smartphone: terms(w.os.smartphone, W, 'os.smartphone', name),
    },
    androidPhones: terms(w.android_phones, W, 'android_phones', name),
    otherChoice: terms(w.other_choice, W, 'other_choice'),
    anotherClient: terms(w.another_client, W, 'another_client'),
    yesSettings: terms(w.yes_settings, W, 'yes_settings'),
    clientSuffixes: terms(w.client_suffixes, W, 'client_suffixes').terms.map((t) => t.term),
    q1: { webmail: terms(w.q1.webmail, W, 'q1.webmail', name), webmailWeak: terms(w.q1.webmail_weak, W, 'q1.webmail_weak', name), noMail: terms(w.q1.no_mail, W, 'q1.no_mail'), software: terms(w.q1.software, W, 'q1.software') },
    q2: { owari: terms(w.q2.owari, W, 'q2.owari'), otherNetwork: terms(w.q2.other_network, W, 'q2.other_network', name), otherPlace: terms(w.q2.other_place, W, 'q2.other_place'), lineWords: terms(w.q2.line_words, W, 'q2.line_words', name), lineKinds: terms(w.q2.line_kinds, W, 'q2.line_kinds'), lineOnly: terms(w.q2.line_only, W, 'q2.line_only') },
    q3: {
      owariDomains: w.q3.owari_domains.map((d) => d.trim().toLowerCase()),
      owariAddress: terms(w.q3.owari_address, W, 'q3.owari_address'),
      otherAddress: terms(w.q3.other_address, W, 'q3.other_address'),
      lineProviderAddress: terms(w.q3.line_provider_address, W, 'q3.line_provider_address'),
      employerAddress: terms(w.q3.employer_address, W, 'q3.employer_address'),
      addressWords: terms(w.q3.address_words, W, 'q3.address_words'),
      both: terms(w.q3.both, W, 'q3.both'),
    },
    unlistedClients: terms(w.unlisted_clients, W, 'unlisted_clients', { looseLongVowel: true, digitsAfter: true }),
    unlistedClientWords: terms(w.unlisted_client_words, W, 'unlisted_client_words'),
    programWords: terms(w.program_words, W, 'program_words'),
    builtinMail: {
      words: terms(w.builtin_mail.words, W, 'builtin_mail.words'),
      modifiers: terms(w.builtin_mail.modifiers, W, 'builtin_mail.modifiers'),
      namedAs: terms(w.builtin_mail.named_as, W, 'builtin_mail.named_as'),
      looks: terms(w.builtin_mail.looks, W, 'builtin_mail.looks'),
      // Quotes are dropped from the folded text: a quoted word is looked for in the plain one.
      quotedWords: w.builtin_mail.words.flatMap((word) => QUOTE_PAIRS.map(([open, close]) => open + analyse(word).plain + close)),
      systems: w.builtin_mail.systems.map((sys, i) => {
        if (products && !products.get(sys.client)?.includes(sys.os)) report(W, `builtin_mail.systems.${i}.client`, `${JSON.stringify(sys.client)} has no ${sys.os} edition in the client catalogue`);
        return { client: sys.client, os: sys.os, words: terms(sys.words, W, `builtin_mail.systems.${i}.words`, name), alone: sys.alone ?? false };
      }),
    },
  };
}

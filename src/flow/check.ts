/**
 * Every check staff edits to flows/ and locales/ must pass before they go live, on the data as read by load.ts
 * (which reports files that are missing or not JSON). Pure: nothing here reads a file or throws on bad data;
 * every problem is collected, in one pass.
 *
 * Structural checks of the flowchart and the catalogue: checkFlowData (bundle.ts, flow-data.ts).
 * Word lists: buildLexicon (src/language/lexicon.ts).
 * Added here: sentence keys in every language, identical key sets and interpolation variables across languages,
 * a name for every mail client in every language, and FAQ answer variants that name a real answer and situation.
 */
import type { Resource } from 'i18next';
import { buildLexicon, FILES, LexiconError, type Lexicon } from '../language/lexicon.ts';
import { errorCodes, languages } from '../conversation/wire.ts';
import { tlsModes } from '../config.ts';
import { osIds, type Catalogue } from './catalogue.ts';
import type { DataProblem, FlowData } from './flow-data.ts';
import { checkFlowData, CLIENTS_FILE, expandClientReply, FLOW_FILE, type FlowBundle } from './bundle.ts';
import { situationNames } from './situation.ts';

/** The language whose files are the reference for key sets and variables. */
const REFERENCE_LANG = 'ja';

/**
 * Sentence keys (namespace `flow`) the code says itself, whatever the flowchart contains.
 * Keep in step with src/conversation/*.ts.
 */
export const CODE_SENTENCE_KEYS = [
  'greeting',
  'welcome_back',
  'flow_updated',
  'account_placeholder',
  'generic_client',
  'list_separator',
  'client_label.since',
  'client_label.exact',
  'client_label.with_note',
  'steps.client_not_listed.confirmed',
  'common.not_understood',
  'common.ambiguous',
  'common.no_previous',
  'common.corrected',
  'common.continue_offer',
  'common.language_switched',
  'common.handoff',
  'common.handoff_closed',
  'common.next_opening',
  'common.missed_twice',
  'common.reference',
  'common.which_os_for_client',
  'common.choice_separator',
  'links.manual',
  'links.contact',
  'links.rental',
  'replies.continue',
  'replies.restart',
  ...errorCodes.map((c) => `errors.${c}`),
  ...tlsModes.map((m) => `security.${m}`),
] as const;

type Tree = Record<string, unknown>;
/** locales/<lang>/<namespace>.json: language → namespace → the file's object. */
export type Locales = Record<string, Record<string, Tree>>;

/** flows/ and locales/ as parsed from JSON; a file that could not be read is undefined (and already reported). */
export interface RawData {
  flow: unknown;
  clients: unknown;
  words: unknown;
  faq: unknown;
  errors: unknown;
  locales: Locales;
}

/** Everything the bot runs on, checked. */
export interface BotData {
  bundle: FlowBundle;
  lexicon: Lexicon;
  /** locales/ as i18next resources (language → namespace → sentences). */
  resources: Resource;
}

/** The data, or every problem found in it. */
export type DataLoad = { ok: true; data: BotData } | { ok: false; problems: DataProblem[] };

/** Leaf sentences by dotted key; non-string leaves are reported. */
function flatten(tree: Tree, file: string, problems: DataProblem[], prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix + k;
    if (typeof v === 'string') out.set(key, v);
    else if (v && typeof v === 'object' && !Array.isArray(v)) for (const [kk, vv] of flatten(v as Tree, file, problems, `${key}.`)) out.set(kk, vv);
    else problems.push({ file, key, message: `a sentence must be text, found ${Array.isArray(v) ? 'a list' : JSON.stringify(v)}` });
  }
  return out;
}

/** The {{variables}} a sentence interpolates (i18next syntax, formats after a comma ignored). */
export function variablesOf(sentence: string): string[] {
  const vars = new Set<string>();
  for (const m of sentence.matchAll(/\{\{-?\s*([^{},\s]+)(?:[,\s][^{}]*)?\}\}/g)) vars.add(m[1]!);
  return [...vars].sort();
}

/** i18next's plural forms (`days_one`, `days_other`): a language has the forms its plural rules need, no others. */
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/**
 * A language's sentences with each plural family as one sentence (under its base key, with its `_other` text), so
 * languages with different plural rules compare equal; reports a family that lacks or has extra forms for the
 * language, or whose forms interpolate different variables.
 */
function collapsePlurals(lang: string, file: string, sentences: Map<string, string>, problems: DataProblem[]): Map<string, string> {
  const out = new Map<string, string>();
  const families = new Map<string, Map<string, string>>();
  for (const [key, text] of sentences) {
    const m = PLURAL_SUFFIX.exec(key);
    if (!m) {
      out.set(key, text);
      continue;
    }
    const base = key.slice(0, -m[0].length);
    if (!families.has(base)) families.set(base, new Map());
    families.get(base)!.set(m[1]!, text);
  }
  const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories as string[];
  for (const [base, forms] of families) {
    const missing = needed.filter((c) => !forms.has(c));
    const extra = [...forms.keys()].filter((c) => !needed.includes(c));
    if (missing.length > 0) problems.push({ file, key: base, message: `plural forms missing for ${lang}: ${missing.map((c) => `${base}_${c}`).join(', ')}` });
    if (extra.length > 0) problems.push({ file, key: base, message: `plural forms ${lang} does not use: ${extra.map((c) => `${base}_${c}`).join(', ')}` });
    const other = forms.get('other') ?? [...forms.values()][0]!;
    for (const [category, text] of forms) {
      if (variablesOf(text).join(', ') !== variablesOf(other).join(', ')) problems.push({ file, key: `${base}_${category}`, message: `variables differ from ${base}_other` });
    }
    if (!variablesOf(other).includes('count')) problems.push({ file, key: base, message: 'a plural sentence must use {{count}}' });
    out.set(base, other);
  }
  return out;
}

function checkLocaleParity(locales: Locales, sentences: Record<string, Record<string, Map<string, string>>>): DataProblem[] {
  const problems: DataProblem[] = [];
  const flat = Object.fromEntries(
    Object.entries(sentences).map(([lang, byNs]) => [lang, Object.fromEntries(Object.entries(byNs).map(([ns, map]) => [ns, collapsePlurals(lang, `locales/${lang}/${ns}.json`, map, problems)]))]),
  ) as Record<string, Record<string, Map<string, string>>>;
  const reference = flat[REFERENCE_LANG];
  if (!reference) return problems;
  const namespaces = new Set(Object.values(locales).flatMap((l) => Object.keys(l)));
  for (const lang of Object.keys(locales)) {
    for (const ns of namespaces) {
      const file = `locales/${lang}/${ns}.json`;
      const refFile = `locales/${REFERENCE_LANG}/${ns}.json`;
      const mine = flat[lang]?.[ns];
      const ref = reference[ns];
      if (!mine) {
        problems.push({ file, key: '(file)', message: `file is missing (${[...Object.keys(locales)].filter((l) => flat[l]?.[ns]).map((l) => `locales/${l}/${ns}.json`).join(', ')} exists)` });
        continue;
      }
      if (lang === REFERENCE_LANG || !ref) continue;
      for (const [key, text] of ref) {
        const other = mine.get(key);
        if (other === undefined) {
          problems.push({ file, key, message: `missing: ${refFile} has this sentence` });
          continue;
        }
        const a = variablesOf(text).join(', ');
        const b = variablesOf(other).join(', ');
        if (a !== b) problems.push({ file, key, message: `variables differ from ${refFile}: {{${a || '—'}}} there, {{${b || '—'}}} here` });
      }
      for (const key of mine.keys()) {
        if (!ref.has(key)) problems.push({ file, key, message: `not in ${refFile}: every language must have the same keys` });
      }
    }
  }
  return problems;
}

const entries = (data: unknown): { id?: unknown }[] => {
  const e = (data as { entries?: unknown } | undefined)?.entries;
  return Array.isArray(e) ? (e as { id?: unknown }[]) : [];
};

/**
 * Every answer in faq.json is an FAQ entry's (`<id>`) or a variant of one for a situation the flow can be in
 * (`<id>_<situation>`, see src/flow/situation.ts): a variant with a misspelt id or situation would never be said.
 */
function checkFaqAnswers(flow: FlowData, faq: unknown, answers: Map<string, string> | undefined): DataProblem[] {
  if (!answers) return [];
  const ids = entries(faq).map((e) => e.id).filter((id): id is string => typeof id === 'string');
  const situations = situationNames(flow);
  const known = new Set([...ids, ...ids.flatMap((id) => situations.map((s) => `${id}_${s}`))]);
  const file = `locales/${REFERENCE_LANG}/faq.json`;
  return [...answers.keys()]
    .filter((key) => !known.has(key))
    .map((key) => ({ file, key, message: `neither an entry of ${FILES.faq} nor a variant <entry id>_<situation> (situations: ${situations.join(', ')})` }));
}

interface Needed {
  key: string;
  /** Where the key is required, for the message. */
  by: string;
}

function neededKeys(flow: FlowData | undefined, catalogue: Catalogue | undefined, faq: unknown, errors: unknown): Needed[] {
  const needed: Needed[] = CODE_SENTENCE_KEYS.map((key) => ({ key, by: 'the bot (src/conversation)' }));
  if (flow) {
    for (const [id, step] of Object.entries(flow.states)) {
      const by = `${FLOW_FILE} states.${id}`;
      for (const key of step.meta.say) if (!key.startsWith('@')) needed.push({ key, by: `${by}.meta.say` });
      if (step.meta.unsure) needed.push({ key: step.meta.unsure, by: `${by}.meta.unsure` });
      if (step.meta.networkHint) needed.push({ key: step.meta.networkHint, by: `${by}.meta.networkHint` });
      for (const reply of step.meta.replies) {
        if (expandClientReply(reply) !== undefined) continue;
        needed.push({ key: `replies.${reply}`, by: `${by}.meta.replies` });
      }
    }
  }
  if (catalogue) {
    for (const [id, product] of Object.entries(catalogue.products)) {
      // What customers and staff see is the name in their language, never the catalogue's own.
      needed.push({ key: `clients.${id}.name`, by: `${CLIENTS_FILE} products.${id}` });
      needed.push({ key: `clients.${id}.where`, by: `${CLIENTS_FILE} products.${id}` });
      for (const os of osIds) {
        const note = product.editions[os]?.note;
        if (note) needed.push({ key: `note.${note}`, by: `${CLIENTS_FILE} products.${id}.editions.${os}.note` });
      }
    }
  }
  entries(faq).forEach((e, i) => typeof e?.id === 'string' && needed.push({ key: `faq:${e.id}`, by: `${FILES.faq} entries.${i}` }));
  entries(errors).forEach((e, i) => typeof e?.id === 'string' && needed.push({ key: `diagnosis:${e.id}`, by: `${FILES.errors} entries.${i}` }));
  return needed;
}

/**
 * Checks flows/ and locales/ as read (`problems`: what reading them found) and builds what the bot runs on.
 * A problem is reported once, with its file and key, however many checks meet it.
 */
export function checkData(raw: RawData, problems: DataProblem[] = []): DataLoad {
  const found = [...problems];
  const { bundle, flow, catalogue, problems: flowProblems } = raw.flow !== undefined && raw.clients !== undefined ? checkFlowData(raw.flow, raw.clients) : { problems: [] };
  found.push(...flowProblems);

  let lexicon: Lexicon | undefined;
  if (raw.words !== undefined && raw.faq !== undefined && raw.errors !== undefined && raw.clients !== undefined) {
    try {
      lexicon = buildLexicon({ words: raw.words, faq: raw.faq, errors: raw.errors, clients: raw.clients });
    } catch (error) {
      if (!(error instanceof LexiconError)) throw error;
      found.push(...error.problems);
    }
  }

  for (const lang of languages) {
    if (!raw.locales[lang]) found.push({ file: `locales/${lang}`, key: '(dir)', message: 'language directory is missing' });
  }
  const flat: Record<string, Record<string, Map<string, string>>> = {};
  for (const [lang, namespaces] of Object.entries(raw.locales)) {
    flat[lang] = {};
    for (const [ns, tree] of Object.entries(namespaces)) flat[lang]![ns] = flatten(tree, `locales/${lang}/${ns}.json`, found);
  }
  found.push(...checkLocaleParity(raw.locales, flat));
  if (flow) found.push(...checkFaqAnswers(flow, raw.faq, flat[REFERENCE_LANG]?.faq));

  const seen = new Set<string>();
  for (const { key, by } of neededKeys(flow, catalogue, raw.faq, raw.errors)) {
    const [ns, k] = key.includes(':') ? (key.split(':', 2) as [string, string]) : ['flow', key];
    for (const lang of languages) {
      const file = `locales/${lang}/${ns}.json`;
      const id = `${file}#${k}`;
      if (seen.has(id)) continue;
      seen.add(id);
      if (!flat[lang]?.[ns]) continue; // reported as a missing file
      if (!flat[lang]![ns]!.has(k)) found.push({ file, key: k, message: `missing sentence, needed by ${by}` });
    }
  }

  const distinct = [...new Map(found.map((p) => [`${p.file}\0${p.key}\0${p.message}`, p])).values()];
  if (distinct.length > 0 || !bundle || !lexicon) return { ok: false, problems: distinct };
  return { ok: true, data: { bundle, lexicon, resources: raw.locales as Resource } };
}

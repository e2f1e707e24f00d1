/**
 * Evaluation sets of whole dialogues and single answers (format: DIALOGUE-FORMAT.md in the sets' folder's
 * description; summarised in docs/understanding.md). Each item is played through a Player — the pure turn
 * function, or the real webhook of a started server — and every `expect` key is checked against what the
 * bot observably said: verdicts, steps, settings, manual links, the account shown, handoff and FAQ texts.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { resolveEdition, type Catalogue, type Os } from '../../src/flow/catalogue.ts';
import type { FlowData } from '../../src/flow/flow-data.ts';
import { transitionsOf } from '../../src/flow/flow-data.ts';
import type { SiteSettings } from '../../src/conversation/render.ts';
import type { BotMessage, Lang } from '../../src/conversation/wire.ts';

export type Step = 'q1' | 'q2' | 'q3' | 'os' | 'client' | 'settings';

export interface Expectation {
  outcome?: string;
  not_outcome?: string;
  os?: Os;
  client?: string;
  account?: string;
  settings?: boolean;
  manual?: boolean;
  advice?: 'too_old' | 'not_listed' | 'unsupported';
  handoff?: boolean;
  mentions?: string[];
  answer?: 'yes' | 'no' | 'unsure';
  kind?: 'question' | 'error' | 'back' | 'restart' | 'handoff';
}

export interface Item {
  file: string;
  id: string;
  category: string;
  lang: Lang;
  /** What the customer types after reaching the item's starting point. */
  turns: string[];
  /** Button payloads tapped first (singles: the canonical way to `step`). */
  setup: string[];
  step?: Step;
  expect: Expectation;
}

/** What a player saw of one conversation: every turn's replies, and the facts it can know (the pure player). */
export interface Played {
  /** Replies to each turn after the start, in order (setup taps included, first). */
  turns: BotMessage[][];
  /** The conversation's own facts, when the player can see them (the pure turn function); else inferred. */
  context?: { os?: Os; product?: string; account?: string };
  /** Whether the bot itself recorded a handoff (pure player); the webhook player infers it from the text. */
  handoffs?: boolean[];
}

export interface Player {
  play(lang: Lang, texts: string[]): Promise<Played>;
}

export interface EvalData {
  /** locales/ as loaded (lang → namespace → sentences). */
  resources: Record<string, Record<string, unknown>>;
  flow: FlowData;
  catalogue: Catalogue;
  site: SiteSettings;
}

const STEP_IDS: Record<Exclude<Step, 'client'>, string> = {
  q1: 'uses_mail_software',
  q2: 'connects_via_owari',
  q3: 'uses_owari_address',
  os: 'change_required_owari',
  settings: 'settings',
};
const stepId = (step: Step, os: Os | undefined): string => (step === 'client' ? `choose_client_${os ?? 'windows'}` : STEP_IDS[step]);

function setupFor(step: Step | undefined, raw: { os?: Os; client?: string }): string[] {
  const path: Record<Step, string[]> = {
    q1: [],
    q2: ['yes'],
    q3: ['yes', 'yes'],
    os: ['yes', 'yes', 'yes'],
    client: ['yes', 'yes', 'yes', raw.os ?? 'windows'],
    settings: ['yes', 'yes', 'yes', raw.os ?? 'windows', raw.client ?? 'thunderbird'],
  };
  return step ? path[step] : [];
}

/** Every item of every dialogues-*.jsonl and singles-*.jsonl file directly in `folder`. */
export function loadItems(folder: string): Item[] {
  const files = readdirSync(folder).filter((f) => /^(dialogues|singles)-.*\.jsonl$/.test(f)).sort();
  const items: Item[] = [];
  for (const f of files) {
    readFileSync(join(folder, f), 'utf8').split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let raw: Record<string, any>;
      try {
        raw = JSON.parse(line);
      } catch (error) {
        throw new Error(`${f}:${i + 1}: ${(error as Error).message}`);
      }
      const single = f.startsWith('singles-');
      items.push({
        file: f,
        id: String(raw.id ?? `${f}:${i + 1}`),
        category: String(raw.category ?? 'uncategorised'),
        lang: raw.lang === 'en' ? 'en' : 'ja',
        turns: single ? [String(raw.text ?? '')] : (raw.turns ?? []).map(String),
        setup: single ? setupFor(raw.step, raw) : [],
        ...(single && raw.step ? { step: raw.step as Step } : {}),
        expect: (raw.expect ?? {}) as Expectation,
      });
    });
  }
  return items;
}

/** The folders under `root` that hold at least one set (root itself included). */
export function setFolders(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    const entries = readdirSync(dir);
    if (entries.some((f) => /^(dialogues|singles)-.*\.jsonl$/.test(f))) out.push(dir);
    for (const e of entries) if (statSync(join(dir, e)).isDirectory()) visit(join(dir, e));
  };
  visit(root);
  return out.sort();
}

const fold = (s: string): string => s.normalize('NFKC').toLowerCase();

/** Sentence at a dotted path of a namespace, in one language. */
function raw(data: EvalData, lang: Lang, namespace: string, path: string): unknown {
  let node: unknown = data.resources[lang]?.[namespace];
  for (const part of path.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}

/**
 * The opening words of sentences (both languages), to recognise them in what the bot sent: up to the first
 * variable or line break, at most 24 characters, at least 6.
 */
function sentences(data: EvalData, namespace: string, paths: string[]): string[] {
  return (['ja', 'en'] as const)
    .flatMap((lang) => paths.map((p) => raw(data, lang, namespace, p)))
    .filter((s): s is string => typeof s === 'string')
    // The longest run of the first line without a {{variable}}: 「@{{domain}} のメールアドレスの設定は…」 is known by its words.
    .map((s) => fold(s.split('\n')[0]!.split(/\{\{[^}]*\}\}/).sort((x, y) => y.length - x.length)[0]!).trim().slice(0, 24))
    .filter((s) => s.length >= 6);
}

/** Every sentence path of a namespace. */
function pathsOf(data: EvalData, namespace: string): string[] {
  const out: string[] = [];
  const walk = (node: unknown, at: string): void => {
    if (typeof node === 'string') out.push(at);
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, at ? `${at}.${k}` : k);
  };
  walk(data.resources.ja?.[namespace], '');
  return out;
}

/** Where a manual URL leads: its product and OS, from the catalogue. */
function manualOwners(data: EvalData): Map<string, { product: string; os: Os }> {
  const out = new Map<string, { product: string; os: Os }>();
  for (const [product, entry] of Object.entries(data.catalogue.products)) {
    if (entry.status === 'unsupported') continue;
    for (const [os, edition] of Object.entries(entry.editions)) {
      if (edition) out.set(new URL(edition.manual, data.site.manualBaseUrl).href, { product, os: os as Os });
    }
  }
  return out;
}

export interface Verdict {
  item: Item;
  ok: boolean;
  failed: string[];
  played: Played;
}

export function judge(data: EvalData, item: Item, played: Played): Verdict {
  const e = item.expect;
  const failed: string[] = [];
  const own = played.turns.slice(item.setup.length);
  const all = own.flat();
  const last = own.at(-1) ?? [];
  const lastText = fold(last.map((m) => m.text).join('\n'));
  const states = all.map((m) => m.state).filter(Boolean) as string[];
  const outcomes = new Set(all.map((m) => m.outcome).filter(Boolean));
  const owners = manualOwners(data);
  const manualLinks = all.flatMap((m) => m.links ?? []).map((l) => owners.get(l.url)).filter(Boolean) as { product: string; os: Os }[];
  const lastManual = manualLinks.at(-1);
  const smtp = data.site.mail.outgoing;
  const settingsShown = all.some((m) => m.text.includes(String(smtp.port)) && m.text.includes(smtp.host));
  const contextOs = played.context?.os ?? lastManual?.os ?? states.map(osOfState).filter(Boolean).at(-1) ?? osNamed(data, all.map((m) => m.text).join('\n'));
  const contextClient = played.context?.product ?? clientAnswered(data, all, owners);
  const handoffTexts = sentences(data, 'flow', ['common.handoff', 'common.handoff_closed']);
  const handedOff = played.handoffs ? played.handoffs.slice(item.setup.length).some(Boolean) : all.some((m) => handoffTexts.some((h) => fold(m.text).includes(h)));

  // Whatever else is expected, a customer never reads an unfilled {{variable}}.
  if (all.some((m) => m.text.includes('{{'))) failed.push('a {{placeholder}} left unfilled');
  if (e.outcome !== undefined && !outcomes.has(e.outcome as never)) failed.push(`outcome ${e.outcome} (got ${[...outcomes].join(',') || 'none'})`);
  if (e.not_outcome !== undefined && outcomes.has(e.not_outcome as never)) failed.push(`not_outcome ${e.not_outcome}`);
  if (e.os !== undefined && contextOs !== e.os) failed.push(`os ${e.os} (got ${contextOs ?? 'none'})`);
  if (e.client !== undefined && contextClient !== e.client) failed.push(`client ${e.client} (got ${contextClient ?? 'none'})`);
  if (e.account !== undefined) {
    const shown = all.some((m) => fold(m.text).includes(fold(e.account!)) && m.text.includes(smtp.host));
    if (!shown) failed.push(`account ${e.account} not shown in the settings`);
  }
  if (e.settings !== undefined && settingsShown !== e.settings) failed.push(`settings ${e.settings}`);
  if (e.manual !== undefined) {
    const want = e.client ?? contextClient;
    const shown = manualLinks.some((m) => want === undefined || m.product === want);
    if (shown !== e.manual) failed.push(`manual ${e.manual}${want ? ` of ${want}` : ''}`);
  }
  if (e.advice !== undefined) {
    const state = { too_old: 'client_too_old', not_listed: 'client_not_listed', unsupported: 'client_unsupported' }[e.advice];
    if (!states.includes(state)) failed.push(`advice ${e.advice}`);
  }
  if (e.handoff !== undefined && handedOff !== e.handoff) failed.push(`handoff ${e.handoff}`);
  for (const m of e.mentions ?? []) if (!lastText.includes(fold(m))) failed.push(`mentions ${JSON.stringify(m)}`);
  if (e.answer !== undefined) {
    const got = answerGiven(data, item, last);
    if (got !== e.answer) failed.push(`answer ${e.answer} (got ${got})`);
  }
  if (e.kind !== undefined) {
    const got = kindOf(data, item, last, handedOff);
    if (got !== e.kind) failed.push(`kind ${e.kind} (got ${got})`);
  }
  return { item, ok: failed.length === 0, failed, played };
}

/**
 * The client the bot answered for, the latest first: the one a client_unsupported reply names (its link leads to
 * the successor's manual, not to the customer's program), else the owner of the latest manual link.
 */
function clientAnswered(data: EvalData, messages: BotMessage[], owners: Map<string, { product: string }>): string | undefined {
  for (const m of [...messages].reverse()) {
    if (m.state === 'client_unsupported') {
      const said = fold(m.text);
      const named = Object.entries(data.catalogue.products).find(([id, entry]) =>
        entry.status === 'unsupported' && (['ja', 'en'] as const).some((lang) => {
          const name = raw(data, lang, 'flow', `clients.${id}.name`) ?? entry.name;
          return typeof name === 'string' && said.includes(fold(name));
        }));
      if (named) return named[0];
    }
    const owner = (m.links ?? []).map((l) => owners.get(l.url)).filter(Boolean).at(-1);
    if (owner) return owner.product;
  }
  return undefined;
}

/** The system the bot said it answered for, where a sentence names it (「Windows でインターネット尾張が…」). */
function osNamed(data: EvalData, text: string): Os | undefined {
  const said = fold(text);
  for (const lang of ['ja', 'en'] as const) {
    const templates = pathsOf(data, 'flow').map((p) => raw(data, lang, 'flow', p)).filter((t): t is string => typeof t === 'string' && t.includes('{{osName}}'));
    for (const template of templates) {
      for (const part of template.split('\n').filter((line) => line.includes('{{osName}}'))) {
        const [before, after] = part.split('{{osName}}') as [string, string];
        const lead = fold(before.split('}}').at(-1)!).slice(-12);
        const tail = fold(after.split('{{')[0]!).slice(0, 12);
        for (const os of ['windows', 'mac', 'smartphone'] as const) {
          const name = raw(data, lang, 'flow', `replies.${os}`);
          if (typeof name === 'string' && (lead + tail).trim().length >= 6 && said.includes(lead + fold(name) + tail)) return os;
        }
      }
    }
  }
  return undefined;
}

function osOfState(state: string | undefined): Os | undefined {
  const m = /^choose_client_(windows|mac|smartphone)$/.exec(state ?? '');
  return m ? (m[1] as Os) : undefined;
}

/** How the last turn answered the question it was typed at, judged by where the bot went. */
function answerGiven(data: EvalData, item: Item, last: BotMessage[]): string {
  const at = stepId(item.step ?? 'q1', undefined);
  const step = data.flow.states[at];
  if (!step) return 'n/a';
  const noTargets = new Set(transitionsOf(step).filter((t) => t.event === 'no').map((t) => t.target));
  const noOutcomes = new Set([...noTargets].map((s) => data.flow.states[s]?.meta.outcome).filter(Boolean));
  const final = last.at(-1)?.state;
  const saidOutcomes = last.map((m) => m.outcome).filter(Boolean);
  if ((final && noTargets.has(final)) || saidOutcomes.some((o) => noOutcomes.has(o))) return 'no';
  if (final && final !== at) return 'yes';
  const help = step.meta.unsure ? sentences(data, 'flow', [step.meta.unsure]) : [];
  if (final === at && last.some((m) => help.some((h) => fold(m.text).includes(h)))) return 'unsure';
  return 'none';
}

function kindOf(data: EvalData, item: Item, last: BotMessage[], handedOff: boolean): string {
  const text = fold(last.map((m) => m.text).join('\n'));
  if (handedOff && last.some((m) => m.links?.some((l) => l.url === data.site.contact.url))) return 'handoff';
  const faq = sentences(data, 'faq', pathsOf(data, 'faq'));
  const diagnosis = sentences(data, 'diagnosis', pathsOf(data, 'diagnosis'));
  if (diagnosis.some((d) => text.includes(d))) return 'error';
  if (faq.some((f) => text.includes(f))) return 'question';
  // A question about the step's own question (「他社プロバイダってどういう意味ですか」) is answered by that step's help.
  const step = data.flow.states[stepId(item.step ?? 'q1', undefined)];
  const help = step?.meta.unsure ? sentences(data, 'flow', [step.meta.unsure]) : [];
  if (help.some((h) => text.includes(h))) return 'question';
  const final = last.at(-1)?.state;
  // From question 2, going back and starting over both land on question 1 with nothing known: either is right.
  if (final === data.flow.initial && item.step === 'q2') return item.expect.kind === 'back' ? 'back' : 'restart';
  if (final === data.flow.initial && item.step !== 'q1') return 'restart';
  const order = ['q1', 'q2', 'q3', 'os', 'client', 'settings'] as const;
  const at = order.indexOf(item.step ?? 'q1');
  if (at > 0 && final === stepId(order[at - 1]!, undefined)) return 'back';
  if (item.step === 'client' && final === STEP_IDS.os) return 'back';
  if (item.step === 'settings' && final?.startsWith('choose_client_')) return 'back';
  return 'none';
}

export interface Row {
  file: string;
  category: string;
  total: number;
  correct: number;
  accuracy: number;
}

export async function evaluateItems(data: EvalData, items: Item[], player: Player): Promise<{ rows: Row[]; verdicts: Verdict[] }> {
  const verdicts: Verdict[] = [];
  for (const item of items) {
    const played = await player.play(item.lang, [...item.setup, ...item.turns]);
    verdicts.push(judge(data, item, played));
  }
  return { rows: summarise(verdicts), verdicts };
}

/** Accuracy per file and category, then per file ("*"), then overall ("*", "*"). */
export function summarise(verdicts: Verdict[]): Row[] {
  const rows = new Map<string, Row>();
  const add = (file: string, category: string, ok: boolean): void => {
    const key = `${file}\0${category}`;
    const row = rows.get(key) ?? { file, category, total: 0, correct: 0, accuracy: 0 };
    row.total++;
    if (ok) row.correct++;
    row.accuracy = row.correct / row.total;
    rows.set(key, row);
  };
  for (const v of verdicts) {
    add(v.item.file, v.item.category, v.ok);
    add(v.item.file, '*', v.ok);
    add('*', '*', v.ok);
  }
  return [...rows.values()].sort((a, b) => (a.file === '*' ? 1 : b.file === '*' ? -1 : a.file.localeCompare(b.file)) || (a.category === '*' ? 1 : b.category === '*' ? -1 : a.category.localeCompare(b.category)));
}

export function formatRows(rows: Row[]): string {
  const lines = ['| file | category | correct / total | accuracy |', '|---|---|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.file} | ${r.category} | ${r.correct} / ${r.total} | ${(r.accuracy * 100).toFixed(1)} % |`);
  return lines.join('\n');
}

export function formatMisses(verdicts: Verdict[]): string {
  return verdicts
    .filter((v) => !v.ok)
    .map((v) => {
      const said = v.item.turns.map((text, i) => {
        const replies = v.played.turns[v.item.setup.length + i] ?? [];
        return `    > ${text}\n${replies.map((m) => `      [${m.state ?? ''}${m.outcome ? ` ${m.outcome}` : ''}] ${m.text.replace(/\n+/g, ' ⏎ ').slice(0, 300)}`).join('\n')}`;
      });
      return `- ${v.item.file} ${v.item.id} [${v.item.category}]${v.item.step ? ` at ${v.item.step}` : ''}: ${v.failed.join('; ')}\n${said.join('\n')}`;
    })
    .join('\n');
}

/** Minimum accuracy of each file, from `thresholds.json` in its folder ({"file.jsonl": 0.9}); default below. */
export const DEFAULT_THRESHOLD = 0.85;
export function thresholdsFor(folder: string): Record<string, number> {
  try {
    return JSON.parse(readFileSync(join(folder, 'thresholds.json'), 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

export const folderName = (folder: string): string => basename(folder);
export { resolveEdition };

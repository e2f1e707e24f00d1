/**
 * One turn of a conversation as a pure function: (stored conversation, what the customer sent)
 * -> (new stored conversation, what the bot says). No I/O: time, randomness and data come in as deps.
 */
import type { FlowBundle } from '../flow/bundle.ts';
import { expandClientReply } from '../flow/bundle.ts';
import { productsFor, type Os } from '../flow/catalogue.ts';
import { owariAddressOf, type FactName, type FlowContext, type FlowEvent, type KnownFacts } from '../flow/machine.ts';
import type { OutcomeId } from '../flow/flow-data.ts';
import { understand, type Lexicon, type StepContext, type Understanding } from '../language/index.ts';
import { readFacts, type Facts } from '../language/facts.ts';
import { afterAside, contextVars, faqAnswer, linksMentioned, quickReplies, renderStep, type RenderDeps, type Situation, type SiteSettings } from './render.ts';
import type { Translate, Vars } from './i18n.ts';
import { isOpen, nextOpening, openingVars } from './hours.ts';
import { getOrCreate } from '../support/get-or-create.ts';
import { BoundedCache } from '../support/bounded-cache.ts';
import type { BotMessage, Lang } from './wire.ts';
import type { CustomerIdentity } from './customer.ts';

/** What is stored between turns. Plain JSON. */
export interface ConversationRecord {
  readonly flowVersion: number;
  readonly lang: Lang;
  readonly step: string;
  readonly context: FlowContext;
  /** Not-understood messages in a row; the second one offers a person. */
  readonly misses: number;
  /** Short human-readable reference customers quote to staff. */
  readonly reference: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** The conversation started from an address in OWARI_NETWORKS (the address itself is not kept). */
  readonly onOwariNetwork?: boolean;
  /** The helpdesk portal's logged-in customer, verified (absent in anonymous chats and in older records). */
  readonly customer?: CustomerIdentity;
}

export interface TurnDeps {
  bundle: FlowBundle;
  lexicon: Lexicon;
  t: Translate;
  site: SiteSettings;
  now: () => number;
}

/** What happened in a turn, for transcripts and statistics. */
export interface TurnTrace {
  from: string;
  to: string;
  understood: Understanding['kind'] | 'start' | 'resume';
  keys: string[];
  outcome?: OutcomeId;
  client?: string;
  errorCode?: string;
  faq?: string;
  handoff?: boolean;
  restartedAfterFlowChange?: boolean;
  /** Steps passed without asking because their answer was known (their answers are in the record's trail). */
  passed?: string[];
  /** What the message told about the customer's setup, with its evidence. */
  facts?: Facts;
}

export interface TurnResult {
  record: ConversationRecord;
  replies: BotMessage[];
  trace: TurnTrace;
}

/** One RenderDeps per TurnDeps, so what render.ts memoizes per RenderDeps lasts beyond one turn. */
const renderDepsOf = new WeakMap<TurnDeps, RenderDeps>();
const renderDeps = (deps: TurnDeps): RenderDeps =>
  getOrCreate(renderDepsOf, deps, () => ({ flow: deps.bundle.flow, catalogue: deps.bundle.catalogue, t: deps.t, site: deps.site }));
/** `record` with `changes` applied: a new record, the stored one untouched. */
const changed = (record: ConversationRecord, changes: Partial<ConversationRecord> = {}): ConversationRecord => ({ ...record, ...changes });

export function startConversation(deps: TurnDeps, lang: Lang, reference: string, situation: Situation = {}): TurnResult {
  const step = deps.bundle.flow.initial;
  const now = deps.now();
  const record: ConversationRecord = {
    flowVersion: deps.bundle.flow.version, lang, step, context: { trail: [] }, misses: 0, reference, createdAt: now, updatedAt: now,
    ...(situation.onOwariNetwork ? { onOwariNetwork: true } : {}),
  };
  const rendered = renderStep(renderDeps(deps), lang, step, record.context, ['greeting'], record);
  return { record, replies: [rendered.message], trace: { from: '', to: step, understood: 'start', keys: rendered.keys } };
}

/** Whether a conversation stored at `step` can carry on there under the current flow (remembered per bundle). */
const resumableSteps = new WeakMap<FlowBundle, Map<string, boolean>>();
function isResumable(bundle: FlowBundle, step: string): boolean {
  // Only steps of the flow are remembered: a stored step name that is not one is not kept in memory.
  if (!Object.hasOwn(bundle.flow.states, step)) return false;
  return getOrCreate(getOrCreate(resumableSteps, bundle, () => new Map()), step, () => {
    try {
      return bundle.machine.resolveState({ value: step, context: { trail: [] } }).status === 'active';
    } catch {
      return false; // A state the current flow cannot represent: a fresh start.
    }
  });
}

/** Brings a stored conversation onto the current flow: same step if it still exists, else a polite restart. */
function restore(deps: TurnDeps, record: ConversationRecord): { record: ConversationRecord; restarted: boolean } {
  const { flow } = deps.bundle;
  if (isResumable(deps.bundle, record.step)) {
    const { trail } = record.context;
    if (record.flowVersion === flow.version && trail.every((s) => Object.hasOwn(flow.states, s))) return { record, restarted: false };
    const context = { ...record.context, trail: trail.filter((s) => Object.hasOwn(flow.states, s)) };
    return { record: changed(record, { flowVersion: flow.version, context }), restarted: false };
  }
  return {
    record: changed(record, { flowVersion: flow.version, step: flow.initial, context: { trail: [] }, misses: 0 }),
    restarted: true,
  };
}

export function resumeConversation(deps: TurnDeps, stored: ConversationRecord): TurnResult {
  const { record, restarted } = restore(deps, stored);
  const rendered = renderStep(renderDeps(deps), record.lang, record.step, record.context, [restarted ? 'flow_updated' : 'welcome_back'], record);
  const trace: TurnTrace = { from: stored.step, to: record.step, understood: 'resume', keys: rendered.keys, restartedAfterFlowChange: restarted };
  return { record: changed(record, { updatedAt: deps.now() }), replies: withReference(deps, record, [rendered.message], trace.keys), trace };
}

/** What a step offers as answers (its replies, client lists expanded). */
function offeredAt(bundle: FlowBundle, step: string): string[] {
  return bundle.flow.states[step]!.meta.replies.flatMap((id) => {
    const listOs = expandClientReply(id) as Os | undefined;
    return listOs ? productsFor(bundle.catalogue, listOs) : [id];
  });
}

export function stepContext(deps: TurnDeps, step: string, context: FlowContext): StepContext {
  const meta = deps.bundle.flow.states[step]!.meta;
  return { expects: meta.expects, offered: offeredAt(deps.bundle, step), question: meta.question, os: context.os, ...(context.androidPhone ? { androidPhone: true } : {}) };
}

/** What a message means at a step: its intent (answer, command, question…) and every fact it carries. */
export interface Reading {
  readonly understood: Understanding;
  readonly facts: Facts;
}

function read(deps: TurnDeps, step: string, context: FlowContext, text: string): Reading {
  const at = stepContext(deps, step, context);
  const understood = understand(text, at, deps.lexicon);
  // A case asked about (「他の会社のネットやったらどないなるん？」) tells nothing of the customer's own setup.
  if ((understood.kind === 'faq' || understood.kind === 'unknown') && understood.hypothetical) return { understood, facts: {} };
  return { understood, facts: readFacts(text, at, deps.lexicon) };
}

/** Typed messages up to this length are remembered with what they meant at a step; longer ones are rarely typed twice. */
const REMEMBERED_TEXT_LENGTH = 40;
/** Messages that may carry personal data (an address, a phone number, an account) are never remembered. */
const MAY_BE_PERSONAL = /[\d０-９@＠]/;
const REMEMBERED_READINGS = 10_000;
const readings = new WeakMap<TurnDeps, BoundedCache<string, Reading>>();

/**
 * What a message means at a step, remembered: reading is pure, and what it needs of the step depends only on
 * the step, the OS and whether the phone is an Android one, so the same short message at the same step always
 * means the same (customers type the same 「はい」「いいえ」「Outlook」 over and over). Nothing that may be personal
 * is kept. The reading is shared by every turn that asks with the same key: read it, never change it.
 */
export function readAt(deps: TurnDeps, step: string, context: FlowContext, text: string): Reading {
  if (text.length > REMEMBERED_TEXT_LENGTH || MAY_BE_PERSONAL.test(text)) return read(deps, step, context, text);
  const remembered = getOrCreate(readings, deps, () => new BoundedCache<string, Reading>(REMEMBERED_READINGS));
  return remembered.getOrCreate(`${step}\0${context.os ?? ''}\0${context.androidPhone ? 1 : 0}\0${text}`, () => read(deps, step, context, text));
}

/** The facts of a message as the conversation keeps them (a described address becomes question 3's answer). */
function knownFrom(facts: Facts): KnownFacts {
  const known: KnownFacts = {};
  if (facts.software) known.usesMailSoftware = facts.software.value;
  if (facts.connection) known.viaOwari = facts.connection.value === 'owari';
  if (facts.address) {
    if (facts.address.value === 'line_provider') known.addressFromLineProvider = true;
    else known.owariAddress = facts.address.value === 'owari';
    if (facts.address.account) known.account = facts.address.account;
  }
  if (facts.client) {
    known.product = facts.client.value;
    if (facts.client.version) known.version = facts.client.version;
  }
  if (facts.os) known.os = facts.os.value;
  if (facts.os?.androidPhone) known.androidPhone = true;
  if (facts.unlistedClient) known.unlistedClient = true;
  return known;
}

const YES_NO_FACTS: ReadonlySet<FactName> = new Set(['usesMailSoftware', 'viaOwari', 'owariAddress']);

/**
 * The answer to the fact a step asks for. A fact read from what the message says (another provider's line,
 * a described address) outweighs a bare yes/no word; at question 1, the reading of the whole message decides
 * (it already weighs webmail against named software).
 */
function answerTo(fact: FactName, understood: Understanding, known: KnownFacts): KnownFacts | undefined {
  const word = understood.kind === 'answer' ? understood.answer : undefined;
  if (YES_NO_FACTS.has(fact)) {
    if (fact === 'viaOwari' && known.viaOwari !== undefined) return { viaOwari: known.viaOwari };
    if (fact === 'owariAddress' && (known.owariAddress !== undefined || known.addressFromLineProvider)) {
      return known.owariAddress !== undefined ? { owariAddress: known.owariAddress, ...(known.account ? { account: known.account } : {}) } : { addressFromLineProvider: true };
    }
    if (word === 'yes' || word === 'no') return { [fact]: word === 'yes' };
    if (fact === 'usesMailSoftware' && understood.kind === 'client') return { usesMailSoftware: true };
    if (fact === 'usesMailSoftware' && known.usesMailSoftware !== undefined) return { usesMailSoftware: known.usesMailSoftware };
    return undefined;
  }
  const client = understood.kind === 'client' ? understood.client : understood.kind === 'answer' ? understood.client : undefined;
  if (client) return { product: client.product, ...(client.os ? { os: client.os } : {}), ...(client.version ? { version: client.version } : {}) };
  if (word === 'other' || (known.unlistedClient && understood.kind !== 'answer')) return { unlistedClient: true };
  if (fact === 'os' && (word === 'windows' || word === 'mac' || word === 'smartphone')) return { os: word };
  if (fact === 'os' && known.os) return { os: known.os };
  if (fact === 'client' && known.product) return { product: known.product, ...(known.version ? { version: known.version } : {}) };
  return undefined;
}

/** What a turn produced before it is put together: messages, the sentence keys said, and where the conversation is. */
interface Turn {
  record: ConversationRecord;
  replies: BotMessage[];
  keys: string[];
  misses: number;
  outcome?: OutcomeId;
  client?: string;
  errorCode?: string;
  faq?: string;
  handoff?: boolean;
  passed?: string[];
}

const said = (record: ConversationRecord, replies: BotMessage[], keys: string[], extra: Partial<Turn> = {}): Turn => ({ record, replies, keys, misses: 0, ...extra });

/** A sentence by key, or one render.ts has already worded (its key names it in the trace). */
type Sentence = string | { key: string; text: string };
const keyOf = (s: Sentence): string => (typeof s === 'string' ? s : s.key);

/** Sentences as one message at the current step. */
function sentences(deps: TurnDeps, record: ConversationRecord, keys: readonly Sentence[], extra: Partial<BotMessage> = {}, more: Vars = {}): BotMessage {
  // The conversation's variables (settings, client, account) wherever a sentence is said: none is left as {{…}}.
  const vars = { ...contextVars(renderDeps(deps), record.lang, record.context), reference: record.reference, ...more };
  const text = keys.map((k) => (typeof k === 'string' ? deps.t(record.lang, k, vars) : k.text)).join('\n\n');
  const mentioned = linksMentioned(renderDeps(deps), record.lang, text, vars);
  return { type: 'message', text, state: record.step, ...(mentioned.length ? { links: mentioned } : {}), ...extra };
}

function stepMessage(deps: TurnDeps, record: ConversationRecord, prefix: string[] = []): { message: BotMessage; keys: string[] } {
  return renderStep(renderDeps(deps), record.lang, record.step, record.context, prefix, record);
}

/** The question of a step alone (never its verdict or settings again): `meta.reask`, else the whole question step. */
function questionKeys(deps: TurnDeps, step: string): string[] {
  const meta = deps.bundle.flow.states[step]!.meta;
  return meta.reask ?? (meta.expects === 'none' ? [] : meta.say);
}

/** The current question, briefly, after `prefix` (not understood, ambiguous…), with the step's buttons. */
function reask(deps: TurnDeps, record: ConversationRecord, prefix: string[]): Turn {
  const meta = deps.bundle.flow.states[record.step]!.meta;
  const keys = [...prefix, ...questionKeys(deps, record.step)];
  return said(record, [sentences(deps, { ...record, context: record.context }, keys, { quick_replies: quickReplies(renderDeps(deps), record.lang, meta.replies) })], keys);
}

/** The contact, with when staff are next available when they are not now; then the step's own buttons. */
function handoff(deps: TurnDeps, record: ConversationRecord, before: string[] = []): Turn {
  const hours = deps.site.contact.openingHours;
  const now = deps.now();
  const open = isOpen(hours, now);
  const next = open ? undefined : nextOpening(hours, now);
  const keys = [...(open ? ['common.handoff'] : next ? ['common.handoff_closed', 'common.next_opening'] : ['common.handoff_closed']), 'common.reference'];
  const contact = { links: [{ title: deps.t(record.lang, 'links.contact'), url: deps.site.contact.url }], quick_replies: afterAside(renderDeps(deps), record.lang, record.step).replies };
  const messages = [...(before.length ? [sentences(deps, record, before)] : []), sentences(deps, record, keys, contact, next && openingVars(record.lang, next))];
  return said(record, messages, [...before, ...keys], { handoff: true });
}

/** Not understood: the question again, briefly; the second miss in a row offers a person (and the count starts again). */
function notUnderstood(deps: TurnDeps, record: ConversationRecord): Turn {
  if (record.misses + 1 < 2) return { ...reask(deps, record, ['common.not_understood']), misses: record.misses + 1 };
  return handoff(deps, record, ['common.missed_twice']);
}

function explainHowToTell(deps: TurnDeps, record: ConversationRecord): Turn {
  const meta = deps.bundle.flow.states[record.step]!.meta;
  if (!meta.unsure) return notUnderstood(deps, record);
  return said(record, [sentences(deps, record, [meta.unsure], { quick_replies: quickReplies(renderDeps(deps), record.lang, meta.replies) })], [meta.unsure]);
}

/** An answer beside the flow (FAQ, error explanation), then the way back: 続ける only when a question is pending. */
function aside(deps: TurnDeps, record: ConversationRecord, content: Sentence[], extra: Partial<Turn>): Turn {
  const after = afterAside(renderDeps(deps), record.lang, record.step);
  const all = [...content, ...after.keys];
  return said(record, [sentences(deps, record, all, { quick_replies: after.replies })], all.map(keyOf), extra);
}

/**
 * The conversation after an event: the step it reached, each verdict passed on the way (a verdict whose
 * question was already answered is still said, without its question), and the step reached, or its one
 * completing question when the client is known but not on which system.
 */
function moved(deps: TurnDeps, record: ConversationRecord, event: FlowEvent, prefix: string[] = [], alreadySaid: ReadonlySet<string> = new Set()): Turn | undefined {
  const next = deps.bundle.transition(record.step, record.context, event);
  if (!next || (next.step === record.step && next.context === record.context)) return undefined;
  const after = changed(record, { step: next.step, context: next.context });
  const grew = next.context.trail.length > record.context.trail.length && next.context.trail[record.context.trail.length] === record.step;
  const passed = grew ? next.context.trail.slice(record.context.trail.length + 1) : [];
  const replies: BotMessage[] = [];
  const keys: string[] = [...prefix];
  let outcome: OutcomeId | undefined;
  for (const step of passed) {
    const meta = deps.bundle.flow.states[step]!.meta;
    if (!meta.outcome || alreadySaid.has(step)) continue;
    const verdict = meta.say.filter((k) => !questionKeys(deps, step).includes(k) && !k.startsWith('@'));
    replies.push(sentences(deps, changed(after, { step }), verdict, { outcome: meta.outcome }));
    keys.push(...verdict);
    outcome = meta.outcome;
  }
  const current = clarifyingQuestion(deps, after, prefix) ?? stepMessage(deps, after, prefix);
  replies.push(current.message);
  keys.push(...current.keys.filter((k) => !prefix.includes(k)));
  if (current.message.outcome) outcome = current.message.outcome;
  return said(after, replies, keys, {
    ...(outcome ? { outcome } : {}),
    ...(after.context.product ? { client: after.context.product } : {}),
    ...(passed.length ? { passed } : {}),
  });
}

/**
 * At a step asking for the OS when the client is known and exists for several: one short question naming it,
 * with only its systems as buttons (「Thunderbird ですね。Windows と Mac のどちらでお使いですか？」).
 * A verdict step keeps its verdict before the question.
 */
function clarifyingQuestion(deps: TurnDeps, record: ConversationRecord, prefix: string[], entering = true): { message: BotMessage; keys: string[] } | undefined {
  const meta = deps.bundle.flow.states[record.step]!.meta;
  const { product, os } = record.context;
  if (meta.fact !== 'os' || !product || os) return undefined;
  const systems = (deps.lexicon.products.get(product) ?? []) as Os[];
  if (systems.length < 2) return undefined;
  const rd = renderDeps(deps);
  const buttons = quickReplies(rd, record.lang, meta.replies).filter((r) => (systems as string[]).includes(r.payload));
  const choices = buttons.map((b) => b.title).join(deps.t(record.lang, 'common.choice_separator'));
  const verdict = entering ? meta.say.filter((k) => !questionKeys(deps, record.step).includes(k) && !k.startsWith('@')) : [];
  const keys = [...prefix, ...verdict, 'common.which_os_for_client'];
  const context = contextVars(rd, record.lang, record.context);
  const vars = { ...context, reference: record.reference, clientName: context.productName ?? product, choices };
  const text = keys.map((k) => deps.t(record.lang, k, vars)).join('\n\n');
  return { message: { type: 'message', text, quick_replies: buttons, state: record.step, ...(meta.outcome && entering ? { outcome: meta.outcome } : {}) }, keys };
}

/** The facts a conversation holds, as a message would tell them. */
function factsOf(context: FlowContext): KnownFacts {
  const { trail: _trail, ...facts } = context;
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) as KnownFacts;
}

/** The flowchart's own questions, whose answers a correction may overturn. */
const CORRECTABLE = ['usesMailSoftware', 'viaOwari', 'owariAddress'] as const;

/** The answer a message gives to a yes/no question, where it tells one (a described address counts once the line is known). */
function answerOf(fact: (typeof CORRECTABLE)[number], known: KnownFacts, context: FlowContext): boolean | undefined {
  if (fact !== 'owariAddress') return known[fact];
  return owariAddressOf({ trail: [], owariAddress: known.owariAddress, addressFromLineProvider: known.addressFromLineProvider, viaOwari: known.viaOwari ?? context.viaOwari });
}

const isCorrectable = (fact: string | undefined): fact is (typeof CORRECTABLE)[number] => (CORRECTABLE as readonly (string | undefined)[]).includes(fact);

/**
 * 「やっぱり回線はドコモ光でした」 at a later step: a fact that contradicts an answer given earlier replaces that
 * answer, and the flowchart is walked again from the start with everything known. It must be said as a
 * correction, or stand alone at a later question of the flowchart, instead of its answer (「回線はドコモ光です」
 * asked about the address); said in passing elsewhere, a fact never overturns an answer (「ドコモのメールアプリ」
 * asked for the mail program names no line). Another system named alone, where the system is not asked, replaces
 * the known one the same way (the program is kept where it runs on the new system).
 */
function corrected(deps: TurnDeps, record: ConversationRecord, reading: Reading): Turn | undefined {
  const known = knownFrom(reading.facts);
  const asked = deps.bundle.flow.states[record.step]!.meta.fact;
  const insteadOfAnswer = isCorrectable(asked) && reading.understood.kind === 'unknown' && answerOf(asked, known, record.context) === undefined;
  const overturns = (reading.facts.correction || insteadOfAnswer) && CORRECTABLE.some((fact) => {
    // Webmail mentioned later (「ブラウザでも見られるけど」) is no correction of mail software in use unless said to be one.
    if (fact === asked || (fact === 'usesMailSoftware' && !reading.facts.correction)) return false;
    const before = fact === 'owariAddress' ? owariAddressOf(record.context) : record.context[fact];
    const now = answerOf(fact, known, record.context);
    return before !== undefined && now !== undefined && now !== before;
  });
  // 「あ、パソコンはWindowsの方だった」 with a Mac's settings shown: the system named alone replaces the one known.
  const os = known.os !== undefined && record.context.os !== undefined && known.os !== record.context.os && asked !== 'os' && !known.product && !known.unlistedClient;
  if (!overturns && !os) {
    // 「ソフト選びまちがえたわ」: a mistake owned up to, with nothing else told, goes back a step.
    if (reading.facts.correction && Object.keys(known).length === 0 && reading.understood.kind === 'unknown') return moved(deps, record, { type: 'back' });
    return undefined;
  }
  const kept = factsOf(record.context);
  if (os && kept.product !== undefined && !deps.lexicon.products.get(kept.product)?.includes(known.os!)) {
    delete kept.product;
    delete kept.version;
  }
  if (known.owariAddress !== undefined || known.addressFromLineProvider !== undefined) {
    delete kept.owariAddress;
    delete kept.addressFromLineProvider;
  }
  const start = changed(record, { step: deps.bundle.flow.initial, context: { trail: [] } });
  // A verdict the correction leaves as it was is not said again.
  return moved(deps, start, { type: 'facts', facts: { ...kept, ...known } }, ['common.corrected'], new Set([...record.context.trail, record.step]));
}

/** An answer, a client or words the intent reader could not place: what the message tells moves the conversation. */
function advance(deps: TurnDeps, record: ConversationRecord, reading: Reading): Turn {
  const correction = corrected(deps, record, reading);
  if (correction) return correction;
  const { understood, facts } = reading;
  const meta = deps.bundle.flow.states[record.step]!.meta;
  const fact = meta.fact as FactName | undefined;
  if (fact) {
    const known = knownFrom(facts);
    // A software name guessed from an unknown word only counts where a name was asked and nothing else was read.
    if (known.unlistedClient && facts.unlistedClient && understood.kind !== 'unknown' && fact !== 'client' && !facts.unlistedClient.named) delete known.unlistedClient;
    const answer = answerTo(fact, understood, known);
    // A client the intent reader found (a tapped client button, a name at question 1) is a fact whatever was asked.
    const named = understood.kind === 'client' || understood.kind === 'answer' ? understood.client : undefined;
    const learned: KnownFacts = { ...known, ...(named ? { product: named.product, ...(named.os ? { os: named.os } : {}), ...(named.version ? { version: named.version } : {}) } : {}), ...answer };
    if (Object.keys(learned).length > 0) {
      const turn = moved(deps, record, { type: 'facts', facts: learned, ...(answer ? { answers: fact } : {}) });
      if (turn && turn.record.step !== record.step) return turn;
      // Learned something, but not what this step asks: keep it and ask again, briefly (or the one completing question).
      if (turn) {
        const clarify = clarifyingQuestion(deps, turn.record, [], false);
        if (clarify) return said(turn.record, [clarify.message], clarify.keys, { ...(turn.client ? { client: turn.client } : {}) });
        if (answer === undefined && understood.kind !== 'unknown' && understood.kind !== 'answer') return { ...reask(deps, turn.record, []), record: turn.record };
        return { ...notUnderstood(deps, turn.record) };
      }
    }
  }
  if (understood.kind === 'answer') {
    const turn = moved(deps, record, { type: understood.answer, client: understood.client, account: understood.account } as FlowEvent);
    if (turn) return turn;
  }
  if (understood.kind === 'client') {
    const turn = moved(deps, record, { type: 'client', client: understood.client });
    if (turn) return turn;
  }
  // The advice for software not in the list, given before the system was known: the system typed after it
  // (「Windows7です」) completes it, and it is said again for that system.
  if (!fact && facts.os && !record.context.os && record.context.unlistedClient) {
    const turn = moved(deps, record, { type: 'facts', facts: { os: facts.os.value } });
    if (turn) return turn;
  }
  // 「すみません、アドレス間違えてました。sato_k@owari.ne.jp です」 with the settings shown: they are shown again with it.
  if (!fact && facts.address?.account && facts.address.account !== record.context.account && facts.address.value === 'owari') {
    const turn = moved(deps, record, { type: 'facts', facts: { account: facts.address.account } });
    if (turn) return turn;
  }
  // Where a client's settings or advice are shown, software not in the list (「Sparkっていうアプリです」) answers the client question again.
  const unlisted = facts.unlistedClient;
  if (!fact && unlisted && (understood.kind === 'unknown' || unlisted.named)) {
    const turn = moved(deps, record, { type: 'other' });
    if (turn) return turn;
  }
  // 「はい」 where nothing is asked (the settings shown): what else the customer can do, no miss.
  if (understood.kind === 'answer' && understood.answer === 'yes' && meta.expects === 'none') {
    return said(record, [sentences(deps, record, ['common.anything_else'], { quick_replies: quickReplies(renderDeps(deps), record.lang, meta.replies) })], ['common.anything_else']);
  }
  return notUnderstood(deps, record);
}

/**
 * A message that is an error text, a question or a complaint AND tells the setup (「Windows 10 の Outlook 2016 で 0x800CCC0E」):
 * the explanation first, then the conversation moved on by those facts, asking only what is still missing.
 * Undefined when the message tells nothing new (then the explanation stands alone with its way back).
 * A software name only guessed from unknown words never counts here: a pasted error is full of them.
 */
function explainedWithFacts(deps: TurnDeps, record: ConversationRecord, reading: Reading, content: Sentence[], extra: Partial<Turn>): Turn | undefined {
  const { unlistedClient, software, ...rest } = reading.facts;
  // A question about mail software (「メールソフトって何？」) says nothing of using one; a named program or webmail does,
  // and so does an error pasted from a mail program.
  const told = software && (extra.errorCode || software.value === false || rest.client || unlistedClient) ? { software } : extra.errorCode ? { software: { value: true as const, evidence: extra.errorCode } } : {};
  const listed = unlistedClient?.named;
  const facts: Facts = { ...rest, ...told, ...(listed ? { unlistedClient } : {}) };
  const known = knownFrom(facts);
  if (Object.keys(known).length === 0) return undefined;
  const fact = deps.bundle.flow.states[record.step]!.meta.fact as FactName | undefined;
  const answer = fact ? answerTo(fact, { kind: 'unknown' } as Understanding, known) : undefined;
  const turn = moved(deps, record, { type: 'facts', facts: { ...known, ...answer }, ...(answer ? { answers: fact } : {}) });
  if (!turn) return undefined;
  // Still at the same question: the explanation with its way back; what a pasted error's message told is kept
  // (a question's own words, such as the rental server it asks about, describe no setup of the customer's).
  // An account typed with a question is kept too (the settings shown afterwards say it).
  const keep = extra.errorCode || turn.record.context.account !== record.context.account;
  if (turn.record.step === record.step) return content.length && keep ? { ...aside(deps, turn.record, content, extra), record: turn.record } : undefined;
  const first = content.length ? [sentences(deps, record, content)] : [];
  const contentKeys = content.map(keyOf);
  return { ...turn, ...extra, replies: [...first, ...turn.replies], keys: [...contentKeys, ...turn.keys] };
}

/**
 * A person asked for in a message that also tells the setup (「古いウィンドウズで、担当の方に来てもらえませんか」): what it
 * tells is kept and moves the conversation as an answer would (staff read it in the transcript), then the contact.
 */
function handoffWithFacts(deps: TurnDeps, record: ConversationRecord, reading: Reading): Turn {
  const { unlistedClient, ...rest } = reading.facts;
  const known = knownFrom({ ...rest, ...(unlistedClient?.named ? { unlistedClient } : {}) });
  const fact = deps.bundle.flow.states[record.step]!.meta.fact as FactName | undefined;
  const answer = fact && Object.keys(known).length > 0 ? answerTo(fact, { kind: 'unknown' } as Understanding, known) : undefined;
  const turn = Object.keys(known).length > 0 ? moved(deps, record, { type: 'facts', facts: { ...known, ...answer }, ...(answer ? { answers: fact } : {}) }) : undefined;
  if (!turn) return handoff(deps, record);
  const contact = handoff(deps, turn.record);
  const before = turn.record.step !== record.step ? turn.replies : [];
  return { ...turn, ...contact, replies: [...before, ...contact.replies], keys: [...(before.length ? turn.keys : []), ...contact.keys], ...(turn.outcome ? { outcome: turn.outcome } : {}) };
}

/** The first question again, everything forgotten (a conversation already there, with nothing known, stays as it is). */
function restarted(deps: TurnDeps, record: ConversationRecord): Turn {
  const turn = moved(deps, record, { type: 'restart' });
  if (turn) return turn;
  const current = stepMessage(deps, record);
  return said(record, [current.message], current.keys);
}

function respond(deps: TurnDeps, record: ConversationRecord, reading: Reading): Turn {
  const { understood } = reading;
  if (understood.kind === 'answer' && understood.answer === 'unsure') return explainHowToTell(deps, record);
  switch (understood.kind) {
    case 'command':
      if (understood.command === 'restart') return restarted(deps, record);
      if (understood.command === 'back') {
        const turn = moved(deps, record, { type: 'back' });
        if (turn) return turn;
        const current = stepMessage(deps, record, ['common.no_previous']);
        return said(record, [current.message], current.keys);
      }
      return (({ message, keys }) => said(record, [message], keys))(stepMessage(deps, record));
    case 'language': {
      const switched = changed(record, { lang: understood.lang });
      const current = stepMessage(deps, switched, ['common.language_switched']);
      return said(switched, [current.message], current.keys);
    }
    case 'unsure':
      return explainHowToTell(deps, record);
    case 'ambiguous':
      return reask(deps, record, ['common.ambiguous']);
    case 'error_code':
      return explainedWithFacts(deps, record, reading, [`diagnosis:${understood.id}`], { errorCode: understood.id }) ?? aside(deps, record, [`diagnosis:${understood.id}`], { errorCode: understood.id });
    case 'faq': {
      // An address of ours typed with the question gives the answer the customer's own account.
      const address = reading.facts.address;
      const account = address?.value === 'owari' ? address.account : undefined;
      const answer = faqAnswer(renderDeps(deps), record.lang, understood.id, record.step, account ? { ...record.context, account } : record.context);
      if (understood.action === 'handoff') return { ...handoff(deps, record), faq: understood.id };
      // 「いいえ。ちなみに今の設定のままでも送れますか？」「使ってます。それよりなんで急に送れなくなったの？」: answered,
      // then the answer said first moves the conversation on.
      if (understood.answer) {
        // What the message also tells (「会社のLANにつないだノートPCでOutlookを使ってます。…心配で」) moves it first.
        const told = explainedWithFacts(deps, record, reading, [answer], { faq: understood.id });
        if (told) return told;
        const onward = moved(deps, record, { type: understood.answer } as FlowEvent);
        if (onward) return { ...onward, replies: [sentences(deps, record, [answer]), ...onward.replies], keys: [answer.key, ...onward.keys], faq: understood.id };
      }
      // Mid-way, 「なんで急に送れなくなったの？」 is a question about what is being diagnosed: answered, nothing forgotten.
      if (understood.action === 'start_diagnosis' && record.step === deps.bundle.flow.initial) {
        // 「送れなくなった、Outlook 2007 です」: the complaint starts the diagnosis, the facts beside it are kept.
        const onward = explainedWithFacts(deps, record, reading, record.step === deps.bundle.flow.initial ? [answer] : [], { faq: understood.id });
        if (onward) return onward;
        const again = restarted(deps, record);
        return { ...again, replies: [sentences(deps, record, [answer]), ...again.replies], keys: [answer.key, ...again.keys], faq: understood.id };
      }
      return explainedWithFacts(deps, record, reading, [answer], { faq: understood.id }) ?? aside(deps, record, [answer], { faq: understood.id });
    }
    case 'handoff':
      return handoffWithFacts(deps, record, reading);
    case 'unknown':
      // A case asked about with no FAQ for it (「他の会社のネットやったらどないなるん？」): what each answer to the question means.
      return understood.hypothetical ? explainHowToTell(deps, record) : advance(deps, record, reading);
    default:
      return advance(deps, record, reading);
  }
}

/**
 * Every verdict carries the reference number customers quote to staff: placed before the verdict message's
 * last paragraph (the follow-up question sits next to its buttons), or appended.
 */
function withReference(deps: TurnDeps, record: ConversationRecord, replies: BotMessage[], keys: string[]): BotMessage[] {
  return replies.map((m) => {
    if (!m.outcome) return m;
    keys.push('common.reference');
    const paragraphs = m.text.split('\n\n');
    paragraphs.splice(Math.max(1, paragraphs.length - 1), 0, deps.t(record.lang, 'common.reference', { reference: record.reference }));
    return { ...m, text: paragraphs.join('\n\n') };
  });
}

/** One turn: (stored record, what the customer sent) → (new record, replies, trace). Pure. */
export function takeTurn(deps: TurnDeps, stored: ConversationRecord, text: string): TurnResult {
  const restored = restore(deps, stored);
  if (restored.restarted) return resumeConversation(deps, stored);
  const from = restored.record;
  const reading = readAt(deps, from.step, from.context, text);
  const turn = respond(deps, from, reading);
  const record = changed(turn.record, { misses: turn.misses, updatedAt: deps.now() });
  const keys = [...turn.keys];
  const replies = withReference(deps, record, turn.replies, keys);
  const trace: TurnTrace = {
    from: from.step,
    to: record.step,
    understood: reading.understood.kind,
    keys,
    ...(turn.outcome ? { outcome: turn.outcome } : {}),
    ...(turn.client ? { client: turn.client } : {}),
    ...(turn.errorCode ? { errorCode: turn.errorCode } : {}),
    ...(turn.faq ? { faq: turn.faq } : {}),
    ...(turn.handoff ? { handoff: true } : {}),
    ...(turn.passed ? { passed: turn.passed } : {}),
    ...(Object.keys(reading.facts).length ? { facts: reading.facts } : {}),
  };
  return { record, replies, trace };
}

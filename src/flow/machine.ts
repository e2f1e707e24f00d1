/**
 * Builds the XState v5 machine from flows/ data. The data names guards and actions; they are
 * implemented here. Commands that work at every step (back, restart) are derived from the graph,
 * so staff never have to wire them by hand.
 */
import { and, assign, getNextSnapshot, setup, type SnapshotFrom } from 'xstate';
import { isTooOld, resolveEdition, type Catalogue, type Os } from './catalogue.ts';
import { transitionsOf, type FlowData, type StepMeta } from './flow-data.ts';
import { BoundedCache } from '../support/bounded-cache.ts';

export interface ClientMention {
  product: string;
  os?: Os;
  version?: string;
}

/**
 * What the conversation knows. The answers to the notice's three questions are facts like any other: given
 * when asked, or earlier, in passing (「Windows 11でOutlook使ってます」 answers question 1, the OS and the client).
 */
export interface FlowContext {
  readonly product?: string;
  readonly os?: Os;
  readonly version?: string;
  /** The part of the customer's address before @, if they typed it; the address itself is never kept. */
  readonly account?: string;
  /** Question 1: sends and receives with mail software (false: webmail only). */
  readonly usesMailSoftware?: boolean;
  /** Question 2: connects through インターネット尾張 (false: another provider, a company LAN, a mobile line). */
  readonly viaOwari?: boolean;
  /** Question 3: an @owari.ne.jp address. */
  readonly owariAddress?: boolean;
  /** The address described as the one the line's provider gave: ours exactly when the line is ours. */
  readonly addressFromLineProvider?: boolean;
  /** A mail program that is not in the notice's list. */
  readonly unlistedClient?: boolean;
  /** The smartphone is an Android one named by its maker (「Xperia」): its own mail app is not in the notice's list. */
  readonly androidPhone?: boolean;
  /** Steps the customer came through (asked or skipped because the answer was known), for `back`. */
  readonly trail: readonly string[];
}

/** The facts a step of the flow asks for (`meta.fact` in flows/flowchart.json). */
export const factNames = ['usesMailSoftware', 'viaOwari', 'owariAddress', 'os', 'client'] as const;
export type FactName = (typeof factNames)[number];

/** Facts a message may carry (all optional); see src/language/facts.ts for how they are read. */
export type KnownFacts = { -readonly [F in 'product' | 'os' | 'version' | 'account' | 'usesMailSoftware' | 'viaOwari' | 'owariAddress' | 'addressFromLineProvider' | 'unlistedClient' | 'androidPhone']?: FlowContext[F] };

export type FlowEvent =
  | { type: 'back' }
  | { type: 'restart' }
  /** What one message told: `answers` names the fact the customer was asked for (it overrides what was known). */
  | { type: 'facts'; facts: KnownFacts; answers?: FactName }
  | { type: 'client'; client: ClientMention; account?: string }
  | { type: string; client?: ClientMention; account?: string };

export const commandEvents = ['back', 'restart'] as const;

type Ctx = { context: FlowContext; event: FlowEvent };

/** The client an event names, or else the one the conversation knows (an eventless step reads the context). */
function mentionedClient(event: FlowEvent, context?: FlowContext): ClientMention | undefined {
  if ('client' in event && event.client) return event.client;
  return context?.product ? { product: context.product, ...(context.os ? { os: context.os } : {}), ...(context.version ? { version: context.version } : {}) } : undefined;
}

/** Whether the context answers a step's fact with the answer an event of that step stands for. */
export function knows(context: FlowContext, fact: FactName, answer: string): boolean {
  switch (fact) {
    case 'usesMailSoftware':
    case 'viaOwari':
    case 'owariAddress': {
      const value = fact === 'owariAddress' ? owariAddressOf(context) : context[fact];
      return (answer === 'yes' && value === true) || (answer === 'no' && value === false);
    }
    case 'os':
      // Software not in the notice's list has one answer whatever the OS: the question is passed as 「その他」.
      return answer === 'other' ? context.os === undefined && context.unlistedClient === true : context.os === answer;
    case 'client':
      return (answer === 'client' && context.product !== undefined) || (answer === 'other' && context.unlistedClient === true);
  }
}

/** Question 3's answer: said outright, or an address from the line's provider once the line is known. */
export function owariAddressOf(context: FlowContext): boolean | undefined {
  if (context.owariAddress !== undefined) return context.owariAddress;
  if (context.addressFromLineProvider && context.viaOwari !== undefined) return context.viaOwari;
  return undefined;
}

/** Facts that name the customer's setup rather than answer a yes/no question: a newer mention replaces an older. */
const REPLACEABLE = new Set<keyof KnownFacts>(['product', 'os', 'version', 'account', 'unlistedClient', 'androidPhone']);
const FACT_FIELDS: Record<FactName, (keyof KnownFacts)[]> = {
  usesMailSoftware: ['usesMailSoftware'],
  viaOwari: ['viaOwari'],
  owariAddress: ['owariAddress', 'addressFromLineProvider'],
  os: ['os', 'androidPhone'],
  client: ['product', 'version', 'unlistedClient'],
};

/**
 * The context after a message's facts: the answer to the question asked replaces what was known; a yes/no
 * fact given in passing only fills a gap (a later aside never overturns an answer); names of software, OS and
 * account replace older ones. A named client and an unlisted one exclude each other.
 */
export function learn(context: FlowContext, facts: KnownFacts, answers?: FactName): Partial<FlowContext> {
  const asked = new Set(answers ? FACT_FIELDS[answers] : []);
  const next: KnownFacts = {};
  for (const [key, value] of Object.entries(facts) as [keyof KnownFacts, never][]) {
    if (value === undefined) continue;
    if (asked.has(key) || REPLACEABLE.has(key) || context[key] === undefined) next[key] = value;
  }
  if (next.product !== undefined) {
    next.unlistedClient = undefined;
    if (facts.version === undefined) next.version = undefined;
    if (facts.os === undefined && context.os !== undefined && next.os === undefined) next.os = context.os;
  }
  if (next.unlistedClient) Object.assign(next, { product: undefined, version: undefined });
  if (next.os !== undefined && next.os !== 'smartphone') next.androidPhone = undefined;
  // Software in use answers question 1.
  if ((next.product !== undefined || next.unlistedClient) && context.usesMailSoftware === undefined && next.usesMailSoftware === undefined) next.usesMailSoftware = true;
  return next;
}

/** What going back to a step that asks `fact` forgets, so the new answer is not overruled by the old one. */
export function forgetting(fact: FactName | undefined): Partial<FlowContext> {
  switch (fact) {
    case undefined:
      return {};
    case 'owariAddress':
      return { owariAddress: undefined, addressFromLineProvider: undefined };
    case 'os':
      return { os: undefined, androidPhone: undefined, product: undefined, version: undefined, unlistedClient: undefined };
    case 'client':
      return { product: undefined, version: undefined, unlistedClient: undefined };
    default:
      return { [fact]: undefined };
  }
}

export function createGuards(catalogue: Catalogue) {
  const editionFor = ({ context, event }: Ctx) => {
    const c = mentionedClient(event, context);
    return resolveEdition(catalogue, c?.product, c?.os ?? context.os);
  };
  return {
    clientEditionKnown: (args: Ctx) => editionFor(args) !== undefined,
    clientTooOld: (args: Ctx) => {
      const found = editionFor(args);
      return found !== undefined && isTooOld(found.edition, mentionedClient(args.event, args.context)?.version);
    },
    clientUnsupported: ({ event, context }: Ctx) => {
      const product = mentionedClient(event, context)?.product;
      return product !== undefined && catalogue.products[product]?.status === 'unsupported';
    },
    // A client the customer named earlier (e.g. 「iPhoneです」 at question 1), judged once the OS is known.
    rememberedClientTooOld: ({ context }: Ctx, params: { os?: Os }) => {
      const found = resolveEdition(catalogue, context.product, params.os ?? context.os);
      return found !== undefined && isTooOld(found.edition, context.version);
    },
    rememberedClientUnsupported: ({ context }: Ctx) =>
      context.product !== undefined && catalogue.products[context.product]?.status === 'unsupported',
    /** The remembered client runs on this OS (or, without params, on the OS already known) and can be set up. */
    rememberedClientRunsOn: ({ context }: Ctx, params: { os?: Os } = {}) => {
      const found = resolveEdition(catalogue, context.product, params.os ?? context.os);
      return found !== undefined && !isTooOld(found.edition, context.version) && catalogue.products[context.product!]?.status !== 'unsupported';
    },
    cameFrom: ({ context }: Ctx, params: { step: string }) => context.trail.at(-1) === params.step,
    /** The step's fact is known, with the answer this transition stands for (the question need not be asked). */
    knows: ({ context }: Ctx, params: { fact: FactName; answer: string }) => knows(context, params.fact, params.answer),
  };
}


/** Names staff may use in flows/flowchart.json (the builder's own are excluded). */
export const dataGuardNames = ['clientEditionKnown', 'clientTooOld', 'clientUnsupported', 'rememberedClientRunsOn', 'rememberedClientTooOld', 'rememberedClientUnsupported'] as const;
export const dataActionNames = ['rememberAnswer', 'rememberOs', 'forgetClient', 'rememberUnlistedClient'] as const;

/** XState config from the flow data: data transitions + trail keeping + back/restart everywhere. */
export function toMachineConfig(flow: FlowData) {
  // From one answer shown to another (settings → the advice for software not in the list, after the customer
  // names what they really use), the new answer takes the old one's place: back leads where the old one's did.
  const replaces = (from: string, to: string) => flow.states[from]!.meta.expects === 'none' && flow.states[to]?.meta.expects === 'none';
  const predecessors = new Map<string, Set<string>>();
  for (const [from, step] of Object.entries(flow.states)) {
    for (const t of transitionsOf(step)) {
      if (t.target === from || replaces(from, t.target)) continue;
      if (!predecessors.has(t.target)) predecessors.set(t.target, new Set());
      predecessors.get(t.target)!.add(from);
    }
  }
  // Until nothing changes: a chain of replacements hands each step's way back on to the next.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [from, step] of Object.entries(flow.states)) {
      for (const t of transitionsOf(step)) {
        if (t.target === from || !replaces(from, t.target)) continue;
        const into = predecessors.get(t.target) ?? new Set<string>();
        for (const p of predecessors.get(from) ?? []) if (!into.has(p)) (into.add(p), (grew = true));
        predecessors.set(t.target, into);
      }
    }
  }
  const states = Object.fromEntries(
    Object.entries(flow.states).map(([id, step]) => {
      const on: Record<string, unknown[]> = {};
      for (const t of transitionsOf(step)) {
        (on[t.event] ??= []).push({
          target: t.target,
          ...(t.guard ? { guard: t.guard } : {}),
          actions: [...t.actions, ...(replaces(id, t.target) ? [] : [{ type: 'pushTrail', params: { from: id } }])],
        });
      }
      on.back = [...(predecessors.get(id) ?? [])].map((previous) => ({
        target: previous,
        guard: { type: 'cameFrom', params: { step: previous } },
        actions: ['popTrail', { type: 'forgetAnswerTo', params: { expects: flow.states[previous]!.meta.expects, fact: flow.states[previous]!.meta.fact } }],
      }));
      // A step whose fact is already known is passed as if the customer had answered it: each of its answers'
      // transitions is also taken without an event when the context holds that answer (flows:check names the
      // answers a fact can have).
      const fact = step.meta.fact as FactName | undefined;
      const always = fact
        ? transitionsOf(step).map((t) => {
            const known = { type: 'knows', params: { fact, answer: t.event } };
            return {
              target: t.target,
              guard: t.guard ? and([known, t.guard] as never) : known,
              actions: [...t.actions, { type: 'pushTrail', params: { from: id } }],
            };
          })
        : [];
      return [id, { meta: step.meta, on, ...(always.length > 0 ? { always } : {}) }];
    }),
  );
  return {
    id: flow.id,
    initial: flow.initial,
    context: { trail: [] } as FlowContext,
    on: {
      restart: { target: `.${flow.initial}`, actions: ['reset'], reenter: true },
      facts: { actions: ['learnFacts'] },
    },
    states,
  };
}

export function buildMachine(flow: FlowData, catalogue: Catalogue) {
  return setup({
    types: {} as { context: FlowContext; events: FlowEvent },
    guards: createGuards(catalogue),
    actions: {
      rememberAnswer: assign(({ context, event }) => {
        const c = mentionedClient(event);
        const account = 'account' in event && typeof event.account === 'string' ? event.account : context.account;
        if (!c) return { account };
        return { account, product: c.product, version: c.version, os: c.os ?? context.os, unlistedClient: undefined };
      }),
      rememberOs: assign((_, params: { os: Os }) => ({ os: params.os })),
      forgetClient: assign(() => ({ product: undefined, version: undefined, os: undefined, androidPhone: undefined, unlistedClient: undefined })),
      // Software not in the list, on the system already known.
      rememberUnlistedClient: assign(() => ({ product: undefined, version: undefined, unlistedClient: true })),
      learnFacts: assign(({ context, event }) => (event.type === 'facts' ? learn(context, (event as { facts: KnownFacts }).facts, (event as { answers?: FactName }).answers) : {})),
      pushTrail: assign(({ context }, params: { from: string }) => ({ trail: [...context.trail, params.from] })),
      popTrail: assign(({ context }) => ({ trail: context.trail.slice(0, -1) })),
      /** Going back to a question un-answers it, so the customer's new answer is not overruled by the old one. */
      forgetAnswerTo: assign((_, params: { expects: string; fact?: FactName }) =>
        forgetting(params.fact ?? (params.expects === 'os' ? 'os' : params.expects === 'client' ? 'client' : undefined)),
      ),
      reset: assign(() => ({
        trail: [], product: undefined, os: undefined, version: undefined, account: undefined, usesMailSoftware: undefined,
        viaOwari: undefined, owariAddress: undefined, addressFromLineProvider: undefined, unlistedClient: undefined, androidPhone: undefined,
      })),
    },
  }).createMachine(toMachineConfig(flow) as never);
}

export type FlowMachine = ReturnType<typeof buildMachine>;
export type FlowSnapshot = SnapshotFrom<FlowMachine>;

/** The machine's next snapshot for an event (the same snapshot object when no transition is enabled). */
export type Stepper = (snapshot: FlowSnapshot, event: FlowEvent) => FlowSnapshot;

export function createStepper(machine: FlowMachine): Stepper {
  return (snapshot, event) => getNextSnapshot(machine, snapshot, event);
}

/** The flow step a snapshot is in (the machine is flat: one step at a time). */
export function stepOf(snapshot: FlowSnapshot): string {
  return String(snapshot.value);
}

export function metaOf(flow: FlowData, step: string): StepMeta {
  const s = flow.states[step];
  if (!s) throw new Error(`unknown step ${step}`);
  return s.meta;
}

/** Where an event takes a conversation: the next step and context, or undefined when the event does not apply there. */
export type Transition = (step: string, context: FlowContext, event: FlowEvent) => { readonly step: string; readonly context: FlowContext } | undefined;

/** How many distinct (step, context, event) transitions are remembered; the first remembered is forgotten first. */
export const REMEMBERED_TRANSITIONS = 5_000;
/** A remembered transition: where it leads, or null when the event does not apply there. */
type Remembered = { readonly step: string; readonly context: FlowContext } | null;

/**
 * The machine's transition as a function of plain data, remembered: the flow is pure (guards read only the
 * context and the event, actions only `assign`), so the same step, context and event always lead to the
 * same place, and most customers walk the same few paths with the same answers. The key is the step and the
 * full JSON of context and event, so two inputs share an answer only when they are equal. A result is shared
 * by every conversation that takes that transition: callers build new contexts, never change one. A
 * transition that carries a customer's account name is computed, never kept (no personal data in this memory).
 */
export function createTransition(machine: FlowMachine, step: Stepper, size = REMEMBERED_TRANSITIONS): Transition {
  const remembered = new BoundedCache<string, Remembered>(size);
  const compute = (from: string, context: FlowContext, event: FlowEvent): Remembered => {
    const snapshot = machine.resolveState({ value: from, context });
    const next = step(snapshot, event);
    return next === snapshot ? null : { step: stepOf(next), context: next.context as FlowContext };
  };
  return (from, context, event) => {
    const typedAccount = ('account' in event && event.account !== undefined) || (event.type === 'facts' && (event as { facts: KnownFacts }).facts.account !== undefined);
    if (context.account !== undefined || typedAccount) return compute(from, context, event) ?? undefined;
    const key = `${from}\u0000${JSON.stringify(event)}\u0000${JSON.stringify(context)}`;
    return remembered.getOrCreate(key, () => compute(from, context, event)) ?? undefined;
  };
}


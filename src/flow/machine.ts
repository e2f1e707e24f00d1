/**
 * Builds the XState v5 machine from flows/ data. The data names guards and actions; they are
 * implemented here. Commands that work at every step (back, restart) are derived from the graph,
 * so staff never have to wire them by hand.
 */
import { deepFreeze } from './deep-freeze.ts';
import { assign, createActor, setup, type ActorScope, type SnapshotFrom } from 'xstate';
import { isTooOld, resolveEdition, type Catalogue, type Os } from './catalogue.ts';
import { transitionsOf, type FlowData, type StepMeta } from './flow-data.ts';

export interface ClientMention {
  product: string;
  os?: Os;
  version?: string;
}

export interface FlowContext {
  product?: string;
  os?: Os;
  version?: string;
  /** The part of the customer's address before @, if they typed it; the address itself is never kept. */
  account?: string;
  /** Steps the customer came through, for `back`. */
  trail: string[];
}

export type FlowEvent =
  | { type: 'back' }
  | { type: 'restart' }
  | { type: 'client'; client: ClientMention; account?: string }
  | { type: string; client?: ClientMention; account?: string };

export const commandEvents = ['back', 'restart'] as const;

type Ctx = { context: FlowContext; event: FlowEvent };

function mentionedClient(event: FlowEvent): ClientMention | undefined {
  return 'client' in event ? event.client : undefined;
}

export function createGuards(catalogue: Catalogue) {
  const editionFor = ({ context, event }: Ctx) => {
    const c = mentionedClient(event);
    return resolveEdition(catalogue, c?.product, c?.os ?? context.os);
  };
  return {
    clientEditionKnown: (args: Ctx) => editionFor(args) !== undefined,
    clientTooOld: (args: Ctx) => {
      const found = editionFor(args);
      return found !== undefined && isTooOld(found.edition, mentionedClient(args.event)?.version);
    },
    clientUnsupported: ({ event }: Ctx) => {
      const product = mentionedClient(event)?.product;
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
  };
}


/** Names staff may use in flows/flowchart.json (the builder's own are excluded). */
export const dataGuardNames = ['clientEditionKnown', 'clientTooOld', 'clientUnsupported', 'rememberedClientRunsOn', 'rememberedClientTooOld', 'rememberedClientUnsupported'] as const;
export const dataActionNames = ['rememberAnswer', 'rememberOs', 'forgetClient'] as const;

/** XState config from the flow data: data transitions + trail keeping + back/restart everywhere. */
export function toMachineConfig(flow: FlowData) {
  const predecessors = new Map<string, Set<string>>();
  for (const [from, step] of Object.entries(flow.states)) {
    for (const t of transitionsOf(step)) {
      if (t.target === from) continue;
      if (!predecessors.has(t.target)) predecessors.set(t.target, new Set());
      predecessors.get(t.target)!.add(from);
    }
  }
  const states = Object.fromEntries(
    Object.entries(flow.states).map(([id, step]) => {
      const on: Record<string, unknown[]> = {};
      for (const t of transitionsOf(step)) {
        (on[t.event] ??= []).push({
          target: t.target,
          ...(t.guard ? { guard: t.guard } : {}),
          actions: [...t.actions, { type: 'pushTrail', params: { from: id } }],
        });
      }
      on.back = [...(predecessors.get(id) ?? [])].map((previous) => ({
        target: previous,
        guard: { type: 'cameFrom', params: { step: previous } },
        actions: ['popTrail', { type: 'forgetAnswerTo', params: { expects: flow.states[previous]!.meta.expects } }],
      }));
      return [id, { meta: step.meta, on }];
    }),
  );
  return {
    id: flow.id,
    initial: flow.initial,
    context: { trail: [] } as FlowContext,
    on: { restart: { target: `.${flow.initial}`, actions: ['reset'], reenter: true } },
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
        return { account, product: c.product, version: c.version, os: c.os ?? context.os };
      }),
      rememberOs: assign((_, params: { os: Os }) => ({ os: params.os })),
      forgetClient: assign(() => ({ product: undefined, version: undefined, os: undefined })),
      pushTrail: assign(({ context }, params: { from: string }) => ({ trail: [...context.trail, params.from] })),
      popTrail: assign(({ context }) => ({ trail: context.trail.slice(0, -1) })),
      /** Going back to a question un-answers it, so the customer's new answer is not overruled by the old one. */
      forgetAnswerTo: assign((_, params: { expects: string }) =>
        params.expects === 'os'
          ? { product: undefined, version: undefined, os: undefined }
          : params.expects === 'client'
            ? { product: undefined, version: undefined }
            : {},
      ),
      reset: assign(() => ({ trail: [], product: undefined, os: undefined, version: undefined, account: undefined })),
    },
  }).createMachine(toMachineConfig(flow) as never);
}

export type FlowMachine = ReturnType<typeof buildMachine>;
export type FlowSnapshot = SnapshotFrom<FlowMachine>;

/**
 * The machine's next snapshot for an event, or the same snapshot object when no transition is enabled.
 * xstate's transition() builds a throw-away actor and actor system on every call (most of its cost); the flow
 * has no side effects (its actions are all `assign`), so one inert scope serves every turn.
 */
export type Stepper = (snapshot: FlowSnapshot, event: FlowEvent) => FlowSnapshot;

export function createStepper(machine: FlowMachine): Stepper {
  const self = createActor(machine);
  const noop = () => {};
  const scope = { self, id: '', sessionId: '', system: self.system, defer: noop, logger: noop, stopChild: noop, emit: noop, actionExecutor: noop };
  return (snapshot, event) => machine.transition(snapshot, event, scope as unknown as ActorScope<FlowSnapshot, FlowEvent>);
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
export type Transition = (step: string, context: FlowContext, event: FlowEvent) => { step: string; context: FlowContext } | undefined;

/** How many distinct (step, context, event) transitions are remembered; the first remembered is forgotten first. */
export const REMEMBERED_TRANSITIONS = 5_000;
/** How many (step, event) answers are kept by one context object (see createTransition). */
const ANSWERS_PER_CONTEXT = 64;
/** A remembered transition: where it leads, or null when the event does not apply there. */
type Remembered = { step: string; context: FlowContext } | null;

/**
 * The machine's transition as a function of plain data, remembered: the flow is pure (guards read only the
 * context and the event, actions only `assign`), so the same step, context and event always lead to the
 * same place. Most customers walk the same few paths with the same answers, so most turns repeat a
 * transition already computed (xstate's microstep costs ≈ 20 µs; a lookup ≈ 1 µs). Keys are the full
 * JSON of context and event, so two inputs share an answer only when they are equal. Results are frozen:
 * they are shared by every conversation that takes that transition. A transition that carries a customer's
 * account name is computed, never kept (no personal data in this memory).
 *
 * Most turns start from a context that is itself a remembered result (the record stored by the turn before
 * holds it), so answers are also kept by the context object: a frozen context never changes, and its lookup
 * needs no JSON of it (in the profile of a slow machine, this function's own time fell from 5.4 to 2.1 µs a turn).
 */
export function createTransition(machine: FlowMachine, step: Stepper, size = REMEMBERED_TRANSITIONS): Transition {
  const remembered = new Map<string, Remembered>();
  const compute = (from: string, context: FlowContext, event: FlowEvent): Remembered => {
    const snapshot = machine.resolveState({ value: from, context });
    const next = step(snapshot, event);
    return next === snapshot ? null : Object.freeze({ step: stepOf(next), context: deepFreeze(next.context as FlowContext) });
  };
  const byContext = new WeakMap<FlowContext, Map<string, Remembered>>();
  return (from, context, event) => {
    if (context.account !== undefined || ('account' in event && event.account !== undefined)) return compute(from, context, event) ?? undefined;
    const stepAndEvent = `${from}\u0000${JSON.stringify(event)}`;
    const known = byContext.get(context);
    let to = known?.get(stepAndEvent);
    if (to === undefined) {
      const key = `${stepAndEvent}\u0000${JSON.stringify(context)}`;
      to = remembered.get(key);
      if (to === undefined) {
        to = compute(from, context, event);
        if (remembered.size >= size) remembered.delete(remembered.keys().next().value!);
        remembered.set(key, to);
      }
      // Only a context that cannot change may stand for its JSON; the bound keeps one context's answers few.
      if (Object.isFrozen(context) && Object.isFrozen(context.trail)) {
        if (!known) byContext.set(context, new Map([[stepAndEvent, to]]));
        else if (known.size < ANSWERS_PER_CONTEXT) known.set(stepAndEvent, to);
      }
    }
    return to ?? undefined;
  };
}


/**
 * Runs turns against storage: load, pure turn, save. Turns of one conversation run strictly one
 * after another (a keyed queue), whichever socket or webhook request they arrive on.
 */
import type { ConversationStore } from '../storage/types.ts';
import { resumeConversation, startConversation, takeTurn, type ConversationRecord, type TurnDeps, type TurnResult } from './turn.ts';
import type { BotMessage, Lang } from './wire.ts';
import type { Situation } from './render.ts';
import type { CustomerIdentity } from './customer.ts';

export interface TurnObserver {
  (conversationId: string, result: TurnResult, input?: string): void;
}

export interface ConversationService {
  /** `customer`: the portal's verified customer, kept with the conversation from its first turn. */
  start(id: string, lang: Lang, situation?: Situation, customer?: CustomerIdentity): Promise<BotMessage[]>;
  /** undefined when the conversation is unknown (expired or never existed). */
  resume(id: string): Promise<BotMessage[] | undefined>;
  message(id: string, text: string): Promise<BotMessage[] | undefined>;
  /** Attaches the portal's verified customer to a stored conversation (no turn, no reply); false when unknown. */
  identify(id: string, customer: CustomerIdentity): Promise<boolean>;
  /** Resolves when no turn is in flight. */
  idle(): Promise<void>;
}

function withCustomer(result: TurnResult, customer: CustomerIdentity | undefined): TurnResult {
  return customer ? { ...result, record: { ...result.record, customer } } : result;
}

export function createConversationService(options: {
  deps: TurnDeps;
  store: ConversationStore;
  newReference: () => string;
  observe?: TurnObserver;
}): ConversationService {
  const { deps, store, newReference, observe } = options;
  const queues = new Map<string, Promise<unknown>>();

  function serial<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(id) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    queues.set(id, tail);
    void tail.then(() => {
      if (queues.get(id) === tail) queues.delete(id);
    });
    return run;
  }

  /**
   * load → pure turn → save as one store.update, so a turn of the same conversation on another instance
   * (Redis) can never interleave: the turn is recomputed on the newer record instead. Observed once, after it is stored.
   */
  async function commit(id: string, turn: (stored: ConversationRecord | undefined) => TurnResult | undefined, input?: string): Promise<BotMessage[] | undefined> {
    const result = await store.update(id, (stored) => {
      const next = turn(stored);
      return next && { record: next.record, value: next };
    });
    if (!result) return undefined;
    observe?.(id, result, input);
    return result.replies;
  }

  return {
    start: (id, lang, situation, customer) =>
      serial(id, async () => (await commit(id, () => withCustomer(startConversation(deps, lang, newReference(), situation), customer)))!),
    resume: (id) => serial(id, () => commit(id, (stored) => stored && resumeConversation(deps, stored))),
    message: (id, text) => serial(id, () => commit(id, (stored) => stored && takeTurn(deps, stored, text), text)),
    identify: (id, customer) =>
      serial(id, async () => (await store.update(id, (stored) => stored && { record: { ...stored, customer }, value: true })) ?? false),
    async idle() {
      while (queues.size > 0) await Promise.all([...queues.values()]);
    },
  };
}

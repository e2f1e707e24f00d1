/**
 * Runs turns against storage: load, pure turn, save. Turns of one conversation run strictly one
 * after another (a keyed queue), whichever socket or webhook request they arrive on.
 */
import type { ConversationStore } from '../storage/types.ts';
import { resumeConversation, startConversation, takeTurn, type TurnDeps, type TurnResult } from './turn.ts';
import type { BotMessage, Lang } from './wire.ts';

export interface TurnObserver {
  (conversationId: string, result: TurnResult, input?: string): void;
}

export interface ConversationService {
  start(id: string, lang: Lang): Promise<BotMessage[]>;
  /** undefined when the conversation is unknown (expired or never existed). */
  resume(id: string): Promise<BotMessage[] | undefined>;
  message(id: string, text: string): Promise<BotMessage[] | undefined>;
  /** Resolves when no turn is in flight. */
  idle(): Promise<void>;
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

  async function commit(id: string, result: TurnResult, input?: string): Promise<BotMessage[]> {
    await store.save(id, result.record);
    observe?.(id, result, input);
    return result.replies;
  }

  return {
    start: (id, lang) => serial(id, () => commit(id, startConversation(deps, lang, newReference()))),
    resume: (id) =>
      serial(id, async () => {
        const stored = await store.load(id);
        return stored ? commit(id, resumeConversation(deps, stored)) : undefined;
      }),
    message: (id, text) =>
      serial(id, async () => {
        const stored = await store.load(id);
        return stored ? commit(id, takeTurn(deps, stored, text), text) : undefined;
      }),
    async idle() {
      while (queues.size > 0) await Promise.all([...queues.values()]);
    },
  };
}

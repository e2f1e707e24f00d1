/**
 * What the edge needs to know about a conversation without loading it: its language (errors follow a
 * mid-conversation language switch) and its human-readable reference (what logs name, instead of the
 * id, which is a bearer secret). Fed by the conversation service's observer after every stored turn; bounded,
 * the conversation whose last turn was stored longest ago forgotten first. A miss (e.g. just after a restart)
 * falls back to the socket's language.
 */
import { createHash } from 'node:crypto';
import type { TurnObserver } from '../conversation/service.ts';
import type { Lang } from '../conversation/wire.ts';
import { BoundedCache } from '../support/bounded-cache.ts';

export interface ConversationFacts {
  lang: Lang;
  reference: string;
}

export interface ConversationDirectory {
  /** Pass as the conversation service's `observe`. */
  observe: TurnObserver;
  get(id: string): ConversationFacts | undefined;
  /** How logs name a conversation: its reference when known, else a short one-way tag of the id (never the id). */
  logName(id: string): string;
}

export function createConversationDirectory(capacity = 50_000): ConversationDirectory {
  const facts = new BoundedCache<string, ConversationFacts>(capacity);
  return {
    observe(id, result) {
      facts.set(id, { lang: result.record.lang, reference: result.record.reference });
    },
    get: (id) => facts.get(id),
    logName(id) {
      return facts.get(id)?.reference ?? `id#${createHash('sha256').update(id).digest('hex').slice(0, 10)}`;
    },
  };
}

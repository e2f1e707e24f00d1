/** The one storage interface; engines: SQLite (embedded default) and Redis. */
import type { ConversationRecord } from '../conversation/turn.ts';

export interface ConversationStore {
  readonly engine: 'sqlite' | 'redis';
  load(id: string): Promise<ConversationRecord | undefined>;
  /** Durable when the promise resolves: a crash right after loses nothing. */
  save(id: string, record: ConversationRecord): Promise<void>;
  /** True when the store can serve requests (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** The store could not be reached; the turn is refused with `unavailable`, nothing is half-written. */
export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('conversation store unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** The one storage interface; engines: SQLite (embedded default) and Redis (when REDIS_URL is set). */
import type { ConversationRecord } from '../conversation/turn.ts';

/** What a turn computes from the stored conversation: the record to store, and what to hand back. */
export interface Computed<T> {
  record: ConversationRecord;
  value: T;
}

export interface ConversationStore {
  readonly engine: 'sqlite' | 'redis';
  load(id: string): Promise<ConversationRecord | undefined>;
  /** Durable when the promise resolves: a crash right after loses nothing. Unconditional (last write wins). */
  save(id: string, record: ConversationRecord): Promise<void>;
  /**
   * Read → compute → write as one step against every other instance sharing the store: two instances
   * that get turns of the same conversation at once never lose one of them (the engines use a
   * transaction or optimistic versioning). `compute` must be pure: it may run more than once when
   * another instance wrote in between. When it returns undefined nothing is written and update
   * resolves to undefined. Durable when the promise resolves.
   */
  update<T>(id: string, compute: (current: ConversationRecord | undefined) => Computed<T> | undefined): Promise<T | undefined>;
  /** Forgets a conversation (staff erasing it); a later welcome_back starts afresh. */
  delete(id: string): Promise<void>;
  /** True when the store can serve requests (readiness). Never throws. */
  ping(): Promise<boolean>;
  /** Flushes and closes; idempotent. */
  close(): Promise<void>;
}

/** The store could not be reached; the turn is refused with `unavailable`, nothing is half-written. */
export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('conversation store unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}

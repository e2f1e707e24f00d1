/**
 * Handoff webhook deliveries waiting to be delivered: one small interface, SQLite (default) and Redis engines.
 * A delivery is stored before its first attempt and removed once delivered or expired, so a restart (SIGTERM,
 * kill -9, a deploy) loses none. Each attempt is made under a lease: a delivery is leased to one caller at a
 * time, and a lease that is not given back (its holder crashed) runs out, after which anyone may claim it.
 */

export interface PendingHandoff {
  /** Stable for the delivery's lifetime and sent as `webhook-id`: receivers de-duplicate on it. */
  id: string;
  reference: string;
  /** The JSON summary exactly as it is sent (and signed). */
  body: string;
  /** ms since epoch: the retry budget counts from here. */
  createdAt: number;
  /** Attempts that failed so far. */
  attempts: number;
}

/** A delivery leased to the caller; `lease` identifies the claim it came from. */
export interface LeasedHandoff extends PendingHandoff {
  lease: string;
}

export interface Claimed {
  claimed: LeasedHandoff[];
  /** The earliest time (ms) a delivery left in the store is due or its lease runs out; undefined when none is left. */
  nextDueAt?: number;
}

export interface HandoffStore {
  readonly engine: 'sqlite' | 'redis';
  /**
   * Stores a delivery, durable when the promise resolves. With `lease` it is leased to the caller until
   * `dueAt` (the caller attempts it at once); without, it is due at `dueAt`.
   */
  add(delivery: PendingHandoff, dueAt: number, lease?: string): Promise<void>;
  /** Leases up to `limit` deliveries due at `now` to the caller until `leaseUntil`, each under the token `lease`. */
  claim(now: number, leaseUntil: number, limit: number, lease: string): Promise<Claimed>;
  /**
   * Gives a leased delivery back, due again at `dueAt`, with its attempts as given. False, and nothing
   * written, when the lease is no longer the caller's (it ran out and another claimed it) or it is gone.
   */
  release(delivery: LeasedHandoff, dueAt: number): Promise<boolean>;
  /**
   * Makes every delivery nobody holds a lease on due at `now`, whatever its backoff said: an instance starting
   * (a deploy, often after the receiver was fixed) retries what waits at once.
   */
  dueNow(now: number): Promise<void>;
  /** Forgets a delivery (delivered or expired). */
  remove(id: string): Promise<void>;
  /** How many deliveries are waiting (all instances'). One cheap query. */
  count(): Promise<number>;
  close(): Promise<void>;
}

/** The store could not be reached; the caller keeps what it had and tries again later. */
export class HandoffStoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('handoff store unavailable', { cause });
    this.name = 'HandoffStoreUnavailableError';
  }
}

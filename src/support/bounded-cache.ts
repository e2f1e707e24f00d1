/**
 * A Map that holds at most `capacity` entries: one more, and the entry set longest ago is forgotten (setting a
 * key again makes it the newest; reading it does not). The one shape of every in-memory cache and memory of
 * recent conversations, so none can grow without bound. Keys must say everything a value depends on: a value is
 * handed out as it is to every caller that asks with the same key.
 */
export class BoundedCache<K, V> {
  readonly capacity: number;
  readonly #entries = new Map<K, V>();

  /** Throws a RangeError unless `capacity` is a whole number of at least 1. */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`a bounded cache holds at least one entry, not ${capacity}`);
    this.capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** Keeps `value` for `key` as the newest entry, forgetting the oldest when the cache is full; returns `value`. */
  set(key: K, value: V): V {
    const entries = this.#entries;
    entries.delete(key);
    entries.set(key, value);
    if (entries.size > this.capacity) entries.delete(entries.keys().next().value as K);
    return value;
  }

  /** The value kept for `key`, or `create()`'s, then kept (as the newest). */
  getOrCreate(key: K, create: () => V): V {
    const value = this.#entries.get(key);
    return value !== undefined ? value : this.set(key, create());
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}

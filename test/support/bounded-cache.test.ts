import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../src/support/bounded-cache.ts';

describe('BoundedCache', () => {
  it('never holds more than its capacity, forgetting the entry set longest ago first', () => {
    const cache = new BoundedCache<string, number>(3);
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) cache.set(key, i);
    expect(cache.size).toBe(3);
    expect([cache.has('a'), cache.get('b'), cache.get('c'), cache.get('d')]).toEqual([false, 1, 2, 3]);
  });

  it('makes a key set again the newest, so it outlives the entries set after its first setting', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 3);
    cache.set('c', 4);
    expect([cache.get('a'), cache.has('b'), cache.get('c')]).toEqual([3, false, 4]);
  });

  it('does not make a key newer by reading it', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.getOrCreate('a', () => 9);
    cache.set('c', 3);
    expect([cache.has('a'), cache.get('b'), cache.get('c')]).toEqual([false, 2, 3]);
  });

  it('creates a missing value once, keeps it, and keeps null as a value', () => {
    const cache = new BoundedCache<string, number | null>(2);
    let created = 0;
    const create = () => (created++, null);
    expect(cache.getOrCreate('x', create)).toBeNull();
    expect(cache.getOrCreate('x', create)).toBeNull();
    expect(created).toBe(1);
    expect(cache.getOrCreate('y', () => 5)).toBe(5);
    expect(cache.getOrCreate('y', () => 6)).toBe(5);
  });

  it('forgets on delete and clear', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.delete('a')).toBe(true);
    expect(cache.delete('a')).toBe(false);
    expect([cache.has('a'), cache.size]).toEqual([false, 1]);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('refuses a capacity that could hold nothing', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN]) expect(() => new BoundedCache(capacity)).toThrow(RangeError);
  });
});

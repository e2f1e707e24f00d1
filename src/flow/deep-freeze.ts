/** Freezes a plain JSON value and everything in it, and returns it: for data shared between conversations. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    // for…in over own keys rather than Object.values: no array to allocate, on a path taken every turn.
    for (const key in value) if (Object.hasOwn(value, key)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

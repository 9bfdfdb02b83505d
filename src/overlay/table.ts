/**
 * Tables keyed by names that come from the data (symbols, agent ids, sectors, buckets). A plain
 * object has a prototype, so a name such as `__proto__`, `toString` or `constructor` reads an
 * inherited property or sets the prototype instead of a key: a cap on a name called `toString`
 * became NaN, one on `__proto__` was lost. A table has no prototype, so every name is a key like
 * any other; it serialises to the same JSON as a plain object with the same keys.
 */
export function table<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** The value of `key` when it is an own property of `r`, else undefined (never an inherited one such as `toString`). */
export function own<T>(r: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(r, key) ? r[key] : undefined;
}

/**
 * Hot read models (positions, risk monitor) cached in memory per fund. Entries live `ttlMs` and
 * are dropped at once when the API writes to the fund or the bus reports a change (fills, orders,
 * cycles, trading state). Concurrent misses share one computation.
 */
export class ReadCache {
  private readonly entries = new Map<string, Map<string, { value: Promise<unknown>; until: number }>>();

  constructor(private readonly now: () => number, private readonly ttlMs: number) {}

  /** `ttlMs` overrides the default lifetime for costly models that writes and bus events keep fresh. */
  get<T>(fundId: string, key: string, compute: () => Promise<T>, ttlMs = this.ttlMs): Promise<T> {
    const t = this.now();
    let m = this.entries.get(fundId);
    if (!m) {
      m = new Map();
      this.entries.set(fundId, m);
    }
    const hit = m.get(key);
    if (hit && hit.until > t) return hit.value as Promise<T>;
    const value = compute();
    const slot = { value: value as Promise<unknown>, until: t + ttlMs };
    m.set(key, slot);
    // A failed computation is not cached.
    value.catch(() => {
      if (m.get(key) === slot) m.delete(key);
    });
    return value;
  }

  invalidate(fundId: string | null): void {
    if (fundId === null) this.entries.clear();
    else this.entries.delete(fundId);
  }
}

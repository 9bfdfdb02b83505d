import type { RateLimitOptions } from './options.ts';

/** Default: 6 000 requests a minute per credential (or source), bursts of 1 200. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perMinute: 6_000, burst: 1_200 };
/** Default bound on the bucket table (credentials and sources tracked at once). */
export const DEFAULT_MAX_BUCKETS = 50_000;
/** The bucket new keys share while the table is full of buckets still refilling. */
const OVERFLOW = '\u0000overflow';
/** How many of the least recently used buckets a new key looks through for an idle one to replace. */
const EVICTION_SCAN = 64;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets per key (a valid credential, or the client IP for anonymous callers and unknown
 * or malformed credentials). `take` returns 0 when the request may proceed, else the seconds to
 * wait. The table holds at most `maxBuckets`: a new key replaces the least recently used bucket
 * that has refilled completely (forgetting it changes no answer); when none has, new keys share
 * one overflow bucket, so no number of distinct keys resets a key that is being limited.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly opts: RateLimitOptions,
    private readonly now: () => number,
    private readonly maxBuckets = DEFAULT_MAX_BUCKETS,
  ) {
    this.perMs = opts.perMinute / 60_000;
  }

  /** Buckets held (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  take(key: string): number {
    const t = this.now();
    // one place is kept for the overflow bucket
    const slot = this.buckets.has(key) || this.buckets.size < this.maxBuckets - 1 || this.evictIdle(t) ? key : OVERFLOW;
    const b = this.buckets.get(slot) ?? { tokens: this.opts.burst, at: t };
    this.refill(b, t);
    // re-inserted at the end: the map's order is least recently used first
    this.buckets.delete(slot);
    this.buckets.set(slot, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000));
  }

  /** True when `key` has no token left now (nothing is taken). */
  isLimited(key: string): boolean {
    const b = this.buckets.get(key);
    if (!b) return false;
    return b.tokens + (this.now() - b.at) * this.perMs < 1;
  }

  private refill(b: Bucket, t: number): void {
    b.tokens = Math.min(this.opts.burst, b.tokens + (t - b.at) * this.perMs);
    b.at = t;
  }

  private evictIdle(t: number): boolean {
    let scanned = 0;
    for (const [k, b] of this.buckets) {
      if (b.tokens + (t - b.at) * this.perMs >= this.opts.burst) {
        this.buckets.delete(k);
        return true;
      }
      if (++scanned >= EVICTION_SCAN) break;
    }
    return false;
  }
}

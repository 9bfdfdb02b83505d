import type { RateLimitOptions } from './options.ts';

/** Default: 6 000 requests a minute per credential, bursts of 1 200. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perMinute: 6_000, burst: 1_200 };

/**
 * Token buckets per key (API key hash, session, or client IP). `take` returns 0 when the request
 * may proceed, else the seconds to wait. Buckets idle for long are dropped to bound memory.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(private readonly opts: RateLimitOptions, private readonly now: () => number) {
    this.perMs = opts.perMinute / 60_000;
  }

  take(key: string): number {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.opts.burst, at: t };
    b.tokens = Math.min(this.opts.burst, b.tokens + (t - b.at) * this.perMs);
    b.at = t;
    if (this.buckets.size > 50_000) this.buckets.clear();
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000));
  }
}

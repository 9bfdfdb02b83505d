import type { Clock } from '../core/index.ts';

/**
 * A token bucket on an injected clock: `capacity` tokens, refilled continuously at
 * `capacity` per `periodMs`. `tryTake()` spends one token if there is one.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly ratePerMs: number;

  constructor(
    private readonly clock: Clock,
    readonly capacity: number,
    periodMs = 60_000,
  ) {
    this.tokens = capacity;
    this.last = clock.now();
    this.ratePerMs = capacity / periodMs;
  }

  private refill(): void {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.ratePerMs);
      this.last = now;
    }
  }

  /** Tokens available now (fractional). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

import type { UnixMs } from './units.ts';

/** Where time comes from. The pure core never calls Date.now(); it is handed a Clock. */
export interface Clock {
  now(): UnixMs;
}

/** Wall-clock time, for live and paper trading. */
export class LiveClock implements Clock {
  now(): UnixMs {
    return Date.now() as UnixMs;
  }
}

/** A clock that moves only when told to: backtests and tests. */
export class SimClock implements Clock {
  private t: number;
  constructor(start: number) {
    this.t = start;
  }
  now(): UnixMs {
    return this.t as UnixMs;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/**
 * A clock that reads `start` when it is made and then runs at `base`'s pace: a paper fund's
 * cycle on a past session (`keel run --as-of`) stamps its orders and fills from that session's
 * close, so its books and P&L history fall on the day its prices are from.
 */
export class ShiftedClock implements Clock {
  private readonly shift: number;
  constructor(
    private readonly base: Clock,
    start: number,
  ) {
    this.shift = base.now() - start;
  }
  now(): UnixMs {
    return (this.base.now() - this.shift) as UnixMs;
  }
}

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

import { randomUUID } from 'node:crypto';

/** Makes identifiers. Backtests use a deterministic sequence so replays give the same ids. */
export interface IdSource {
  next(prefix: string): string;
}

/** `prefix-<seed>-<n>`: deterministic, for backtests, replay and tests. */
export class SequentialIds implements IdSource {
  private n = 0;
  constructor(private readonly scope: string) {}
  next(prefix: string): string {
    this.n += 1;
    return `${prefix}-${this.scope}-${this.n.toString().padStart(6, '0')}`;
  }
}

/** Random UUIDs, for live trading where ids must be unique across restarts. */
export class RandomIds implements IdSource {
  next(prefix: string): string {
    return `${prefix}-${randomUUID()}`;
  }
}

/** Limit utilisation: each limit's value, limit, utilisation fraction and status (WARNING above 80%, BREACH above 100%). */
import type { CheckStatus } from '../../contracts/index.ts';

export interface LimitUtilisation {
  readonly name: string;
  /** In the limit's unit (fractions of NAV, days, HHI points…); compared by absolute value. */
  readonly value: number;
  /** > 0. */
  readonly limit: number;
  /** |value| / limit. */
  readonly utilisation: number;
  readonly status: CheckStatus;
}

/** OK when utilisation ≤ warnAt, WARNING when above warnAt and ≤ 1, BREACH when above 1 (NaN value → BREACH: fail safe). */
export function utilisation(name: string, value: number, limit: number, warnAt = 0.8): LimitUtilisation {
  const u = Math.abs(value) / limit;
  const status: CheckStatus = !Number.isFinite(u) || u > 1 ? 'BREACH' : u > warnAt ? 'WARNING' : 'OK';
  return { name, value, limit, utilisation: u, status };
}

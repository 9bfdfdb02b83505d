/** VaR and ES of a P&L (or portfolio return) sample, as positive losses. */
import type { Series } from '../stats/descriptive.ts';
import { dropNaN, quantileSorted } from '../stats/descriptive.ts';

/** VaR and expected shortfall as positive losses (same units as the input). */
export interface TailRisk {
  /** −quantile(pnl, 1 − confidence), numpy-linear. Positive = a loss. */
  readonly var: number;
  /** −mean of the outcomes at or below that quantile. */
  readonly es: number;
}

/** Historical VaR/ES of an outcome sample (NaNs ignored): VaR = −q_{1−c} (numpy linear), ES = −mean(x ≤ q_{1−c}). */
export function tailRiskFromSample(pnl: Series, confidence = 0.95): TailRisk {
  const s = dropNaN(pnl).sort();
  return tailRiskFromSorted(s, confidence);
}

/** `tailRiskFromSample` for an already ascending-sorted NaN-free sample. */
export function tailRiskFromSorted(sorted: Float64Array, confidence: number): TailRisk {
  if (sorted.length === 0) return { var: Number.NaN, es: Number.NaN };
  const q = quantileSorted(sorted, 1 - confidence);
  let s = 0;
  let n = 0;
  for (let i = 0; i < sorted.length && (sorted[i] as number) <= q; i++) {
    s += sorted[i] as number;
    n++;
  }
  return { var: -q, es: n === 0 ? -q : -s / n };
}

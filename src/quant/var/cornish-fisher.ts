/** Cornish–Fisher (modified) VaR from the first four sample moments of a return or P&L series. */
import type { Series } from '../stats/descriptive.ts';
import { excessKurtosis, mean, skewness, std } from '../stats/descriptive.ts';
import { normalQuantile } from '../../core/index.ts';

/** Modified VaR and the moments used. */
export interface CornishFisherRisk {
  /** −(μ + z_cf·σ), a positive loss. */
  readonly var: number;
  /** The adjusted lower-tail quantile z_cf. */
  readonly zCf: number;
  readonly mean: number;
  readonly sigma: number;
  readonly skew: number;
  readonly excessKurtosis: number;
}

/** The Cornish–Fisher quantile: z + (z²−1)S/6 + (z³−3z)K/24 − (2z³−5z)S²/36 for the lower-tail z. */
export function cornishFisherQuantile(z: number, skew: number, exKurt: number): number {
  return z + ((z * z - 1) * skew) / 6 + ((z ** 3 - 3 * z) * exKurt) / 24 - ((2 * z ** 3 - 5 * z) * skew * skew) / 36;
}

/** Cornish–Fisher VaR of a series (NaNs ignored): mean, sample σ (ddof 1), biased skew and excess kurtosis. */
export function cornishFisherVaR(returns: Series, confidence = 0.95): CornishFisherRisk {
  const mu = mean(returns);
  const sigma = std(returns);
  const s = skewness(returns);
  const k = excessKurtosis(returns);
  const zCf = cornishFisherQuantile(normalQuantile(1 - confidence), s, k);
  return { var: -(mu + zCf * sigma), zCf, mean: mu, sigma, skew: s, excessKurtosis: k };
}

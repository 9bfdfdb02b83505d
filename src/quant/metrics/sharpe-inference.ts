/**
 * Probabilistic and deflated Sharpe ratios (Bailey & López de Prado 2012, 2014). All Sharpe ratios
 * here are per period (not annualised); kurtosis is the raw (non-excess) fourth standardised moment.
 */
import type { Series } from '../stats/descriptive.ts';
import { dropNaN, excessKurtosis, mean, skewness, std } from '../stats/descriptive.ts';
import { normalCdf, normalQuantile } from '../../core/index.ts';

const EULER_GAMMA = 0.5772156649015329;

/** Moments of a return sample used by PSR/DSR. */
export interface SharpeMoments {
  /** Per-period Sharpe ratio SR̂ = mean/std (ddof 1). */
  readonly sharpe: number;
  /** Number of observations T. */
  readonly n: number;
  /** Skewness γ₃ (biased). */
  readonly skew: number;
  /** Raw kurtosis γ₄ (normal = 3). */
  readonly kurtosis: number;
}

/** PSR = Φ((SR̂ − SR*)·√(T−1)/√(1 − γ₃SR̂ + (γ₄−1)/4·SR̂²)), a probability in [0, 1]. */
export function probabilisticSharpeFromMoments(m: SharpeMoments, benchmarkSharpe = 0): number {
  const { sharpe: sr, n, skew, kurtosis } = m;
  const denom = Math.sqrt(1 - skew * sr + ((kurtosis - 1) / 4) * sr * sr);
  return normalCdf(((sr - benchmarkSharpe) * Math.sqrt(n - 1)) / denom);
}

/** The sample moments (NaNs dropped) for PSR/DSR. */
export function sharpeMoments(returns: Series): SharpeMoments {
  const x = dropNaN(returns);
  return { sharpe: mean(x) / std(x), n: x.length, skew: skewness(x), kurtosis: excessKurtosis(x) + 3 };
}

/** Probabilistic Sharpe ratio of a return series against a per-period benchmark Sharpe (default 0). */
export function probabilisticSharpe(returns: Series, benchmarkSharpe = 0): number {
  return probabilisticSharpeFromMoments(sharpeMoments(returns), benchmarkSharpe);
}

/** Expected maximum Sharpe of N unskilled trials: √V·((1−γ)Φ⁻¹(1 − 1/N) + γΦ⁻¹(1 − 1/(N·e))), per period. */
export function expectedMaxSharpe(trials: number, trialSharpeVariance: number): number {
  return Math.sqrt(trialSharpeVariance) * ((1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) + EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E)));
}

/** Options for the deflated Sharpe ratio. */
export interface DeflatedSharpeOptions {
  /** Number of independent strategy trials N behind the selected one (≥ 2). */
  readonly trials: number;
  /** Variance of the per-period Sharpe ratios across those trials. */
  readonly trialSharpeVariance: number;
}

/** DSR: the PSR against the expected maximum Sharpe of N unskilled trials (a probability). */
export function deflatedSharpeFromMoments(m: SharpeMoments, options: DeflatedSharpeOptions): number {
  return probabilisticSharpeFromMoments(m, expectedMaxSharpe(options.trials, options.trialSharpeVariance));
}

/** Deflated Sharpe ratio of a return series (NaNs dropped). */
export function deflatedSharpe(returns: Series, options: DeflatedSharpeOptions): number {
  return deflatedSharpeFromMoments(sharpeMoments(returns), options);
}

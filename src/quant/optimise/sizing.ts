/** Position sizing and calibration: fractional Kelly, isotonic regression (PAV), expected calibration error. */
import { KeelError } from '../../core/index.ts';
import { cholesky, choleskySolve } from '../linalg/dense.ts';

/** Binary bet Kelly: f = fraction·(p − (1 − p)/b) of bankroll for win probability p and net odds b (may be ≤ 0: no bet). */
export function kellyBinary(p: number, odds: number, fraction = 1): number {
  return fraction * (p - (1 - p) / odds);
}

/** Gaussian single-asset Kelly leverage: fraction·μ/σ² (μ excess return and σ² variance, same period). */
export function kellyFraction(mu: number, variance: number, fraction = 1): number {
  return (fraction * mu) / variance;
}

/** Multi-asset Gaussian Kelly weights: fraction·Σ⁻¹μ (leverage unconstrained). Throws KEEL_E_NUMERIC if Σ is singular. */
export function kellyWeights(mu: ArrayLike<number>, cov: Float64Array, U: number, fraction = 1): Float64Array {
  const l = cholesky(cov, U);
  if (!l) throw new KeelError('KEEL_E_NUMERIC', 'Kelly weights need a positive definite covariance', { U });
  return choleskySolve(l, U, mu).map((v) => v * fraction);
}

/**
 * Isotonic regression by pool-adjacent-violators: the (weighted) least-squares fit to y that is
 * non-decreasing in index order (non-increasing when `increasing` is false).
 */
export function isotonicRegression(y: ArrayLike<number>, options: { readonly weights?: ArrayLike<number>; readonly increasing?: boolean } = {}): Float64Array {
  const n = y.length;
  const sign = options.increasing === false ? -1 : 1;
  const val = new Float64Array(n);
  const wt = new Float64Array(n);
  const len = new Int32Array(n);
  let k = -1;
  for (let i = 0; i < n; i++) {
    k++;
    val[k] = sign * (y[i] as number);
    wt[k] = options.weights ? (options.weights[i] as number) : 1;
    len[k] = 1;
    while (k > 0 && (val[k - 1] as number) > (val[k] as number)) {
      const w = (wt[k - 1] as number) + (wt[k] as number);
      val[k - 1] = ((wt[k - 1] as number) * (val[k - 1] as number) + (wt[k] as number) * (val[k] as number)) / w;
      wt[k - 1] = w;
      len[k - 1] = (len[k - 1] as number) + (len[k] as number);
      k--;
    }
  }
  const out = new Float64Array(n);
  let i = 0;
  for (let b = 0; b <= k; b++) for (let r = 0; r < (len[b] as number); r++) out[i++] = sign * (val[b] as number);
  return out;
}

/** A fitted monotone calibration map: breakpoints `x` (ascending) and calibrated values `y`. */
export interface IsotonicCalibrator {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/** Fits a non-decreasing map from scores to outcome frequencies (outcomes 0/1 or any targets), ties pooled. */
export function fitIsotonicCalibrator(scores: ArrayLike<number>, outcomes: ArrayLike<number>): IsotonicCalibrator {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (const i of idx) {
    const s = scores[i] as number;
    const last = xs.length - 1;
    if (last >= 0 && xs[last] === s) {
      ys[last] = ((ys[last] as number) * (ws[last] as number) + (outcomes[i] as number)) / ((ws[last] as number) + 1);
      ws[last] = (ws[last] as number) + 1;
    } else {
      xs.push(s);
      ys.push(outcomes[i] as number);
      ws.push(1);
    }
  }
  return { x: Float64Array.from(xs), y: isotonicRegression(ys, { weights: ws }) };
}

/** Applies a calibrator: linear interpolation between breakpoints, clamped at the ends. */
export function applyIsotonic(c: IsotonicCalibrator, score: number): number {
  const n = c.x.length;
  if (n === 0) return Number.NaN;
  if (score <= (c.x[0] as number)) return c.y[0] as number;
  if (score >= (c.x[n - 1] as number)) return c.y[n - 1] as number;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((c.x[mid] as number) <= score) lo = mid;
    else hi = mid;
  }
  const t = (score - (c.x[lo] as number)) / ((c.x[hi] as number) - (c.x[lo] as number));
  return (c.y[lo] as number) + t * ((c.y[hi] as number) - (c.y[lo] as number));
}

/**
 * Expected calibration error with `bins` equal-width bins on [0, 1] (a probability p falls in bin
 * ⌊p·bins⌋, p = 1 in the last): Σ_b (n_b/N)·|mean outcome_b − mean p_b|.
 */
export function expectedCalibrationError(probabilities: ArrayLike<number>, outcomes: ArrayLike<number>, bins = 10): number {
  const n = probabilities.length;
  if (n === 0) return Number.NaN;
  const cnt = new Float64Array(bins);
  const sp = new Float64Array(bins);
  const so = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const p = probabilities[i] as number;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    cnt[b] = (cnt[b] as number) + 1;
    sp[b] = (sp[b] as number) + p;
    so[b] = (so[b] as number) + (outcomes[i] as number);
  }
  let e = 0;
  for (let b = 0; b < bins; b++) {
    const c = cnt[b] as number;
    if (c === 0) continue;
    e += (c / n) * Math.abs((so[b] as number) / c - (sp[b] as number) / c);
  }
  return e;
}

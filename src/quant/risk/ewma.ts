/**
 * RiskMetrics EWMA covariance: Σ = Σ_t w_t r_t r_tᵀ with w_t ∝ λ^(T−1−t) normalised to sum 1
 * (zero mean, as RiskMetrics). The tracker's daily rank-1 update Σ ← λΣ + (1−λ) r rᵀ, with the same
 * normalisation, reproduces the full-window estimate exactly.
 */
import { gramAssetMajor, toAssetMajor, mirrorUpper } from '../linalg/gram.ts';
import { panelRows } from './panel.ts';

/** Options for EWMA covariance. */
export interface EwmaOptions {
  /** Decay λ ∈ (0, 1); default 0.94 (RiskMetrics daily). */
  readonly lambda?: number;
  /** Subtract column means first (default false: RiskMetrics assumes zero mean). */
  readonly demean?: boolean;
}

/**
 * Full-window EWMA covariance of a T×U panel (U×U, per-period units², weights normalised to 1).
 * Days whose weight is below 1e-18 of the newest day's are skipped: their total contribution is
 * below 1e-16 relative (λ = 0.94 keeps the last ~670 days), which halves the work at T = 1260.
 */
export function ewmaCovariance(panel: Float64Array, U: number, options: EwmaOptions = {}): Float64Array {
  const lambda = options.lambda ?? 0.94;
  const T = panelRows(panel, U);
  const demean = options.demean ?? false;
  // With demeaning the means need every day, so nothing is skipped then.
  const keep = demean ? T : Math.min(T, Math.ceil(Math.log(1e-18 * (1 - lambda)) / Math.log(lambda)) + 1);
  const start = T - keep;
  const w = new Float64Array(keep);
  let total = 0;
  for (let t = keep - 1, p = 1; t >= 0; t--, p *= lambda) {
    w[t] = (1 - lambda) * p;
    total += (1 - lambda) * p;
  }
  // Normalise by the weight of the full window, so the estimate equals the untruncated one.
  total += (1 - lambda) * (Math.pow(lambda, keep) - Math.pow(lambda, T)) / (1 - lambda);
  for (let t = 0; t < keep; t++) w[t] = Math.sqrt((w[t] as number) / total);
  const x = toAssetMajor(panel.subarray(start * U), U, demean, w);
  return gramAssetMajor(x, U, keep, 1, new Float64Array(U * U));
}

/** Incremental EWMA covariance: O(U²/2) per day, no allocation per update. */
export class EwmaCovarianceTracker {
  readonly U: number;
  readonly lambda: number;
  private readonly s: Float64Array;
  private weight = 0;
  private count = 0;

  constructor(U: number, lambda = 0.94) {
    if (!(lambda > 0 && lambda < 1)) throw new RangeError(`lambda must be in (0, 1), got ${lambda}`);
    this.U = U;
    this.lambda = lambda;
    this.s = new Float64Array(U * U);
  }

  /** Folds in one day's returns (length U, same units as the panel). Updates the upper triangle only. */
  update(r: ArrayLike<number>): void {
    const U = this.U;
    const lam = this.lambda;
    const a = 1 - lam;
    const s = this.s;
    for (let i = 0; i < U; i++) {
      const ri = a * (r[i] as number);
      const o = i * U;
      for (let j = i; j < U; j++) s[o + j] = lam * (s[o + j] as number) + ri * (r[j] as number);
    }
    this.weight = lam * this.weight + a;
    this.count++;
  }

  /** Days folded in so far. */
  get days(): number {
    return this.count;
  }

  /** The current normalised covariance (U×U, new array); NaN-filled before the first update. */
  covariance(): Float64Array {
    const U = this.U;
    const out = new Float64Array(U * U);
    if (this.count === 0) return out.fill(Number.NaN);
    const k = 1 / this.weight;
    for (let i = 0; i < U; i++) for (let j = i; j < U; j++) out[i * U + j] = (this.s[i * U + j] as number) * k;
    return mirrorUpper(out, U);
  }
}

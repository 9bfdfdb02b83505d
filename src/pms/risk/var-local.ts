/**
 * VaR/ES helpers the risk monitor needs that src/quant does not export yet (its var/ folder is in
 * progress): tail risk of a sample, historical, parametric (zero-mean delta-normal) and Monte
 * Carlo VaR of a weight vector over a returns panel. Built on src/quant primitives. Replace with
 * the quant versions once they are on its public face.
 */
import type { Rng } from '../../core/index.ts';
import { normalPdf, normalQuantile, portfolioReturns, quantileSorted, sampleCovariance, symmetricEigen } from '../../quant/index.ts';

/** VaR and expected shortfall as positive losses, in the units of the input. */
export interface Tail {
  readonly var: number;
  readonly es: number;
}

/** VaR = −q_{1−c} (numpy linear), ES = −mean of outcomes ≤ that quantile. NaN for an empty sample. */
export function tailOf(sample: ArrayLike<number>, confidence: number): Tail {
  const s = Float64Array.from(sample).filter((x) => !Number.isNaN(x)).sort();
  if (s.length === 0) return { var: Number.NaN, es: Number.NaN };
  const q = quantileSorted(s, 1 - confidence);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < s.length && (s[i] as number) <= q; i++) {
    sum += s[i] as number;
    n++;
  }
  return { var: -q, es: n === 0 ? -q : -sum / n };
}

/** Historical VaR/ES of holdings `w` (dollars or fractions) over a T×U panel of daily returns, plus the scenario P&L. */
export function historicalTail(panel: Float64Array, U: number, w: ArrayLike<number>, confidence: number): Tail & { readonly pnl: Float64Array } {
  const pnl = portfolioReturns(panel, U, w);
  return { ...tailOf(pnl, confidence), pnl };
}

/** Portfolio standard deviation √(wᵀΣw) for a U×U covariance. */
export function portfolioSigma(cov: Float64Array, w: ArrayLike<number>): number {
  const U = w.length;
  let v = 0;
  for (let i = 0; i < U; i++) {
    let r = 0;
    for (let j = 0; j < U; j++) r += (cov[i * U + j] as number) * (w[j] as number);
    v += (w[i] as number) * r;
  }
  return Math.sqrt(Math.max(v, 0));
}

/** Zero-mean normal VaR = z_c·σ·√h and ES = σ·√h·φ(z_c)/(1−c). */
export function normalTail(sigma: number, confidence: number, horizon = 1): Tail {
  const z = normalQuantile(confidence);
  const s = sigma * Math.sqrt(horizon);
  return { var: z * s, es: (s * normalPdf(z)) / (1 - confidence) };
}

/** Sample covariance of the panel (ddof = 1) — re-exported for the monitor. */
export const panelCovariance = (panel: Float64Array, U: number): Float64Array => sampleCovariance(panel, U);

/**
 * Monte Carlo P&L of holdings `w` under N(0, Σ): x = V·diag(√λ⁺)·z with Σ = VΛVᵀ (negative
 * eigenvalues clipped, so a singular Σ is fine), z ~ N(0, I) from `rng`; returns `paths` P&L draws (×√h).
 */
export function monteCarloPnl(cov: Float64Array, w: ArrayLike<number>, rng: Rng, paths: number, horizon = 1): Float64Array {
  const U = w.length;
  const { values, vectors } = symmetricEigen(cov, U);
  // a_k = √λ_k · (Vᵀw)_k: the portfolio's loading on each independent normal factor.
  const a: number[] = [];
  for (let k = 0; k < U; k++) {
    const lambda = values[k] as number;
    if (!(lambda > 0)) continue;
    let vw = 0;
    for (let i = 0; i < U; i++) vw += (vectors[i * U + k] as number) * (w[i] as number);
    a.push(Math.sqrt(lambda) * vw);
  }
  const h = Math.sqrt(horizon);
  const out = new Float64Array(paths);
  for (let p = 0; p < paths; p++) {
    let x = 0;
    for (const ak of a) x += ak * rng.normal();
    out[p] = x * h;
  }
  return out;
}

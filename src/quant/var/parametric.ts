/**
 * Parametric (delta-normal) VaR and ES of a weighted portfolio, with marginal, component (Euler) and
 * incremental VaR per position and per group. Weights are fractions of NAV (results are fractions
 * of NAV) or notionals (results in currency). Losses are positive. Σ dense or factor form.
 */
import { normalPdf, normalQuantile } from '../../core/index.ts';
import { covDiagonal, covTimes, groupQuadForms, type RiskModel } from './risk-model.ts';

/** Options for parametric VaR. */
export interface ParametricOptions {
  /** Confidence level c, e.g. 0.95 or 0.99 (default 0.95). */
  readonly confidence?: number;
  /** Horizon in periods: σ scales by √h, the mean by h (default 1). */
  readonly horizon?: number;
  /** Expected per-period returns per name (default zero). */
  readonly mean?: ArrayLike<number>;
}

/** Normal VaR and ES of the portfolio and its volatility. */
export interface ParametricRisk {
  /** z_c·σ·√h − h·wᵀμ. */
  readonly var: number;
  /** σ·√h·φ(z_c)/(1−c) − h·wᵀμ. */
  readonly es: number;
  /** Portfolio volatility per period, √(wᵀΣw). */
  readonly sigma: number;
}

/** Delta-normal VaR and ES (positive losses) of weights `w` under Σ (dense or factor). */
export function parametricVaR(w: ArrayLike<number>, model: RiskModel, options: ParametricOptions = {}): ParametricRisk {
  const c = options.confidence ?? 0.95;
  const h = options.horizon ?? 1;
  const sw = covTimes(model, w);
  let v = 0;
  let m = 0;
  for (let i = 0; i < w.length; i++) {
    v += (w[i] as number) * (sw[i] as number);
    if (options.mean) m += (w[i] as number) * (options.mean[i] as number);
  }
  const sigma = Math.sqrt(Math.max(v, 0));
  const z = normalQuantile(c);
  const sh = sigma * Math.sqrt(h);
  return { var: z * sh - h * m, es: (sh * normalPdf(z)) / (1 - c) - h * m, sigma };
}

/** Per-position and per-group VaR attribution. Component VaRs sum to `var` exactly. */
export interface VaRDecomposition extends ParametricRisk {
  /** ∂VaR/∂w_i = z√h(Σw)_i/σ − hμ_i (VaR per unit of weight). */
  readonly marginal: Float64Array;
  /** w_i · marginal_i (Euler); Σ_i component_i = var. */
  readonly component: Float64Array;
  /** VaR(w) − VaR(w without position i), exact. */
  readonly incremental: Float64Array;
  /** Σ of component over each group's members (empty when no groups). */
  readonly groupComponent: Float64Array;
  /** VaR(w) − VaR(w without group g), exact (empty when no groups). */
  readonly groupIncremental: Float64Array;
}

/** Options for `varDecomposition`: `groups[i]` ∈ 0..G−1 labels name i (agent, bucket, sector); −1 = none. */
export interface DecompositionOptions extends ParametricOptions {
  readonly groups?: ArrayLike<number>;
  /** Number of groups G (default max(groups) + 1). */
  readonly groupCount?: number;
}

/** Marginal, component (Euler) and incremental VaR per position and per group, delta-normal. */
export function varDecomposition(w: ArrayLike<number>, model: RiskModel, options: DecompositionOptions = {}): VaRDecomposition {
  const U = w.length;
  const c = options.confidence ?? 0.95;
  const h = options.horizon ?? 1;
  const z = normalQuantile(c);
  const sqh = Math.sqrt(h);
  const mu = options.mean;
  const sw = covTimes(model, w);
  let v = 0;
  let m = 0;
  for (let i = 0; i < U; i++) {
    v += (w[i] as number) * (sw[i] as number);
    if (mu) m += (w[i] as number) * (mu[i] as number);
  }
  const sigma = Math.sqrt(Math.max(v, 0));
  const total = z * sigma * sqh - h * m;
  const marginal = new Float64Array(U);
  const component = new Float64Array(U);
  const incremental = new Float64Array(U);
  const diag = covDiagonal(model, U);
  const k = sigma > 0 ? (z * sqh) / sigma : 0;
  for (let i = 0; i < U; i++) {
    const wi = w[i] as number;
    const mi = mu ? (mu[i] as number) : 0;
    marginal[i] = k * (sw[i] as number) - h * mi;
    component[i] = wi * (marginal[i] as number);
    if (wi === 0) continue;
    const vWithout = v - 2 * wi * (sw[i] as number) + wi * wi * (diag[i] as number);
    incremental[i] = total - (z * sqh * Math.sqrt(Math.max(vWithout, 0)) - h * (m - wi * mi));
  }
  let groupComponent = new Float64Array(0);
  let groupIncremental = new Float64Array(0);
  const groups = options.groups;
  if (groups) {
    let G = options.groupCount ?? 0;
    if (options.groupCount === undefined) for (let i = 0; i < U; i++) G = Math.max(G, (groups[i] as number) + 1);
    groupComponent = new Float64Array(G);
    groupIncremental = new Float64Array(G);
    const cross = new Float64Array(G);
    const gm = new Float64Array(G);
    for (let i = 0; i < U; i++) {
      const g = groups[i] as number;
      if (g < 0) continue;
      groupComponent[g] = (groupComponent[g] as number) + (component[i] as number);
      cross[g] = (cross[g] as number) + (w[i] as number) * (sw[i] as number);
      if (mu) gm[g] = (gm[g] as number) + (w[i] as number) * (mu[i] as number);
    }
    const inner = groupQuadForms(model, w, groups, G);
    for (let g = 0; g < G; g++) {
      const vWithout = v - 2 * (cross[g] as number) + (inner[g] as number);
      groupIncremental[g] = total - (z * sqh * Math.sqrt(Math.max(vWithout, 0)) - h * (m - (gm[g] as number)));
    }
  }
  return { var: total, es: (sigma * sqh * normalPdf(z)) / (1 - c) - h * m, sigma, marginal, component, incremental, groupComponent, groupIncremental };
}

/** Change in delta-normal VaR from adding `trade` (same units as w): VaR(w + trade) − VaR(w). */
export function incrementalVaR(w: ArrayLike<number>, trade: ArrayLike<number>, model: RiskModel, options: ParametricOptions = {}): number {
  const after = Float64Array.from(w, (x, i) => x + (trade[i] as number));
  return parametricVaR(after, model, options).var - parametricVaR(w, model, options).var;
}

/**
 * Returns-based factor attribution: regress the portfolio's daily returns on factor returns by
 * ordinary least squares, r_t = α + Σ_k β_k f_{k,t} + ε_t. Over the period (arithmetic sums of
 * daily returns, not compounded): contribution_k = β_k · Σ_t f_{k,t}, alpha = α·T, residual = Σ_t ε_t,
 * and total = Σ_t r_t = alpha + Σ_k contribution_k + residual exactly (up to float rounding).
 */
import { err, ok, type Result } from '../../core/index.ts';
import { cholesky, choleskySolve } from '../../quant/index.ts';

export interface FactorAttributionInput {
  /** Portfolio daily returns, length T. */
  readonly portfolio: ArrayLike<number>;
  /** Factor name → daily returns, each length T, aligned with `portfolio`. */
  readonly factors: Readonly<Record<string, ArrayLike<number>>>;
  /** Fit an intercept α (default true). */
  readonly intercept?: boolean;
}

export interface FactorContribution {
  readonly factor: string;
  readonly beta: number;
  /** Σ_t f_{k,t}. */
  readonly factorReturn: number;
  /** β_k · Σ_t f_{k,t}. */
  readonly contribution: number;
}

export interface FactorAttribution {
  /** Σ_t r_t. */
  readonly total: number;
  readonly alpha: number;
  /** α per day (0 without intercept). */
  readonly alphaDaily: number;
  readonly factors: FactorContribution[];
  /** Σ_t ε_t (≈ 0 with an intercept, by construction of OLS). */
  readonly residual: number;
  /** 1 − SSR/SST (SST about the mean with intercept, about zero without). */
  readonly rSquared: number;
  readonly observations: number;
}

export type FactorAttributionError = { readonly code: 'TOO_FEW_OBSERVATIONS' | 'LENGTH_MISMATCH' | 'SINGULAR'; readonly message: string };

/** OLS factor attribution; an error value when lengths differ, T ≤ parameters, or the factors are collinear. */
export function factorAttribution(input: FactorAttributionInput): Result<FactorAttribution, FactorAttributionError> {
  const names = Object.keys(input.factors).sort();
  const y = input.portfolio;
  const T = y.length;
  const withAlpha = input.intercept ?? true;
  const P = names.length + (withAlpha ? 1 : 0);
  const cols: ArrayLike<number>[] = names.map((n) => input.factors[n] ?? []);
  for (const [k, c] of cols.entries()) {
    if (c.length !== T) return err({ code: 'LENGTH_MISMATCH', message: `factor ${names[k] ?? ''} has ${c.length} returns, the portfolio ${T}` });
  }
  if (T <= P) return err({ code: 'TOO_FEW_OBSERVATIONS', message: `${T} observations for ${P} parameters` });
  const x = (t: number, j: number): number => (withAlpha ? (j === 0 ? 1 : ((cols[j - 1] as ArrayLike<number>)[t] as number)) : ((cols[j] as ArrayLike<number>)[t] as number));
  const xtx = new Float64Array(P * P);
  const xty = new Float64Array(P);
  for (let t = 0; t < T; t++) {
    const yt = y[t] as number;
    for (let i = 0; i < P; i++) {
      const xi = x(t, i);
      xty[i] = (xty[i] as number) + xi * yt;
      for (let j = 0; j < P; j++) xtx[i * P + j] = (xtx[i * P + j] as number) + xi * x(t, j);
    }
  }
  const l = cholesky(xtx, P);
  if (l === null) return err({ code: 'SINGULAR', message: 'the factor returns are collinear (XᵀX is not positive definite)' });
  const b = choleskySolve(l, P, xty);
  let total = 0;
  let ssr = 0;
  let residual = 0;
  for (let t = 0; t < T; t++) {
    let fit = 0;
    for (let j = 0; j < P; j++) fit += (b[j] as number) * x(t, j);
    const e = (y[t] as number) - fit;
    total += y[t] as number;
    residual += e;
    ssr += e * e;
  }
  const ybar = withAlpha ? total / T : 0;
  let sst = 0;
  for (let t = 0; t < T; t++) sst += ((y[t] as number) - ybar) ** 2;
  const alphaDaily = withAlpha ? (b[0] as number) : 0;
  const factors = names.map((factor, k) => {
    const beta = b[k + (withAlpha ? 1 : 0)] as number;
    const c = cols[k] as ArrayLike<number>;
    let fr = 0;
    for (let t = 0; t < T; t++) fr += c[t] as number;
    return { factor, beta, factorReturn: fr, contribution: beta * fr };
  });
  return ok({ total, alpha: alphaDaily * T, alphaDaily, factors, residual, rSquared: sst > 0 ? 1 - ssr / sst : Number.NaN, observations: T });
}

/**
 * Factor risk models Σ = B F Bᵀ + diag(D). B: U×K exposures (row-major), F: K×K factor covariance,
 * D: length-U specific variances, all per-period return units. Products with Σ cost O(U·K + K²).
 */
import { KeelError } from '../../core/index.ts';
import { cholesky, choleskySolve } from '../linalg/dense.ts';
import { panelRows } from './panel.ts';

/** A factor covariance model; `factorReturns` (T×K) when estimated from a panel. */
export interface FactorModel {
  readonly U: number;
  readonly K: number;
  readonly B: Float64Array;
  readonly F: Float64Array;
  readonly D: Float64Array;
  readonly factorReturns?: Float64Array;
}

/** Options for the fundamental (cross-sectional regression) fit. */
export interface FundamentalFitOptions {
  /** Per-name regression weights (WLS), e.g. √market cap; default equal. */
  readonly weights?: ArrayLike<number>;
  /** Ridge added to BᵀWB's diagonal, for collinear exposures (e.g. market + all sectors); default 0. */
  readonly ridge?: number;
}

/**
 * Fundamental factor model: each day's factor returns f_t = (BᵀWB + ridge·I)⁻¹BᵀW r_t by cross-sectional
 * regression on the given exposures B (U×K, held fixed over the window); F = sample covariance (ddof 1)
 * of f_t; D = sample variance (ddof 1) of each name's residual. NaN returns propagate.
 */
export function fitFundamentalFactorModel(panel: Float64Array, U: number, exposures: Float64Array, K: number, options: FundamentalFitOptions = {}): FactorModel {
  const T = panelRows(panel, U);
  if (exposures.length !== U * K) throw new RangeError(`exposures must be U×K = ${U * K}, got ${exposures.length}`);
  const w = options.weights;
  // G = BᵀWB (K×K)
  const g = new Float64Array(K * K);
  for (let u = 0; u < U; u++) {
    const wu = w ? (w[u] as number) : 1;
    const o = u * K;
    for (let a = 0; a < K; a++) {
      const ba = (exposures[o + a] as number) * wu;
      for (let b = 0; b < K; b++) g[a * K + b] = (g[a * K + b] as number) + ba * (exposures[o + b] as number);
    }
  }
  const ridge = options.ridge ?? 0;
  for (let a = 0; a < K; a++) g[a * K + a] = (g[a * K + a] as number) + ridge;
  const l = cholesky(g, K);
  if (!l) throw new KeelError('KEEL_E_NUMERIC', 'factor exposures are collinear (BᵀWB is singular): drop a factor or pass a ridge', { K });
  // P = G⁻¹ BᵀW, stored name-major (U×K) so the daily regression streams over names.
  const p = new Float64Array(U * K);
  const col = new Float64Array(K);
  for (let u = 0; u < U; u++) {
    const wu = w ? (w[u] as number) : 1;
    for (let a = 0; a < K; a++) col[a] = (exposures[u * K + a] as number) * wu;
    const s = choleskySolve(l, K, col);
    p.set(s, u * K);
  }
  const fr = new Float64Array(T * K);
  const resid = new Float64Array(T * U);
  for (let t = 0; t < T; t++) {
    const ro = t * U;
    const fo = t * K;
    for (let u = 0; u < U; u++) {
      const r = panel[ro + u] as number;
      const po = u * K;
      for (let a = 0; a < K; a++) fr[fo + a] = (fr[fo + a] as number) + (p[po + a] as number) * r;
    }
    for (let u = 0; u < U; u++) {
      let fit = 0;
      const bo = u * K;
      for (let a = 0; a < K; a++) fit += (exposures[bo + a] as number) * (fr[fo + a] as number);
      resid[ro + u] = (panel[ro + u] as number) - fit;
    }
  }
  return { U, K, B: Float64Array.from(exposures), F: smallCovariance(fr, T, K), D: columnVariances(resid, T, U), factorReturns: fr };
}

/** Sample covariance (ddof 1) of a T×K panel, K small. */
export function smallCovariance(x: Float64Array, T: number, K: number): Float64Array {
  const m = new Float64Array(K);
  for (let t = 0; t < T; t++) for (let a = 0; a < K; a++) m[a] = (m[a] as number) + (x[t * K + a] as number) / T;
  const c = new Float64Array(K * K);
  for (let t = 0; t < T; t++) {
    for (let a = 0; a < K; a++) {
      const da = (x[t * K + a] as number) - (m[a] as number);
      for (let b = a; b < K; b++) c[a * K + b] = (c[a * K + b] as number) + da * ((x[t * K + b] as number) - (m[b] as number));
    }
  }
  for (let a = 0; a < K; a++) {
    for (let b = a; b < K; b++) {
      const v = (c[a * K + b] as number) / (T - 1);
      c[a * K + b] = v;
      c[b * K + a] = v;
    }
  }
  return c;
}

function columnVariances(x: Float64Array, T: number, U: number): Float64Array {
  const m = new Float64Array(U);
  const v = new Float64Array(U);
  for (let t = 0; t < T; t++) for (let u = 0; u < U; u++) m[u] = (m[u] as number) + (x[t * U + u] as number) / T;
  for (let t = 0; t < T; t++) {
    for (let u = 0; u < U; u++) {
      const d = (x[t * U + u] as number) - (m[u] as number);
      v[u] = (v[u] as number) + d * d;
    }
  }
  for (let u = 0; u < U; u++) v[u] = (v[u] as number) / (T - 1);
  return v;
}

/** Σ·w in factor form: B(F(Bᵀw)) + D∘w, O(U·K + K²); writes into `out` (length U). */
export function factorCovTimes(model: FactorModel, w: ArrayLike<number>, out = new Float64Array(model.U)): Float64Array {
  const { U, K, B, F, D } = model;
  const bw = new Float64Array(K);
  for (let u = 0; u < U; u++) {
    const wu = w[u] as number;
    if (wu === 0) continue;
    const o = u * K;
    for (let a = 0; a < K; a++) bw[a] = (bw[a] as number) + (B[o + a] as number) * wu;
  }
  const fbw = new Float64Array(K);
  for (let a = 0; a < K; a++) {
    let s = 0;
    for (let b = 0; b < K; b++) s += (F[a * K + b] as number) * (bw[b] as number);
    fbw[a] = s;
  }
  for (let u = 0; u < U; u++) {
    let s = (D[u] as number) * (w[u] as number);
    const o = u * K;
    for (let a = 0; a < K; a++) s += (B[o + a] as number) * (fbw[a] as number);
    out[u] = s;
  }
  return out;
}

/** The dense U×U covariance B F Bᵀ + diag(D) of a factor model (for checks and small books). */
export function factorModelCovariance(model: FactorModel): Float64Array {
  const { U, K, B, F, D } = model;
  const bf = new Float64Array(U * K);
  for (let u = 0; u < U; u++) {
    for (let a = 0; a < K; a++) {
      let s = 0;
      for (let b = 0; b < K; b++) s += (B[u * K + b] as number) * (F[b * K + a] as number);
      bf[u * K + a] = s;
    }
  }
  const out = new Float64Array(U * U);
  for (let i = 0; i < U; i++) {
    for (let j = i; j < U; j++) {
      let s = 0;
      for (let a = 0; a < K; a++) s += (bf[i * K + a] as number) * (B[j * K + a] as number);
      if (i === j) s += D[i] as number;
      out[i * U + j] = s;
      out[j * U + i] = s;
    }
  }
  return out;
}

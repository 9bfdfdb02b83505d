/** Risk-budgeting portfolios: equal risk contribution and hierarchical risk parity (long-only, Σw = 1). */
import { isFactorModel, type RiskModel } from '../var/risk-model.ts';
import { factorModelCovariance } from '../risk/factor-model.ts';

function dense(cov: RiskModel): Float64Array {
  return isFactorModel(cov) ? factorModelCovariance(cov) : cov;
}

/** Options for equal risk contribution. */
export interface ErcOptions {
  /** Risk budgets b_i > 0 (default equal); normalised to sum 1. */
  readonly budgets?: ArrayLike<number>;
  readonly tolerance?: number;
  readonly maxIterations?: number;
}

/**
 * Equal-risk-contribution (or risk-budget) weights: w_i(Σw)_i / wᵀΣw = b_i, w > 0, Σw = 1, by cyclical
 * coordinate descent (Griveau-Billion, Richard & Roncalli 2013). Converges for any positive definite Σ.
 */
export function equalRiskContribution(cov: RiskModel, U: number, options: ErcOptions = {}): Float64Array {
  const S = dense(cov);
  const b = new Float64Array(U);
  let bs = 0;
  for (let i = 0; i < U; i++) {
    b[i] = options.budgets ? (options.budgets[i] as number) : 1;
    bs += b[i] as number;
  }
  for (let i = 0; i < U; i++) b[i] = (b[i] as number) / bs;
  const x = new Float64Array(U);
  for (let i = 0; i < U; i++) x[i] = 1 / Math.sqrt(S[i * U + i] as number);
  const sx = new Float64Array(U);
  for (let i = 0; i < U; i++) {
    let s = 0;
    for (let j = 0; j < U; j++) s += (S[i * U + j] as number) * (x[j] as number);
    sx[i] = s;
  }
  const tol = options.tolerance ?? 1e-14;
  for (let it = 0; it < (options.maxIterations ?? 10_000); it++) {
    let change = 0;
    let v = 0;
    for (let i = 0; i < U; i++) v += (x[i] as number) * (sx[i] as number);
    const sigma = Math.sqrt(v);
    for (let i = 0; i < U; i++) {
      const sii = S[i * U + i] as number;
      const xi = x[i] as number;
      const others = (sx[i] as number) - sii * xi;
      const nx = (-others + Math.sqrt(others * others + 4 * sii * (b[i] as number) * sigma)) / (2 * sii);
      const d = nx - xi;
      if (d !== 0) {
        for (let j = 0; j < U; j++) sx[j] = (sx[j] as number) + (S[j * U + i] as number) * d;
        x[i] = nx;
        change = Math.max(change, Math.abs(d) / nx);
      }
    }
    if (change < tol) break;
  }
  let s = 0;
  for (let i = 0; i < U; i++) s += x[i] as number;
  return x.map((v) => v / s);
}

/** Fractional risk contributions w_i(Σw)_i / wᵀΣw (they sum to 1). */
export function riskContributions(w: ArrayLike<number>, cov: RiskModel, U: number): Float64Array {
  const S = dense(cov);
  const out = new Float64Array(U);
  let v = 0;
  for (let i = 0; i < U; i++) {
    let s = 0;
    for (let j = 0; j < U; j++) s += (S[i * U + j] as number) * (w[j] as number);
    out[i] = (w[i] as number) * s;
    v += out[i] as number;
  }
  return out.map((c) => c / v);
}

/**
 * Hierarchical risk parity (López de Prado 2016): single-linkage clustering on the correlation
 * distance √((1−ρ)/2), quasi-diagonal ordering of the dendrogram leaves, then recursive bisection
 * splitting weight by inverse cluster variance (inverse-variance weights within each cluster).
 */
export function hierarchicalRiskParity(cov: RiskModel, U: number): Float64Array {
  const S = dense(cov);
  const order = hrpOrder(S, U);
  const w = new Float64Array(U).fill(1);
  const stack: number[][] = [order];
  while (stack.length > 0) {
    const items = stack.pop() ?? [];
    if (items.length < 2) continue;
    const half = Math.floor(items.length / 2);
    const left = items.slice(0, half);
    const right = items.slice(half);
    const vl = clusterVariance(S, U, left);
    const vr = clusterVariance(S, U, right);
    const alpha = 1 - vl / (vl + vr);
    for (const i of left) w[i] = (w[i] as number) * alpha;
    for (const i of right) w[i] = (w[i] as number) * (1 - alpha);
    stack.push(left, right);
  }
  return w;
}

function clusterVariance(S: Float64Array, U: number, items: number[]): number {
  let s = 0;
  for (const i of items) s += 1 / (S[i * U + i] as number);
  let v = 0;
  for (const i of items) for (const j of items) v += (S[i * U + j] as number) / ((S[i * U + i] as number) * (S[j * U + j] as number) * s * s);
  return v;
}

/** Leaf order of a single-linkage dendrogram (naive O(U³) agglomeration; ties broken by index). */
export function hrpOrder(S: Float64Array, U: number): number[] {
  const d = new Float64Array(U * U);
  for (let i = 0; i < U; i++) {
    for (let j = 0; j < U; j++) {
      const rho = (S[i * U + j] as number) / Math.sqrt((S[i * U + i] as number) * (S[j * U + j] as number));
      d[i * U + j] = Math.sqrt(Math.max(0, 0.5 * (1 - rho)));
    }
  }
  // Each active cluster: its leaves in dendrogram order; distances between clusters = min over members.
  const clusters: (number[] | null)[] = Array.from({ length: U }, (_, i) => [i]);
  const cd = Float64Array.from(d);
  for (let step = 0; step < U - 1; step++) {
    let bi = -1;
    let bj = -1;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < U; i++) {
      if (!clusters[i]) continue;
      for (let j = i + 1; j < U; j++) {
        if (!clusters[j]) continue;
        const v = cd[i * U + j] as number;
        if (v < best) {
          best = v;
          bi = i;
          bj = j;
        }
      }
    }
    clusters[bi] = [...(clusters[bi] ?? []), ...(clusters[bj] ?? [])];
    clusters[bj] = null;
    for (let k = 0; k < U; k++) {
      const v = Math.min(cd[bi * U + k] as number, cd[bj * U + k] as number);
      cd[bi * U + k] = v;
      cd[k * U + bi] = v;
    }
  }
  return clusters.find((c) => c !== null) ?? [];
}

/**
 * Minimum-variance and mean–variance portfolios under linear constraints, through the dense QP
 * solver (qp.ts). Weights are fractions of NAV; Σ and μ are per period (any consistent units).
 * |w| terms (gross, turnover) use auxiliary variables t ≥ ±w, so every constraint stays linear.
 */
import { factorModelCovariance } from '../risk/factor-model.ts';
import { isFactorModel, type RiskModel } from '../var/risk-model.ts';
import { solveQp, type QpOptions, type QpSolution } from './qp.ts';

/** Linear portfolio constraints. Omitted fields impose nothing (except `longOnly`, default true, and `net`, default 1). */
export interface PortfolioConstraints {
  /** w ≥ 0 (default true). */
  readonly longOnly?: boolean;
  /** Net exposure Σw: a number (equality, default 1) or a range. */
  readonly net?: number | { readonly min: number; readonly max: number };
  /** Gross exposure Σ|w| ≤ gross. */
  readonly gross?: number;
  /** Per-name upper bound on w (number or per-name array). */
  readonly maxWeight?: number | ArrayLike<number>;
  /** Per-name lower bound on w (default 0 long-only, −maxWeight or −∞ otherwise). */
  readonly minWeight?: number | ArrayLike<number>;
  /** Group label per name (0..G−1, −1 = none) and a cap on each group's |Σ w|. */
  readonly groups?: ArrayLike<number>;
  readonly groupCaps?: ArrayLike<number>;
  /** Turnover Σ|w − current| ≤ max. */
  readonly turnover?: { readonly current: ArrayLike<number>; readonly max: number };
}

/** Optimiser result: weights (length U), the solver's status and the portfolio variance wᵀΣw. */
export interface PortfolioResult {
  readonly weights: Float64Array;
  readonly variance: number;
  readonly status: QpSolution['status'];
  readonly solution: QpSolution;
}

const at = (v: number | ArrayLike<number> | undefined, i: number, fallback: number): number =>
  v === undefined ? fallback : typeof v === 'number' ? v : (v[i] as number);

/** Builds and solves min ½·λ·wᵀΣw − μᵀw under the constraints (λ = riskAversion). */
function solvePortfolio(cov: RiskModel, U: number, mu: ArrayLike<number> | undefined, riskAversion: number, c: PortfolioConstraints, qp: QpOptions): PortfolioResult {
  const S = isFactorModel(cov) ? factorModelCovariance(cov) : cov;
  const longOnly = c.longOnly ?? true;
  const needT = c.gross !== undefined && !longOnly;
  const needV = c.turnover !== undefined;
  const n = U + (needT ? U : 0) + (needV ? U : 0);
  const tOff = U;
  const vOff = U + (needT ? U : 0);
  const rows: { a: Map<number, number>; lo: number; hi: number }[] = [];
  const row = (entries: [number, number][], lo: number, hi: number) => rows.push({ a: new Map(entries), lo, hi });
  for (let i = 0; i < U; i++) {
    const hiW = at(c.maxWeight, i, Number.POSITIVE_INFINITY);
    const loW = longOnly ? Math.max(0, at(c.minWeight, i, 0)) : at(c.minWeight, i, Number.isFinite(hiW) ? -hiW : Number.NEGATIVE_INFINITY);
    row([[i, 1]], loW, hiW);
  }
  const net = c.net ?? 1;
  const all = Array.from({ length: U }, (_, i): [number, number] => [i, 1]);
  if (typeof net === 'number') row(all, net, net);
  else row(all, net.min, net.max);
  if (c.gross !== undefined) {
    if (longOnly) row(all, Number.NEGATIVE_INFINITY, c.gross);
    else {
      for (let i = 0; i < U; i++) {
        row([[tOff + i, 1], [i, -1]], 0, Number.POSITIVE_INFINITY);
        row([[tOff + i, 1], [i, 1]], 0, Number.POSITIVE_INFINITY);
      }
      row(Array.from({ length: U }, (_, i): [number, number] => [tOff + i, 1]), Number.NEGATIVE_INFINITY, c.gross);
    }
  }
  if (c.groups && c.groupCaps) {
    for (let g = 0; g < c.groupCaps.length; g++) {
      const members: [number, number][] = [];
      for (let i = 0; i < U; i++) if ((c.groups[i] as number) === g) members.push([i, 1]);
      const cap = c.groupCaps[g] as number;
      if (members.length > 0) row(members, longOnly ? Number.NEGATIVE_INFINITY : -cap, cap);
    }
  }
  if (c.turnover) {
    const w0 = c.turnover.current;
    for (let i = 0; i < U; i++) {
      row([[vOff + i, 1], [i, -1]], -(w0[i] as number), Number.POSITIVE_INFINITY);
      row([[vOff + i, 1], [i, 1]], w0[i] as number, Number.POSITIVE_INFINITY);
    }
    row(Array.from({ length: U }, (_, i): [number, number] => [vOff + i, 1]), Number.NEGATIVE_INFINITY, c.turnover.max);
  }
  const m = rows.length;
  const A = new Float64Array(m * n);
  const lower = new Float64Array(m);
  const upper = new Float64Array(m);
  rows.forEach((r, k) => {
    for (const [j, v] of r.a) A[k * n + j] = v;
    lower[k] = r.lo;
    upper[k] = r.hi;
  });
  const P = new Float64Array(n * n);
  for (let i = 0; i < U; i++) for (let j = 0; j < U; j++) P[i * n + j] = riskAversion * (S[i * U + j] as number);
  const q = new Float64Array(n);
  if (mu) for (let i = 0; i < U; i++) q[i] = -(mu[i] as number);
  const sol = solveQp({ n, m, P, q, A, lower, upper }, qp);
  const weights = sol.x.slice(0, U);
  let v = 0;
  for (let i = 0; i < U; i++) for (let j = 0; j < U; j++) v += (weights[i] as number) * (S[i * U + j] as number) * (weights[j] as number);
  return { weights, variance: v, status: sol.status, solution: sol };
}

/** Minimum-variance weights under the constraints (default: long-only, fully invested). */
export function minimumVariance(cov: RiskModel, U: number, constraints: PortfolioConstraints = {}, qp: QpOptions = {}): PortfolioResult {
  return solvePortfolio(cov, U, undefined, 1, constraints, qp);
}

/** Mean–variance weights: maximise μᵀw − (λ/2)·wᵀΣw (λ = riskAversion, default 1) under the constraints. */
export function meanVariance(mu: ArrayLike<number>, cov: RiskModel, U: number, options: PortfolioConstraints & { readonly riskAversion?: number } = {}, qp: QpOptions = {}): PortfolioResult {
  return solvePortfolio(cov, U, mu, options.riskAversion ?? 1, options, qp);
}

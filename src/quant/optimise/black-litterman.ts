/**
 * Black–Litterman (He & Litterman 1999): equilibrium returns π = δΣw_mkt blended with K views Pμ = Q ± Ω.
 * Posterior mean μ = π + τΣPᵀ(PτΣPᵀ + Ω)⁻¹(Q − Pπ); posterior covariance of μ: M = τΣ − τΣPᵀ(PτΣPᵀ + Ω)⁻¹PτΣ,
 * and of returns Σ + M. Units: per-period returns, consistent with Σ.
 */
import { KeelError } from '../../core/index.ts';
import { invertSpd } from '../linalg/dense.ts';

/** Inputs: Σ (U×U), prior π (or market weights and δ), views P (K×U), Q (K), Ω (K×K; default diag(P τΣ Pᵀ)). */
export interface BlackLittermanInput {
  readonly cov: Float64Array;
  readonly U: number;
  /** Prior expected returns π; default δΣw_mkt from `marketWeights`. */
  readonly prior?: ArrayLike<number>;
  readonly marketWeights?: ArrayLike<number>;
  /** Risk aversion δ (default 2.5). */
  readonly riskAversion?: number;
  /** Uncertainty scale of the prior τ (default 0.05). */
  readonly tau?: number;
  readonly P: Float64Array;
  readonly Q: ArrayLike<number>;
  readonly omega?: Float64Array;
}

/** Posterior mean returns and covariances. */
export interface BlackLittermanPosterior {
  readonly prior: Float64Array;
  readonly mean: Float64Array;
  /** Covariance of the posterior mean, M (U×U). */
  readonly meanCovariance: Float64Array;
  /** Σ + M: the covariance to optimise with (U×U). */
  readonly covariance: Float64Array;
}

/** Equilibrium (implied) returns π = δΣw. */
export function impliedReturns(cov: Float64Array, U: number, marketWeights: ArrayLike<number>, riskAversion = 2.5): Float64Array {
  const pi = new Float64Array(U);
  for (let i = 0; i < U; i++) {
    let s = 0;
    for (let j = 0; j < U; j++) s += (cov[i * U + j] as number) * (marketWeights[j] as number);
    pi[i] = riskAversion * s;
  }
  return pi;
}

/** The Black–Litterman posterior. Throws KEEL_E_NUMERIC when PτΣPᵀ + Ω is singular. */
export function blackLitterman(input: BlackLittermanInput): BlackLittermanPosterior {
  const { cov, U, P, Q } = input;
  const K = Q.length;
  const tau = input.tau ?? 0.05;
  const prior = input.prior ? Float64Array.from(input.prior) : impliedReturns(cov, U, input.marketWeights ?? new Float64Array(U).fill(1 / U), input.riskAversion ?? 2.5);
  // TP = τΣPᵀ (U×K)
  const tp = new Float64Array(U * K);
  for (let i = 0; i < U; i++) {
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < U; j++) s += (cov[i * U + j] as number) * (P[k * U + j] as number);
      tp[i * K + k] = tau * s;
    }
  }
  const a = new Float64Array(K * K);
  for (let k = 0; k < K; k++) {
    for (let l = 0; l < K; l++) {
      let s = 0;
      for (let i = 0; i < U; i++) s += (P[k * U + i] as number) * (tp[i * K + l] as number);
      a[k * K + l] = s;
    }
  }
  for (let k = 0; k < K; k++) {
    for (let l = 0; l < K; l++) {
      const om = input.omega ? (input.omega[k * K + l] as number) : k === l ? (a[k * K + k] as number) : 0;
      a[k * K + l] = (a[k * K + l] as number) + om;
    }
  }
  const ainv = invertSpd(a, K);
  if (!ainv) throw new KeelError('KEEL_E_NUMERIC', 'Black–Litterman: PτΣPᵀ + Ω is not positive definite', { K });
  const gap = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = Q[k] as number;
    for (let i = 0; i < U; i++) s -= (P[k * U + i] as number) * (prior[i] as number);
    gap[k] = s;
  }
  const g = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let l = 0; l < K; l++) s += (ainv[k * K + l] as number) * (gap[l] as number);
    g[k] = s;
  }
  const mean = new Float64Array(U);
  for (let i = 0; i < U; i++) {
    let s = prior[i] as number;
    for (let k = 0; k < K; k++) s += (tp[i * K + k] as number) * (g[k] as number);
    mean[i] = s;
  }
  // M = τΣ − TP A⁻¹ TPᵀ
  const tpa = new Float64Array(U * K);
  for (let i = 0; i < U; i++) {
    for (let l = 0; l < K; l++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (tp[i * K + k] as number) * (ainv[k * K + l] as number);
      tpa[i * K + l] = s;
    }
  }
  const meanCovariance = new Float64Array(U * U);
  const covariance = new Float64Array(U * U);
  for (let i = 0; i < U; i++) {
    for (let j = 0; j < U; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (tpa[i * K + k] as number) * (tp[j * K + k] as number);
      const mij = tau * (cov[i * U + j] as number) - s;
      meanCovariance[i * U + j] = mij;
      covariance[i * U + j] = (cov[i * U + j] as number) + mij;
    }
  }
  return { prior, mean, meanCovariance, covariance };
}

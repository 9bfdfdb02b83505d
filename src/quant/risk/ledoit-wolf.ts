/**
 * Ledoit–Wolf (2004) shrinkage towards the scaled identity μI, μ = tr(S)/U, as scikit-learn's
 * `ledoit_wolf`: S is the maximum-likelihood covariance (columns demeaned, divided by T).
 */
import { gramAssetMajor, toAssetMajor } from '../linalg/gram.ts';
import { panelRows } from './panel.ts';

/** Shrunk covariance (U×U, per-period units²) and the shrinkage intensity δ ∈ [0, 1] applied to the target. */
export interface ShrunkCovariance {
  readonly covariance: Float64Array;
  readonly shrinkage: number;
  /** Always 'scaled-identity' (μI with μ the average variance). */
  readonly target: 'scaled-identity';
}

/** Ledoit–Wolf shrinkage of a T×U panel: (1−δ)S + δμI, δ from the LW 2004 optimal-intensity estimate. */
export function ledoitWolf(panel: Float64Array, U: number): ShrunkCovariance {
  const T = panelRows(panel, U);
  const x = toAssetMajor(panel, U, true);
  const s = gramAssetMajor(x, U, T, 1 / T, new Float64Array(U * U));
  let trace = 0;
  for (let i = 0; i < U; i++) trace += s[i * U + i] as number;
  const mu = trace / U;
  // β̄ = (1/T²) Σ_t ‖x_t x_tᵀ − S‖²_F = (1/T)[(1/T) Σ_t ‖x_t‖⁴ − ‖S‖²_F]
  let sumNorm4 = 0;
  for (let t = 0; t < T; t++) {
    let q = 0;
    for (let u = 0; u < U; u++) {
      const v = x[u * T + t] as number;
      q += v * v;
    }
    sumNorm4 += q * q;
  }
  let frob = 0;
  for (let i = 0; i < U * U; i++) frob += (s[i] as number) ** 2;
  const betaBar = (sumNorm4 / T - frob) / T;
  // δ² = ‖S − μI‖²_F
  const d2 = frob - 2 * mu * trace + U * mu * mu;
  const b2 = Math.min(betaBar, d2);
  const shrinkage = d2 === 0 ? 0 : b2 / d2;
  const out = new Float64Array(U * U);
  for (let i = 0; i < U * U; i++) out[i] = (1 - shrinkage) * (s[i] as number);
  for (let i = 0; i < U; i++) out[i * U + i] = (out[i * U + i] as number) + shrinkage * mu;
  return { covariance: out, shrinkage, target: 'scaled-identity' };
}

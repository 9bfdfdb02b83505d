/**
 * Statistical factor model by principal components of the sample covariance (ddof 1), found by
 * block subspace iteration: on S itself when U ≤ T (one O(U²T) Gram, then O(U²m) per step), else
 * on the demeaned panel without forming S (O(T·U·m) per step).
 */
import { symmetricEigen } from '../linalg/eigen.ts';
import { gramAssetMajor, multiplyABt, toAssetMajor } from '../linalg/gram.ts';
import { residentABt } from '../linalg/wasm-gram.ts';
import { panelRows } from './panel.ts';
import type { FactorModel } from './factor-model.ts';

/** Options for the PCA fit. */
export interface PcaFitOptions {
  /** Extra vectors iterated beyond K for faster convergence (default 5). */
  readonly oversample?: number;
  /** Stop when the top-K Ritz values change by less than this, relatively (default 1e-12). */
  readonly tolerance?: number;
  /** Iteration cap (default 300). */
  readonly maxIterations?: number;
}

/**
 * PCA factor model: B = top-K eigenvectors of S (orthonormal columns, U×K), F = diag(top-K eigenvalues),
 * D = diag(S) − diag(B F Bᵀ) floored at 1e-12·diag(S) so Σ stays positive definite; factor returns
 * are the demeaned returns projected on B. Deterministic start (the covariance columns of the most
 * volatile names), so no Rng is needed.
 */
export function fitStatisticalFactorModel(panel: Float64Array, U: number, K: number, options: PcaFitOptions = {}): FactorModel & { readonly iterations: number } {
  const T = panelRows(panel, U);
  const m = Math.min(U, K + (options.oversample ?? 5));
  const tol = options.tolerance ?? 1e-12;
  const maxIt = options.maxIterations ?? 300;
  const a = toAssetMajor(panel, U, true); // U×T
  const scale = 1 / (T - 1);
  const diag = new Float64Array(U);
  for (let u = 0; u < U; u++) {
    let s = 0;
    for (let t = 0; t < T; t++) s += (a[u * T + t] as number) ** 2;
    diag[u] = s * scale;
  }
  // Q: m×U, each vector contiguous. Start from the most volatile names' unit vectors, then one multiply.
  const order = Array.from({ length: U }, (_, i) => i).sort((x, y) => (diag[y] as number) - (diag[x] as number));
  let q: Float64Array = new Float64Array(m * U);
  for (let k = 0; k < m; k++) q[k * U + (order[k] as number)] = 1;
  const w = new Float64Array(m * T);
  const S = U <= T ? gramAssetMajor(a, U, T, scale, new Float64Array(U * U)) : null;
  const resident = S ? residentABt(S, U, U, m) : null;
  const apply = (qm: Float64Array, out: Float64Array): void => {
    if (resident) resident.run(qm, m, out);
    else if (S) multiplyABt(qm, m, S, U, U, out);
    else covTimesBlock(a, U, T, qm, m, w, out, scale);
  };
  let y: Float64Array = new Float64Array(m * U);
  let ritz: Float64Array = new Float64Array(m);
  let iterations = 0;
  for (; iterations < maxIt; iterations++) {
    apply(q, y);
    // Rayleigh–Ritz on span(Q): H = Qᵀ S Q = Qᵀ Y.
    const h = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) h[i * m + j] = dotRows(q, i, y, j, U);
    const e = symmetricEigen(h, m);
    let change = 0;
    for (let k = 0; k < K; k++) change = Math.max(change, Math.abs((e.values[k] as number) - (ritz[k] as number)) / Math.abs(e.values[k] as number));
    ritz = Float64Array.from(e.values);
    // Rotate Y into the Ritz basis and orthonormalise it for the next step.
    y = rotate(y, e.vectors, m, U);
    orthonormalise(y, m, U);
    const done = change < tol && iterations > 2;
    const next = q;
    q = y;
    y = next;
    if (done) break;
  }
  // Final Ritz vectors from the last Q.
  apply(q, y);
  const h = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) h[i * m + j] = dotRows(q, i, y, j, U);
  const e = symmetricEigen(h, m);
  const v = rotate(q, e.vectors, m, U);
  const B = new Float64Array(U * K);
  const F = new Float64Array(K * K);
  for (let k = 0; k < K; k++) {
    F[k * K + k] = e.values[k] as number;
    for (let u = 0; u < U; u++) B[u * K + k] = v[k * U + u] as number;
  }
  const D = new Float64Array(U);
  for (let u = 0; u < U; u++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += (F[k * K + k] as number) * (B[u * K + k] as number) ** 2;
    D[u] = Math.max((diag[u] as number) - s, 1e-12 * (diag[u] as number));
  }
  const fr = new Float64Array(T * K);
  for (let k = 0; k < K; k++) {
    for (let u = 0; u < U; u++) {
      const b = B[u * K + k] as number;
      const o = u * T;
      for (let t = 0; t < T; t++) fr[t * K + k] = (fr[t * K + k] as number) + b * (a[o + t] as number);
    }
  }
  return { U, K, B, F, D, factorReturns: fr, iterations };
}

/** Y = S·Q for the m vectors in Q (m×U): W = Aᵀ-products (m×T), then Y = A W scaled. */
function covTimesBlock(a: Float64Array, U: number, T: number, q: Float64Array, m: number, w: Float64Array, y: Float64Array, scale: number): void {
  w.fill(0);
  for (let u = 0; u < U; u++) {
    const ao = u * T;
    for (let k = 0; k < m; k++) {
      const c = q[k * U + u] as number;
      if (c === 0) continue;
      const wo = k * T;
      for (let t = 0; t < T; t++) w[wo + t] = (w[wo + t] as number) + c * (a[ao + t] as number);
    }
  }
  for (let u = 0; u < U; u++) {
    const ao = u * T;
    for (let k = 0; k < m; k++) {
      const wo = k * T;
      let s = 0;
      for (let t = 0; t < T; t++) s += (a[ao + t] as number) * (w[wo + t] as number);
      y[k * U + u] = s * scale;
    }
  }
}

function dotRows(x: Float64Array, i: number, y: Float64Array, j: number, U: number): number {
  let s = 0;
  const xo = i * U;
  const yo = j * U;
  for (let u = 0; u < U; u++) s += (x[xo + u] as number) * (y[yo + u] as number);
  return s;
}

/** Z[k] = Σ_i V[i][k] · X[i] for X (m×U) and the m×m column-eigenvector matrix V. */
function rotate(x: Float64Array, v: Float64Array, m: number, U: number): Float64Array {
  const z = new Float64Array(m * U);
  for (let k = 0; k < m; k++) {
    for (let i = 0; i < m; i++) {
      const c = v[i * m + k] as number;
      if (c === 0) continue;
      const xo = i * U;
      const zo = k * U;
      for (let u = 0; u < U; u++) z[zo + u] = (z[zo + u] as number) + c * (x[xo + u] as number);
    }
  }
  return z;
}

/** Modified Gram–Schmidt on the m rows of X (m×U), twice for stability. */
function orthonormalise(x: Float64Array, m: number, U: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let k = 0; k < m; k++) {
      for (let j = 0; j < k; j++) {
        const r = dotRows(x, j, x, k, U);
        for (let u = 0; u < U; u++) x[k * U + u] = (x[k * U + u] as number) - r * (x[j * U + u] as number);
      }
      const n = Math.sqrt(dotRows(x, k, x, k, U));
      const inv = n > 0 ? 1 / n : 0;
      for (let u = 0; u < U; u++) x[k * U + u] = (x[k * U + u] as number) * inv;
    }
  }
}

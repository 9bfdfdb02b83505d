/** A covariance given densely (U×U Float64Array) or as a factor model; products cost O(U²) or O(U·K + K²). */
import { factorCovTimes, type FactorModel } from '../risk/factor-model.ts';

/** Dense U×U covariance (row-major) or a factor model {B, F, D}; per-period return units². */
export type RiskModel = Float64Array | FactorModel;

/** True when the model is a factor model. */
export function isFactorModel(m: RiskModel): m is FactorModel {
  return !(m instanceof Float64Array);
}

/** Σ·w for either form (length U). */
export function covTimes(model: RiskModel, w: ArrayLike<number>, out = new Float64Array(w.length)): Float64Array {
  if (isFactorModel(model)) return factorCovTimes(model, w, out);
  const U = w.length;
  if (model.length !== U * U) throw new RangeError(`covariance must be ${U}×${U} for ${U} weights, got length ${model.length}`);
  out.fill(0);
  // Σ symmetric: accumulate column-wise over held names only (sparse books).
  for (let j = 0; j < U; j++) {
    const wj = w[j] as number;
    if (wj === 0) continue;
    const o = j * U;
    for (let i = 0; i < U; i++) out[i] = (out[i] as number) + (model[o + i] as number) * wj;
  }
  return out;
}

/** Σ_ii for either form (length U). */
export function covDiagonal(model: RiskModel, U: number): Float64Array {
  const d = new Float64Array(U);
  if (!isFactorModel(model)) {
    for (let i = 0; i < U; i++) d[i] = model[i * U + i] as number;
    return d;
  }
  const { K, B, F, D } = model;
  for (let u = 0; u < U; u++) {
    let s = D[u] as number;
    for (let a = 0; a < K; a++) {
      let r = 0;
      for (let b = 0; b < K; b++) r += (F[a * K + b] as number) * (B[u * K + b] as number);
      s += (B[u * K + a] as number) * r;
    }
    d[u] = s;
  }
  return d;
}

/** w_gᵀ Σ w_g for each group g (groups[i] ∈ 0..G−1; negative = no group): O(Σ n_g²) dense, O(U·K + G·K²) factor. */
export function groupQuadForms(model: RiskModel, w: ArrayLike<number>, groups: ArrayLike<number>, G: number): Float64Array {
  const U = w.length;
  const q = new Float64Array(G);
  if (!isFactorModel(model)) {
    const members: number[][] = Array.from({ length: G }, () => []);
    for (let i = 0; i < U; i++) {
      const g = groups[i] as number;
      if (g >= 0 && (w[i] as number) !== 0) members[g]?.push(i);
    }
    for (let g = 0; g < G; g++) {
      const m = members[g] ?? [];
      let s = 0;
      for (const i of m) {
        const o = i * U;
        let r = 0;
        for (const j of m) r += (model[o + j] as number) * (w[j] as number);
        s += (w[i] as number) * r;
      }
      q[g] = s;
    }
    return q;
  }
  const { K, B, F, D } = model;
  const bw = new Float64Array(G * K);
  for (let i = 0; i < U; i++) {
    const g = groups[i] as number;
    const wi = w[i] as number;
    if (g < 0 || wi === 0) continue;
    q[g] = (q[g] as number) + wi * wi * (D[i] as number);
    for (let a = 0; a < K; a++) bw[g * K + a] = (bw[g * K + a] as number) + (B[i * K + a] as number) * wi;
  }
  for (let g = 0; g < G; g++) {
    let s = 0;
    for (let a = 0; a < K; a++) {
      let r = 0;
      for (let b = 0; b < K; b++) r += (F[a * K + b] as number) * (bw[g * K + b] as number);
      s += (bw[g * K + a] as number) * r;
    }
    q[g] = (q[g] as number) + s;
  }
  return q;
}

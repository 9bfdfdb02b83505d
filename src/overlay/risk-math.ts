import { normalCvarMultiple, normalQuantile } from '../core/index.ts';
import type { RiskModel } from './factor-model-local.ts';

/**
 * Parametric (normal, zero-mean, one-day) risk on the factor model in O(N·K + K²): exposures in
 * dollars, VaR and CVaR as positive dollar losses. Euler components xᵢ(Σx)ᵢ/σ sum to σ exactly.
 */
export interface RiskScratch {
  readonly f: Float64Array;
  readonly ff: Float64Array;
  readonly sx: Float64Array;
}

export function riskScratch(model: RiskModel): RiskScratch {
  return { f: new Float64Array(model.K), ff: new Float64Array(model.K), sx: new Float64Array(model.N) };
}

/** out = Bᵀx (factor exposures, dollars). */
export function factorExposures(model: RiskModel, x: Float64Array, out: Float64Array): Float64Array {
  const { K, N, B } = model;
  out.fill(0);
  for (let u = 0; u < N; u++) {
    const xu = x[u] ?? 0;
    if (xu === 0) continue;
    const row = u * K;
    for (let k = 0; k < K; k++) out[k] = (out[k] ?? 0) + (B[row + k] ?? 0) * xu;
  }
  return out;
}

/** Portfolio variance xᵀΣx in dollars² per day; fills `s.sx` with Σx when `withMarginal`. */
export function portfolioVariance(model: RiskModel, x: Float64Array, s: RiskScratch, withMarginal = false): number {
  const { K, N, B, F, D } = model;
  factorExposures(model, x, s.f);
  let v = 0;
  for (let i = 0; i < K; i++) {
    let acc = 0;
    for (let j = 0; j < K; j++) acc += (F[i * K + j] ?? 0) * (s.f[j] ?? 0);
    s.ff[i] = acc;
    v += acc * (s.f[i] ?? 0);
  }
  for (let u = 0; u < N; u++) {
    const xu = x[u] ?? 0;
    v += (D[u] ?? 0) * xu * xu;
  }
  if (withMarginal) {
    for (let u = 0; u < N; u++) {
      const row = u * K;
      let acc = (D[u] ?? 0) * (x[u] ?? 0);
      for (let k = 0; k < K; k++) acc += (B[row + k] ?? 0) * (s.ff[k] ?? 0);
      s.sx[u] = acc;
    }
  }
  return Math.max(0, v);
}

/** A sparse book: indices into the model's names and signed dollar notionals. */
export interface SparseBook {
  readonly idx: Int32Array;
  readonly val: Float64Array;
}

/** Σᵢ xᵢ (Σx)ᵢ for a sparse book x against the marginal vector `sx` (dollars²). */
export function dotSparse(book: SparseBook, sx: Float64Array): number {
  let acc = 0;
  for (let i = 0; i < book.idx.length; i++) acc += (book.val[i] ?? 0) * (sx[book.idx[i] ?? 0] ?? 0);
  return acc;
}

/** Adds `scale × book` into the dense vector x. */
export function addSparse(x: Float64Array, book: SparseBook, scale: number): void {
  for (let i = 0; i < book.idx.length; i++) {
    const u = book.idx[i] ?? 0;
    x[u] = (x[u] ?? 0) + scale * (book.val[i] ?? 0);
  }
}

/** Standalone variance of a sparse book (allocates nothing beyond the scratch). */
export function sparseVariance(model: RiskModel, book: SparseBook, s: RiskScratch): number {
  const { K, B, F, D } = model;
  s.f.fill(0);
  let v = 0;
  for (let i = 0; i < book.idx.length; i++) {
    const u = book.idx[i] ?? 0;
    const xu = book.val[i] ?? 0;
    for (let k = 0; k < K; k++) s.f[k] = (s.f[k] ?? 0) + (B[u * K + k] ?? 0) * xu;
    v += (D[u] ?? 0) * xu * xu;
  }
  for (let i = 0; i < K; i++) {
    let acc = 0;
    for (let j = 0; j < K; j++) acc += (F[i * K + j] ?? 0) * (s.f[j] ?? 0);
    v += acc * (s.f[i] ?? 0);
  }
  return Math.max(0, v);
}

/** z and CVaR multiples per confidence, remembered (every review asks for the same two or three). */
const zs = new Map<number, number>();
const cvars = new Map<number, number>();

/** z of a one-sided normal VaR at `confidence` (1.645 at 95%). */
export function zOf(confidence: number): number {
  let z = zs.get(confidence);
  if (z === undefined) {
    z = normalQuantile(confidence);
    if (zs.size >= 64) zs.clear();
    zs.set(confidence, z);
  }
  return z;
}

/** Normal CVaR multiple: E[loss | loss > VaR] / σ = φ(z) / (1 − c). */
export function cvarMultiple(confidence: number): number {
  let m = cvars.get(confidence);
  if (m === undefined) {
    m = normalCvarMultiple(confidence);
    if (cvars.size >= 64) cvars.clear();
    cvars.set(confidence, m);
  }
  return m;
}

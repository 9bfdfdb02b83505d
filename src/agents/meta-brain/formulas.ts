/**
 * The meta-brain's formulas (seed: mini-quant-fund §2), exactly:
 *   ensemble        μ̂ = Σₖ wₖ·αₖ, wₖ = aₖcₖ / Σⱼ aⱼcⱼ (confidence-weighted; aₖ learned blend weights, 1 by default)
 *   disagreement    μ̂ ← μ̂ · exp(−β · Var(μₖ)), Var the population variance of the analysts' μ
 *   robust z        zᵢ = (μ̂ᵢ − median(μ̂)) / MAD, MAD = median(|μ̂ − median|) (unscaled)
 *   conviction      Sᵢ = μ̂ᵢ / σ̂ᵢ
 *   Kelly           fᵢ = γ · μ̂ᵢ / σ̂ᵢ²
 * with σ̂² = Σₖ wₖσₖ² + Σₖ wₖ(αₖ − μ̂_raw)² (the mixture's variance: own uncertainty plus
 * disagreement) and directional consensus / conflict detection (seed: macro-fund-pms).
 * μ and σ are simple returns over the common horizon.
 */
import { kellyFraction as gaussianKelly, normalPdf, normalQuantile } from '../../quant/index.ts';

/** One analyst's view of one name. */
export interface AnalystView {
  readonly source: string;
  readonly mu: number;
  readonly sigma: number;
  readonly confidence: number;
  /** Learned blend weight aₖ (meta-weighter); 1 when absent. */
  readonly blend?: number;
}

export interface Ensemble {
  readonly n: number;
  /** Σ wₖαₖ before the disagreement penalty. */
  readonly muRaw: number;
  /** Population variance of the analysts' μ. */
  readonly disagreement: number;
  /** exp(−β·Var). */
  readonly penalty: number;
  /** μ̂ after the penalty. */
  readonly mu: number;
  readonly sigma: number;
  /** Σ wₖcₖ, the ensemble's confidence in [0, 1]. */
  readonly confidence: number;
  /** Confidence-weight share agreeing with the ensemble's direction, in [0, 1] (1 when unanimous). */
  readonly consensus: number;
  /** −1, 0 or +1. */
  readonly direction: number;
  /** Strong views on both sides and no clear majority. */
  readonly isConflict: boolean;
}

export interface EnsembleOptions {
  readonly beta: number;
  /** A view at or above this confidence counts as strong for conflict detection. */
  readonly strongConfidence?: number;
  /** Consensus below this, with strong views on both sides, is a conflict. */
  readonly minConsensus?: number;
}

const EMPTY: Ensemble = {
  n: 0,
  muRaw: 0,
  disagreement: 0,
  penalty: 1,
  mu: 0,
  sigma: 0,
  confidence: 0,
  consensus: 0,
  direction: 0,
  isConflict: false,
};

export function ensemble(views: readonly AnalystView[], o: EnsembleOptions): Ensemble {
  const K = views.length;
  const mu = new Float64Array(K);
  const sigma = new Float64Array(K);
  const conf = new Float64Array(K);
  const blend = new Float64Array(K);
  views.forEach((v, k) => {
    mu[k] = v.mu;
    sigma[k] = v.sigma;
    conf[k] = v.confidence;
    blend[k] = v.blend ?? 1;
  });
  const out = mutableEnsemble();
  ensembleInto(mu, sigma, conf, blend, K, o, out);
  return { ...out };
}

/** A reusable result for `ensembleInto`. */
export function mutableEnsemble(): { -readonly [K in keyof Ensemble]: Ensemble[K] } {
  return { ...EMPTY };
}

/**
 * The ensemble of `K` views given as arrays (no allocation), written into `out`: the one
 * implementation of the formulas above. Views with a non-finite μ or σ, or zero confidence or
 * blend weight, are ignored.
 */
export function ensembleInto(
  mu: ArrayLike<number>,
  sigma: ArrayLike<number>,
  conf: ArrayLike<number>,
  blend: ArrayLike<number>,
  K: number,
  o: EnsembleOptions,
  out: { -readonly [P in keyof Ensemble]: Ensemble[P] },
): void {
  // A view is usable when μ and σ are finite and its confidence and blend weight positive (inlined: hot loop).
  let n = 0;
  let tw = 0;
  let meanMu = 0;
  for (let k = 0; k < K; k++) {
    const m = mu[k] as number;
    const ck = conf[k] as number;
    const bk = blend[k] as number;
    if (!(m === m && Number.isFinite(m) && Number.isFinite(sigma[k] as number) && ck > 0 && bk > 0)) continue;
    n++;
    tw += bk * ck;
    meanMu += m;
  }
  if (n === 0) {
    Object.assign(out, EMPTY);
    return;
  }
  meanMu /= n;
  let muRaw = 0;
  let c = 0;
  for (let k = 0; k < K; k++) {
    const m = mu[k] as number;
    const ck = conf[k] as number;
    const bk = blend[k] as number;
    if (!(m === m && Number.isFinite(m) && Number.isFinite(sigma[k] as number) && ck > 0 && bk > 0)) continue;
    const w = (bk * ck) / tw;
    muRaw += w * m;
    c += w * ck;
  }
  let disagreement = 0;
  let variance = 0;
  let agree = 0;
  let strongUp = false;
  let strongDown = false;
  const dir = muRaw > 0 ? 1 : muRaw < 0 ? -1 : 0;
  const strong = o.strongConfidence ?? 0.5;
  for (let k = 0; k < K; k++) {
    const m = mu[k] as number;
    const s = sigma[k] as number;
    const ck = conf[k] as number;
    const bk = blend[k] as number;
    if (!(m === m && Number.isFinite(m) && Number.isFinite(s) && ck > 0 && bk > 0)) continue;
    const w = (bk * ck) / tw;
    disagreement += (m - meanMu) * (m - meanMu);
    variance += w * (s * s + (m - muRaw) * (m - muRaw));
    if (dir !== 0 && Math.sign(m) === dir) agree += w;
    if (ck >= strong && m > 0) strongUp = true;
    if (ck >= strong && m < 0) strongDown = true;
  }
  disagreement /= n;
  const penalty = Math.exp(-o.beta * disagreement);
  const consensus = dir === 0 ? 0 : agree;
  out.n = n;
  out.muRaw = muRaw;
  out.disagreement = disagreement;
  out.penalty = penalty;
  out.mu = muRaw * penalty;
  out.sigma = Math.sqrt(variance);
  out.confidence = c;
  out.consensus = consensus;
  out.direction = dir;
  out.isConflict = strongUp && strongDown && consensus < (o.minConsensus ?? 0.6);
}

/** Robust z-scores (x − median) / MAD over the finite entries; 0 where MAD is 0, NaN stays NaN. */
export function robustZScores(x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length).fill(Number.NaN);
  let n = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) n++;
  if (n === 0) return out;
  const finite = new Float64Array(n);
  n = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) finite[n++] = x[i] as number;
  const med = medianOf(finite);
  const dev = new Float64Array(n);
  for (let i = 0; i < n; i++) dev[i] = Math.abs((finite[i] as number) - med);
  const mad = medianOf(dev);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (Number.isFinite(v)) out[i] = mad > 0 ? (v - med) / mad : 0;
  }
  return out;
}

/**
 * Median of `v` (not modified): order statistics by selection. A comparator sort would keep −0
 * and +0 in input order; `sortedAt` gives a zero order statistic the sign that order gives it.
 */
function medianOf(v: Float64Array): number {
  const s = v.slice();
  const m = s.length >> 1;
  return s.length % 2 === 1 ? sortedAt(s, v, m) : (sortedAt(s, v, m - 1) + sortedAt(s, v, m)) / 2;
}

/** The i-th smallest of `input` (ascending, 0-based); `work` is a scratch copy, reordered. */
function sortedAt(work: Float64Array, input: Float64Array, i: number): number {
  const x = selectKth(work, i);
  if (x !== 0) return x;
  let below = 0;
  for (let j = 0; j < input.length; j++) if ((input[j] as number) < 0) below++;
  return zeroAt(input, i - below);
}

/** Hoare selection: rearranges `a` so that a[k] holds its k-th smallest value, and returns it. */
function selectKth(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i++] = a[j] as number;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k] as number;
}

/** The k-th zero (±0) of `v` in input order. */
function zeroAt(v: Float64Array, k: number): number {
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    if (x === 0 && k-- === 0) return x;
  }
  return 0;
}

/** Conviction S = μ̂ / σ̂ (0 when σ̂ is 0). */
export function conviction(mu: number, sigma: number): number {
  return sigma > 0 ? mu / sigma : 0;
}

/** Fractional Kelly f = γ · μ̂ / σ̂² (a fraction of capital, signed; 0 when σ̂ is 0). */
export function kellyFraction(mu: number, sigma: number, gamma: number): number {
  return sigma > 0 ? gaussianKelly(mu, sigma * sigma, gamma) : 0;
}

/**
 * Parametric (normal) CVaR of a position, as a positive loss fraction of capital:
 * |f| · (σ·φ(Φ⁻¹(α))/(1−α) − sign(f)·μ).
 */
export function positionCvar(f: number, mu: number, sigma: number, alpha = 0.95): number {
  if (f === 0) return 0;
  const tail = (sigma * normalPdf(normalQuantile(alpha))) / (1 - alpha);
  return Math.max(0, Math.abs(f) * (tail - Math.sign(f) * mu));
}

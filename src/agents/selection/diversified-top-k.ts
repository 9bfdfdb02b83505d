/**
 * Diversified top-K selection (seed: refactor-plan §2.3, "diversified slate"): greedy, adding at
 * each step the candidate with the best utility
 *   u(c | S) = z(c) − λ · max_{s ∈ S} ρ(c, s)
 * where z is the candidate's standardised score and ρ the return correlation. λ = 0 is plain
 * top-K. Correlations are computed lazily, so the cost is O(K · candidates · window).
 */

import type { MarketView } from '../../market/index.ts';

/** Pairwise correlation between candidates i and j (indices into the candidate list). */
export type CorrelationFn = (i: number, j: number) => number;

/** Indices of the `k` best scores (descending, ties by index). NaN scores are never picked. */
export function plainTopK(scores: ArrayLike<number>, k: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (Number.isFinite(scores[i])) idx.push(i);
  idx.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  return idx.slice(0, Math.max(0, k));
}

/**
 * Greedy diversified top-K: returns candidate indices in the order chosen. `penalty` (λ) is in
 * score standard deviations per unit of correlation.
 */
export function diversifiedTopK(scores: ArrayLike<number>, k: number, penalty: number, corr: CorrelationFn): number[] {
  const n = scores.length;
  let s = 0;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = scores[i] as number;
    if (Number.isFinite(v)) {
      s += v;
      m++;
    }
  }
  if (m === 0 || k <= 0) return [];
  const mean = s / m;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const v = scores[i] as number;
    if (Number.isFinite(v)) ss += (v - mean) * (v - mean);
  }
  const sd = Math.sqrt(ss / m) || 1;
  const z = new Float64Array(n);
  // maxCorr[i] covers the first seen[i] picks; utilities only fall as picks are added, so a
  // stale utility is an upper bound (lazy greedy: same picks as the plain greedy, far fewer ρ).
  const maxCorr = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const seen = new Int32Array(n);
  const taken = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = scores[i] as number;
    z[i] = Number.isFinite(v) ? (v - mean) / sd : Number.NaN;
    if (!Number.isFinite(v)) taken[i] = 1;
  }
  const out: number[] = [];
  const utility = (i: number): number => (out.length === 0 || penalty === 0 ? (z[i] as number) : (z[i] as number) - penalty * (maxCorr[i] as number));
  while (out.length < Math.min(k, m)) {
    let picked = -1;
    for (;;) {
      let best = -1;
      let bestU = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        if (taken[i]) continue;
        const u = utility(i);
        if (u > bestU) {
          bestU = u;
          best = i;
        }
      }
      if (best < 0) break;
      if (penalty === 0 || seen[best] === out.length) {
        picked = best;
        break;
      }
      for (let s = seen[best] as number; s < out.length; s++) {
        const r = corr(best, out[s] as number);
        if (r > (maxCorr[best] as number)) maxCorr[best] = r;
      }
      seen[best] = out.length;
    }
    if (picked < 0) break;
    taken[picked] = 1;
    out.push(picked);
  }
  return out;
}

/** Column-major copy of a T×C returns block, each column centred (missing → its mean) and scaled to unit norm. */
function standardize(returns: ArrayLike<number>, C: number): { std: Float64Array; T: number } {
  const T = C > 0 ? Math.floor(returns.length / C) : 0;
  const std = new Float64Array(T * C);
  for (let c = 0; c < C; c++) {
    let s = 0;
    let n = 0;
    for (let t = 0; t < T; t++) {
      const v = returns[t * C + c] as number;
      if (v === v) {
        s += v;
        n++;
      }
    }
    const m = n > 0 ? s / n : 0;
    let ss = 0;
    for (let t = 0; t < T; t++) {
      const v = returns[t * C + c] as number;
      const d = v === v ? v - m : 0;
      std[c * T + t] = d;
      ss += d * d;
    }
    const norm = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let t = 0; t < T; t++) std[c * T + t] = (std[c * T + t] as number) * norm;
  }
  return { std, T };
}

/**
 * Lazy Pearson correlations between the columns of a T×C returns block (row-major by time, as
 * `MarketView.returnsPanel` gives it). Missing returns count as the column mean. Each call is one
 * O(T) dot product of pre-standardised columns (no cache: greedy selection asks for each pair once).
 */
export class ReturnCorrelations {
  private readonly std: Float64Array;
  readonly T: number;
  /** Column of the standardised block for each candidate (null: the candidates are the columns). */
  private readonly cols: Int32Array | null;

  constructor(returns: Float64Array, C: number);
  constructor(returns: { std: Float64Array; T: number }, C: number, cols: Int32Array);
  constructor(
    returns: Float64Array | { std: Float64Array; T: number },
    readonly C: number,
    cols: Int32Array | null = null,
  ) {
    const z = returns instanceof Float64Array ? standardize(returns, C) : returns;
    this.std = z.std;
    this.T = z.T;
    this.cols = cols;
  }

  /**
   * Correlations among the view's columns `cols` over the last `window` rows. The standardised
   * returns of every column are computed once per view row and window and shared by every agent
   * (standardising a column does not depend on the others, so the values are the same).
   */
  static fromView(view: MarketView, window: number, cols: readonly number[]): ReturnCorrelations {
    const z = view.memo(`agents.stdReturns:${window}:${view.t}`, () => standardize(view.returnsPanel(window), view.U));
    return new ReturnCorrelations(z, cols.length, Int32Array.from(cols));
  }

  /** ρ(i, j) in [−1, 1]; 0 when a column has no variance. */
  corr(i: number, j: number): number {
    if (i === j) return 1;
    const T = this.T;
    const std = this.std;
    let s = 0;
    const oa = (this.cols ? (this.cols[i] as number) : i) * T;
    const ob = (this.cols ? (this.cols[j] as number) : j) * T;
    for (let t = 0; t < T; t++) s += (std[oa + t] as number) * (std[ob + t] as number);
    return s;
  }

  /** Mean pairwise correlation of a set of columns (NaN for fewer than two). */
  averagePairwise(cols: readonly number[]): number {
    let s = 0;
    let n = 0;
    for (let x = 0; x < cols.length; x++) {
      for (let y = x + 1; y < cols.length; y++) {
        s += this.corr(cols[x] as number, cols[y] as number);
        n++;
      }
    }
    return n > 0 ? s / n : Number.NaN;
  }
}

/**
 * Diversified top-K selection (seed: refactor-plan §2.3, "diversified slate"): greedy, adding at
 * each step the candidate with the best utility
 *   u(c | S) = z(c) − λ · max_{s ∈ S} ρ(c, s)
 * where z is the candidate's standardised score and ρ the return correlation. λ = 0 is plain
 * top-K. Correlations are computed lazily, so the cost is O(K · candidates · window).
 */

import { ValidationError } from '../../core/index.ts';
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
 * Greedy diversified top-K: returns candidate indices in the order chosen. `penalty` (λ ≥ 0) is
 * in score standard deviations per unit of correlation. Each pick is the candidate of highest
 * utility, ties to the lowest index. `corr` is a function of two candidate indices, or a
 * ReturnCorrelations over the candidates (the same values, computed several at a time).
 */
export function diversifiedTopK(scores: ArrayLike<number>, k: number, penalty: number, corr: CorrelationFn | ReturnCorrelations): number[] {
  if (!(penalty >= 0)) throw new ValidationError('penalty', `must be a number ≥ 0, got ${penalty}`);
  const rc = corr instanceof ReturnCorrelations ? corr : null;
  const rho: CorrelationFn = rc ? (i, j) => rc.corr(i, j) : (corr as CorrelationFn);
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
  const heap = new Int32Array(m);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const v = scores[i] as number;
    z[i] = Number.isFinite(v) ? (v - mean) / sd : Number.NaN;
    if (Number.isFinite(v)) heap[size++] = i;
  }
  const want = Math.min(k, m);
  // The first pick is the best z; after it every utility is z − λ·max ρ against the picks.
  const key = z.slice();
  heapify(heap, size, key);
  const out: number[] = [heapPop(heap, size--, key)];
  if (out.length >= want) return out;
  if (penalty === 0) {
    while (out.length < want) out.push(heapPop(heap, size--, key));
    return out;
  }
  // Lazy greedy: maxCorr[i] covers the first seen[i] picks; utilities only fall as picks are
  // added, so a stale utility is an upper bound (same picks as the plain greedy, far fewer ρ).
  const maxCorr = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const seen = new Int32Array(n);
  const first = out[0] as number;
  const r1 = new Float64Array(m);
  if (rc) rc.corrMany(first, heap, 0, size, r1);
  else for (let h = 0; h < size; h++) r1[h] = rho(heap[h] as number, first);
  for (let h = 0; h < size; h++) {
    const i = heap[h] as number;
    const r = r1[h] as number;
    if (r > (maxCorr[i] as number)) maxCorr[i] = r;
    seen[i] = 1;
    key[i] = (z[i] as number) - penalty * (maxCorr[i] as number);
  }
  heapify(heap, size, key);
  while (out.length < want) {
    const best = heap[0] as number;
    if (seen[best] === out.length) {
      out.push(heapPop(heap, size--, key));
      continue;
    }
    const from = seen[best] as number;
    if (rc) rc.corrMany(best, out, from, out.length, r1);
    else for (let p = from; p < out.length; p++) r1[p] = rho(best, out[p] as number);
    for (let p = from; p < out.length; p++) {
      const r = r1[p] as number;
      if (r > (maxCorr[best] as number)) maxCorr[best] = r;
    }
    seen[best] = out.length;
    key[best] = (z[best] as number) - penalty * (maxCorr[best] as number);
    siftDown(heap, size, 0, key);
  }
  return out;
}

/** Heap order: higher key first, ties to the lower index. */
function before(a: number, b: number, key: Float64Array): boolean {
  const ka = key[a] as number;
  const kb = key[b] as number;
  return ka > kb || (ka === kb && a < b);
}

function siftDown(heap: Int32Array, size: number, at: number, key: Float64Array): void {
  const x = heap[at] as number;
  let i = at;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) break;
    const r = l + 1;
    const c = r < size && before(heap[r] as number, heap[l] as number, key) ? r : l;
    const y = heap[c] as number;
    if (!before(y, x, key)) break;
    heap[i] = y;
    i = c;
  }
  heap[i] = x;
}

function heapify(heap: Int32Array, size: number, key: Float64Array): void {
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(heap, size, i, key);
}

/** Removes and returns the top of a heap of `size` entries. */
function heapPop(heap: Int32Array, size: number, key: Float64Array): number {
  const top = heap[0] as number;
  heap[0] = heap[size - 1] as number;
  if (size > 1) siftDown(heap, size - 1, 0, key);
  return top;
}

/** Centres column `c` of a column-major block (missing → its mean) and scales it to unit norm, in place. */
function standardizeColumn(std: Float64Array, c: number, T: number): void {
  const o = c * T;
  let s = 0;
  let n = 0;
  for (let t = 0; t < T; t++) {
    const v = std[o + t] as number;
    if (v === v) {
      s += v;
      n++;
    }
  }
  const m = n > 0 ? s / n : 0;
  let ss = 0;
  for (let t = 0; t < T; t++) {
    const v = std[o + t] as number;
    const d = v === v ? v - m : 0;
    std[o + t] = d;
    ss += d * d;
  }
  const norm = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  for (let t = 0; t < T; t++) std[o + t] = (std[o + t] as number) * norm;
}

/** Column-major copy of a T×C returns block (row-major by time), each column standardised. */
function standardize(returns: ArrayLike<number>, C: number): { std: Float64Array; T: number } {
  const T = C > 0 ? Math.floor(returns.length / C) : 0;
  const std = new Float64Array(T * C);
  for (let c = 0; c < C; c++) {
    for (let t = 0; t < T; t++) std[c * T + t] = returns[t * C + c] as number;
    standardizeColumn(std, c, T);
  }
  return { std, T };
}

/** A view's standardised returns over a window, every column's filled on first use (`ready`). */
interface SharedBlock {
  readonly std: Float64Array;
  readonly T: number;
  readonly ready: Uint8Array;
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
   * returns of a column are computed once per view row and window, when first asked for, and
   * shared by every agent (standardising a column does not depend on the others, so the values
   * are the same whoever asks first).
   */
  static fromView(view: MarketView, window: number, cols: readonly number[]): ReturnCorrelations {
    const z = view.memo<SharedBlock>(`agents.stdReturns:${window}:${view.t}`, () => ({
      std: new Float64Array(window * view.U),
      T: window,
      ready: new Uint8Array(view.U),
    }));
    for (const c of cols) {
      if (z.ready[c]) continue;
      view.windowInto('ret', c, window, z.std, c * window);
      standardizeColumn(z.std, c, window);
      z.ready[c] = 1;
    }
    return new ReturnCorrelations(z, cols.length, Int32Array.from(cols));
  }

  private offset(i: number): number {
    return (this.cols ? (this.cols[i] as number) : i) * this.T;
  }

  /** ρ(i, j) in [−1, 1]; 0 when a column has no variance. */
  corr(i: number, j: number): number {
    if (i === j) return 1;
    const T = this.T;
    const std = this.std;
    let s = 0;
    const oa = this.offset(i);
    const ob = this.offset(j);
    for (let t = 0; t < T; t++) s += (std[oa + t] as number) * (std[ob + t] as number);
    return s;
  }

  /**
   * `out[h] = corr(i, js[h])` for h in [from, to): the same sums as `corr`, four columns per pass
   * over column i (independent accumulators, so each sum keeps its order and its bits).
   */
  corrMany(i: number, js: ArrayLike<number>, from: number, to: number, out: Float64Array): void {
    const T = this.T;
    const std = this.std;
    const oa = this.offset(i);
    let h = from;
    for (; h + 4 <= to; h += 4) {
      const o0 = this.offset(js[h] as number);
      const o1 = this.offset(js[h + 1] as number);
      const o2 = this.offset(js[h + 2] as number);
      const o3 = this.offset(js[h + 3] as number);
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < T; t++) {
        const a = std[oa + t] as number;
        s0 += a * (std[o0 + t] as number);
        s1 += a * (std[o1 + t] as number);
        s2 += a * (std[o2 + t] as number);
        s3 += a * (std[o3 + t] as number);
      }
      out[h] = s0;
      out[h + 1] = s1;
      out[h + 2] = s2;
      out[h + 3] = s3;
    }
    for (; h < to; h++) {
      const ob = this.offset(js[h] as number);
      let s = 0;
      for (let t = 0; t < T; t++) s += (std[oa + t] as number) * (std[ob + t] as number);
      out[h] = s;
    }
    for (h = from; h < to; h++) if (js[h] === i) out[h] = 1;
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

/**
 * Diversified top-K selection (seed: refactor-plan §2.3, "diversified slate"): greedy, adding at
 * each step the candidate with the best utility
 *   u(c | S) = z(c) − λ · max_{s ∈ S} ρ(c, s)
 * where z is the candidate's standardised score and ρ the return correlation. λ = 0 is plain
 * top-K. Correlations are computed lazily, so the cost is O(K · candidates · window).
 */

import { ValidationError } from '../../core/index.ts';
import { ReturnCorrelations } from './return-correlations.ts';

/** Pairwise correlation between candidates i and j (indices into the candidate list). */
export type CorrelationFn = (i: number, j: number) => number;

/** Indices of the `k` best scores (descending, ties by index). NaN scores are never picked. */
export function plainTopK(scores: ArrayLike<number>, k: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (Number.isFinite(scores[i])) idx.push(i);
  idx.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  return idx.slice(0, Math.max(0, k));
}

/** What a diversified selection measured on the way. */
export interface SelectionInfo {
  /** The largest correlation between two picks (NaN correlations ignored; −∞ for one pick; NaN when not measured, λ = 0). */
  maxPairCorrelation: number;
}

/**
 * Greedy diversified top-K: returns candidate indices in the order chosen. `penalty` (λ ≥ 0) is
 * in score standard deviations per unit of correlation. Each pick is the candidate of highest
 * utility, ties to the lowest index. `corr` is a function of two candidate indices, or a
 * ReturnCorrelations over the candidates (the same values, computed several at a time). `info`,
 * when given, receives the largest correlation between two picks. With `fixed` = f > 0 the first
 * f candidates (finite scores) are picks already made — names a book keeps — in that order; the
 * others are added around them, and the correlations among the f are not measured (`info` NaN).
 */
export function diversifiedTopK(
  scores: ArrayLike<number>,
  k: number,
  penalty: number,
  corr: CorrelationFn | ReturnCorrelations,
  info?: SelectionInfo,
  fixed = 0,
): number[] {
  if (!(penalty >= 0)) throw new ValidationError('penalty', `must be a number ≥ 0, got ${penalty}`);
  for (let i = 0; i < fixed; i++) {
    if (!Number.isFinite(scores[i])) throw new ValidationError('fixed', `candidate ${i} is kept but has no finite score`);
  }
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
  if (info) info.maxPairCorrelation = Number.NEGATIVE_INFINITY;
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
    if (Number.isFinite(v) && i >= fixed) heap[size++] = i;
  }
  const want = Math.min(k, m);
  // The first pick is the best z (or the first kept); after it every utility is z − λ·max ρ against the picks.
  const key = z.slice();
  heapify(heap, size, key);
  const out = new Int32Array(want);
  let picked = Math.min(fixed, want);
  for (let i = 0; i < picked; i++) out[i] = i;
  if (picked === 0) out[picked++] = heapPop(heap, size--, key);
  if (info && fixed > 1) info.maxPairCorrelation = Number.NaN;
  if (picked >= want) return Array.from(out);
  if (penalty === 0) {
    if (info) info.maxPairCorrelation = Number.NaN;
    while (picked < want) out[picked++] = heapPop(heap, size--, key);
    return Array.from(out);
  }
  // Lazy greedy: maxCorr[i] covers the first seen[i] picks; utilities only fall as picks are
  // added, so a stale utility is an upper bound, and the top of the heap, once exact, is the
  // best utility (ties to the lowest index): the same picks as the plain greedy, far fewer ρ.
  // Every candidate is correlated with the first pick, which makes the bounds tight.
  const maxCorr = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const seen = new Int32Array(n);
  const r1 = new Float64Array(m);
  const first = out[0] as number;
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
  while (picked < want) {
    const best = heap[0] as number;
    if (seen[best] === picked) {
      // its maxCorr covers every earlier pick
      if (info && fixed < 2 && (maxCorr[best] as number) > info.maxPairCorrelation) info.maxPairCorrelation = maxCorr[best] as number;
      out[picked++] = heapPop(heap, size--, key);
      continue;
    }
    const from = seen[best] as number;
    if (rc) rc.corrMany(best, out, from, picked, r1);
    else for (let p = from; p < picked; p++) r1[p] = rho(best, out[p] as number);
    for (let p = from; p < picked; p++) {
      const r = r1[p] as number;
      if (r > (maxCorr[best] as number)) maxCorr[best] = r;
    }
    seen[best] = picked;
    key[best] = (z[best] as number) - penalty * (maxCorr[best] as number);
    siftDown(heap, size, 0, key);
  }
  return Array.from(out);
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

/**
 * Cross-sectional helpers shared by the strategies: z-scores, ranking and the alpha model
 * μ = IC · z · σ_h (Grinold's "alpha = IC × volatility × score"), all NaN-aware.
 */

/** Standardises the finite entries of `x` in place (mean 0, population std 1); returns how many. */
export function zscoreInPlace(x: Float64Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v === v) {
      s += v;
      n++;
    }
  }
  if (n === 0) return 0;
  const m = s / n;
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v === v) ss += (v - m) * (v - m);
  }
  const sd = Math.sqrt(ss / n);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v === v) x[i] = sd > 0 ? (v - m) / sd : 0;
  }
  return n;
}

/** Winsorises finite entries to [−lim, lim] in place. */
export function clipInPlace(x: Float64Array, lim: number): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v > lim) x[i] = lim;
    else if (v < -lim) x[i] = -lim;
  }
}

/** Columns with a finite score, sorted by score descending (ties by column, so deterministic). */
export function rankDescending(score: Float64Array): number[] {
  const idx: number[] = [];
  for (let i = 0; i < score.length; i++) if ((score[i] as number) === (score[i] as number)) idx.push(i);
  idx.sort((a, b) => (score[b] as number) - (score[a] as number) || a - b);
  return idx;
}

/** How many columns have a finite score (the length of `rankDescending(score)`). */
export function rankedCount(score: Float64Array): number {
  let n = 0;
  for (let i = 0; i < score.length; i++) if ((score[i] as number) === (score[i] as number)) n++;
  return n;
}

/**
 * `rankDescending(score).slice(0, k)` without sorting the rest: a bounded heap, O(U log k). With
 * `fromBottom`, the last k of the ranking instead, last first.
 */
export function topRanked(score: Float64Array, k: number, fromBottom = false): number[] {
  const heap = new Int32Array(Math.max(0, Math.min(k, score.length)));
  const cap = heap.length;
  const dir = fromBottom ? -1 : 1;
  let size = 0;
  if (cap > 0) {
    for (let i = 0; i < score.length; i++) {
      if ((score[i] as number) !== (score[i] as number)) continue;
      if (size < cap) {
        heap[size] = i;
        siftUpWorst(heap, size++, score, dir);
      } else if (ranksBefore(score, i, heap[0] as number, dir)) {
        heap[0] = i;
        siftDownWorst(heap, size, score, dir);
      }
    }
  }
  const out = new Array<number>(size);
  // the root is the worst kept: pop it into the last free slot
  for (let n = size; n > 0; n--) {
    out[n - 1] = heap[0] as number;
    heap[0] = heap[n - 1] as number;
    siftDownWorst(heap, n - 1, score, dir);
  }
  return out;
}

/** True when column a comes before column b in the ranking (dir 1: by score descending, ties by column; −1: reversed). */
function ranksBefore(score: Float64Array, a: number, b: number, dir: number): boolean {
  const sa = score[a] as number;
  const sb = score[b] as number;
  return dir > 0 ? sa > sb || (sa === sb && a < b) : sa < sb || (sa === sb && a > b);
}

/** Heap with the worst-ranked column at the root. */
function siftUpWorst(heap: Int32Array, at: number, score: Float64Array, dir: number): void {
  const x = heap[at] as number;
  let i = at;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const y = heap[p] as number;
    if (!ranksBefore(score, y, x, dir)) break;
    heap[i] = y;
    i = p;
  }
  heap[i] = x;
}

function siftDownWorst(heap: Int32Array, size: number, score: Float64Array, dir: number): void {
  if (size === 0) return;
  const x = heap[0] as number;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) break;
    const r = l + 1;
    const c = r < size && ranksBefore(score, heap[l] as number, heap[r] as number, dir) ? r : l;
    const y = heap[c] as number;
    if (!ranksBefore(score, x, y, dir)) break;
    heap[i] = y;
    i = c;
  }
  heap[i] = x;
}

/** How many names a quantile of `n` names holds, at least `min` (if available). */
export function quantileCount(n: number, fraction: number, min = 1): number {
  return Math.min(n, Math.max(min, Math.round(n * fraction)));
}

/**
 * Expected return over `horizonDays` from a standardised score: μ = IC · z · σ_daily · √h.
 * `sigma` of the signal is the return's own dispersion over the horizon, σ_daily · √h.
 */
export function alphaFromScore(ic: number, z: number, dailyVol: number, horizonDays: number): { mu: number; sigma: number } {
  const sh = dailyVol * Math.sqrt(horizonDays);
  return { mu: ic * z * sh, sigma: sh };
}

/** Confidence in [0, 1] from a score's strength: |z| / zFull, capped, times a data-coverage factor. */
export function confidenceFromZ(z: number, zFull = 2.5, coverage = 1): number {
  const c = (Math.min(Math.abs(z), zFull) / zFull) * coverage;
  return c > 1 ? 1 : c < 0 ? 0 : c;
}

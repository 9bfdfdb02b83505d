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
  return topRanked(score, score.length);
}

/** How many columns have a finite score (the length of `rankDescending(score)`). */
export function rankedCount(score: Float64Array): number {
  let n = 0;
  for (let i = 0; i < score.length; i++) if ((score[i] as number) === (score[i] as number)) n++;
  return n;
}

/**
 * `rankDescending(score).slice(0, k)` without sorting the rest (selection, then a sort of the k);
 * with `fromBottom`, the last k of the ranking instead, last first.
 */
export function topRanked(score: Float64Array, k: number, fromBottom = false): number[] {
  const n = rankedCount(score);
  const m = Math.max(0, Math.min(k, n));
  if (m === 0) return [];
  const dir = fromBottom ? -1 : 1;
  const key = new Float64Array(score.length);
  const idx = new Int32Array(n);
  let c = 0;
  for (let i = 0; i < score.length; i++) {
    const v = score[i] as number;
    if (v !== v) continue;
    key[i] = dir * v;
    idx[c++] = i;
  }
  const ends = new Int32Array(2);
  if (m < n) select(idx, 0, n - 1, m - 1, key, dir, ends);
  sortRange(idx, 0, m - 1, key, dir, ends);
  return Array.from(idx.subarray(0, m));
}

/** The ranking order: key descending, ties by column ascending (dir 1) or descending (dir −1). */
function before(a: number, b: number, key: Float64Array, dir: number): boolean {
  const ka = key[a] as number;
  const kb = key[b] as number;
  return ka > kb || (ka === kb && (a - b) * dir < 0);
}

/** Hoare partition of idx[lo..hi] around the median of three: the left part ends at ends[0], the right starts at ends[1]. */
function partition(idx: Int32Array, lo: number, hi: number, key: Float64Array, dir: number, ends: Int32Array): void {
  const mid = (lo + hi) >> 1;
  if (before(idx[mid] as number, idx[lo] as number, key, dir)) swap(idx, mid, lo);
  if (before(idx[hi] as number, idx[lo] as number, key, dir)) swap(idx, hi, lo);
  if (before(idx[hi] as number, idx[mid] as number, key, dir)) swap(idx, hi, mid);
  const pivot = idx[mid] as number;
  let i = lo;
  let j = hi;
  while (i <= j) {
    while (before(idx[i] as number, pivot, key, dir)) i++;
    while (before(pivot, idx[j] as number, key, dir)) j--;
    if (i <= j) swap(idx, i++, j--);
  }
  ends[0] = j;
  ends[1] = i;
}

/** Rearranges idx[lo..hi] so that its first kth+1 − lo entries are the best, in any order. */
function select(idx: Int32Array, lo: number, hi: number, kth: number, key: Float64Array, dir: number, ends: Int32Array): void {
  while (hi > lo) {
    partition(idx, lo, hi, key, dir, ends);
    const j = ends[0] as number;
    const i = ends[1] as number;
    if (kth <= j) hi = j;
    else if (kth >= i) lo = i;
    else return;
  }
}

function sortRange(idx: Int32Array, lo: number, hi: number, key: Float64Array, dir: number, ends: Int32Array): void {
  while (hi - lo > 16) {
    partition(idx, lo, hi, key, dir, ends);
    const j = ends[0] as number;
    const i = ends[1] as number;
    // recurse into the smaller side, loop on the larger
    if (j - lo < hi - i) {
      sortRange(idx, lo, j, key, dir, ends);
      lo = i;
    } else {
      sortRange(idx, i, hi, key, dir, ends);
      hi = j;
    }
  }
  for (let x = lo + 1; x <= hi; x++) {
    const v = idx[x] as number;
    let y = x - 1;
    while (y >= lo && before(v, idx[y] as number, key, dir)) {
      idx[y + 1] = idx[y] as number;
      y--;
    }
    idx[y + 1] = v;
  }
}

function swap(idx: Int32Array, a: number, b: number): void {
  const t = idx[a] as number;
  idx[a] = idx[b] as number;
  idx[b] = t;
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

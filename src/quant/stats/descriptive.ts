/** Descriptive statistics on number[] | Float64Array. NaN handling is stated per function. */

/** A read-only numeric series: number[] or Float64Array. */
export type Series = ArrayLike<number>;

/** The non-NaN values of `x`, in order, as a new Float64Array. */
export function dropNaN(x: Series): Float64Array {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i] as number)) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) out[j++] = v;
  }
  return out;
}

/** Arithmetic mean, NaNs ignored; NaN when no value is left. */
export function mean(x: Series): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) {
      s += v;
      n++;
    }
  }
  return n === 0 ? Number.NaN : s / n;
}

/**
 * Variance with `ddof` (default 1: sample), NaNs ignored; NaN when fewer than ddof+1 values. Two-pass for accuracy.
 * Exactly 0 for a constant series: its mean, summed in floating point, can miss the value by an ulp,
 * and that residue divided into a ratio (a flat book's excess return over its "volatility") gave
 * Sharpe ratios of −9e16 instead of the documented −Infinity.
 */
export function variance(x: Series, ddof = 1): number {
  const m = mean(x);
  let s = 0;
  let n = 0;
  let first = Number.NaN;
  let varies = false;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) {
      if (n === 0) first = v;
      else if (v !== first) varies = true;
      s += (v - m) * (v - m);
      n++;
    }
  }
  if (n - ddof <= 0) return Number.NaN;
  return varies ? s / (n - ddof) : 0;
}

/** Standard deviation with `ddof` (default 1: sample, as numpy `std(ddof=1)`), NaNs ignored. */
export function std(x: Series, ddof = 1): number {
  return Math.sqrt(variance(x, ddof));
}

/** Sum, NaNs ignored (0 for an empty series). */
export function sum(x: Series): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) s += v;
  }
  return s;
}

/**
 * Quantile `q` ∈ [0, 1] by linear interpolation between order statistics, exactly as
 * `numpy.percentile(x, 100q)` (method "linear"); NaNs ignored; NaN for an empty series.
 */
export function quantile(x: Series, q: number): number {
  const s = dropNaN(x).sort();
  return quantileSorted(s, q);
}

/** `quantile` on values already sorted ascending without NaNs (no copy). */
export function quantileSorted(sorted: Series, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** Median, NaNs ignored (numpy.median). */
export function median(x: Series): number {
  return quantile(x, 0.5);
}

/** Sample skewness, biased (population moments, as scipy.stats.skew default), NaNs ignored. */
export function skewness(x: Series): number {
  const m = mean(x);
  let m2 = 0;
  let m3 = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (Number.isNaN(v)) continue;
    const d = v - m;
    m2 += d * d;
    m3 += d * d * d;
    n++;
  }
  if (n === 0) return Number.NaN;
  m2 /= n;
  m3 /= n;
  return m3 / Math.pow(m2, 1.5);
}

/** Excess kurtosis, biased (population moments, scipy.stats.kurtosis default: normal → 0), NaNs ignored. */
export function excessKurtosis(x: Series): number {
  const m = mean(x);
  let m2 = 0;
  let m4 = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (Number.isNaN(v)) continue;
    const d = v - m;
    const d2 = d * d;
    m2 += d2;
    m4 += d2 * d2;
    n++;
  }
  if (n === 0) return Number.NaN;
  m2 /= n;
  m4 /= n;
  return m4 / (m2 * m2) - 3;
}

/** Sample covariance (ddof 1) of two equal-length series over pairs where both are non-NaN. */
export function covariance(x: Series, y: Series): number {
  const n0 = Math.min(x.length, y.length);
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let i = 0; i < n0; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    sx += a;
    sy += b;
    n++;
  }
  if (n < 2) return Number.NaN;
  const mx = sx / n;
  const my = sy / n;
  let s = 0;
  for (let i = 0; i < n0; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    s += (a - mx) * (b - my);
  }
  return s / (n - 1);
}

/** Pearson correlation over pairs where both are non-NaN; NaN when either is constant. */
export function correlation(x: Series, y: Series): number {
  const n0 = Math.min(x.length, y.length);
  const a = new Float64Array(n0);
  const b = new Float64Array(n0);
  let n = 0;
  for (let i = 0; i < n0; i++) {
    const u = x[i] as number;
    const v = y[i] as number;
    if (Number.isNaN(u) || Number.isNaN(v)) continue;
    a[n] = u;
    b[n] = v;
    n++;
  }
  const xa = a.subarray(0, n);
  const yb = b.subarray(0, n);
  return covariance(xa, yb) / (std(xa) * std(yb));
}

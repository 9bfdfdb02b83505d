/**
 * Private isotonic regression and expected calibration error until src/quant exports them
 * (fold into quant later).
 */

/** A fitted non-decreasing step function: `xs` ascending block upper bounds, `ys` block means. */
export interface IsotonicFit {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
}

/**
 * Least-squares non-decreasing fit of y on x by pool-adjacent-violators (ties in x pooled first).
 * Returns blocks; `predictIsotonic` evaluates the step function.
 */
export function fitIsotonic(x: ArrayLike<number>, y: ArrayLike<number>, w?: ArrayLike<number>): IsotonicFit {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (x[a] as number) - (x[b] as number) || a - b);
  const bx: number[] = [];
  const by: number[] = [];
  const bw: number[] = [];
  for (const i of order) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    const wi = w ? (w[i] as number) : 1;
    if (bx.length > 0 && bx[bx.length - 1] === xi) {
      const k = bx.length - 1;
      const tw = (bw[k] as number) + wi;
      by[k] = ((by[k] as number) * (bw[k] as number) + yi * wi) / tw;
      bw[k] = tw;
    } else {
      bx.push(xi);
      by.push(yi);
      bw.push(wi);
    }
    // pool while the last two blocks violate monotonicity
    while (by.length > 1 && (by[by.length - 2] as number) > (by[by.length - 1] as number)) {
      const k = by.length - 1;
      const tw = (bw[k - 1] as number) + (bw[k] as number);
      by[k - 1] = ((by[k - 1] as number) * (bw[k - 1] as number) + (by[k] as number) * (bw[k] as number)) / tw;
      bw[k - 1] = tw;
      bx[k - 1] = bx[k] as number;
      bx.pop();
      by.pop();
      bw.pop();
    }
  }
  return { xs: Float64Array.from(bx), ys: Float64Array.from(by) };
}

/** The fitted value at x: the value of the first block whose upper bound is ≥ x (a step function). */
export function predictIsotonic(fit: IsotonicFit, x: number): number {
  const n = fit.xs.length;
  if (n === 0) return Number.NaN;
  let lo = 0;
  let hi = n - 1;
  if (x >= (fit.xs[hi] as number)) return fit.ys[hi] as number;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((fit.xs[mid] as number) >= x) hi = mid;
    else lo = mid + 1;
  }
  return fit.ys[lo] as number;
}

/**
 * Expected calibration error with `bins` equal-width bins on [0, 1]:
 * ECE = Σ_b (n_b / N) · |mean(p in b) − mean(outcome in b)|. Outcomes are 0/1 (or frequencies).
 */
export function expectedCalibrationError(p: ArrayLike<number>, outcome: ArrayLike<number>, bins = 10): number {
  const n = p.length;
  if (n === 0) return Number.NaN;
  const sp = new Float64Array(bins);
  const so = new Float64Array(bins);
  const cnt = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const pi = Math.min(1, Math.max(0, p[i] as number));
    const b = Math.min(bins - 1, Math.floor(pi * bins));
    sp[b] = (sp[b] as number) + pi;
    so[b] = (so[b] as number) + (outcome[i] as number);
    cnt[b] = (cnt[b] as number) + 1;
  }
  let e = 0;
  for (let b = 0; b < bins; b++) {
    const c = cnt[b] as number;
    if (c > 0) e += (c / n) * Math.abs((sp[b] as number) / c - (so[b] as number) / c);
  }
  return e;
}

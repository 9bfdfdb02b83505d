/** Small statistics for charts: simple returns and Pearson correlation. */

export function returnsOf(equity: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < equity.length; i++) {
    const a = equity[i - 1] ?? 0;
    out.push(a > 0 ? (equity[i] ?? 0) / a - 1 : 0);
  }
  return out;
}

/** Pearson correlation over the common length; NaN when either series is constant. */
export function correlation(x: readonly number[], y: readonly number[]): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] ?? 0;
    my += y[i] ?? 0;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = (x[i] ?? 0) - mx;
    const b = (y[i] ?? 0) - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

export function correlationMatrix(series: readonly (readonly number[])[]): number[][] {
  return series.map((a, i) => series.map((b, j) => (i === j ? 1 : correlation(a, b))));
}

/** Equity rebased to 1 at the start. */
export function rebase(equity: readonly number[]): number[] {
  const e0 = equity[0] ?? 0;
  return equity.map((v) => (e0 > 0 ? v / e0 : 0));
}

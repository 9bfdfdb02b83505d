/** Small statistics for charts: simple returns and Pearson correlation. */

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

/**
 * A book's daily returns net of the capital moved into it (`flows[i]`, part of `equity[i]`): the
 * allocation's transfers are neither gains nor losses (the backtest's `flowAdjustedReturns`).
 * Without flows (a backtest stored before the allocation) the plain returns.
 */
export function bookReturns(equity: readonly number[], flows?: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < equity.length; i++) {
    const a = equity[i - 1] ?? 0;
    out.push(a > 0 ? ((equity[i] ?? 0) - (flows?.[i] ?? 0) - a) / a : 0);
  }
  return out;
}

/** Growth of 1 from daily returns: 1 on the first day, then compounded. */
export function growth(returns: readonly number[]): number[] {
  const out = [1];
  let g = 1;
  for (const r of returns) out.push((g *= 1 + r));
  return out;
}

/** A book's P&L over the run, dollars: its last NAV less its first and less the capital moved in since. */
export function bookPnl(equity: readonly number[], flows?: readonly number[]): number {
  let moved = 0;
  for (let i = 1; i < equity.length; i++) moved += flows?.[i] ?? 0;
  return (equity[equity.length - 1] ?? 0) - (equity[0] ?? 0) - moved;
}

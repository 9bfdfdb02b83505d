import type { Regime } from '../../contracts/index.ts';
import type { MarketView, PriceField } from '../../market/index.ts';
import { classifyRegime } from '../../quant/index.ts';

/**
 * Feature helpers over a point-in-time `MarketView` for plug-in agents. Each reads rows up to the
 * view's as-of row only; a missing value gives NaN ("no view"). Returns are simple; volatilities
 * daily (× √252 for annual) unless named annual. `u` is a column (`view.column(symbol)`).
 */

/** Simple return of column `u` from `days + skip` rows ago to `skip` rows ago (12-1 momentum: days 231, skip 21). */
export function trailingReturn(view: MarketView, u: number, days: number, skip = 0): number {
  const end = view.t - skip;
  const start = end - days;
  if (start < 0) return Number.NaN;
  return view.close(u, end) / view.close(u, start) - 1;
}

/** Standard deviation of the last `days` daily returns of column `u` (daily; NaN with fewer than 2). */
export function realizedVol(view: MarketView, u: number, days: number): number {
  const n = Math.min(days, view.t);
  if (n < 2) return Number.NaN;
  const r = view.window('ret', u, n);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += r[i] as number;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((r[i] as number) - mean) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/** Mean of `field` of column `u` over the last `days` rows (NaN when the window is not full). */
export function movingAverage(view: MarketView, u: number, days: number, field: PriceField = 'close'): number {
  if (view.t + 1 < days) return Number.NaN;
  const w = view.window(field, u, days);
  let s = 0;
  for (let i = 0; i < days; i++) s += w[i] as number;
  return s / days;
}

/** `f(u)` for every column of the view, as a Float64Array (NaN where `f` has no value). */
export function crossSection(view: MarketView, f: (u: number) => number): Float64Array {
  const out = new Float64Array(view.U);
  for (let u = 0; u < view.U; u++) out[u] = view.isTradable(u) ? f(u) : Number.NaN;
  return out;
}

/** Cross-sectional z-scores of `x` (NaN stays NaN), a new array; all NaN when fewer than two values. */
export function zscores(x: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(x);
  let n = 0;
  let mean = 0;
  for (const v of out) if (v === v) { n++; mean += v; }
  if (n < 2) return out.fill(Number.NaN);
  mean /= n;
  let ss = 0;
  for (const v of out) if (v === v) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  for (let i = 0; i < out.length; i++) out[i] = sd > 0 ? ((out[i] as number) - mean) / sd : 0 * (out[i] as number);
  return out;
}

/**
 * The market regime as of the view: BULL when the market (the `market` reference series, else
 * the equal-weighted mean of the names) is at or above its `trendDays` average, VOLATILE when its
 * annualised volatility over `volDays` is at least 25%. BULL_QUIET before there is history.
 */
export function regimeOf(view: MarketView, o: { readonly trendDays?: number; readonly volDays?: number } = {}): Regime {
  const trendDays = o.trendDays ?? 100;
  const volDays = o.volDays ?? 63;
  const n = Math.min(view.t + 1, Math.max(trendDays, volDays + 1));
  if (n < 21) return 'BULL_QUIET';
  const level = view.referenceNames().includes('market') ? view.reference('market', n) : equalWeightLevel(view, n);
  const last = level[n - 1] as number;
  const tw = Math.min(trendDays, n);
  let avg = 0;
  for (let i = n - tw; i < n; i++) avg += level[i] as number;
  avg /= tw;
  let m = 0;
  let ss = 0;
  let k = 0;
  for (let i = Math.max(1, n - volDays); i < n; i++) {
    const r = (level[i] as number) / (level[i - 1] as number) - 1;
    if (r !== r) continue;
    k++;
    const d = r - m;
    m += d / k;
    ss += d * (r - m);
  }
  const vol = k > 1 ? Math.sqrt((ss / (k - 1)) * 252) : 0;
  return classifyRegime(last / avg - 1, vol);
}

function equalWeightLevel(view: MarketView, n: number): Float64Array {
  const level = new Float64Array(n);
  let x = 1;
  for (let i = 0; i < n; i++) {
    const row = view.row('ret', view.t - n + 1 + i);
    let s = 0;
    let c = 0;
    for (const r of row) if (r === r) { s += r; c++; }
    if (i > 0 && c > 0) x *= 1 + s / c;
    level[i] = x;
  }
  return level;
}

import type { Regime } from '../contracts/index.ts';
import { classifyRegime } from '../quant/index.ts';

/**
 * Regime label from daily market returns (oldest first): trend = sign of the last `trendDays`
 * compounded return, volatility = annualised 20-day standard deviation against 4/3 × `volTarget`
 * (20% for the default 15% target), labelled by quant's `classifyRegime` (vol at or above → volatile).
 */
export function deriveRegime(marketReturns: Float64Array, trendDays: number, volTarget: number): Regime {
  const T = marketReturns.length;
  let logSum = 0;
  for (let k = Math.max(0, T - trendDays); k < T; k++) {
    const r = marketReturns[k] ?? Number.NaN;
    if (Number.isFinite(r)) logSum += Math.log1p(r);
  }
  let s = 0, ss = 0, n = 0;
  for (let k = Math.max(0, T - 20); k < T; k++) {
    const r = marketReturns[k] ?? Number.NaN;
    if (!Number.isFinite(r)) continue;
    s += r; ss += r * r; n++;
  }
  const vol = n > 1 ? Math.sqrt(Math.max(0, (ss - (s * s) / n) / (n - 1)) * 252) : 0;
  return classifyRegime(Math.expm1(logSum), vol, (4 / 3) * volTarget);
}

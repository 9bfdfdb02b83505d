/**
 * Return transforms and compounding metrics, following empyrical: a NaN return counts as a flat
 * period (0) when compounding, and as a period in the length used to annualise.
 */
import type { Series } from '../stats/descriptive.ts';
import { std } from '../stats/descriptive.ts';
import { periodsOf, type MetricOptions } from './options.ts';

/** Simple returns p[i]/p[i−1] − 1 of a price series (length n − 1). */
export function simpleReturns(prices: Series): Float64Array {
  const n = Math.max(prices.length - 1, 0);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (prices[i + 1] as number) / (prices[i] as number) - 1;
  return out;
}

/** Compounded cumulative returns: Π(1 + r) − 1 (fractions), or startingValue·Π(1 + r) when startingValue ≠ 0; NaN as 0. */
export function cumReturns(returns: Series, options: MetricOptions = {}): Float64Array {
  const sv = options.startingValue ?? 0;
  const out = new Float64Array(returns.length);
  let g = 1;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i] as number;
    if (!Number.isNaN(r)) g *= 1 + r;
    out[i] = sv === 0 ? g - 1 : sv * g;
  }
  return out;
}

/** The final compounded return Π(1 + r) − 1 (or startingValue·Π(1 + r)); NaN for an empty series. */
export function cumReturnsFinal(returns: Series, options: MetricOptions = {}): number {
  if (returns.length === 0) return Number.NaN;
  return cumReturns(returns, options)[returns.length - 1] as number;
}

/** CAGR: (Π(1 + r))^(periodsPerYear/n) − 1, n counting NaN periods; NaN when empty. */
export function annualReturn(returns: Series, options: MetricOptions = {}): number {
  const n = returns.length;
  if (n < 1) return Number.NaN;
  const ending = cumReturnsFinal(returns, { startingValue: 1 });
  return Math.pow(ending, periodsOf(options) / n) - 1;
}

/** Annualised volatility: sample std (ddof 1, NaNs skipped) × √periodsPerYear; NaN with fewer than 2 values. */
export function annualVolatility(returns: Series, options: MetricOptions = {}): number {
  if (returns.length < 2) return Number.NaN;
  return std(returns) * Math.sqrt(periodsOf(options));
}

/** Drawdown series (≤ 0) of compounded wealth from a start of 1: wealth/peak − 1, the start counting as a peak. */
export function drawdownSeries(returns: Series): Float64Array {
  const out = new Float64Array(returns.length);
  let w = 1;
  let peak = 1;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i] as number;
    if (!Number.isNaN(r)) w *= 1 + r;
    peak = Math.max(peak, w);
    out[i] = (w - peak) / peak;
  }
  return out;
}

/** Maximum drawdown as a negative fraction (−0.1 = a 10% peak-to-trough loss); 0 when never below a peak; NaN if empty. */
export function maxDrawdown(returns: Series): number {
  if (returns.length === 0) return Number.NaN;
  let m = 0;
  for (const d of drawdownSeries(returns)) m = Math.min(m, d);
  return m;
}

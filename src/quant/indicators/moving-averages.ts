/**
 * Moving averages with TA-Lib's conventions: output as long as the input, NaN during warm-up
 * (the first `period - 1` bars); a NaN input propagates to every output that uses it.
 */
import type { Series } from '../stats/descriptive.ts';

function checkPeriod(period: number): void {
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`period must be a positive integer, got ${period}`);
}

/** Simple moving average over `period` bars; NaN for the first period−1 bars. */
export function sma(values: Series, period: number): Float64Array {
  checkPeriod(period);
  const n = values.length;
  const out = new Float64Array(n).fill(Number.NaN);
  for (let i = period - 1; i < n; i++) {
    // A fresh sum per window keeps NaN local and avoids drift; cost O(n·period) is fine for bars.
    let s = 0;
    for (let j = i - period + 1; j <= i; j++) s += values[j] as number;
    out[i] = s / period;
  }
  return out;
}

/** Exponential moving average, α = 2/(period+1), seeded with the SMA of the first `period` values (TA-Lib). */
export function ema(values: Series, period: number): Float64Array {
  checkPeriod(period);
  return expSmooth(values, period, 2 / (period + 1));
}

/** Wilder's smoothed moving average (SMMA, RMA), α = 1/period, seeded with the SMA of the first `period` values. */
export function smma(values: Series, period: number): Float64Array {
  checkPeriod(period);
  return expSmooth(values, period, 1 / period);
}

/** Exponential smoothing with weight `alpha`, seeded by the SMA of the first `period` values. */
export function expSmooth(values: Series, period: number, alpha: number, start = 0): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const seedAt = start + period - 1;
  if (seedAt >= n) return out;
  let s = 0;
  for (let j = start; j <= seedAt; j++) s += values[j] as number;
  let prev = s / period;
  out[seedAt] = prev;
  for (let i = seedAt + 1; i < n; i++) {
    prev = prev + alpha * ((values[i] as number) - prev);
    out[i] = prev;
  }
  return out;
}

/** Linearly weighted moving average: weights 1..period, the newest bar heaviest. */
export function wma(values: Series, period: number): Float64Array {
  checkPeriod(period);
  const n = values.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const denom = (period * (period + 1)) / 2;
  for (let i = period - 1; i < n; i++) {
    let s = 0;
    for (let k = 1; k <= period; k++) s += k * (values[i - period + k] as number);
    out[i] = s / denom;
  }
  return out;
}

/** Momentum oscillators: RSI, MACD, rate of change, momentum (TA-Lib conventions). */
import type { Series } from '../stats/descriptive.ts';
import { ema, expSmooth } from './moving-averages.ts';

/**
 * Relative Strength Index in [0, 100] with Wilder's smoothing of gains and losses, each seeded
 * with the simple average of the first `period` changes; first value at bar `period`. 100 when no losses.
 */
export function rsi(close: Series, period = 14): Float64Array {
  const n = close.length;
  const out = new Float64Array(n).fill(Number.NaN);
  if (n <= period) return out;
  let up = 0;
  let down = 0;
  for (let i = 1; i <= period; i++) {
    const d = (close[i] as number) - (close[i - 1] as number);
    if (d > 0) up += d;
    else down -= d;
  }
  up /= period;
  down /= period;
  out[period] = rsiValue(up, down);
  for (let i = period + 1; i < n; i++) {
    const d = (close[i] as number) - (close[i - 1] as number);
    up = (up * (period - 1) + (d > 0 ? d : 0)) / period;
    down = (down * (period - 1) + (d < 0 ? -d : 0)) / period;
    out[i] = rsiValue(up, down);
  }
  return out;
}

function rsiValue(up: number, down: number): number {
  if (down === 0) return up === 0 ? 50 : 100;
  return 100 - 100 / (1 + up / down);
}

/** MACD lines in price units. */
export interface Macd {
  readonly macd: Float64Array;
  readonly signal: Float64Array;
  readonly histogram: Float64Array;
}

/**
 * MACD = EMA(fast) − EMA(slow), each seeded with the SMA of its own first values; signal = EMA(signal)
 * of MACD seeded from its first defined values; histogram = MACD − signal. First signal at bar slow+signal−2.
 * (TA-Lib seeds the fast EMA at bar slow−1 instead; the two agree after warm-up decays.)
 */
export function macd(close: Series, fast = 12, slow = 26, signal = 9): Macd {
  const n = close.length;
  const ef = ema(close, fast);
  const es = ema(close, slow);
  const m = new Float64Array(n);
  for (let i = 0; i < n; i++) m[i] = (ef[i] as number) - (es[i] as number);
  const sig = expSmooth(m, signal, 2 / (signal + 1), Math.max(fast, slow) - 1);
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) h[i] = (m[i] as number) - (sig[i] as number);
  return { macd: m, signal: sig, histogram: h };
}

/** Rate of change as a fraction: values[i]/values[i−period] − 1 (0.05 is +5%); NaN for the first `period` bars. */
export function roc(values: Series, period: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(Number.NaN);
  for (let i = period; i < n; i++) out[i] = (values[i] as number) / (values[i - period] as number) - 1;
  return out;
}

/** Momentum as a price difference: values[i] − values[i−period]; NaN for the first `period` bars. */
export function momentum(values: Series, period: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(Number.NaN);
  for (let i = period; i < n; i++) out[i] = (values[i] as number) - (values[i - period] as number);
  return out;
}

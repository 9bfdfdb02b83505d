/** Range-based indicators: true range, ATR, Bollinger bands, stochastic, Williams %R, ADX. */
import type { Series } from '../stats/descriptive.ts';
import { sma, expSmooth } from './moving-averages.ts';

/** True range in price units: max(high, prevClose) − min(low, prevClose); NaN at bar 0 (no previous close, TA-Lib). */
export function trueRange(high: Series, low: Series, close: Series): Float64Array {
  const n = close.length;
  const out = new Float64Array(n).fill(Number.NaN);
  for (let i = 1; i < n; i++) {
    const pc = close[i - 1] as number;
    out[i] = Math.max(high[i] as number, pc) - Math.min(low[i] as number, pc);
  }
  return out;
}

/** Average true range in price units: Wilder's smoothing of the true range seeded with the mean of bars 1..period; first value at bar `period`. */
export function atr(high: Series, low: Series, close: Series, period = 14): Float64Array {
  return expSmooth(trueRange(high, low, close), period, 1 / period, 1);
}

/** Bollinger bands in price units. */
export interface Bollinger {
  readonly upper: Float64Array;
  readonly middle: Float64Array;
  readonly lower: Float64Array;
}

/** Bollinger bands: middle = SMA(period), upper/lower = middle ± k·population std (ddof 0) over the same window. */
export function bollinger(close: Series, period = 20, k = 2): Bollinger {
  const n = close.length;
  const middle = sma(close, period);
  const upper = new Float64Array(n).fill(Number.NaN);
  const lower = new Float64Array(n).fill(Number.NaN);
  for (let i = period - 1; i < n; i++) {
    const m = middle[i] as number;
    let s = 0;
    for (let j = i - period + 1; j <= i; j++) {
      const d = (close[j] as number) - m;
      s += d * d;
    }
    const sd = Math.sqrt(s / period);
    upper[i] = m + k * sd;
    lower[i] = m - k * sd;
  }
  return { upper, middle, lower };
}

function highest(x: Series, i: number, period: number): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let j = i - period + 1; j <= i; j++) m = Math.max(m, x[j] as number);
  return m;
}

function lowest(x: Series, i: number, period: number): number {
  let m = Number.POSITIVE_INFINITY;
  for (let j = i - period + 1; j <= i; j++) m = Math.min(m, x[j] as number);
  return m;
}

/** Slow stochastic in [0, 100]. */
export interface Stochastic {
  readonly k: Float64Array;
  readonly d: Float64Array;
}

/**
 * Slow stochastic: fast %K = 100·(close − lowest low)/(highest high − lowest low) over `period`,
 * %K = SMA(smoothK) of fast %K, %D = SMA(smoothD) of %K; first %D at bar period+smoothK+smoothD−3.
 */
export function stochastic(high: Series, low: Series, close: Series, period = 14, smoothK = 3, smoothD = 3): Stochastic {
  const n = close.length;
  const fastK = new Float64Array(n).fill(Number.NaN);
  for (let i = period - 1; i < n; i++) {
    const hh = highest(high, i, period);
    const ll = lowest(low, i, period);
    fastK[i] = hh === ll ? 0 : (100 * ((close[i] as number) - ll)) / (hh - ll);
  }
  const k = smaFrom(fastK, smoothK, period - 1);
  const d = smaFrom(k, smoothD, period + smoothK - 2);
  return { k, d };
}

function smaFrom(x: Float64Array, period: number, start: number): Float64Array {
  const out = new Float64Array(x.length).fill(Number.NaN);
  for (let i = start + period - 1; i < x.length; i++) {
    let s = 0;
    for (let j = i - period + 1; j <= i; j++) s += x[j] as number;
    out[i] = s / period;
  }
  return out;
}

/** Williams %R in [−100, 0]: −100·(highest high − close)/(highest high − lowest low) over `period`. */
export function williamsR(high: Series, low: Series, close: Series, period = 14): Float64Array {
  const n = close.length;
  const out = new Float64Array(n).fill(Number.NaN);
  for (let i = period - 1; i < n; i++) {
    const hh = highest(high, i, period);
    const ll = lowest(low, i, period);
    out[i] = hh === ll ? 0 : (-100 * (hh - (close[i] as number))) / (hh - ll);
  }
  return out;
}

/** ADX and directional indicators, each in [0, 100]. */
export interface Adx {
  readonly adx: Float64Array;
  readonly plusDI: Float64Array;
  readonly minusDI: Float64Array;
}

/**
 * Wilder's directional movement: ±DI = 100·SMMA(±DM)/SMMA(TR) (first at bar `period`),
 * DX = 100·|+DI − −DI|/(+DI + −DI), ADX = SMMA(DX) (first at bar 2·period − 1).
 */
export function adx(high: Series, low: Series, close: Series, period = 14): Adx {
  const n = close.length;
  const pdm = new Float64Array(n).fill(Number.NaN);
  const mdm = new Float64Array(n).fill(Number.NaN);
  for (let i = 1; i < n; i++) {
    const up = (high[i] as number) - (high[i - 1] as number);
    const down = (low[i - 1] as number) - (low[i] as number);
    pdm[i] = up > down && up > 0 ? up : 0;
    mdm[i] = down > up && down > 0 ? down : 0;
  }
  const a = 1 / period;
  const tr = expSmooth(trueRange(high, low, close), period, a, 1);
  const sp = expSmooth(pdm, period, a, 1);
  const sm = expSmooth(mdm, period, a, 1);
  const plusDI = new Float64Array(n).fill(Number.NaN);
  const minusDI = new Float64Array(n).fill(Number.NaN);
  const dx = new Float64Array(n).fill(Number.NaN);
  for (let i = period; i < n; i++) {
    const t = tr[i] as number;
    const p = (100 * (sp[i] as number)) / t;
    const m = (100 * (sm[i] as number)) / t;
    plusDI[i] = p;
    minusDI[i] = m;
    dx[i] = p + m === 0 ? 0 : (100 * Math.abs(p - m)) / (p + m);
  }
  return { adx: expSmooth(dx, period, a, period), plusDI, minusDI };
}


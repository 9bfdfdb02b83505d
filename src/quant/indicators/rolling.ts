/** Rolling statistics over a trailing window; NaN during warm-up; a NaN input makes its windows NaN. */
import type { Series } from '../stats/descriptive.ts';

/** Rolling standard deviation over `period` bars with `ddof` (default 1, as pandas `rolling().std()`). */
export function rollingStd(values: Series, period: number, ddof = 1): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(Number.NaN);
  for (let i = period - 1; i < n; i++) {
    let s = 0;
    for (let j = i - period + 1; j <= i; j++) s += values[j] as number;
    const m = s / period;
    let ss = 0;
    for (let j = i - period + 1; j <= i; j++) {
      const d = (values[j] as number) - m;
      ss += d * d;
    }
    out[i] = Math.sqrt(ss / (period - ddof));
  }
  return out;
}

/** Rolling z-score: (value − rolling mean)/rolling sample std (ddof 1) over `period` bars, the current bar included. */
export function zscore(values: Series, period: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const sd = rollingStd(values, period, 1);
  for (let i = period - 1; i < n; i++) {
    let s = 0;
    for (let j = i - period + 1; j <= i; j++) s += values[j] as number;
    out[i] = ((values[i] as number) - s / period) / (sd[i] as number);
  }
  return out;
}

/** Rolling Pearson correlation of two equal-length series over `period` bars; NaN when a window is constant. */
export function rollingCorrelation(x: Series, y: Series, period: number): Float64Array {
  const n = Math.min(x.length, y.length);
  const out = new Float64Array(n).fill(Number.NaN);
  for (let i = period - 1; i < n; i++) {
    let sx = 0;
    let sy = 0;
    for (let j = i - period + 1; j <= i; j++) {
      sx += x[j] as number;
      sy += y[j] as number;
    }
    const mx = sx / period;
    const my = sy / period;
    let cxy = 0;
    let cxx = 0;
    let cyy = 0;
    for (let j = i - period + 1; j <= i; j++) {
      const a = (x[j] as number) - mx;
      const b = (y[j] as number) - my;
      cxy += a * b;
      cxx += a * a;
      cyy += b * b;
    }
    out[i] = cxx === 0 || cyy === 0 ? Number.NaN : cxy / Math.sqrt(cxx * cyy);
  }
  return out;
}

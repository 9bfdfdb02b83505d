import type { MarketView } from '../market/index.ts';
import type { StyleLoadings } from './stress.ts';
import type { Universe } from './universe.ts';

function zClamp(x: Float64Array): Float64Array {
  let s = 0, ss = 0, n = 0;
  for (const v of x) if (Number.isFinite(v)) { s += v; ss += v * v; n++; }
  const m = n > 0 ? s / n : 0;
  const sd = n > 1 ? Math.sqrt(Math.max(0, (ss - n * m * m) / (n - 1))) : 0;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] ?? Number.NaN;
    out[i] = Number.isFinite(v) && sd > 0 ? Math.max(-1, Math.min(1, (v - m) / sd / 2)) : 0;
  }
  return out;
}

/**
 * Style loadings of the universe's names in [-1, 1]: momentum = cross-sectional z of the 12-1
 * month return (halved and clamped), value = the same of fundamentals' `value` score.
 */
export function styleLoadings(view: MarketView, u: Universe): StyleLoadings {
  const mom = new Float64Array(u.N).fill(Number.NaN);
  const val = new Float64Array(u.N).fill(Number.NaN);
  const t = view.t;
  for (let i = 0; i < u.N; i++) {
    const c = u.column[i] ?? -1;
    if (c < 0) continue;
    if (t >= 252) mom[i] = view.close(c, t - 21) / view.close(c, t - 252) - 1;
    const f = view.fundamentals(c);
    if (f && f.value !== null) val[i] = f.value;
  }
  return { momentum: zClamp(mom), value: zClamp(val) };
}

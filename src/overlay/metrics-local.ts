/**
 * Performance metrics on daily simple returns (a stand-in for the quant metrics, listed in the
 * overlay report). Annualised with 252 periods; standard deviations are sample (ddof = 1);
 * `riskFree` is annual and converted per period by division.
 */
const P = 252;

function finite(x: readonly number[]): number[] {
  return x.filter((v) => Number.isFinite(v));
}

export function meanOf(x: readonly number[]): number {
  const f = finite(x);
  return f.length > 0 ? f.reduce((a, b) => a + b, 0) / f.length : Number.NaN;
}

export function stdOf(x: readonly number[]): number {
  const f = finite(x);
  if (f.length < 2) return Number.NaN;
  const m = meanOf(f);
  return Math.sqrt(f.reduce((a, b) => a + (b - m) ** 2, 0) / (f.length - 1));
}

/** Annualised Sharpe ratio: (mean − rf/252) / std × √252. */
export function sharpe(r: readonly number[], riskFree = 0): number {
  const s = stdOf(r);
  return s > 0 ? ((meanOf(r) - riskFree / P) / s) * Math.sqrt(P) : Number.NaN;
}

/** Annualised Sortino ratio: excess mean over the downside deviation sqrt(mean(min(0, r − rf)²)). */
export function sortino(r: readonly number[], riskFree = 0): number {
  const f = finite(r);
  if (f.length < 2) return Number.NaN;
  const rf = riskFree / P;
  const dd = Math.sqrt(f.reduce((a, b) => a + Math.min(0, b - rf) ** 2, 0) / f.length);
  return dd > 0 ? ((meanOf(f) - rf) / dd) * Math.sqrt(P) : Number.NaN;
}

/** Maximum drawdown of the compounded series, as a positive fraction. */
export function maxDrawdown(r: readonly number[]): number {
  let eq = 1;
  let peak = 1;
  let mdd = 0;
  for (const x of finite(r)) {
    eq *= 1 + x;
    peak = Math.max(peak, eq);
    mdd = Math.max(mdd, 1 - eq / peak);
  }
  return mdd;
}

/** Calmar ratio: annualised mean return / max drawdown. */
export function calmar(r: readonly number[]): number {
  const mdd = maxDrawdown(r);
  return mdd > 0 ? (meanOf(r) * P) / mdd : Number.NaN;
}

/** Information ratio against a benchmark (tails aligned): mean active / std active × √252. */
export function informationRatio(r: readonly number[], bench: readonly number[]): number {
  const n = Math.min(r.length, bench.length);
  const active: number[] = [];
  for (let k = 0; k < n; k++) active.push((r[r.length - n + k] ?? Number.NaN) - (bench[bench.length - n + k] ?? Number.NaN));
  const s = stdOf(active);
  return s > 0 ? (meanOf(active) / s) * Math.sqrt(P) : Number.NaN;
}

/** Pearson correlation (tails aligned); NaN with fewer than 10 pairs. */
export function correlationOf(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  const x: number[] = [];
  const y: number[] = [];
  for (let k = 0; k < n; k++) {
    const u = a[a.length - n + k] ?? Number.NaN;
    const v = b[b.length - n + k] ?? Number.NaN;
    if (Number.isFinite(u) && Number.isFinite(v)) {
      x.push(u);
      y.push(v);
    }
  }
  if (x.length < 10) return Number.NaN;
  const mx = meanOf(x);
  const my = meanOf(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let k = 0; k < x.length; k++) {
    sxy += ((x[k] ?? 0) - mx) * ((y[k] ?? 0) - my);
    sxx += ((x[k] ?? 0) - mx) ** 2;
    syy += ((y[k] ?? 0) - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

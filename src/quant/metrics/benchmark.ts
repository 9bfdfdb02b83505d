/** Metrics against a benchmark series of the same length and periodicity (empyrical conventions). */
import type { Series } from '../stats/descriptive.ts';
import { mean, std } from '../stats/descriptive.ts';
import { periodsOf, type MetricOptions } from './options.ts';
import { annualReturn } from './returns.ts';

/** CAPM alpha (annualised by compounding: (1 + mean daily alpha)^periodsPerYear − 1) and beta. */
export interface AlphaBeta {
  readonly alpha: number;
  readonly beta: number;
}

/**
 * OLS beta of (r − rf) on (b − rf) over the periods where both are non-NaN, and alpha = mean(r − rf − β(b − rf))
 * compounded to a year; NaN for fewer than 2 pairs or a constant benchmark.
 */
export function alphaBeta(returns: Series, benchmark: Series, options: MetricOptions = {}): AlphaBeta {
  const n0 = Math.min(returns.length, benchmark.length);
  const rf = options.riskFree ?? 0;
  const r: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n0; i++) {
    const x = returns[i] as number;
    const y = benchmark[i] as number;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    r.push(x - rf);
    b.push(y - rf);
  }
  if (returns.length < 2 || r.length < 2) return { alpha: Number.NaN, beta: Number.NaN };
  const mb = mean(b);
  let cov = 0;
  let v = 0;
  for (let i = 0; i < r.length; i++) {
    const d = (b[i] as number) - mb;
    cov += d * (r[i] as number);
    v += d * d;
  }
  const beta = cov / v;
  if (!Number.isFinite(beta)) return { alpha: Number.NaN, beta: Number.NaN };
  let a = 0;
  for (let i = 0; i < r.length; i++) a += (r[i] as number) - beta * (b[i] as number);
  a /= r.length;
  return { alpha: Math.pow(1 + a, periodsOf(options)) - 1, beta };
}

function active(returns: Series, benchmark: Series): Float64Array {
  const n = Math.min(returns.length, benchmark.length);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (returns[i] as number) - (benchmark[i] as number);
  return out;
}

/** Excess Sharpe (empyrical, per period, not annualised): mean(r − b)/std(r − b, ddof 1), NaNs skipped. */
export function excessSharpe(returns: Series, benchmark: Series): number {
  const a = active(returns, benchmark);
  if (a.length < 2) return Number.NaN;
  return mean(a) / std(a);
}

/** Information ratio, annualised: excessSharpe × √periodsPerYear. */
export function informationRatio(returns: Series, benchmark: Series, options: MetricOptions = {}): number {
  return excessSharpe(returns, benchmark) * Math.sqrt(periodsOf(options));
}

/** Capture: annualReturn(returns)/annualReturn(benchmark) (each compounded over its own length). */
export function capture(returns: Series, benchmark: Series, options: MetricOptions = {}): number {
  return annualReturn(returns, options) / annualReturn(benchmark, options);
}

function filtered(returns: Series, benchmark: Series, keep: (b: number) => boolean): [number[], number[]] {
  const r: number[] = [];
  const b: number[] = [];
  const n = Math.min(returns.length, benchmark.length);
  for (let i = 0; i < n; i++) {
    const y = benchmark[i] as number;
    if (!keep(y)) continue;
    r.push(returns[i] as number);
    b.push(y);
  }
  return [r, b];
}

/** Up capture: capture over the periods where the benchmark rose (b > 0). */
export function upCapture(returns: Series, benchmark: Series, options: MetricOptions = {}): number {
  const [r, b] = filtered(returns, benchmark, (y) => y > 0);
  return capture(r, b, options);
}

/** Down capture: capture over the periods where the benchmark fell (b < 0). */
export function downCapture(returns: Series, benchmark: Series, options: MetricOptions = {}): number {
  const [r, b] = filtered(returns, benchmark, (y) => y < 0);
  return capture(r, b, options);
}

/** Up/down capture ratio: upCapture / downCapture. */
export function upDownCapture(returns: Series, benchmark: Series, options: MetricOptions = {}): number {
  return upCapture(returns, benchmark, options) / downCapture(returns, benchmark, options);
}

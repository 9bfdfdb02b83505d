/** Risk-adjusted ratios on simple periodic returns, following empyrical (NaNs skipped in means and std). */
import type { Series } from '../stats/descriptive.ts';
import { dropNaN, mean, quantile, std } from '../stats/descriptive.ts';
import { periodsOf, type MetricOptions } from './options.ts';
import { annualReturn, maxDrawdown } from './returns.ts';

function shifted(returns: Series, by: number): Float64Array {
  return Float64Array.from(returns, (r) => r - by);
}

/** Annualised Sharpe: mean(r − rf)/std(r − rf, ddof 1)·√periodsPerYear; NaN with < 2 values; ±Inf when std is 0. */
export function sharpeRatio(returns: Series, options: MetricOptions = {}): number {
  if (returns.length < 2) return Number.NaN;
  const adj = shifted(returns, options.riskFree ?? 0);
  return (mean(adj) / std(adj)) * Math.sqrt(periodsOf(options));
}

/** Annualised downside deviation: √mean(min(r − required, 0)²)·√periodsPerYear (population, NaNs skipped). */
export function downsideRisk(returns: Series, options: MetricOptions = {}): number {
  if (returns.length === 0) return Number.NaN;
  const req = options.requiredReturn ?? 0;
  let s = 0;
  let n = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i] as number;
    if (Number.isNaN(r)) continue;
    const d = Math.min(r - req, 0);
    s += d * d;
    n++;
  }
  return n === 0 ? Number.NaN : Math.sqrt(s / n) * Math.sqrt(periodsOf(options));
}

/** Annualised Sortino: mean(r − required)·periodsPerYear / downsideRisk; +Inf with no downside; NaN with < 2 values. */
export function sortinoRatio(returns: Series, options: MetricOptions = {}): number {
  if (returns.length < 2) return Number.NaN;
  const req = options.requiredReturn ?? 0;
  const mu = mean(shifted(returns, req)) * periodsOf(options);
  return mu / downsideRisk(returns, options);
}

/** Calmar: annualReturn / |maxDrawdown|; NaN when there is no drawdown. */
export function calmarRatio(returns: Series, options: MetricOptions = {}): number {
  const dd = maxDrawdown(returns);
  if (!(dd < 0)) return Number.NaN;
  const v = annualReturn(returns, options) / Math.abs(dd);
  return Number.isFinite(v) ? v : Number.NaN;
}

/**
 * Omega: Σ gains over the threshold / Σ losses under it, threshold = (1 + requiredReturn)^(1/periodsPerYear) − 1
 * (requiredReturn annual, as empyrical) after subtracting riskFree; NaN with < 2 values, no losses, or requiredReturn ≤ −1.
 */
export function omegaRatio(returns: Series, options: MetricOptions = {}): number {
  if (returns.length < 2) return Number.NaN;
  const req = options.requiredReturn ?? 0;
  const p = periodsOf(options);
  let threshold: number;
  if (p === 1) threshold = req;
  else if (req <= -1) return Number.NaN;
  else threshold = Math.pow(1 + req, 1 / p) - 1;
  const rf = options.riskFree ?? 0;
  let up = 0;
  let down = 0;
  for (let i = 0; i < returns.length; i++) {
    const x = (returns[i] as number) - rf - threshold;
    if (x > 0) up += x;
    else if (x < 0) down -= x;
  }
  return down > 0 ? up / down : Number.NaN;
}

/** Tail ratio: |95th percentile| / |5th percentile| (numpy-linear, NaNs dropped); NaN when empty. */
export function tailRatio(returns: Series): number {
  const x = dropNaN(returns);
  if (x.length === 0) return Number.NaN;
  return Math.abs(quantile(x, 0.95)) / Math.abs(quantile(x, 0.05));
}

/** Stability: R² of a linear fit of cumulative log returns Σ log(1 + r) against time (NaNs dropped); NaN with < 2 values. */
export function stabilityOfTimeseries(returns: Series): number {
  if (returns.length < 2) return Number.NaN;
  const x = dropNaN(returns);
  const n = x.length;
  const y = new Float64Array(n);
  let c = 0;
  for (let i = 0; i < n; i++) {
    c += Math.log1p(x[i] as number);
    y[i] = c;
  }
  const tm = (n - 1) / 2;
  const ym = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = i - tm;
    const b = (y[i] as number) - ym;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  if (syy === 0) return Number.NaN;
  return (sxy * sxy) / (sxx * syy);
}

/** Historical VaR as a return (empyrical): the `cutoff` percentile (default 5%), numpy-linear; negative = a loss. */
export function valueAtRisk(returns: Series, options: MetricOptions = {}): number {
  return quantile(returns, options.cutoff ?? 0.05);
}

/** CVaR as a return (empyrical): mean of the ⌊(n−1)·cutoff⌋ + 1 lowest returns, i.e. those at or below the VaR. */
export function conditionalValueAtRisk(returns: Series, options: MetricOptions = {}): number {
  const x = dropNaN(returns).sort();
  if (x.length === 0) return Number.NaN;
  const k = Math.floor((x.length - 1) * (options.cutoff ?? 0.05));
  let s = 0;
  for (let i = 0; i <= k; i++) s += x[i] as number;
  return s / (k + 1);
}

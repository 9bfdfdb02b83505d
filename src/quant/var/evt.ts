/**
 * Extreme value theory, peaks over threshold: a generalised Pareto fit by maximum likelihood
 * (profile likelihood in θ = ξ/β, Grimshaw 1993) to losses above a threshold, and the implied
 * tail VaR and ES (McNeil & Frey 2000).
 */
import type { Series } from '../stats/descriptive.ts';
import { dropNaN, quantileSorted } from '../stats/descriptive.ts';

/** GPD parameters: shape ξ (tail index; > 0 heavy tail) and scale β > 0, with the log-likelihood. */
export interface GpdFit {
  readonly xi: number;
  readonly beta: number;
  readonly logLikelihood: number;
}

/** GPD log-likelihood of exceedances y ≥ 0 (−∞ outside the support). */
export function gpdLogLikelihood(y: ArrayLike<number>, xi: number, beta: number): number {
  if (!(beta > 0)) return Number.NEGATIVE_INFINITY;
  const n = y.length;
  let s = 0;
  if (Math.abs(xi) < 1e-12) {
    for (let i = 0; i < n; i++) s += y[i] as number;
    return -n * Math.log(beta) - s / beta;
  }
  for (let i = 0; i < n; i++) {
    const a = 1 + (xi * (y[i] as number)) / beta;
    if (!(a > 0)) return Number.NEGATIVE_INFINITY;
    s += Math.log(a);
  }
  return -n * Math.log(beta) - (1 + 1 / xi) * s;
}

/** Maximum-likelihood GPD fit to exceedances (values over the threshold, ≥ 0). */
export function fitGpd(exceedances: ArrayLike<number>): GpdFit {
  const y = Float64Array.from(exceedances);
  const n = y.length;
  if (n < 3) return { xi: Number.NaN, beta: Number.NaN, logLikelihood: Number.NaN };
  let ymax = 0;
  let ybar = 0;
  for (const v of y) {
    ymax = Math.max(ymax, v);
    ybar += v / n;
  }
  const profile = (theta: number): number => {
    if (Math.abs(theta) < 1e-14 / ybar) return -n * Math.log(ybar) - n;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const a = 1 + theta * (y[i] as number);
      if (!(a > 0)) return Number.NEGATIVE_INFINITY;
      s += Math.log(a);
    }
    const xi = s / n;
    return -n * Math.log(xi / theta) - n * (1 + xi);
  };
  // Coarse grid in θ·ȳ on both sides of 0, then golden-section refinement around the best point.
  const lo = (-1 / ymax) * (1 - 1e-9);
  const grid: number[] = [];
  for (let k = 1; k <= 60; k++) grid.push(lo * (1 - (k - 1) / 60) ** 2);
  grid.push(0);
  for (let k = -40; k <= 40; k++) grid.push((10 ** (k / 10)) / ybar);
  grid.sort((a, b) => a - b);
  let best = 0;
  for (let i = 1; i < grid.length; i++) if (profile(grid[i] as number) > profile(grid[best] as number)) best = i;
  let a = grid[Math.max(0, best - 1)] as number;
  let b = grid[Math.min(grid.length - 1, best + 1)] as number;
  const gr = (Math.sqrt(5) - 1) / 2;
  let x1 = b - gr * (b - a);
  let x2 = a + gr * (b - a);
  let f1 = profile(x1);
  let f2 = profile(x2);
  for (let it = 0; it < 200 && b - a > 1e-15 * Math.max(1, Math.abs(a) + Math.abs(b)); it++) {
    if (f1 < f2) {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + gr * (b - a);
      f2 = profile(x2);
    } else {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - gr * (b - a);
      f1 = profile(x1);
    }
  }
  const theta = (a + b) / 2;
  if (Math.abs(theta * ybar) < 1e-10) return { xi: 0, beta: ybar, logLikelihood: gpdLogLikelihood(y, 0, ybar) };
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(1 + theta * (y[i] as number));
  const xi = s / n;
  const beta = xi / theta;
  return { xi, beta, logLikelihood: gpdLogLikelihood(y, xi, beta) };
}

/** EVT tail risk: VaR and ES as positive losses, with the fit and threshold used. */
export interface EvtRisk extends GpdFit {
  readonly var: number;
  readonly es: number;
  /** Loss threshold u (a positive loss level). */
  readonly threshold: number;
  readonly exceedances: number;
}

/**
 * POT VaR/ES of a return or P&L series (losses = −returns, NaNs ignored): threshold u = the
 * `thresholdQuantile` loss quantile (default 0.95), VaR_c = u + β/ξ·[(n/N_u·(1−c))^(−ξ) − 1],
 * ES_c = (VaR_c + β − ξu)/(1 − ξ) (ξ < 1; NaN otherwise). Default c = 0.99.
 */
export function evtVaR(returns: Series, confidence = 0.99, thresholdQuantile = 0.95): EvtRisk {
  const losses = dropNaN(returns).map((r) => -r).sort();
  const n = losses.length;
  const u = quantileSorted(losses, thresholdQuantile);
  const ex: number[] = [];
  for (const l of losses) if (l > u) ex.push(l - u);
  const fit = fitGpd(ex);
  const nu = ex.length;
  const tailProb = (n / nu) * (1 - confidence);
  const v = Math.abs(fit.xi) < 1e-12 ? u - fit.beta * Math.log(tailProb) : u + (fit.beta / fit.xi) * (Math.pow(tailProb, -fit.xi) - 1);
  const es = fit.xi < 1 ? (v + fit.beta - fit.xi * u) / (1 - fit.xi) : Number.NaN;
  return { ...fit, var: v, es, threshold: u, exceedances: nu };
}

import type { ExecutionConfig } from '../contracts/index.ts';

/**
 * Slippage and market impact, in basis points of the arrival price (always a cost, ≥ 0):
 *   cost_bps = slippageBps + 1e4 · σ_daily · k · √(qty / ADV)
 * σ_daily is the daily return volatility (0.02 = 2%), ADV the average daily volume in shares.
 */
export interface CostModel {
  readonly slippageBps: number;
  readonly impactK: number;
}

export function costModelFromConfig(c: Pick<ExecutionConfig, 'slippageBps' | 'impactK'>): CostModel {
  return { slippageBps: c.slippageBps, impactK: c.impactK };
}

/** The impact regressor x = 1e4 · σ · √(qty / ADV) (bps per unit of k); 0 when ADV or σ is unknown. */
export function impactRegressor(qty: number, adv: number, sigmaDaily: number): number {
  if (!(adv > 0) || !Number.isFinite(sigmaDaily) || !(sigmaDaily > 0)) return 0;
  return 1e4 * sigmaDaily * Math.sqrt(qty / adv);
}

/** Expected cost in bps for `qty` shares. */
export function expectedCostBps(m: CostModel, qty: number, adv: number, sigmaDaily: number): number {
  return m.slippageBps + m.impactK * impactRegressor(qty, adv, sigmaDaily);
}

/** The execution price after costs: buys pay up, sells receive less. Dollars. */
export function costedPrice(m: CostModel, side: 'BUY' | 'SELL', base: number, qty: number, adv: number, sigmaDaily: number): number {
  const bps = expectedCostBps(m, qty, adv, sigmaDaily);
  return side === 'BUY' ? base * (1 + bps / 1e4) : base * (1 - bps / 1e4);
}

/** One recorded fill for fitting: realised cost vs the arrival price. */
export interface FillObservation {
  readonly side: 'BUY' | 'SELL';
  readonly qty: number;
  /** Fill price, dollars. */
  readonly price: number;
  /** Arrival (benchmark) price, dollars. */
  readonly arrivalPrice: number;
  readonly adv: number;
  readonly sigmaDaily: number;
}

/** Realised cost in bps of arrival: positive when the fill was worse than arrival. */
export function realisedCostBps(o: FillObservation): number {
  const s = o.side === 'BUY' ? 1 : -1;
  return (s * (o.price - o.arrivalPrice) / o.arrivalPrice) * 1e4;
}

export interface CostFit {
  readonly model: CostModel;
  readonly n: number;
  /** Coefficient of determination of the fit (NaN when y has no variance). */
  readonly r2: number;
}

/**
 * Fits slippageBps (intercept) and impactK (slope) by ordinary least squares of realised cost
 * bps on the impact regressor. Negative coefficients are clamped to 0 (costs, not rebates),
 * refitting the other one alone. Needs ≥ 2 observations with distinct regressors for the slope;
 * with fewer it returns `prior` (default: 0 cost).
 */
export function fitCostModel(obs: readonly FillObservation[], prior: CostModel = { slippageBps: 0, impactK: 0 }): CostFit {
  const n = obs.length;
  if (n === 0) return { model: prior, n, r2: Number.NaN };
  const xs = obs.map((o) => impactRegressor(o.qty, o.adv, o.sigmaDaily));
  const ys = obs.map(realisedCostBps);
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] ?? 0) - mx;
    const dy = (ys[i] ?? 0) - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  let a: number;
  let b: number;
  if (sxx <= 1e-12 * Math.max(1, mx * mx)) {
    a = Math.max(0, my);
    b = n >= 2 ? prior.impactK : 0;
  } else {
    b = sxy / sxx;
    a = my - b * mx;
    if (b < 0) {
      b = 0;
      a = my;
    }
    if (a < 0) {
      // Through the origin: b = Σxy / Σxx.
      a = 0;
      let xx = 0;
      let xy = 0;
      for (let i = 0; i < n; i++) {
        xx += (xs[i] ?? 0) ** 2;
        xy += (xs[i] ?? 0) * (ys[i] ?? 0);
      }
      b = Math.max(0, xy / xx);
    }
  }
  let sse = 0;
  for (let i = 0; i < n; i++) sse += ((ys[i] ?? 0) - a - b * (xs[i] ?? 0)) ** 2;
  return { model: { slippageBps: a, impactK: b }, n, r2: syy > 0 ? 1 - sse / syy : Number.NaN };
}

import type { MarketView } from '../market/index.ts';
import { regress } from './correlation.ts';
import type { RiskModel } from './factor-model-local.ts';
import { table } from './table.ts';
import type { FundState } from './types.ts';

/** Reference series that are factor *returns* (not the market level, not the volatility index). */
function factorSeries(view: MarketView, T: number): { names: string[]; series: Float64Array[] } {
  const names: string[] = [];
  const series: Float64Array[] = [];
  for (const name of view.referenceNames()) {
    if (name === 'market' || name === 'vix') continue;
    const s = view.reference(name, T);
    let maxAbs = 0;
    for (const v of s) if (Number.isFinite(v)) maxAbs = Math.max(maxAbs, Math.abs(v));
    if (maxAbs < 0.5) {
      names.push(name);
      series.push(s);
    }
  }
  return { names, series };
}

/**
 * Each agent's loadings on the factors by OLS of its daily returns (tails aligned with the view's
 * last day) on the market return and on every reference series that looks like a factor return
 * (|value| < 0.5). Seed fund-overlay-plan §2A `compute_factor_exposures`.
 */
export function factorLoadings(state: FundState, model: RiskModel, view: MarketView): Record<string, { alpha: number; betas: Record<string, number>; r2: number }> {
  const T = model.T;
  const extra = factorSeries(view, T);
  const names = ['market', ...extra.names];
  const K = names.length;
  const X = new Float64Array(T * K);
  for (let t = 0; t < T; t++) {
    X[t * K] = model.marketNow[t] ?? Number.NaN;
    extra.series.forEach((s, k) => (X[t * K + 1 + k] = s[t] ?? Number.NaN));
  }
  const out = table<{ alpha: number; betas: Record<string, number>; r2: number }>();
  for (const a of state.agents) {
    if (a.returns.length < K + 10) continue;
    const n = Math.min(a.returns.length, T);
    const r = regress(a.returns.slice(a.returns.length - n), X.subarray((T - n) * K), K);
    const betas = table<number>();
    names.forEach((f, k) => (betas[f] = r.betas[k] ?? Number.NaN));
    out[a.agentId] = { alpha: r.alpha, betas, r2: r.r2 };
  }
  return out;
}

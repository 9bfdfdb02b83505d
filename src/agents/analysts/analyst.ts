import type { MarketView } from '../../market/index.ts';
import type { Feature } from '../state/incremental.ts';

export type AnalystName = 'technical' | 'sentiment' | 'valuation' | 'fundamental' | 'macro';

/** Per-column views of one analyst: μ and σ over the committee horizon, confidence; NaN μ = no view. */
export interface AnalystOutput {
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly confidence: Float64Array;
}

export interface AnalystEnv {
  readonly view: MarketView;
  readonly horizonDays: number;
  /** Daily volatility of column u. */
  readonly vol: (u: number) => number;
}

/**
 * An analyst: emits signals only (never a book). Its incremental features are stepped by the
 * committee's state; `analyse` reads them plus point-in-time data from the view.
 */
export interface Analyst {
  readonly name: AnalystName;
  readonly features: readonly Feature[];
  analyse(env: AnalystEnv, out: AnalystOutput): void;
}

export function newOutput(U: number): AnalystOutput {
  return {
    mu: new Float64Array(U).fill(Number.NaN),
    sigma: new Float64Array(U).fill(Number.NaN),
    confidence: new Float64Array(U).fill(Number.NaN),
  };
}

export function clearOutput(o: AnalystOutput): void {
  o.mu.fill(Number.NaN);
  o.sigma.fill(Number.NaN);
  o.confidence.fill(Number.NaN);
}

/** Writes μ = IC·z·σ_h, σ = σ_h and confidence for every column with a finite standardised score. */
export function writeViews(env: AnalystEnv, z: Float64Array, ic: number, out: AnalystOutput, confidence: (u: number, z: number) => number): void {
  const h = Math.sqrt(env.horizonDays);
  for (let u = 0; u < z.length; u++) {
    const zu = z[u] as number;
    if (zu !== zu || !env.view.isTradable(u)) continue;
    const v = env.vol(u);
    if (!(v > 0)) continue;
    const sh = v * h;
    out.mu[u] = ic * zu * sh;
    out.sigma[u] = sh;
    const c = confidence(u, zu);
    out.confidence[u] = c > 1 ? 1 : c < 0 ? 0 : c;
  }
}

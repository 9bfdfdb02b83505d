import type { Feature, RowData, StateShape } from '../state/incremental.ts';
import { writeViews, type Analyst, type AnalystEnv, type AnalystOutput } from './analyst.ts';

/** A macro series and the sign of its effect on equities (+1: a higher value is bullish). */
export interface MacroSeriesSpec {
  readonly series: string;
  readonly sign: 1 | -1;
}

/** Defaults: FRED ids and generic names; series absent from the view are ignored. */
export const DEFAULT_MACRO_SERIES: readonly MacroSeriesSpec[] = [
  { series: 'T10Y2Y', sign: 1 },
  { series: 'term_spread', sign: 1 },
  { series: 'BAA10Y', sign: -1 },
  { series: 'credit_spread', sign: -1 },
  { series: 'UNRATE', sign: -1 },
  { series: 'unemployment', sign: -1 },
];

/** EWMA mean and variance of each macro series' latest released value, one step per row. */
class MacroFeature implements Feature {
  mean: Float64Array;
  variance: Float64Array;
  last: Float64Array;
  n: Int32Array;
  constructor(
    readonly specs: readonly MacroSeriesSpec[],
    readonly lambda = 0.99,
  ) {
    this.mean = new Float64Array(specs.length);
    this.variance = new Float64Array(specs.length);
    this.last = new Float64Array(specs.length);
    this.n = new Int32Array(specs.length);
  }
  reset(_s: StateShape): void {
    this.mean.fill(Number.NaN);
    this.variance.fill(Number.NaN);
    this.last.fill(Number.NaN);
    this.n.fill(0);
  }
  step(d: RowData): void {
    const l = this.lambda;
    for (let i = 0; i < this.specs.length; i++) {
      const x = d.view.macro((this.specs[i] as MacroSeriesSpec).series);
      if (x === undefined || !Number.isFinite(x)) continue;
      this.last[i] = x;
      const m = this.mean[i] as number;
      if (m !== m) {
        this.mean[i] = x;
        this.variance[i] = 0;
      } else {
        const dev = x - m;
        this.mean[i] = m + (1 - l) * dev;
        this.variance[i] = l * ((this.variance[i] as number) + (1 - l) * dev * dev);
      }
      this.n[i] = (this.n[i] as number) + 1;
    }
  }
  /** Mean signed z of the series with ≥ 60 observations; NaN when none. */
  composite(): { z: number; count: number } {
    let s = 0;
    let k = 0;
    for (let i = 0; i < this.specs.length; i++) {
      const sd = Math.sqrt(this.variance[i] as number);
      if ((this.n[i] as number) < 60 || !(sd > 0)) continue;
      s += ((this.specs[i] as MacroSeriesSpec).sign * ((this.last[i] as number) - (this.mean[i] as number))) / sd;
      k++;
    }
    return { z: k > 0 ? s / k : Number.NaN, count: k };
  }
}

/**
 * **Macro analyst.** For each configured macro series present in the view, the z-score of its
 * latest released value against its own EWMA history, signed by its effect on equities and
 * averaged; the same tilt for every name (scaled by each name's volatility). Confidence ≤ 0.5:
 * macro says little about single names. No macro series in the view, no signals.
 */
export class MacroAnalyst implements Analyst {
  readonly name = 'macro' as const;
  private readonly state: MacroFeature;
  readonly features: readonly Feature[];
  constructor(
    specs: readonly MacroSeriesSpec[] = DEFAULT_MACRO_SERIES,
    readonly ic = 0.02,
  ) {
    this.state = new MacroFeature(specs);
    this.features = [this.state];
  }

  analyse(env: AnalystEnv, out: AnalystOutput): void {
    const { z: m } = this.state.composite();
    if (m !== m) return;
    const zc = Math.max(-3, Math.min(3, m));
    const z = new Float64Array(env.view.U).fill(zc);
    writeViews(env, z, this.ic, out, () => Math.min(0.5, Math.abs(zc) / 4));
  }
}

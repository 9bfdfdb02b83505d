import type { FundamentalsCross } from '../fundamentals-cross.ts';
import type { Feature } from '../state/incremental.ts';
import { clipInPlace, confidenceFromZ, zscoreInPlace } from '../scores.ts';
import { writeViews, type Analyst, type AnalystEnv, type AnalystOutput } from './analyst.ts';

/**
 * **Valuation analyst.** Earnings yield 1/PE, book yield 1/PB and dividend yield, each
 * standardised across names and averaged: cheap is bullish. Point-in-time fundamentals only.
 */
export class ValuationAnalyst implements Analyst {
  readonly name = 'valuation' as const;
  readonly features: readonly Feature[] = [];
  /** `fundamentals` is a feature stepped by the owner's state (shared with the fundamental analyst). */
  constructor(
    private readonly f: FundamentalsCross,
    readonly ic = 0.02,
  ) {}

  analyse(env: AnalystEnv, out: AnalystOutput): void {
    const f = this.f;
    if (f.count === 0) return;
    const U = env.view.U;
    const ey = new Float64Array(U);
    const by = new Float64Array(U);
    const dy = new Float64Array(U);
    for (let u = 0; u < U; u++) {
      const pe = f.pe[u] as number;
      const pb = f.pb[u] as number;
      ey[u] = pe > 0 ? 1 / pe : Number.NaN;
      by[u] = pb > 0 ? 1 / pb : Number.NaN;
      dy[u] = f.dividendYield[u] as number;
    }
    zscoreInPlace(ey);
    zscoreInPlace(by);
    zscoreInPlace(dy);
    const z = averageFinite([ey, by, dy], U);
    zscoreInPlace(z);
    clipInPlace(z, 3);
    writeViews(env, z, this.ic, out, (_u, zu) => confidenceFromZ(zu, 2.5, 0.8));
  }
}

/** Mean of the finite entries of several columns per row; NaN where none is finite. */
export function averageFinite(cols: readonly Float64Array[], U: number): Float64Array {
  const out = new Float64Array(U).fill(Number.NaN);
  for (let u = 0; u < U; u++) {
    let s = 0;
    let n = 0;
    for (let k = 0; k < cols.length; k++) {
      const v = (cols[k] as Float64Array)[u] as number;
      if (v === v) {
        s += v;
        n++;
      }
    }
    if (n > 0) out[u] = s / n;
  }
  return out;
}

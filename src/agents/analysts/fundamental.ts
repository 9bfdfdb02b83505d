import type { FundamentalsCross } from '../fundamentals-cross.ts';
import type { Feature } from '../state/incremental.ts';
import { clipInPlace, confidenceFromZ, zscoreInPlace } from '../scores.ts';
import { writeViews, type Analyst, type AnalystEnv, type AnalystOutput } from './analyst.ts';
import { averageFinite } from './valuation.ts';

/**
 * **Fundamental analyst.** Year-over-year growth of EPS, revenue and cash flow (the latest
 * release against what was visible 252 rows earlier), each clipped to ±100%, standardised and
 * averaged: growth is bullish.
 */
export class FundamentalAnalyst implements Analyst {
  readonly name = 'fundamental' as const;
  readonly features: readonly Feature[] = [];
  /** `f` must carry YoY growth; it is a feature stepped by the owner's state. */
  constructor(
    private readonly f: FundamentalsCross,
    readonly ic = 0.02,
  ) {}

  analyse(env: AnalystEnv, out: AnalystOutput): void {
    const f = this.f;
    if (f.count === 0) return;
    const U = env.view.U;
    const cols = [f.epsGrowth, f.revenueGrowth, f.cashFlowGrowth].map((g) => {
      const c = g.slice();
      clipInPlace(c, 1);
      zscoreInPlace(c);
      return c;
    });
    const z = averageFinite(cols, U);
    zscoreInPlace(z);
    clipInPlace(z, 3);
    writeViews(env, z, this.ic, out, (_u, zu) => confidenceFromZ(zu, 2.5, 0.8));
  }
}

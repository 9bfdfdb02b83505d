import { z } from 'zod';
import type { MarketView } from '../../market/index.ts';
import type { AgentBook, AgentContext } from '../agent.ts';
import { FundamentalsFeature } from '../state/fundamentals-feature.ts';
import { clipInPlace, zscoreInPlace } from '../scores.ts';
import { StrategyAgent, type Draft } from './base.ts';
import { buildLongBook, rankedBookParams } from './ranked-book.ts';

export const DividendGrowthParams = z.strictObject({
  /** Weight of the dividend yield against payout growth (EPS and cash-flow YoY). */
  yieldWeight: z.number().min(0).max(1).default(0.5),
  /** Names with a yield below this are not held (fraction, 0.01 = 1%). */
  minYield: z.number().min(0).max(0.2).default(0.005),
  horizonDays: z.number().int().min(1).max(504).default(126),
  /** Rows between re-reads of a name's fundamentals (staggered across names; see FundamentalsFeature). */
  fundamentalsRefreshDays: z.number().int().min(1).max(63).default(21),
  ...rankedBookParams('quarterly'),
});
export type DividendGrowthParams = z.infer<typeof DividendGrowthParams>;

/**
 * **Dividend growth.** Idea: payers whose earnings and cash flow grow, so the dividend can grow —
 * defensive, rate-sensitive income. Inputs: point-in-time dividend yield, YoY EPS and cash-flow
 * growth (latest release vs what was visible 252 rows earlier). Without fundamentals it falls back
 * to the lowest-volatility names (defensive proxy, flagged). Holds: long-only top decile, inverse-vol,
 * re-ranked quarterly, a held name kept while in the top 20% (see ranked-book.ts).
 */
export class DividendGrowthAgent extends StrategyAgent {
  private readonly p: DividendGrowthParams;
  private readonly f: FundamentalsFeature;
  constructor(ctx: AgentContext, params: DividendGrowthParams) {
    const f = new FundamentalsFeature({ withGrowth: true, refreshDays: params.fundamentalsRefreshDays, lastOnly: true });
    super(ctx, [f], 'dividend-growth@1');
    this.p = params;
    this.f = f;
  }

  protected decide(view: MarketView, book: AgentBook, d: Draft): void {
    const p = this.p;
    d.horizonDays = p.horizonDays;
    const f = this.f;
    const U = view.U;
    const score = new Float64Array(U).fill(Number.NaN);
    let source = 'fundamentals';
    if (f.count > 0) {
      const yld = new Float64Array(U).fill(Number.NaN);
      const gr = new Float64Array(U).fill(Number.NaN);
      for (let u = 0; u < U; u++) {
        const y = f.dividendYield[u] as number;
        if (!(y >= p.minYield)) continue;
        yld[u] = y;
        const e = f.epsGrowth[u] as number;
        const c = f.cashFlowGrowth[u] as number;
        gr[u] = e === e && c === c ? (e + c) / 2 : e === e ? e : c === c ? c : 0;
      }
      clipInPlace(gr, 1);
      zscoreInPlace(yld);
      zscoreInPlace(gr);
      for (let u = 0; u < U; u++) score[u] = p.yieldWeight * (yld[u] as number) + (1 - p.yieldWeight) * (gr[u] as number);
    } else {
      source = 'low-volatility proxy (no fundamentals)';
      for (let u = 0; u < U; u++) {
        const v = this.dailyVol(view, u);
        score[u] = v > 0 ? -v : Number.NaN;
      }
    }
    zscoreInPlace(score);
    clipInPlace(score, 3);
    const held = buildLongBook(view, d, score, (u) => this.dailyVol(view, u), (u) => this.eligible(view, u), p, book);
    d.reasoning = `dividend growth (${source}): long ${held.length} growing payers`;
  }
}

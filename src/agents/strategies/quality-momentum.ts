import { z } from 'zod';
import type { MarketView } from '../../market/index.ts';
import type { AgentBook, AgentContext } from '../agent.ts';
import { clipInPlace, zscoreInPlace } from '../scores.ts';
import { FundamentalsFeature } from '../state/fundamentals-feature.ts';
import { StrategyAgent, type Draft } from './base.ts';
import { momentumScores } from './momentum.ts';
import { qualityValueScores } from './quality-value.ts';
import { buildLongBook, rankedBookParams } from './ranked-book.ts';

export const QualityMomentumParams = z.strictObject({
  lookbackDays: z.number().int().min(20).max(1000).default(252),
  skipDays: z.number().int().min(0).max(63).default(21),
  qualityWeight: z.number().min(0).max(1).default(0.5),
  horizonDays: z.number().int().min(1).max(252).default(63),
  /** Rows between re-reads of a name's fundamentals (staggered across names; see FundamentalsFeature). */
  fundamentalsRefreshDays: z.number().int().min(1).max(63).default(21),
  ...rankedBookParams('monthly'),
});
export type QualityMomentumParams = z.infer<typeof QualityMomentumParams>;

/**
 * **Quality-momentum.** Idea: winners that are also sound businesses, which crash less than pure
 * momentum. Inputs: 12-1 return and the quality score (fundamentals, else low volatility).
 * Parameters: lookbackDays 252, skipDays 21, qualityWeight 0.5. Holds: long-only top decile,
 * re-ranked monthly, a held name kept while in the top 20% (see ranked-book.ts).
 */
export class QualityMomentumAgent extends StrategyAgent {
  private readonly p: QualityMomentumParams;
  private readonly fund: FundamentalsFeature;
  constructor(ctx: AgentContext, params: QualityMomentumParams) {
    const fund = new FundamentalsFeature({ withGrowth: false, refreshDays: params.fundamentalsRefreshDays, lastOnly: true });
    super(ctx, [fund], 'quality-momentum@1');
    this.p = params;
    this.fund = fund;
  }

  protected decide(view: MarketView, book: AgentBook, d: Draft): void {
    const p = this.p;
    d.horizonDays = p.horizonDays;
    if (view.t < p.lookbackDays) {
      d.reasoning = `warming up: ${view.t} of ${p.lookbackDays} rows`;
      return;
    }
    const mom = momentumScores(view, p.lookbackDays, p.skipDays);
    zscoreInPlace(mom);
    const { quality, source } = qualityValueScores(view, this.fund, (u) => this.dailyVol(view, u), 756);
    const score = new Float64Array(view.U);
    for (let u = 0; u < view.U; u++) score[u] = p.qualityWeight * (quality[u] as number) + (1 - p.qualityWeight) * (mom[u] as number);
    zscoreInPlace(score);
    clipInPlace(score, 3);
    const held = buildLongBook(view, d, score, (u) => this.dailyVol(view, u), (u) => this.eligible(view, u), p, book);
    d.reasoning = `quality-momentum (quality from ${source}): long ${held.length} sound winners`;
  }
}

import { z } from 'zod';
import type { MarketView } from '../../market/index.ts';
import type { AgentBook, AgentContext } from '../agent.ts';
import { clipInPlace, zscoreInPlace } from '../scores.ts';
import { StrategyAgent, type Draft } from './base.ts';
import { buildLongBook, rankedBookParams } from './ranked-book.ts';

export const MomentumParams = z.strictObject({
  /** Formation window in trading days (12 months). */
  lookbackDays: z.number().int().min(20).max(1000).default(252),
  /** Most recent days skipped (1 month), to step around short-term reversal. */
  skipDays: z.number().int().min(0).max(63).default(21),
  horizonDays: z.number().int().min(1).max(252).default(21),
  ...rankedBookParams('monthly'),
});
export type MomentumParams = z.infer<typeof MomentumParams>;

/**
 * **Momentum** (cross-sectional 12-1). Idea: past 12-month winners, skipping the last month,
 * keep outperforming (Jegadeesh–Titman). Inputs: closes at t−skip and t−lookback, EWMA vol.
 * Parameters: lookbackDays 252, skipDays 21, topFraction 10%, correlation penalty.
 * Holds: long-only, the diversified top decile by 12-1 return, inverse-vol weights; re-ranked on
 * the first trading day of each month, a held name kept while in the top 20% (see ranked-book.ts).
 */
export class MomentumAgent extends StrategyAgent {
  private readonly p: MomentumParams;
  constructor(ctx: AgentContext, params: MomentumParams) {
    super(ctx, [], 'momentum-12-1@1');
    this.p = params;
  }

  protected decide(view: MarketView, book: AgentBook, d: Draft): void {
    const p = this.p;
    d.horizonDays = p.horizonDays;
    if (view.t < p.lookbackDays) {
      d.reasoning = `warming up: ${view.t} of ${p.lookbackDays} rows`;
      return;
    }
    const score = momentumScores(view, p.lookbackDays, p.skipDays);
    zscoreInPlace(score);
    clipInPlace(score, 3);
    const held = buildLongBook(view, d, score, (u) => this.dailyVol(view, u), (u) => this.eligible(view, u), p, book);
    d.reasoning = `12-1 momentum: long ${held.length} past winners (lookback ${p.lookbackDays}d, skip ${p.skipDays}d)`;
  }
}

/** Return from t−lookback to t−skip per column (NaN when either close is missing). */
export function momentumScores(view: MarketView, lookback: number, skip: number): Float64Array {
  const recent = view.cross('close', view.t - skip);
  const old = view.cross('close', view.t - lookback);
  for (let u = 0; u < recent.length; u++) recent[u] = (recent[u] as number) / (old[u] as number) - 1;
  return recent;
}

import { z } from 'zod';
import type { MarketView } from '../../market/index.ts';
import type { AgentBook, AgentContext } from '../agent.ts';
import { clipInPlace, zscoreInPlace } from '../scores.ts';
import { StrategyAgent, type Draft } from '../strategies/base.ts';
import { buildLongBook, rankedBookParams, type RankedBookOptions } from '../strategies/ranked-book.ts';

/**
 * The parameters of a ranking agent, with defaults (`RankingParams.parse({})`); extend them with
 * your own: `RankingParams.extend({ lookbackDays: z.number().default(63) })`.
 * - topFraction / exitFraction: a name enters from the top 10% of scores and is kept while in the top 20%;
 * - rebalance (`monthly`, `weekly`, `daily`, …): when new names enter and weights are reset;
 * - maxNames / minNames: bounds on the book; weighting `inverse_vol` or `equal`; grossTarget × capital;
 * - correlationPenalty: diversifies the picks (0 = plain top-K); ic: μ = ic · z · σ over horizonDays.
 */
export const RankingParams = z.object({
  horizonDays: z.number().int().min(1).max(252).default(21),
  ...rankedBookParams('monthly'),
});
export type RankingParams = z.infer<typeof RankingParams>;

/**
 * The common shape of an agent, done for you: rank the fund's universe by a score (names that
 * trade, at or above the fund's minimum market cap; a held name below it may only shrink), hold a long-only book
 * of the best names (holding buffer, rebalance schedule, inverse-vol weights), attach to each name
 * μ, σ (over `horizonDays`), confidence and the market regime, then apply the agent's own risk
 * layer (position and sector caps, ATR stops, drawdown steps). You write `score`.
 */
export abstract class RankingAgent extends StrategyAgent {
  protected readonly params: RankingParams;

  /** `modelVersion` names your model in every signal (e.g. `low-vol@1`). */
  protected constructor(ctx: AgentContext, params: Partial<RankingParams>, modelVersion: string) {
    super(ctx, [], modelVersion);
    this.params = RankingParams.parse(params);
  }

  /**
   * One raw score per column of the view (higher is better; NaN: no view, never held). The base
   * standardises the scores across names and clips them at ±3.
   */
  protected abstract score(view: MarketView, book: AgentBook): Float64Array;

  /** Rows of history the score needs; before that the agent holds nothing (default 0). */
  protected warmupDays(): number {
    return 0;
  }

  protected decide(view: MarketView, book: AgentBook, d: Draft): void {
    const p = this.params;
    d.horizonDays = p.horizonDays;
    if (view.t < this.warmupDays()) {
      d.reasoning = `warming up: ${view.t} of ${this.warmupDays()} rows`;
      return;
    }
    const s = this.score(view, book);
    zscoreInPlace(s);
    clipInPlace(s, 3);
    const options: RankedBookOptions = p;
    const held = buildLongBook(view, d, s, (u) => this.dailyVol(view, u), (u) => this.eligible(view, u), options, book);
    d.reasoning = `ranked ${view.U} names: long the best ${held.length}`;
  }
}

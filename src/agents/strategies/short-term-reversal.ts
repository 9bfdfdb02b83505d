import { z } from 'zod';
import type { MarketView } from '../../market/index.ts';
import type { AgentBook, AgentContext } from '../agent.ts';
import { alphaFromScore, clipInPlace, confidenceFromZ, quantileCount, rankDescending, rankedCount, topRanked, zscoreInPlace } from '../scores.ts';
import { StrategyAgent, type Draft } from './base.ts';
import { ExitCheck, bandMask, fillUp, holdingDay, keptColumns } from './holdings.ts';
import { RebalanceSchedule } from './schedule.ts';

export const ShortTermReversalParams = z.strictObject({
  lookbackDays: z.number().int().min(1).max(21).default(5),
  /** Fraction of names in each leg. */
  legFraction: z.number().gt(0).max(0.5).default(0.1),
  maxNamesPerLeg: z.number().int().min(1).default(30),
  /** Only names in this top fraction by dollar volume (adv20 × close) are traded. */
  liquidFraction: z.number().gt(0).max(1).default(1),
  longOnly: z.boolean().default(false),
  grossTarget: z.number().gt(0).max(3).default(1),
  horizonDays: z.number().int().min(1).max(21).default(5),
  ic: z.number().gt(0).max(1).default(0.04),
  /** When the legs are re-ranked (the horizon is a week). */
  rebalance: RebalanceSchedule.default('weekly'),
  /** A held name stays while it ranks within this fraction at its end (never narrower than legFraction). */
  exitFraction: z.number().gt(0).max(0.5).default(0.2),
  exitCheck: ExitCheck.default('rebalance'),
});
export type ShortTermReversalParams = z.infer<typeof ShortTermReversalParams>;

/**
 * **Short-term reversal.** Idea: last week's losers bounce and winners give back (liquidity
 * provision; Lehmann, Jegadeesh). Inputs: the `lookbackDays` return over its volatility, dollar
 * volume for the liquidity screen. Holds: long the worst decile (past losers), short the best
 * decile (past winners), equal weights, dollar-neutral (long-only when configured); re-ranked
 * weekly, a held name kept while it stays in its leg's 20% band (see holdings.ts).
 */
export class ShortTermReversalAgent extends StrategyAgent {
  private readonly p: ShortTermReversalParams;
  constructor(ctx: AgentContext, params: ShortTermReversalParams) {
    super(ctx, [], 'reversal@1');
    this.p = params;
  }

  protected decide(view: MarketView, book: AgentBook, d: Draft): void {
    const p = this.p;
    d.horizonDays = p.horizonDays;
    if (view.t < Math.max(p.lookbackDays, 20)) {
      d.reasoning = 'warming up';
      return;
    }
    const U = view.U;
    const now = this.state.close;
    const old = view.cross('close', view.t - p.lookbackDays);
    const liquid = liquidMask(view, now, p.liquidFraction);
    const score = new Float64Array(U).fill(Number.NaN);
    for (let u = 0; u < U; u++) {
      const v = this.dailyVol(view, u);
      if (!liquid[u] || !(v > 0) || !this.eligible(view, u)) continue;
      score[u] = -((now[u] as number) / (old[u] as number) - 1) / (v * Math.sqrt(p.lookbackDays));
    }
    zscoreInPlace(score);
    clipInPlace(score, 3);
    for (let u = 0; u < U; u++) {
      const z = score[u] as number;
      if (z !== z) continue;
      const a = alphaFromScore(p.ic, z, this.dailyVol(view, u), p.horizonDays);
      d.mu[u] = a.mu;
      d.sigma[u] = a.sigma;
      d.confidence[u] = confidenceFromZ(z);
    }
    const count = rankedCount(score);
    const n = Math.min(p.maxNamesPerLeg, quantileCount(count, p.legFraction), Math.floor(count / 2));
    if (n === 0) {
      d.reasoning = `${p.lookbackDays}-day reversal: too few names`;
      return;
    }
    const exitN = Math.max(n, Math.min(quantileCount(count, p.exitFraction), Math.floor(count / 2)));
    const day = holdingDay(view, p.rebalance, p.exitCheck);
    const keptLong = keptColumns(view, book, 1, bandMask(score, exitN), score, day);
    const keptShort = p.longOnly ? [] : keptColumns(view, book, -1, bandMask(score, exitN, true), score, day);
    let longs = keptLong;
    let shorts = keptShort;
    if (day.isRebalanceRow || keptLong.length + keptShort.length === 0) {
      const taken = new Uint8Array(U);
      for (const u of keptShort) taken[u] = 1;
      longs = fillUp(keptLong, topRanked(score, n + keptLong.length), n, taken);
      if (!p.longOnly) shorts = fillUp(keptShort, topRanked(score, n + keptShort.length, true), n, taken);
    }
    // equal weights per leg, each leg at its gross: the weights move only when a name enters or leaves
    const legGross = p.longOnly ? p.grossTarget : p.grossTarget / 2;
    for (const u of longs) d.weights[u] = legGross / longs.length;
    for (const u of shorts) d.weights[u] = -legGross / shorts.length;
    d.reasoning = `${p.lookbackDays}-day reversal (${p.rebalance}): long ${longs.length} past losers${p.longOnly ? '' : `, short ${shorts.length} past winners`}`;
  }
}

/** 1 for names in the top `fraction` by dollar volume (adv20 × close). */
export function liquidMask(view: MarketView, close: Float64Array, fraction: number): Uint8Array {
  const U = view.U;
  const mask = new Uint8Array(U);
  if (fraction >= 1) return mask.fill(1);
  const adv = view.cross('adv20');
  const dv = new Float64Array(U);
  for (let u = 0; u < U; u++) dv[u] = (adv[u] as number) * (close[u] as number);
  const ranked = rankDescending(dv);
  const k = Math.ceil(ranked.length * fraction);
  for (let i = 0; i < k; i++) mask[ranked[i] as number] = 1;
  return mask;
}

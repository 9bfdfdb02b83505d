import { z } from 'zod';
import type { MarketView } from '../../market/index.ts';
import type { AgentBook } from '../agent.ts';
import { alphaFromScore, confidenceFromZ, quantileCount, rankedCount, topRanked } from '../scores.ts';
import { diversifiedTopK } from '../selection/diversified-top-k.ts';
import { ReturnCorrelations } from '../selection/return-correlations.ts';
import type { Draft } from './base.ts';
import { ExitCheck, bandMask, fillUp, holdingDay, keptColumns } from './holdings.ts';
import { RebalanceSchedule } from './schedule.ts';

/**
 * Parameters shared by the long-only ranked strategies (momentum, quality, dividend), with the
 * strategy's own rebalance schedule as the default.
 */
export function rankedBookParams(rebalance: RebalanceSchedule) {
  return {
    /** Fraction of scored names a new position is taken from (the entry band). */
    topFraction: z.number().gt(0).max(1).default(0.1),
    /** A held name stays while it ranks within this fraction (the exit band; never narrower than topFraction). */
    exitFraction: z.number().gt(0).max(1).default(0.2),
    /** When names enter and weights are reset; between rebalances the book only sheds names that leave the exit band. */
    rebalance: RebalanceSchedule.default(rebalance),
    /** When held names are checked against the exit band: every day, or on rebalance days only. */
    exitCheck: ExitCheck.default('rebalance'),
    /** Hard bounds on the number of names. */
    maxNames: z.number().int().min(1).default(40),
    minNames: z.number().int().min(1).default(5),
    /** λ of the diversified top-K selection (0 = plain top-K), in score standard deviations. */
    correlationPenalty: z.number().min(0).max(20).default(1),
    correlationWindow: z.number().int().min(20).max(504).default(60),
    weighting: z.enum(['equal', 'inverse_vol']).default('inverse_vol'),
    /** Sum of weights before the risk layer, × allocated capital. */
    grossTarget: z.number().gt(0).max(3).default(1),
    /** Information coefficient of the score (μ = IC · z · σ_h). */
    ic: z.number().gt(0).max(1).default(0.05),
  };
}

export interface RankedBookOptions {
  topFraction: number;
  exitFraction: number;
  rebalance: RebalanceSchedule;
  exitCheck: ExitCheck;
  maxNames: number;
  minNames: number;
  correlationPenalty: number;
  correlationWindow: number;
  weighting: 'equal' | 'inverse_vol';
  grossTarget: number;
  ic: number;
}

/**
 * Views for every scored name and a long-only book of the best ones, with a holding buffer and
 * a schedule: `score` holds standardised scores (NaN = unscored); `vol(u)` is daily volatility;
 * `eligible(u)` whether the strategy may hold the name (it trades, and the fund takes new exposure
 * in it or the book holds it: `StrategyAgent.eligible`); a name it may not hold is unscored.
 * - every day, a held name (a long position of `book`) stays while it ranks within the top
 *   `exitFraction` of scored names, and leaves below it;
 * - on the first trading day of each `rebalance` period (and whenever the book is empty), the
 *   free slots up to `topFraction` (within `minNames`..`maxNames`) are filled from the best
 *   names not held, diversified around the names kept;
 * - weights are inverse-vol (or equal) over the names held, with each name's 20-day volatility
 *   as of the period's first row: they move only when a name enters or leaves.
 * Returns the names held.
 */
export function buildLongBook(
  view: MarketView,
  d: Draft,
  score: Float64Array,
  vol: (u: number) => number,
  eligible: (u: number) => boolean,
  o: RankedBookOptions,
  book: AgentBook,
  coverage: (u: number) => number = () => 1,
): number[] {
  for (let u = 0; u < score.length; u++) {
    const zu = score[u] as number;
    const v = vol(u);
    if (zu !== zu || !(v > 0) || !eligible(u)) {
      score[u] = Number.NaN;
      continue;
    }
    const a = alphaFromScore(o.ic, zu, v, d.horizonDays);
    d.mu[u] = a.mu;
    d.sigma[u] = a.sigma;
    d.confidence[u] = confidenceFromZ(zu, 2.5, coverage(u));
  }
  const count = rankedCount(score);
  const n = Math.min(o.maxNames, quantileCount(count, o.topFraction, o.minNames));
  if (n === 0) return [];
  const band = bandMask(score, Math.max(n, quantileCount(count, Math.max(o.exitFraction, o.topFraction), o.minNames)));
  const day = holdingDay(view, o.rebalance, o.exitCheck);
  const kept = keptColumns(view, book, 1, band, score, day);
  let held: number[];
  if (!day.isRebalanceRow && kept.length > 0) held = kept;
  else if (kept.length >= n) held = kept.slice(0, n);
  else held = fillBook(view, d, score, kept, n, o);
  // summed in column order, so the same names give the same weights to the bit whatever their ranks
  held.sort((a, b) => a - b);
  let total = 0;
  for (const u of held) {
    const w = o.weighting === 'equal' ? 1 : 1 / weightVol(view, u, day.start, vol);
    d.weights[u] = w;
    total += w;
  }
  for (const u of held) d.weights[u] = ((d.weights[u] as number) / total) * o.grossTarget;
  return held;
}

/** `kept` plus the best names not held, up to n: diversified around the kept names when λ > 0. */
function fillBook(view: MarketView, d: Draft, score: Float64Array, kept: readonly number[], n: number, o: RankedBookOptions): number[] {
  const isKept = new Uint8Array(score.length);
  for (const u of kept) isKept[u] = 1;
  const count = rankedCount(score);
  if (o.correlationPenalty > 0 && view.t >= o.correlationWindow) {
    const free = n - kept.length;
    const pool = [...kept];
    for (const u of topRanked(score, Math.min(count, n * 3 + kept.length))) {
      if (pool.length >= kept.length + free * 3) break;
      if (!isKept[u]) pool.push(u);
    }
    const corr = ReturnCorrelations.fromView(view, o.correlationWindow, pool);
    const poolScores = pool.map((u) => score[u] as number);
    const info = { maxPairCorrelation: Number.NaN };
    const held = diversifiedTopK(poolScores, n, o.correlationPenalty, corr, info, kept.length).map((i) => pool[i] as number);
    d.pairCorrelation = { window: o.correlationWindow, max: info.maxPairCorrelation, cols: held };
    return held;
  }
  return fillUp(kept, topRanked(score, n + kept.length), n, isKept);
}

/** The volatility a weight is sized with: the 20-day volatility at the period's first row, else today's. */
function weightVol(view: MarketView, u: number, start: number, vol: (u: number) => number): number {
  const v = view.value('vol20', u, start);
  return v > 0 ? v : vol(u);
}

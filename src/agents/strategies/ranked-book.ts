import { z } from 'zod';
import type { MarketView } from '../../market/index.ts';
import { alphaFromScore, confidenceFromZ, quantileCount, rankedCount, topRanked } from '../scores.ts';
import { diversifiedTopK } from '../selection/diversified-top-k.ts';
import { ReturnCorrelations } from '../selection/return-correlations.ts';
import type { Draft } from './base.ts';

/** Parameters shared by the long-only ranked strategies (momentum, quality, dividend). */
export const RankedBookParams = {
  /** Fraction of scored names held. */
  topFraction: z.number().gt(0).max(1).default(0.1),
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

export interface RankedBookOptions {
  topFraction: number;
  maxNames: number;
  minNames: number;
  correlationPenalty: number;
  correlationWindow: number;
  weighting: 'equal' | 'inverse_vol';
  grossTarget: number;
  ic: number;
}

/**
 * Views for every scored name and a long-only book of the best ones: `score` holds standardised
 * scores (NaN = unscored); `vol(u)` is daily volatility. Returns the names held.
 */
export function buildLongBook(
  view: MarketView,
  d: Draft,
  score: Float64Array,
  vol: (u: number) => number,
  o: RankedBookOptions,
  coverage: (u: number) => number = () => 1,
): number[] {
  for (let u = 0; u < score.length; u++) {
    const zu = score[u] as number;
    const v = vol(u);
    if (zu !== zu || !(v > 0) || !view.isTradable(u)) {
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
  let held: number[];
  if (o.correlationPenalty > 0 && view.t >= o.correlationWindow) {
    const pool = topRanked(score, Math.min(count, n * 3));
    const corr = ReturnCorrelations.fromView(view, o.correlationWindow, pool);
    const poolScores = pool.map((u) => score[u] as number);
    const info = { maxPairCorrelation: Number.NaN };
    held = diversifiedTopK(poolScores, n, o.correlationPenalty, corr, info).map((i) => pool[i] as number);
    d.pairCorrelation = { window: o.correlationWindow, max: info.maxPairCorrelation, cols: held };
  } else {
    held = topRanked(score, n);
  }
  let total = 0;
  for (const u of held) {
    const w = o.weighting === 'equal' ? 1 : 1 / vol(u);
    d.weights[u] = w;
    total += w;
  }
  for (const u of held) d.weights[u] = ((d.weights[u] as number) / total) * o.grossTarget;
  return held;
}

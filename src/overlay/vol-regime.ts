import type { MarketView } from '../market/index.ts';
import { marketTail } from './market-tape.ts';

/**
 * The volatility regime adjustment of the overlay's risk model: how much more (or less) the market
 * has moved lately than the model's market variance says. The factor model is estimated over a
 * year of equally weighted days (`riskModel.lookbackDays`) and refreshed weekly, so four weeks of a
 * market moving at 4× its usual vol lift its market vol by about a half: the fund's risk target,
 * VaR limit and budgets would see a crisis when it is over. The adjustment is the square root of
 * the market's exponentially weighted mean squared daily return (half-life `halfLifeDays`, over
 * the last four half-lives) over the model's market variance, within VRA_MIN–VRA_MAX; the factor
 * covariance is scaled by its square, so every factor-driven risk figure of the day (ex-ante vol,
 * VaR, budgets, buckets, the risk target) follows a spike within days. It only raises risk: a calm
 * stretch does not lower the year's estimate (measured both ways on the synthetic crises, lowering
 * it let the fund run larger books into a sudden crisis: seed 6's drawdown −6.6% → −10.0%).
 * Specific risk is left alone: in a market crisis it is the common factor that moves most.
 */
export const VRA_MIN = 1;
export const VRA_MAX = 3;
/** Fewer market returns than this in the window: no adjustment. */
const MIN_DAYS = 10;

/** The vol multiplier of the day (1: off, or too little history). */
export function volRegimeScale(view: MarketView, marketVar: number, halfLifeDays: number): number {
  if (!(halfLifeDays > 0) || !(marketVar > 0)) return 1;
  const n = 4 * halfLifeDays;
  const tail = marketTail(view, n, n);
  const decay = 0.5 ** (1 / halfLifeDays);
  let w = 1;
  let sw = 0;
  let swr = 0;
  let count = 0;
  // newest first
  for (let i = tail.length - 1; i >= 0; i--, w *= decay) {
    const r = tail[i] as number;
    if (!Number.isFinite(r)) continue;
    sw += w;
    swr += w * r * r;
    count++;
  }
  if (count < MIN_DAYS || !(sw > 0)) return 1;
  return Math.min(VRA_MAX, Math.max(VRA_MIN, Math.sqrt(swr / sw / marketVar)));
}

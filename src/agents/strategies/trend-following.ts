import { z } from 'zod';
import type { MarketView } from '../../market/index.ts';
import type { AgentBook, AgentContext } from '../agent.ts';
import { confidenceFromZ } from '../scores.ts';
import { EmaFeature } from '../state/features.ts';
import { StrategyAgent, type Draft } from './base.ts';

export const TrendFollowingParams = z
  .strictObject({
    fastDays: z.number().int().min(2).max(250).default(20),
    slowDays: z.number().int().min(5).max(500).default(100),
    /** Annualised volatility each name's position targets before scaling (0.15 = 15%). */
    targetVol: z.number().gt(0).max(1).default(0.15),
    /** Trend strength (in daily-vol units) below which a name is not traded. */
    minStrength: z.number().min(0).max(10).default(0.5),
    /** Strength at which a position reaches full size. */
    fullStrength: z.number().gt(0).max(20).default(2),
    horizonDays: z.number().int().min(1).max(252).default(21),
    ic: z.number().gt(0).max(1).default(0.05),
    allowShort: z.boolean().default(true),
  })
  .refine((p) => p.fastDays < p.slowDays, { message: 'fastDays must be below slowDays', path: ['fastDays'] });
export type TrendFollowingParams = z.infer<typeof TrendFollowingParams>;

/**
 * **Trend following** (time series). Idea: each name follows its own trend, long or short
 * (Moskowitz–Ooi–Pedersen). Inputs: EMA(fast) and EMA(slow) of close, EWMA volatility.
 * Strength s = (EMA_f/EMA_s − 1)/σ_daily; |s| below `minStrength` is flat. Volatility targeting:
 * each position is sign(s)·min(1,|s|/full)·(targetVol/σ_annual)/N over the N names traded.
 * Holds: long uptrends and short downtrends (a falling market makes it net short).
 */
export class TrendFollowingAgent extends StrategyAgent {
  private readonly p: TrendFollowingParams;
  private readonly fast: EmaFeature;
  private readonly slow: EmaFeature;
  constructor(ctx: AgentContext, params: TrendFollowingParams) {
    const fast = new EmaFeature(params.fastDays);
    const slow = new EmaFeature(params.slowDays);
    super(ctx, [fast, slow], 'trend-ema@1');
    this.p = params;
    this.fast = fast;
    this.slow = slow;
  }

  protected decide(view: MarketView, _book: AgentBook, d: Draft): void {
    const p = this.p;
    d.horizonDays = p.horizonDays;
    const strength = new Float64Array(view.U).fill(Number.NaN);
    let n = 0;
    for (let u = 0; u < view.U; u++) {
      if ((this.slow.n[u] ?? 0) < p.slowDays || !this.eligible(view, u)) continue;
      const v = this.dailyVol(view, u);
      if (!(v > 0)) continue;
      const s = ((this.fast.ema[u] as number) / (this.slow.ema[u] as number) - 1) / v;
      if (s !== s) continue;
      strength[u] = s;
      const sh = v * Math.sqrt(p.horizonDays);
      const zs = Math.max(-3, Math.min(3, s / p.fullStrength));
      d.mu[u] = p.ic * zs * sh;
      d.sigma[u] = sh;
      d.confidence[u] = confidenceFromZ(s, p.fullStrength * 1.5);
      if (Math.abs(s) >= p.minStrength && (p.allowShort || s > 0)) n++;
    }
    let longs = 0;
    let shorts = 0;
    for (let u = 0; u < view.U; u++) {
      const s = strength[u] as number;
      if (!(Math.abs(s) >= p.minStrength) || (!p.allowShort && s < 0)) continue;
      const annual = this.dailyVol(view, u) * Math.sqrt(252);
      const size = Math.min(1, Math.abs(s) / p.fullStrength) * (p.targetVol / annual);
      d.weights[u] = (Math.sign(s) * size) / n;
      if (s > 0) longs++;
      else shorts++;
    }
    d.reasoning = `trend EMA ${p.fastDays}/${p.slowDays}: ${longs} long, ${shorts} short, vol target ${p.targetVol}`;
  }
}

import { z } from 'zod';
import type { MarketView } from '../../market/index.ts';
import type { AgentBook, AgentContext } from '../agent.ts';
import { confidenceFromZ } from '../scores.ts';
import { RollingCloseFeature } from '../state/features.ts';
import { StrategyAgent, type Draft } from './base.ts';

export const SmaCrossoverParams = z
  .strictObject({
    fastDays: z.number().int().min(1).max(250).default(10),
    slowDays: z.number().int().min(2).max(500).default(30),
    grossTarget: z.number().gt(0).max(3).default(1),
    horizonDays: z.number().int().min(1).max(63).default(10),
  })
  .refine((p) => p.fastDays < p.slowDays, { message: 'fastDays must be below slowDays', path: ['fastDays'] });
export type SmaCrossoverParams = z.infer<typeof SmaCrossoverParams>;

/**
 * **SMA crossover** (the engine-speed benchmark strategy). Idea: one SMA(10)/SMA(30) crossover
 * per series. Inputs: rolling sums of close. Holds: long, equal-weighted, every name whose fast
 * SMA is above its slow SMA; flat otherwise.
 */
export class SmaCrossoverAgent extends StrategyAgent {
  private readonly p: SmaCrossoverParams;
  private readonly sma: RollingCloseFeature;
  constructor(ctx: AgentContext, params: SmaCrossoverParams) {
    const sma = new RollingCloseFeature([params.fastDays, params.slowDays]);
    super(ctx, [sma], 'sma-crossover@1');
    this.p = params;
    this.sma = sma;
  }

  protected decide(view: MarketView, _book: AgentBook, d: Draft): void {
    d.horizonDays = this.p.horizonDays;
    let n = 0;
    for (let u = 0; u < view.U; u++) {
      const f = this.sma.mean(0, u);
      const s = this.sma.mean(1, u);
      const v = this.dailyVol(view, u);
      if (!(f > 0 && s > 0 && v > 0) || !this.eligible(view, u)) continue;
      const gap = (f / s - 1) / v;
      const sh = v * Math.sqrt(this.p.horizonDays);
      d.mu[u] = 0.03 * Math.max(-3, Math.min(3, gap)) * sh;
      d.sigma[u] = sh;
      d.confidence[u] = confidenceFromZ(gap, 3);
      if (f > s) {
        d.weights[u] = 1;
        n++;
      }
    }
    if (n > 0) for (let u = 0; u < view.U; u++) if (d.weights[u] !== 0) d.weights[u] = this.p.grossTarget / n;
    d.reasoning = `SMA ${this.p.fastDays}/${this.p.slowDays}: long ${n} names above their slow average`;
  }
}

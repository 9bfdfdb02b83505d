import { z } from 'zod';
import type { MarketView } from '../../market/index.ts';
import type { AgentBook, AgentContext } from '../agent.ts';
import type { FundamentalsCross } from '../fundamentals-cross.ts';
import { FundamentalsFeature } from '../state/fundamentals-feature.ts';
import { clipInPlace, zscoreInPlace } from '../scores.ts';
import { StrategyAgent, type Draft } from './base.ts';
import { buildLongBook, rankedBookParams } from './ranked-book.ts';

export const QualityValueParams = z.strictObject({
  qualityWeight: z.number().min(0).max(1).default(0.5),
  horizonDays: z.number().int().min(1).max(252).default(63),
  /** Rows of the long-term return used as the value proxy when fundamentals are missing. */
  valueProxyDays: z.number().int().min(126).max(1260).default(756),
  /** Rows between re-reads of a name's fundamentals (staggered across names; see FundamentalsFeature). */
  fundamentalsRefreshDays: z.number().int().min(1).max(63).default(21),
  ...rankedBookParams('quarterly'),
});
export type QualityValueParams = z.infer<typeof QualityValueParams>;

/**
 * **Quality-value.** Idea: cheap companies that are also sound (value without value traps).
 * Inputs: point-in-time fundamentals — the composite `quality` and `value` scores, else earnings
 * yield 1/PE and book yield 1/PB; without fundamentals, low volatility as the quality proxy and
 * long-term price reversal as the value proxy (flagged in the reasoning).
 * Parameters: qualityWeight 0.5, topFraction 10%. Holds: long-only top decile, inverse-vol;
 * re-ranked quarterly, a held name kept while in the top 20% (see ranked-book.ts).
 */
export class QualityValueAgent extends StrategyAgent {
  private readonly p: QualityValueParams;
  private readonly fund: FundamentalsFeature;
  constructor(ctx: AgentContext, params: QualityValueParams) {
    const fund = new FundamentalsFeature({ withGrowth: false, refreshDays: params.fundamentalsRefreshDays, lastOnly: true });
    super(ctx, [fund], 'quality-value@1');
    this.p = params;
    this.fund = fund;
  }

  protected decide(view: MarketView, book: AgentBook, d: Draft): void {
    d.horizonDays = this.p.horizonDays;
    const { quality, value, source } = qualityValueScores(view, this.fund, (u) => this.dailyVol(view, u), this.p.valueProxyDays);
    const wq = this.p.qualityWeight;
    const score = new Float64Array(view.U);
    for (let u = 0; u < view.U; u++) score[u] = wq * (quality[u] as number) + (1 - wq) * (value[u] as number);
    zscoreInPlace(score);
    clipInPlace(score, 3);
    const held = buildLongBook(view, d, score, (u) => this.dailyVol(view, u), (u) => this.eligible(view, u), this.p, book);
    d.reasoning = `quality-value (${source}): long ${held.length} cheap, high-quality names`;
  }
}

/**
 * Standardised quality and value per column. Fundamentals first; price proxies when no name
 * has fundamentals: quality = −volatility, value = −(return over `proxyDays`, or what history allows ≥ 126).
 */
export function qualityValueScores(
  view: MarketView,
  f: FundamentalsCross,
  vol: (u: number) => number,
  proxyDays: number,
): { quality: Float64Array; value: Float64Array; source: 'fundamentals' | 'price proxies' } {
  const U = view.U;
  const quality = new Float64Array(U).fill(Number.NaN);
  const value = new Float64Array(U).fill(Number.NaN);
  if (f.count > 0) {
    const ey = new Float64Array(U).fill(Number.NaN);
    const by = new Float64Array(U).fill(Number.NaN);
    for (let u = 0; u < U; u++) {
      quality[u] = f.quality[u] as number;
      const pe = f.pe[u] as number;
      const pb = f.pb[u] as number;
      ey[u] = pe > 0 ? 1 / pe : Number.NaN;
      by[u] = pb > 0 ? 1 / pb : Number.NaN;
    }
    zscoreInPlace(quality);
    zscoreInPlace(ey);
    zscoreInPlace(by);
    for (let u = 0; u < U; u++) {
      const v = f.value[u] as number;
      const e = ey[u] as number;
      const b = by[u] as number;
      value[u] = v === v ? v : e === e && b === b ? (e + b) / 2 : e === e ? e : b;
    }
    zscoreInPlace(value);
    return { quality, value, source: 'fundamentals' };
  }
  const lb = Math.min(proxyDays, view.t);
  if (lb >= 126) {
    const now = view.cross('close', view.t);
    const old = view.cross('close', view.t - lb);
    for (let u = 0; u < U; u++) value[u] = -((now[u] as number) / (old[u] as number) - 1);
  }
  for (let u = 0; u < U; u++) {
    const v = vol(u);
    quality[u] = v > 0 ? -v : Number.NaN;
  }
  zscoreInPlace(quality);
  zscoreInPlace(value);
  return { quality, value, source: 'price proxies' };
}

import type { Regime } from '../../contracts/index.ts';
import { classifyRegime } from '../../quant/index.ts';
import type { Feature, RowData, StateShape } from './incremental.ts';

/**
 * The market as one series: a level index built from the market return of each row (the
 * `market` reference when present, the equal-weighted mean otherwise), its 100-day EMA for the
 * trend, the RiskMetrics EWMA volatility of its returns and the volatility index. Gives the regime.
 */
export class MarketFeature implements Feature {
  level = 1;
  ema = Number.NaN;
  variance = Number.NaN;
  vix = Number.NaN;
  /** Trailing EMA of the vix level (20-day), for spike detection. */
  vixEma = Number.NaN;
  ret = Number.NaN;
  n = 0;
  private readonly alphaTrend: number;
  private readonly alphaVix = 2 / 21;
  constructor(
    readonly trendPeriod = 100,
    readonly lambda = 0.94,
  ) {
    this.alphaTrend = 2 / (trendPeriod + 1);
  }
  reset(_s: StateShape): void {
    this.level = 1;
    this.ema = Number.NaN;
    this.variance = Number.NaN;
    this.vix = Number.NaN;
    this.vixEma = Number.NaN;
    this.ret = Number.NaN;
    this.n = 0;
  }
  step(d: RowData): void {
    const r = d.marketRet;
    this.ret = r;
    if (r === r) {
      this.level *= 1 + r;
      this.variance = this.variance === this.variance ? this.lambda * this.variance + (1 - this.lambda) * r * r : r * r;
      this.n++;
    }
    this.ema = this.ema === this.ema ? this.ema + this.alphaTrend * (this.level - this.ema) : this.level;
    if (d.vix === d.vix) {
      this.vix = d.vix;
      this.vixEma = this.vixEma === this.vixEma ? this.vixEma + this.alphaVix * (d.vix - this.vixEma) : d.vix;
    }
  }
  /** Annualised market volatility (√252 · daily EWMA), NaN before 20 returns. */
  annualVol(): number {
    return this.n >= 20 ? Math.sqrt(this.variance * 252) : Number.NaN;
  }
  /**
   * Regime (seed: mini-quant-fund §3) by quant's `classifyRegime`: BULL when the level is at or
   * above its trend EMA, VOLATILE when the volatility index (or, without one, realised
   * volatility) is at or above 25%. No history yet: BULL_QUIET.
   */
  regime(): Regime {
    const trend = this.ema === this.ema ? this.level / this.ema - 1 : 0;
    const vol = this.vix === this.vix ? this.vix / 100 : this.annualVol();
    return classifyRegime(trend, vol === vol ? vol : 0, 0.25);
  }
}

/**
 * Realised-volatility-and-trend regime labels (mini-quant-fund summary §3): trend from the trailing
 * return over `trendWindow`, volatility from the annualised sample std of the last `volWindow` returns.
 */
import type { Series } from '../stats/descriptive.ts';

/** Market regime: trend (BULL/BEAR) × volatility (QUIET/VOLATILE; a volatile bear is a CRISIS). */
export type RegimeLabel = 'BULL_QUIET' | 'BULL_VOLATILE' | 'BEAR_QUIET' | 'BEAR_CRISIS';

/** All labels, in order of increasing risk. */
export const REGIME_LABELS: readonly RegimeLabel[] = ['BULL_QUIET', 'BULL_VOLATILE', 'BEAR_QUIET', 'BEAR_CRISIS'];

/** Gross risk multiplier per regime from the seed: risk-on 1.0, caution 0.7, risk-off 0.5, block 0. */
export const REGIME_RISK_MULTIPLIER: Readonly<Record<RegimeLabel, number>> = {
  BULL_QUIET: 1,
  BULL_VOLATILE: 0.7,
  BEAR_QUIET: 0.5,
  BEAR_CRISIS: 0,
};

/** Options for `regimeLabels`. */
export interface RegimeOptions {
  /** Returns in the volatility window (default 21). */
  readonly volWindow?: number;
  /** Bars in the trend look-back (default 63). */
  readonly trendWindow?: number;
  /** Annualised volatility at or above which the market is volatile (default 0.25). */
  readonly volThreshold?: number;
  readonly periodsPerYear?: number;
}

/** One regime classification with its inputs. */
export interface RegimePoint {
  readonly label: RegimeLabel;
  /** Annualised realised volatility (fraction). */
  readonly vol: number;
  /** Trailing simple return over the trend window (fraction). */
  readonly trend: number;
}

/** Classifies one point: bull when trend ≥ 0, volatile when vol ≥ threshold. */
export function classifyRegime(trend: number, vol: number, volThreshold = 0.25): RegimeLabel {
  const volatile = vol >= volThreshold;
  if (trend >= 0) return volatile ? 'BULL_VOLATILE' : 'BULL_QUIET';
  return volatile ? 'BEAR_CRISIS' : 'BEAR_QUIET';
}

/** Regime per bar of a price series; null until both windows are full (bar max(volWindow, trendWindow)). */
export function regimeLabels(prices: Series, options: RegimeOptions = {}): (RegimePoint | null)[] {
  const vw = options.volWindow ?? 21;
  const tw = options.trendWindow ?? 63;
  const thr = options.volThreshold ?? 0.25;
  const ann = Math.sqrt(options.periodsPerYear ?? 252);
  const n = prices.length;
  const out: (RegimePoint | null)[] = new Array<RegimePoint | null>(n).fill(null);
  for (let i = Math.max(vw, tw); i < n; i++) {
    let s = 0;
    for (let j = i - vw + 1; j <= i; j++) s += (prices[j] as number) / (prices[j - 1] as number) - 1;
    const m = s / vw;
    let ss = 0;
    for (let j = i - vw + 1; j <= i; j++) {
      const d = (prices[j] as number) / (prices[j - 1] as number) - 1 - m;
      ss += d * d;
    }
    const vol = Math.sqrt(ss / (vw - 1)) * ann;
    const trend = (prices[i] as number) / (prices[i - tw] as number) - 1;
    if (!Number.isFinite(vol) || !Number.isFinite(trend)) continue;
    out[i] = { label: classifyRegime(trend, vol, thr), vol, trend };
  }
  return out;
}

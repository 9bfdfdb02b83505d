import type { Regime, RegimeConfig } from '../contracts/index.ts';
import type { IsoDate } from '../core/index.ts';
import { classifyRegime } from '../quant/index.ts';

/** The market's trend (compounded return over the trend window, fraction) and 20-day annualised volatility. */
export interface RegimeMeasures {
  readonly trend: number;
  readonly vol: number;
}

/** Trend over the last `trendDays` and annualised 20-day volatility of daily market returns (oldest first). */
export function regimeMeasures(marketReturns: Float64Array, trendDays: number): RegimeMeasures {
  const T = marketReturns.length;
  let logSum = 0;
  for (let k = Math.max(0, T - trendDays); k < T; k++) {
    const r = marketReturns[k] ?? Number.NaN;
    if (Number.isFinite(r)) logSum += Math.log1p(r);
  }
  let s = 0, ss = 0, n = 0;
  for (let k = Math.max(0, T - 20); k < T; k++) {
    const r = marketReturns[k] ?? Number.NaN;
    if (!Number.isFinite(r)) continue;
    s += r; ss += r * r; n++;
  }
  const vol = n > 1 ? Math.sqrt(Math.max(0, (ss - (s * s) / n) / (n - 1)) * 252) : 0;
  return { trend: Math.expm1(logSum), vol };
}

/** The volatility at or above which the market is volatile: 4/3 × `regime.volTarget` (20% for the default 15%). */
export function regimeVolThreshold(volTarget: number): number {
  return (4 / 3) * volTarget;
}

/**
 * Regime label from daily market returns (oldest first): trend = sign of the last `trendDays`
 * compounded return, volatility = annualised 20-day standard deviation against 4/3 × `volTarget`
 * (20% for the default 15% target), labelled by quant's `classifyRegime` (vol at or above → volatile).
 * The day's label only: the fund's regime is `advanceRegime`'s state over these labels.
 */
export function deriveRegime(marketReturns: Float64Array, trendDays: number, volTarget: number): Regime {
  const m = regimeMeasures(marketReturns, trendDays);
  return classifyRegime(m.trend, m.vol, regimeVolThreshold(volTarget));
}

/**
 * The regime as a state machine over the daily labels (issue 15: the label alone flickered, 67
 * changes in four years). Carried in `FundState.regimeTrack`, so a backtest and a live fund that
 * replay the same days adopt the same regimes.
 */
export interface RegimeTrack {
  /** The regime in force. */
  readonly regime: Regime;
  /** The day it was adopted, and the trading days it has been in force, that day included. */
  readonly since: IsoDate;
  readonly days: number;
  /** A different label seen on the last `pendingDays` days in a row, not adopted yet (null: none). */
  readonly pending: Regime | null;
  readonly pendingDays: number;
  /** The last day the machine stepped (a second review on the same day does not step it again). */
  readonly asOf: IsoDate;
}

const isVolatile = (r: Regime): boolean => r === 'BULL_VOLATILE' || r === 'BEAR_CRISIS';

/**
 * One day of the regime machine. The day's label has hysteresis on volatility: from a quiet regime
 * the market turns volatile above thr × (1 + `volHysteresisPct`), from a volatile one it calms below
 * thr × (1 − `volHysteresisPct`). A new label is adopted once it has held `confirmDays` days in a row
 * and the regime in force has lasted `minDwellDays`; BEAR_CRISIS is adopted at once. The first day
 * (no track) adopts the plain label. A review on the day the track last stepped returns it unchanged.
 */
export function advanceRegime(
  track: RegimeTrack | null | undefined,
  m: RegimeMeasures,
  cfg: Pick<RegimeConfig, 'volTarget' | 'confirmDays' | 'minDwellDays' | 'volHysteresisPct'>,
  asOf: IsoDate,
): RegimeTrack {
  const thr = regimeVolThreshold(cfg.volTarget);
  if (!track) return { regime: classifyRegime(m.trend, m.vol, thr), since: asOf, days: 1, pending: null, pendingDays: 0, asOf };
  if (asOf <= track.asOf) return track;
  const h = cfg.volHysteresisPct;
  const label = classifyRegime(m.trend, m.vol, isVolatile(track.regime) ? thr * (1 - h) : thr * (1 + h));
  if (label === track.regime) return { ...track, days: track.days + 1, pending: null, pendingDays: 0, asOf };
  const pendingDays = label === track.pending ? track.pendingDays + 1 : 1;
  const adopt = label === 'BEAR_CRISIS' || (pendingDays >= cfg.confirmDays && track.days >= cfg.minDwellDays);
  if (adopt) return { regime: label, since: asOf, days: 1, pending: null, pendingDays: 0, asOf };
  return { ...track, days: track.days + 1, pending: label, pendingDays, asOf };
}

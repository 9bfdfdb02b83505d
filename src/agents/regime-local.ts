/**
 * Private regime labelling until src/quant exports one (fold into quant's regimes later).
 * Seed: mini-quant-fund §3 — BULL/BEAR by trend, QUIET/VOLATILE by volatility.
 */
import type { Regime } from '../contracts/index.ts';

export interface RegimeInputs {
  /** Market level and its trend average (same units). */
  readonly level: number;
  readonly trend: number;
  /** Annualised realised market volatility (0.2 = 20%), NaN if unknown. */
  readonly annualVol: number;
  /** Volatility index in points (20 = 20%), NaN if unknown. */
  readonly vix: number;
}

/** Volatile when the volatility index is above 25 or, without one, realised vol above 22%. */
export const VOLATILE_VIX = 25;
export const VOLATILE_REALISED = 0.22;

/**
 * BULL when the level is at or above its trend average (or unknown), BEAR below it; VOLATILE
 * as above. A market with no history is BULL_QUIET (no evidence of stress).
 */
export function regimeLabel(x: RegimeInputs): Regime {
  const isBear = Number.isFinite(x.trend) && x.level < x.trend;
  const isVolatile = Number.isFinite(x.vix) ? x.vix > VOLATILE_VIX : Number.isFinite(x.annualVol) && x.annualVol > VOLATILE_REALISED;
  if (isBear) return isVolatile ? 'BEAR_CRISIS' : 'BEAR_QUIET';
  return isVolatile ? 'BULL_VOLATILE' : 'BULL_QUIET';
}

import { z } from 'zod';
import { finite, id, isoDate, isoTime, nonNegative, positive, symbol, version } from './common.ts';

export const AssetClass = z.enum(['equity', 'index', 'volatility_index', 'factor', 'etf']);

/** A tradable or reference instrument. */
export const Instrument = z.object({
  version,
  symbol,
  name: z.string().max(200).default(''),
  assetClass: AssetClass.default('equity'),
  sector: z.string().max(100).nullable().default(null),
  currency: z.string().length(3).default('USD'),
  /** Share lot; 0 means fractional shares to 1e-4 are allowed. */
  lotSize: nonNegative.default(0),
  isTradable: z.boolean().default(true),
});
export type Instrument = z.infer<typeof Instrument>;

/** One daily bar. Prices in the instrument's currency; volume in shares. */
export const Bar = z
  .object({
    version,
    symbol,
    date: isoDate,
    open: positive,
    high: positive,
    low: positive,
    close: positive,
    volume: nonNegative,
  })
  .superRefine((b, ctx) => {
    if (b.high < Math.max(b.open, b.close, b.low)) {
      ctx.addIssue({ code: 'custom', path: ['high'], message: 'high is below open, close or low' });
    }
    if (b.low > Math.min(b.open, b.close, b.high)) {
      ctx.addIssue({ code: 'custom', path: ['low'], message: 'low is above open, close or high' });
    }
  });
export type Bar = z.infer<typeof Bar>;

/**
 * Company fundamentals for a fiscal period, visible to agents only from `releaseTime` on
 * (point in time). Ratios are plain numbers (pe 18 = 18×), yields are fractions (0.02 = 2%).
 */
export const Fundamentals = z.object({
  version,
  symbol,
  periodEnd: isoDate,
  releaseTime: isoTime,
  eps: finite.nullable().default(null),
  revenue: finite.nullable().default(null),
  cashFlow: finite.nullable().default(null),
  bookValuePerShare: finite.nullable().default(null),
  dividendYield: finite.nullable().default(null),
  pe: finite.nullable().default(null),
  pb: finite.nullable().default(null),
  /** Composite quality score, cross-sectional z-score units. */
  quality: finite.nullable().default(null),
  /** Composite value score, cross-sectional z-score units. */
  value: finite.nullable().default(null),
  sharesOutstanding: nonNegative.nullable().default(null),
});
export type Fundamentals = z.infer<typeof Fundamentals>;

/** One observation of a macro or reference series, visible from `releaseTime` on. */
export const MacroObservation = z.object({
  version,
  series: id,
  date: isoDate,
  releaseTime: isoTime,
  value: finite,
});
export type MacroObservation = z.infer<typeof MacroObservation>;

/** Symbol governance states (seed: mini-quant-fund §6). Only ACTIVE is tradable. */
export const SymbolState = z.enum(['ACTIVE', 'DEGRADED', 'QUARANTINED']);
export type SymbolState = z.infer<typeof SymbolState>;

export const DataQuality = z.object({
  version,
  symbol,
  asOf: isoDate,
  rows: z.number().int().nonnegative(),
  missingDatesPct: z.number().min(0).max(1),
  duplicatePct: z.number().min(0).max(1),
  hasZeroOrNegative: z.boolean(),
  hasExtremeSpike: z.boolean(),
  score: z.number().min(0).max(1),
  state: SymbolState,
});
export type DataQuality = z.infer<typeof DataQuality>;

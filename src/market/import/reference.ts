import type { Bar, Instrument } from '../../contracts/index.ts';
import type { ReadOptions } from './read-lines.ts';
import { importSymbolBars } from './symbol-bars.ts';
import type { BarsImport } from './long-bars.ts';
import type { SectorMap } from './sectors.ts';

/** Default symbols of the reference instruments (an index, a volatility index). */
export const INDEX_SYMBOL = 'SPX';
export const VIX_SYMBOL = 'VIX';

/**
 * An index (spx_daily.csv: date,open,high,low,close,volume) or volatility index
 * (vix_daily.csv: date,open,high,low,close; volume → 0) as bars of one symbol, under the same
 * defects policy as stock bars (VIX has 47 non-bracketing rows: repaired and reported).
 */
export async function importIndexSeries(path: string, options: { symbol?: string } & ReadOptions = {}): Promise<BarsImport> {
  return importSymbolBars(path, { ...options, symbol: options.symbol ?? INDEX_SYMBOL });
}

/** Closes of one symbol's bars aligned to `dates` (NaN where there is no bar). */
export function closesOn(bars: readonly Bar[], dates: readonly string[], symbol?: string): Float64Array {
  const row = new Map(dates.map((d, i) => [d, i]));
  const out = new Float64Array(dates.length).fill(Number.NaN);
  for (const b of bars) {
    if (symbol !== undefined && b.symbol !== symbol) continue;
    const i = row.get(b.date);
    if (i !== undefined) out[i] = b.close;
  }
  return out;
}

/** Instruments for imported symbols, with sector and company name from a sector map when given. */
export function instrumentsFor(symbols: readonly string[], sectors?: SectorMap, assetClass: Instrument['assetClass'] = 'equity'): Instrument[] {
  return symbols.map((symbol) => {
    const s = sectors?.get(symbol);
    return { version: 1, symbol, name: s?.name ?? '', assetClass, sector: s?.sector ?? null, currency: 'USD', lotSize: 0, isTradable: assetClass === 'equity' || assetClass === 'etf' };
  });
}

import type { Bar } from '../../contracts/index.ts';
import { createPanel, type Panel } from '../panel.ts';
import { generateSyntheticMarket, type SyntheticMarket, type SyntheticOptions } from './generate.ts';

/**
 * The synthetic market as a Panel: OHLCV, shares outstanding (market caps), sentiment,
 * fundamentals, and reference series `market` (index level, points), `vix` (index points) and
 * one per style factor (`mkt_rf`, `smb`, `hml`, `mom`, `qmj`, `bab`; daily returns).
 */
export function syntheticPanel(source: SyntheticMarket | SyntheticOptions): Panel {
  const m = 'close' in source ? source : generateSyntheticMarket(source);
  const reference = new Map<string, Float64Array>([
    ['market', m.index],
    ['vix', m.vix],
  ]);
  for (const [name, series] of m.factors) reference.set(name, series);
  return createPanel({
    dates: m.dates,
    symbols: m.symbols,
    sectors: m.sectors,
    open: m.open,
    high: m.high,
    low: m.low,
    close: m.close,
    volume: m.volume,
    sharesOutstanding: m.sharesOutstanding,
    sentiment: m.sentiment,
    reference,
    fundamentals: m.fundamentals,
  });
}

/** The synthetic market's daily bars, in (date, symbol) order, e.g. to load into the store. */
export function syntheticBars(m: SyntheticMarket): Bar[] {
  const out: Bar[] = [];
  for (let t = 0; t < m.T; t++) {
    const date = m.dates[t] ?? '';
    for (let u = 0; u < m.U; u++) {
      const i = t * m.U + u;
      out.push({
        version: 1,
        symbol: m.symbols[u] ?? '',
        date,
        open: m.open[i] ?? Number.NaN,
        high: m.high[i] ?? Number.NaN,
        low: m.low[i] ?? Number.NaN,
        close: m.close[i] ?? Number.NaN,
        volume: m.volume[i] ?? 0,
      });
    }
  }
  return out;
}

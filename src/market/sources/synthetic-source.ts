import type { IsoDate } from '../../core/index.ts';
import type { Bar, Fundamentals, Instrument, MacroObservation } from '../../contracts/index.ts';
import { generateSyntheticMarket, type SyntheticMarket, type SyntheticOptions } from '../synthetic/generate.ts';
import type { MarketSource } from './market-source.ts';

/**
 * The synthetic market as a source (the embedded default): bars, instruments, fundamentals, and
 * macro series `vix` (index points), `market` (index level) and the factor names (daily returns),
 * each released at 21:00 UTC of its date.
 */
export class SyntheticMarketSource implements MarketSource {
  readonly name = 'synthetic';
  private m: SyntheticMarket | undefined;

  constructor(private readonly options: SyntheticOptions) {}

  market(): SyntheticMarket {
    this.m ??= generateSyntheticMarket(this.options);
    return this.m;
  }

  async instruments(): Promise<Instrument[]> {
    return [...this.market().instruments];
  }

  async bars(symbols: readonly string[], from: IsoDate, to: IsoDate): Promise<Bar[]> {
    const m = this.market();
    const cols = symbols.map((s) => m.symbols.indexOf(s)).filter((u) => u >= 0);
    const out: Bar[] = [];
    m.dates.forEach((date, t) => {
      if (date < from || date > to) return;
      for (const u of cols) {
        const i = t * m.U + u;
        out.push({ version: 1, symbol: m.symbols[u] ?? '', date, open: m.open[i] ?? NaN, high: m.high[i] ?? NaN, low: m.low[i] ?? NaN, close: m.close[i] ?? NaN, volume: m.volume[i] ?? 0 });
      }
    });
    return out;
  }

  async fundamentals(): Promise<Fundamentals[]> {
    return [...this.market().fundamentals.values()].flat();
  }

  async macro(series: readonly string[], from: IsoDate, to: IsoDate): Promise<MacroObservation[]> {
    const m = this.market();
    const all = new Map<string, Float64Array>([['vix', m.vix], ['market', m.index], ...m.factors]);
    const out: MacroObservation[] = [];
    for (const name of series) {
      const s = all.get(name);
      if (!s) continue;
      m.dates.forEach((date, t) => {
        if (date >= from && date <= to) out.push({ version: 1, series: name, date, releaseTime: `${date}T21:00:00.000Z`, value: s[t] ?? NaN });
      });
    }
    return out;
  }
}

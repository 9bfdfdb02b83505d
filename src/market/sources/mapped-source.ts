import type { IsoDate } from '../../core/index.ts';
import type { Bar, Instrument, MacroObservation } from '../../contracts/index.ts';
import type { MarketSource } from './market-source.ts';
import { ProviderError } from './provider-error.ts';

/** Stored symbol → the provider's name for it; null: the provider does not have it. */
export type SymbolMap = Readonly<Record<string, string | null>>;

/**
 * A source asked for bars under the provider's own names (Polygon's `I:SPX` for the stored
 * `SPX`), its bars returned under the stored names. Symbols mapped to null are not asked for;
 * with `onlyMapped` (FRED, which has series, not tickers) neither is any symbol the map does not
 * name. When nothing is left to ask, bars() fails as `unsupported` so a router moves on.
 */
export class MappedSource implements MarketSource {
  readonly name: string;
  readonly macro?: (series: readonly string[], from: IsoDate, to: IsoDate) => Promise<MacroObservation[]>;

  constructor(
    private readonly inner: MarketSource,
    private readonly map: SymbolMap,
    private readonly onlyMapped = false,
  ) {
    this.name = inner.name;
    if (inner.macro) this.macro = inner.macro.bind(inner);
  }

  instruments(): Promise<Instrument[]> {
    return this.inner.instruments();
  }

  async bars(symbols: readonly string[], from: IsoDate, to: IsoDate): Promise<Bar[]> {
    const stored = new Map<string, string>();
    for (const s of symbols) {
      const mapped = Object.hasOwn(this.map, s) ? this.map[s] : this.onlyMapped ? null : s;
      if (mapped !== null && mapped !== undefined) stored.set(mapped, s);
    }
    if (stored.size === 0) {
      const shown = symbols.slice(0, 5).join(', ') + (symbols.length > 5 ? ', …' : '');
      throw new ProviderError(this.name, 'unsupported', `has no bars for ${shown} (data.symbolMap)`);
    }
    const bars = await this.inner.bars([...stored.keys()], from, to);
    return bars.map((b) => {
      const s = stored.get(b.symbol);
      return s === undefined || s === b.symbol ? b : { ...b, symbol: s };
    });
  }
}

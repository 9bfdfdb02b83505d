import { sectorIds, type MarketView } from '../market/index.ts';

/**
 * The names a review touches (held or proposed), with their market data as of the view. Prices
 * in dollars, ADV in shares (20-day), market cap in dollars, volatility daily; NaN when unknown.
 */
export interface Universe {
  readonly symbols: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly N: number;
  readonly price: Float64Array;
  readonly adv: Float64Array;
  readonly marketCap: Float64Array;
  readonly vol: Float64Array;
  /** Today's volume / ADV (liquidity freeze detection). */
  readonly volumeRatio: Float64Array;
  readonly sector: Int32Array;
  readonly sectorNames: readonly string[];
  /** Column in the view, or -1 for a symbol the market does not know. */
  readonly column: Int32Array;
}

/** Sorted union of symbols, so every review of the same input sees the same order. */
export function buildUniverse(view: MarketView, names: Iterable<string>): Universe {
  const symbols = [...new Set(names)].sort();
  const N = symbols.length;
  const price = new Float64Array(N);
  const adv = new Float64Array(N);
  const marketCap = new Float64Array(N);
  const vol = new Float64Array(N);
  const volumeRatio = new Float64Array(N);
  const column = Int32Array.from(symbols, (s) => view.column(s));
  const { sectorOf: sector, names: sectorNames } = sectorIds(Array.from(column, (c) => (c >= 0 ? view.sectors[c] : undefined)));
  const index = new Map<string, number>();
  symbols.forEach((s, u) => {
    index.set(s, u);
    const c = column[u] ?? -1;
    if (c < 0) {
      price[u] = adv[u] = marketCap[u] = vol[u] = volumeRatio[u] = Number.NaN;
      return;
    }
    price[u] = view.close(c);
    adv[u] = view.value('adv20', c);
    marketCap[u] = view.value('marketCap', c);
    vol[u] = view.value('vol20', c);
    volumeRatio[u] = view.value('volume', c) / (adv[u] ?? Number.NaN);
  });
  return { symbols, index, N, price, adv, marketCap, vol, volumeRatio, sector, sectorNames, column };
}

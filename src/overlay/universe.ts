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

/** The part of a universe that depends only on its names and the market's symbols and sectors. */
interface Layout {
  readonly sectors: readonly string[];
  readonly symbols: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly column: Int32Array;
  readonly sector: Int32Array;
  readonly sectorNames: readonly string[];
}

/**
 * Layouts per market (its symbols array) and name set: a fund reviews much the same names day
 * after day, so the sorted symbols, their index, columns and sector ids are built once and shared
 * (read-only) by every review of that set. Bounded: a market's map is cleared past LAYOUTS entries.
 */
const layouts = new WeakMap<readonly string[], Map<string, Layout>>();
const LAYOUTS = 256;

function layoutOf(view: MarketView, symbols: string[]): Layout {
  let m = layouts.get(view.symbols);
  if (!m) {
    m = new Map();
    layouts.set(view.symbols, m);
  }
  const key = symbols.join('\n');
  const known = m.get(key);
  if (known && known.sectors === view.sectors && sameNames(known.symbols, symbols)) return known;
  const column = Int32Array.from(symbols, (s) => view.column(s));
  const { sectorOf: sector, names: sectorNames } = sectorIds(Array.from(column, (c) => (c >= 0 ? view.sectors[c] : undefined)));
  const index = new Map<string, number>();
  symbols.forEach((s, u) => index.set(s, u));
  const layout: Layout = { sectors: view.sectors, symbols, index, column, sector, sectorNames };
  if (m.size >= LAYOUTS) m.clear();
  m.set(key, layout);
  return layout;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Sorted union of symbols, so every review of the same input sees the same order. */
export function buildUniverse(view: MarketView, names: Iterable<string>): Universe {
  const { symbols, index, column, sector, sectorNames } = layoutOf(view, [...new Set(names)].sort());
  const N = symbols.length;
  // one buffer for the five per-day series (one allocation instead of five)
  const data = new Float64Array(5 * N);
  const price = data.subarray(0, N);
  const adv = data.subarray(N, 2 * N);
  const marketCap = data.subarray(2 * N, 3 * N);
  const vol = data.subarray(3 * N, 4 * N);
  const volumeRatio = data.subarray(4 * N, 5 * N);
  for (let u = 0; u < N; u++) {
    const c = column[u] ?? -1;
    if (c < 0) {
      price[u] = adv[u] = marketCap[u] = vol[u] = volumeRatio[u] = Number.NaN;
      continue;
    }
    price[u] = view.close(c);
    adv[u] = view.value('adv20', c);
    marketCap[u] = view.value('marketCap', c);
    vol[u] = view.value('vol20', c);
    volumeRatio[u] = view.value('volume', c) / (adv[u] ?? Number.NaN);
  }
  return { symbols, index, N, price, adv, marketCap, vol, volumeRatio, sector, sectorNames, column };
}

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
  readonly symbols: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly column: Int32Array;
  readonly sector: Int32Array;
  readonly sectorNames: readonly string[];
}

/**
 * A market's symbols in sorted order (by UTF-16 code units, like `Array.prototype.sort`), and the
 * layouts of the name sets reviewed in it. A fund reviews much the same names day after day, so a
 * layout (sorted symbols, index, columns, sector ids) is built once per name set and shared,
 * read-only, by every review of it. Bounded: the layouts are cleared past LAYOUTS entries. The
 * hits come from a review of the same names as a recent one (an unchanged book): in the bench's
 * backtests 2 entries hit as often as 512 (SMA × 20: half the reviews; fund × 500: none), and
 * a large cache only kept hundreds of dead layouts alive for the GC to copy.
 */
interface Market {
  readonly sectors: readonly string[];
  /** Rank of each column's symbol in sorted order, and the column of each rank. */
  readonly rank: Int32Array;
  readonly byRank: Int32Array;
  /** Per rank: the last name collection that marked it. */
  readonly mark: Int32Array;
  readonly layouts: Map<number, Layout[]>;
  size: number;
  /** Each column's sector, numbered over the whole market (first-seen order), and the names. */
  readonly sectorOf: Int32Array;
  readonly sectorNames: readonly string[];
}

const markets = new WeakMap<readonly string[], Market>();
const LAYOUTS = 4;
let generation = 0;

function marketOf(view: MarketView): Market {
  const known = markets.get(view.symbols);
  if (known && known.sectors === view.sectors) return known;
  const U = view.symbols.length;
  const sorted = Array.from({ length: U }, (_, c) => c).sort((a, b) => {
    const x = view.symbols[a] ?? '';
    const y = view.symbols[b] ?? '';
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const rank = new Int32Array(U);
  sorted.forEach((c, r) => (rank[c] = r));
  const { sectorOf, names: sectorNames } = sectorIds(view.sectors);
  const m: Market = { sectors: view.sectors, rank, byRank: Int32Array.from(sorted), mark: new Int32Array(U), layouts: new Map(), size: 0, sectorOf, sectorNames };
  markets.set(view.symbols, m);
  return m;
}

/** The layout of a name set: through the market's ranks when every name is listed, else by sorting the strings. */
function layoutOf(view: MarketView, names: ReadonlySet<string> | readonly string[]): Layout {
  const m = marketOf(view);
  if (++generation >= 0x7fffffff) {
    generation = 1;
    m.mark.fill(0);
  }
  const gen = generation;
  const ranks: number[] = [];
  for (const s of names) {
    const c = view.column(s);
    if (c < 0) return buildLayout(view, [...new Set(names)].sort());
    const r = m.rank[c] ?? 0;
    if (m.mark[r] === gen) continue;
    m.mark[r] = gen;
    ranks.push(r);
  }
  sortDistinct(ranks);
  let h = 0x811c9dc5;
  for (const r of ranks) h = Math.imul(h ^ r, 0x01000193);
  const bucket = m.layouts.get(h);
  if (bucket) {
    for (const l of bucket) if (sameColumns(l.column, ranks, m.byRank)) return l;
  }
  const layout = layoutOfRanks(view, m, ranks);
  if (m.size >= LAYOUTS) {
    m.layouts.clear();
    m.size = 0;
  }
  if (bucket) bucket.push(layout);
  else m.layouts.set(h, [layout]);
  m.size++;
  return layout;
}

/** Sorts distinct integers ascending (insertion sort: a review's names are few; no temporary arrays). */
function sortDistinct(a: number[]): void {
  if (a.length > 64) {
    a.sort((x, y) => x - y);
    return;
  }
  for (let k = 1; k < a.length; k++) {
    const v = a[k] ?? 0;
    let j = k - 1;
    for (; j >= 0 && (a[j] ?? 0) > v; j--) a[j + 1] = a[j] ?? 0;
    a[j + 1] = v;
  }
}

function sameColumns(column: Int32Array, ranks: readonly number[], byRank: Int32Array): boolean {
  if (column.length !== ranks.length) return false;
  for (let i = 0; i < ranks.length; i++) if (column[i] !== byRank[ranks[i] ?? 0]) return false;
  return true;
}

/** The layout of listed names given by their ranks (sorted, distinct): sectors renumbered in first-seen order, as sectorIds would. */
function layoutOfRanks(view: MarketView, m: Market, ranks: readonly number[]): Layout {
  const N = ranks.length;
  const column = new Int32Array(N);
  const sector = new Int32Array(N);
  const symbols: string[] = [];
  const sectorNames: string[] = [];
  const index = new Map<string, number>();
  // local sector id + 1 per market sector (0: not seen yet)
  const local = new Int32Array(m.sectorNames.length);
  for (let u = 0; u < N; u++) {
    const c = m.byRank[ranks[u] ?? 0] ?? 0;
    const sym = view.symbols[c] ?? '';
    column[u] = c;
    symbols.push(sym);
    index.set(sym, u);
    const g = m.sectorOf[c] ?? 0;
    if (local[g] === 0) {
      sectorNames.push(m.sectorNames[g] ?? 'Unknown');
      local[g] = sectorNames.length;
    }
    sector[u] = (local[g] ?? 1) - 1;
  }
  return { symbols, index, column, sector, sectorNames };
}

/** The layout of sorted, distinct symbols. */
function buildLayout(view: MarketView, symbols: readonly string[]): Layout {
  const column = Int32Array.from(symbols, (s) => view.column(s));
  const { sectorOf: sector, names: sectorNames } = sectorIds(Array.from(column, (c) => (c >= 0 ? view.sectors[c] : undefined)));
  const index = new Map<string, number>();
  symbols.forEach((s, u) => index.set(s, u));
  return { symbols, index, column, sector, sectorNames };
}

/** Sorted union of symbols, so every review of the same input sees the same order. */
export function buildUniverse(view: MarketView, names: Iterable<string>): Universe {
  // a Set or an array can be read twice (a name the market does not list falls back to sorting)
  const list: ReadonlySet<string> | readonly string[] = names instanceof Set || Array.isArray(names) ? names : [...names];
  const { symbols, index, column, sector, sectorNames } = layoutOf(view, list);
  const N = symbols.length;
  // one buffer for the five per-day series (one allocation instead of five)
  const data = new Float64Array(5 * N);
  const price = data.subarray(0, N);
  const adv = data.subarray(N, 2 * N);
  const marketCap = data.subarray(2 * N, 3 * N);
  const vol = data.subarray(3 * N, 4 * N);
  const volumeRatio = data.subarray(4 * N, 5 * N);
  // today's rows of the panel, read in place (five reads of the view instead of five per name)
  const close = view.row('close');
  const adv20 = view.row('adv20');
  const cap = view.row('marketCap');
  const vol20 = view.row('vol20');
  const volume = view.row('volume');
  for (let u = 0; u < N; u++) {
    const c = column[u] ?? -1;
    if (c < 0) {
      price[u] = adv[u] = marketCap[u] = vol[u] = volumeRatio[u] = Number.NaN;
      continue;
    }
    price[u] = close[c] ?? Number.NaN;
    adv[u] = adv20[c] ?? Number.NaN;
    marketCap[u] = cap[c] ?? Number.NaN;
    vol[u] = vol20[c] ?? Number.NaN;
    volumeRatio[u] = (volume[c] ?? Number.NaN) / (adv[u] ?? Number.NaN);
  }
  return { symbols, index, N, price, adv, marketCap, vol, volumeRatio, sector, sectorNames, column };
}

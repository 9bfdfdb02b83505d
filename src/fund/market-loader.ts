import type { Fundamentals, MacroObservation } from '../contracts/index.ts';
import { KeelError, type IsoDate } from '../core/index.ts';
import { panelFromBars, type Panel } from '../market/index.ts';
import type { BarRow, Store } from '../store/index.ts';
import { marketCacheName, readCachedMarket, writeCachedMarket } from './market-cache.ts';

/** Symbols whose bars one query reads (about 40,000 rows for 6 years): each query holds the thread ~0.1 s. */
const SYMBOLS_PER_QUERY = 25;

/** Lets the event loop turn (answer requests) between two blocking reads. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface LoadedMarket {
  readonly panel: Panel;
  /** Data quality score per symbol (1 when none stored). */
  readonly quality: ReadonlyMap<string, number>;
  readonly loadMs: number;
  /** Where the load came from: the store's rows, or a cached load of the same stored market (market-cache.ts). */
  readonly source: 'store' | 'cache';
}

export interface LoadMarketOptions {
  /** The last date to load (a replay's or a risk check's as-of date). */
  readonly to?: IsoDate;
  readonly onProgress?: (msg: string) => void;
  /**
   * A folder for cached loads (`<home>/cache`): a load of the stored market as it is now is read
   * from there when one was written, and written there after a load from the store. Absent: no cache.
   */
  readonly cacheDir?: string;
}

/**
 * Loads the stored market into a Panel: equities as columns; index and volatility-index
 * instruments and every stored reference/macro series as reference series (`market`, `vix`,
 * factor names); fundamentals point in time; the governance mask from the latest data quality
 * (only ACTIVE symbols are tradable; all are when quality was never assessed). With `cacheDir`,
 * from a cached load of the same stored market when there is one (market-cache.ts).
 */
export async function loadMarket(store: Store, opts: LoadMarketOptions = {}): Promise<LoadedMarket> {
  const t0 = performance.now();
  const dir = opts.cacheDir;
  if (!dir) return { ...(await loadFromStore(store, opts)), loadMs: performance.now() - t0, source: 'store' };
  const name = marketCacheName(await store.marketRevision.current(), opts.to);
  const hit = name ? await readCachedMarket(dir, name) : null;
  if (hit) return { ...hit, loadMs: performance.now() - t0, source: 'cache' };
  const loaded = await loadFromStore(store, opts);
  // written only when nothing changed the market during the load (another process importing)
  if (name && marketCacheName(await store.marketRevision.current(), opts.to) === name) {
    await writeCachedMarket(dir, name, loaded).catch(() => undefined);
  }
  return { ...loaded, loadMs: performance.now() - t0, source: 'store' };
}

async function loadFromStore(store: Store, opts: LoadMarketOptions): Promise<{ panel: Panel; quality: Map<string, number> }> {
  const instruments = await store.instruments.list();
  const equities = instruments.filter((i) => i.assetClass === 'equity' || i.assetClass === 'etf');
  if (equities.length === 0) {
    throw new KeelError('KEEL_E_NOT_FOUND', 'no market data stored: run `keel market generate` or `keel market import <file>` first');
  }
  opts.onProgress?.(`loading bars of ${equities.length} symbols`);
  const refSymbols = new Map<string, string>();
  for (const i of instruments) {
    if (i.assetClass === 'index') refSymbols.set(i.symbol, 'market');
    if (i.assetClass === 'volatility_index') refSymbols.set(i.symbol, 'vix');
  }
  const reference = new Map<string, Map<IsoDate, number>>();
  const bars: BarRow[] = [];
  const fundamentals = new Map<string, Fundamentals[]>();
  // A few symbols per query, with a turn of the event loop between: the embedded store runs on
  // this thread, so one query of every bar would hold a server for seconds.
  const symbols = instruments.map((i) => i.symbol);
  for (let i = 0; i < symbols.length; i += SYMBOLS_PER_QUERY) {
    const chunk = symbols.slice(i, i + SYMBOLS_PER_QUERY);
    for (const r of await store.bars.range({ symbols: chunk, ...(opts.to ? { to: opts.to } : {}) })) {
      const ref = refSymbols.get(r.symbol);
      if (ref) {
        const m = reference.get(ref) ?? new Map<IsoDate, number>();
        m.set(r.date, r.close);
        reference.set(ref, m);
      } else bars.push(r);
    }
    await nextTurn();
    for (const f of await store.fundamentals.query({ symbols: chunk })) {
      const list = fundamentals.get(f.symbol) ?? [];
      list.push(f);
      fundamentals.set(f.symbol, list);
    }
    await nextTurn();
  }
  opts.onProgress?.('loading reference series and fundamentals');
  const macroList = await store.macro.query(opts.to ? { to: opts.to } : {});
  const macro = new Map<string, MacroObservation[]>();
  const fromBars = new Set(reference.keys());
  for (const o of macroList) {
    const list = macro.get(o.series) ?? [];
    list.push(o);
    macro.set(o.series, list);
    if (!fromBars.has(o.series)) {
      const m = reference.get(o.series) ?? new Map<IsoDate, number>();
      m.set(o.date, o.value);
      reference.set(o.series, m);
    }
  }
  for (const list of macro.values()) list.sort((a, b) => (a.releaseTime < b.releaseTime ? -1 : a.releaseTime > b.releaseTime ? 1 : 0));
  for (const list of fundamentals.values()) list.sort((a, b) => (a.releaseTime < b.releaseTime ? -1 : a.releaseTime > b.releaseTime ? 1 : 0));
  const quality = new Map<string, number>();
  const tradableSet = new Set<string>();
  const dq = await store.dataQuality.latest();
  for (const q of dq) {
    quality.set(q.symbol, q.score);
    if (q.state === 'ACTIVE') tradableSet.add(q.symbol);
  }
  const tradable = dq.length > 0 ? Uint8Array.from(equities, (i) => (tradableSet.has(i.symbol) && i.isTradable ? 1 : 0)) : undefined;
  const panel = panelFromBars(equities, bars, { reference, fundamentals, macro, ...(tradable ? { tradable } : {}) });
  return { panel, quality };
}

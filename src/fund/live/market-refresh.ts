import type { GovernanceThresholds, Instrument } from '../../contracts/index.ts';
import { addDays, type IsoDate } from '../../core/index.ts';
import {
  INDEX_SYMBOL,
  VIX_SYMBOL,
  describeFailures,
  fetchBars,
  instrumentsFor,
  lastCompletedSession,
  previousTradingDay,
  isTradingDay,
  tradingDaysBetween,
  type DataRouter,
  type FetchFailure,
  type MarketDataSources,
} from '../../market/index.ts';
import type { Store } from '../../store/index.ts';
import type { RaiseInput } from '../alerts/alert-manager.ts';
import { gate, type GateResult } from '../cycle/gates.ts';
import { assessStoredQuality } from './market-quality.ts';

/** A set of symbols fetched over one date range: the fund's universe, or its index and volatility index. */
export interface FetchGroup {
  readonly name: 'universe' | 'reference';
  readonly symbols: readonly string[];
  readonly from: IsoDate;
  readonly to: IsoDate;
}

/** One macro series fetched over a date range. */
export interface MacroFetch {
  readonly series: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
}

export interface Tally {
  /** Rows written now. */
  new: number;
  /** Rows the store already had (same key), left unchanged. */
  stored: number;
}

export interface MarketFetchReport {
  readonly groups: ReadonlyArray<FetchGroup & { readonly missing: readonly string[]; readonly failures: readonly FetchFailure[] }>;
  readonly macro: ReadonlyArray<MacroFetch & { readonly observations: number; readonly failures: readonly FetchFailure[] }>;
  /** Bars and macro observations per source that delivered them. */
  readonly bySource: Readonly<Record<string, { readonly bars: Tally; readonly observations: Tally }>>;
  /** Instruments registered for symbols the store did not know (`keel market fetch --symbols`). */
  readonly newInstruments: readonly string[];
  /** Bars dated after the range, dropped. */
  readonly dropped: number;
  readonly durationMs: number;
}

export interface FetchProgress {
  readonly done: number;
  readonly total: number;
}

export interface FetchOptions {
  readonly onProgress?: (p: FetchProgress) => void;
  /**
   * Governance thresholds (`config.data`): after new bars of the universe are stored, a store whose
   * quality was assessed before is assessed again, so states follow the history (a name reaching
   * `minHistoryRows` turns ACTIVE, a bad print is flagged) without a hand-run `keel market quality`.
   */
  readonly quality?: GovernanceThresholds;
}

function tallyOf(by: Record<string, { bars: Tally; observations: Tally }>, source: string) {
  let t = by[source];
  if (!t) {
    t = { bars: { new: 0, stored: 0 }, observations: { new: 0, stored: 0 } };
    by[source] = t;
  }
  return t;
}

/** Last trading day in [from, to], or `to` when none (the date a symbol's delivery is judged by). */
function lastSessionIn(from: IsoDate, to: IsoDate): IsoDate {
  if (isTradingDay(to)) return to;
  const p = previousTradingDay(to);
  return p >= from ? p : to;
}

/**
 * Fetches bars of each group and the macro series through the router into the store. Loads are
 * idempotent (a bar or observation already stored is counted as such, never written twice);
 * nothing dated after a group's `to` is kept. Failures are reported, not thrown.
 */
export async function fetchMarketData(store: Store, router: DataRouter, groups: readonly FetchGroup[], macro: readonly MacroFetch[], o: FetchOptions = {}): Promise<MarketFetchReport> {
  const t0 = performance.now();
  const bySource: Record<string, { bars: Tally; observations: Tally }> = {};
  const total = groups.reduce((n, g) => n + g.symbols.length, 0) + macro.length;
  let before = 0;
  let dropped = 0;
  const groupReports: Array<MarketFetchReport['groups'][number]> = [];
  for (const g of groups) {
    if (g.symbols.length === 0 || g.from > g.to) {
      groupReports.push({ ...g, missing: [], failures: [] });
      continue;
    }
    const r = await fetchBars(router, g.symbols, g.from, g.to, {
      expectDate: lastSessionIn(g.from, g.to),
      onBatch: async ({ source, bars }) => {
        const load = await store.bars.load(bars);
        const t = tallyOf(bySource, source);
        t.bars.new += load.inserted;
        t.bars.stored += load.skipped;
      },
      onProgress: (done) => o.onProgress?.({ done: before + done, total }),
    });
    before += g.symbols.length;
    dropped += r.dropped;
    groupReports.push({ ...g, missing: r.missing, failures: r.failures });
  }
  const macroReports: Array<MarketFetchReport['macro'][number]> = [];
  for (const m of macro) {
    let failures: FetchFailure[] = [];
    let observations = 0;
    if (m.from <= m.to) {
      try {
        const obs = (await router.macro([m.series], m.from, m.to)).filter((x) => x.date >= m.from && x.date <= m.to);
        observations = obs.length;
        const source = router.lastRoute.find((a) => a.outcome === 'ok' || a.outcome === 'empty')?.source ?? 'none';
        const inserted = await store.macro.insertMany(obs);
        const t = tallyOf(bySource, source);
        t.observations.new += inserted;
        t.observations.stored += obs.length - inserted;
      } catch {
        failures = router.lastRoute
          .filter((a) => a.outcome !== 'ok' && a.outcome !== 'empty')
          .map((a) => ({ source: a.source, outcome: a.outcome, ...(a.httpStatus === undefined ? {} : { httpStatus: a.httpStatus }), ...(a.message === undefined ? {} : { message: a.message }), symbols: 1 }));
        if (failures.length === 0) failures = [{ source: 'none', outcome: 'unsupported', message: 'no configured source serves macro series (add fred to data.providers and set FRED_API_KEY)', symbols: 1 }];
      }
    }
    macroReports.push({ ...m, observations, failures });
    before += 1;
    o.onProgress?.({ done: before, total });
  }
  return { groups: groupReports, macro: macroReports, bySource, newInstruments: [], dropped, durationMs: performance.now() - t0 };
}

/** The fund's universe (stored equities and ETFs) and reference instruments (index, volatility index). */
export async function storedUniverse(store: Store): Promise<{ universe: string[]; reference: string[] }> {
  const all = await store.instruments.list();
  return {
    universe: all.filter((i) => i.assetClass === 'equity' || i.assetClass === 'etf').map((i) => i.symbol),
    reference: all.filter((i) => i.assetClass === 'index' || i.assetClass === 'volatility_index').map((i) => i.symbol),
  };
}

/** `keel market fetch`: what to fetch for a date range, by hand. */
export interface ManualFetch {
  readonly from: IsoDate;
  readonly to: IsoDate;
  /** Default: every stored equity, ETF, index and volatility index. */
  readonly symbols?: readonly string[];
  /** FRED series over the same range (default none). */
  readonly macroSeries?: readonly string[];
}

/**
 * The by-hand fetch: bars of the given (or every stored) symbol and the macro series over
 * [from, to]. Symbols the store does not know are registered as equities (SPX as the index, VIX
 * as the volatility index) so the next cycle sees them.
 */
export async function fetchRange(store: Store, router: DataRouter, req: ManualFetch, o: FetchOptions = {}): Promise<MarketFetchReport> {
  const stored = await storedUniverse(store);
  const known = new Set([...stored.universe, ...stored.reference]);
  const wanted = req.symbols ?? [...stored.universe, ...stored.reference];
  const fresh = wanted.filter((s) => !known.has(s));
  if (fresh.length > 0) {
    const classOf = (s: string): Instrument['assetClass'] => (s === INDEX_SYMBOL ? 'index' : s === VIX_SYMBOL ? 'volatility_index' : 'equity');
    await store.instruments.upsert(fresh.flatMap((s) => instrumentsFor([s], undefined, classOf(s))));
  }
  const refSet = new Set([...stored.reference, ...fresh.filter((s) => s === INDEX_SYMBOL || s === VIX_SYMBOL)]);
  const groups: FetchGroup[] = [
    { name: 'universe', symbols: wanted.filter((s) => !refSet.has(s)), from: req.from, to: req.to },
    { name: 'reference', symbols: wanted.filter((s) => refSet.has(s)), from: req.from, to: req.to },
  ];
  const macro = (req.macroSeries ?? []).map((series) => ({ series, from: req.from, to: req.to }));
  const report = await fetchMarketData(store, router, groups, macro, o);
  return { ...report, newInstruments: fresh };
}

/** What the pre-cycle step found. */
export type MarketRefresh =
  /** The universe has bars of the last completed session. */
  | { readonly status: 'fresh'; readonly session: IsoDate; readonly report: MarketFetchReport | null; readonly warnings: readonly string[] }
  /**
   * The latest stored bar is older than the last completed session, even after fetching.
   * `retryable`: a later try may succeed by itself (a provider late or down), not when the store
   * needs a hand backfill first.
   */
  | { readonly status: 'stale'; readonly session: IsoDate; readonly latest: IsoDate | null; readonly report: MarketFetchReport | null; readonly reason: string; readonly warnings: readonly string[]; readonly retryable: boolean }
  /** No provider is configured with keys: nothing was fetched and freshness is not judged. */
  | { readonly status: 'unavailable'; readonly reason: string };

const maxOf = (dates: Iterable<string>): string | null => {
  let m: string | null = null;
  for (const d of dates) if (m === null || d > m) m = d;
  return m;
};
const minOf = (dates: Iterable<string>): string | null => {
  let m: string | null = null;
  for (const d of dates) if (m === null || d < m) m = d;
  return m;
};

/**
 * Sessions the pre-cycle step fetches by itself (six weeks: a daemon down for a while catches up);
 * a store further behind is a backfill for `keel market fetch`, not a surprise download.
 */
export const MAX_CATCH_UP_SESSIONS = 30;

/** Years of a macro series fetched when none is stored (the macro analyst needs 60 observations). */
const MACRO_BACKFILL_DAYS = 5 * 365;

/**
 * The step before each live cycle (the daemon, `keel run --once`): fetch what is new since the
 * latest stored bar up to the last completed session (`now` as Unix ms), the index and volatility
 * index, and the configured FRED series; then judge freshness. The universe must have a bar of the
 * last completed session (status `stale` otherwise, with the sources that failed and why); a
 * lagging index, volatility index or macro series is a warning only (FRED publishes the index
 * levels the next morning). Macro series are fetched only when FRED is among the active sources.
 */
export async function refreshMarket(store: Store, sources: MarketDataSources, macroSeries: readonly string[], now: number, o: FetchOptions = {}): Promise<MarketRefresh> {
  if (sources.active.length === 0) {
    const why = sources.skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ');
    return { status: 'unavailable', reason: `no market data source configured${why ? ` (${why})` : ' (data.providers is empty)'}` };
  }
  const session = lastCompletedSession(now);
  const { universe, reference } = await storedUniverse(store);
  if (universe.length === 0) {
    return { status: 'stale', session, latest: null, report: null, reason: 'no instruments stored: import or fetch a universe first (keel market fetch --from D --to D --symbols …)', warnings: [], retryable: false };
  }
  const last = await store.bars.lastDates({ symbols: [...universe, ...reference] });
  const latest = maxOf(universe.flatMap((s) => last.get(s) ?? []));
  if (latest === null) {
    return { status: 'stale', session, latest: null, report: null, reason: 'no bars stored for the universe: backfill with keel market fetch --from D --to D', warnings: [], retryable: false };
  }
  const behind = tradingDaysBetween(addDays(latest, 1), session).length;
  if (behind > MAX_CATCH_UP_SESSIONS) {
    const reason = `the stored bars end ${latest}, ${behind} sessions before the last completed one (${session}); more than the ${MAX_CATCH_UP_SESSIONS} a cycle catches up by itself: backfill with keel market fetch --from ${addDays(latest, 1)} --to ${session}, or run on the stored data with --no-fetch or --as-of`;
    return { status: 'stale', session, latest, report: null, reason, warnings: [], retryable: false };
  }
  const refLast = reference.map((s) => last.get(s) ?? null);
  const refFrom = refLast.some((d) => d === null) ? latest : (minOf(refLast as string[]) ?? latest);
  // Macro series come from FRED only: without it (no key, not in data.providers) there is nothing to ask.
  const series = sources.active.includes('fred') ? macroSeries : [];
  const macroLast = await store.macro.lastDates(series);
  const groups: FetchGroup[] = [
    { name: 'universe', symbols: universe, from: addDays(latest, 1), to: session },
    { name: 'reference', symbols: reference, from: addDays(refFrom, 1), to: session },
  ];
  const macro: MacroFetch[] = series.map((id) => {
    const l = macroLast.get(id);
    return { series: id, from: l ? addDays(l, 1) : addDays(session, -MACRO_BACKFILL_DAYS), to: session };
  });
  const needed = groups.some((g) => g.symbols.length > 0 && g.from <= g.to) || macro.some((m) => m.from <= m.to);
  const report = needed ? await fetchMarketData(store, sources.router, groups, macro, o) : null;
  const after = report ? await store.bars.lastDates({ symbols: [...universe, ...reference] }) : last;
  const newest = maxOf(universe.flatMap((s) => after.get(s) ?? [])) ?? latest;
  const warnings: string[] = [];
  for (const s of reference) {
    const d = after.get(s);
    if (!d || d < session) {
      const why = report?.groups.find((g) => g.name === 'reference')?.failures ?? [];
      warnings.push(`${s}: latest bar ${d ?? 'none'}, session ${session}${why.length ? ` (${describeFailures(why)})` : ''}`);
    }
  }
  for (const m of report?.macro ?? []) if (m.failures.length > 0) warnings.push(`${m.series}: ${describeFailures(m.failures)}`);
  const universeReport = report?.groups.find((g) => g.name === 'universe');
  if (o.quality && newest > latest && (await store.dataQuality.latest()).length > 0) await assessStoredQuality(store, o.quality);
  if (newest < session) {
    const failures = universeReport?.failures ?? [];
    const why = failures.length > 0 ? describeFailures(failures) : `${sources.active.join(', ')} returned no bars for ${session}`;
    return { status: 'stale', session, latest: newest, report, warnings, retryable: true, reason: `latest bar ${newest} is older than the last completed session ${session}: ${why}` };
  }
  if (universeReport && universeReport.missing.length > 0) {
    const m = universeReport.missing;
    warnings.push(`${m.length} symbol(s) without a bar for ${session}: ${m.slice(0, 10).join(' ')}${m.length > 10 ? ' …' : ''}`);
  }
  return { status: 'fresh', session, report, warnings };
}

/** The `market_data` gate of a live cycle: passes unless the data is stale. */
export function marketDataGate(r: MarketRefresh): GateResult {
  switch (r.status) {
    case 'fresh':
      return gate('market_data', true, `bars of ${r.session} stored${r.report ? ` (${summariseSources(r.report)})` : ' before this run'}`);
    case 'stale':
      return { ...gate('market_data', false, r.reason), retryable: r.retryable };
    case 'unavailable':
      return gate('market_data', true, `${r.reason}: the cycle runs on the stored data`);
    default: {
      const never: never = r;
      throw new Error(`unknown refresh ${String(never)}`);
    }
  }
}

/** One MEDIUM MARKET_DATA alert for what lags without stopping the cycle, or null. */
export function marketDataWarning(r: MarketRefresh, fundId: string): RaiseInput | null {
  if (r.status === 'unavailable' || r.warnings.length === 0) return null;
  return {
    severity: 'MEDIUM',
    category: 'MARKET_DATA',
    title: 'market data incomplete',
    message: r.warnings.join('; ').slice(0, 3900),
    dedupKey: `market-data:${r.session}`,
    fundId,
  };
}

/** `alpaca 500 new, 0 already stored; fred 3 observations new` */
export function summariseSources(r: MarketFetchReport): string {
  const parts = Object.entries(r.bySource).map(([source, t]) => {
    const bars = t.bars.new + t.bars.stored > 0 ? `${t.bars.new} bars new, ${t.bars.stored} already stored` : '';
    const obs = t.observations.new + t.observations.stored > 0 ? `${t.observations.new} observations new, ${t.observations.stored} already stored` : '';
    return `${source}: ${[bars, obs].filter((x) => x !== '').join(', ') || 'nothing new'}`;
  });
  return parts.join('; ') || 'nothing fetched';
}

/*
 * The attribution and P&L history read models of a fund over a window of market dates. Money in
 * dollars (and exact integer cents where a field says so); returns are fractions of the base NAV
 * (the fund's stored NAV at the base date, else its initial capital), summed over days.
 */
import { decomposePnl, factorAttribution, linkedBrinson, sumLinesBy, type BookPnl, type FactorAttribution, type PnlPart } from '../pms/index.ts';
import { LoopSlicer } from '../core/index.ts';
import type { FundRow } from '../store/index.ts';
import { benchmarkSectorDays, factorSeries, indexReturns, loadBook, marketWindow, portfolioSectorDays, sectorOf, type LoadedBook, type MarketWindow } from './attribution-data.ts';
import type { ApiRuntime } from './runtime.ts';

const cents = (x: number): number => Math.round(x * 100) / 100;
const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);

/** A NAV at the base date and at the window's end (stored points on or before each; the end only when there is a base), per book ('' = the fund). */
async function navAt(rt: ApiRuntime, fundId: string, agentId: string, w: MarketWindow): Promise<{ base: number | null; end: number | null }> {
  const base = (await rt.store.nav.onOrBefore(fundId, w.baseDate, agentId))?.nav ?? null;
  const end = base === null ? null : ((await rt.store.nav.onOrBefore(fundId, w.to, agentId))?.nav ?? null);
  return { base, end };
}

export interface FactorRow { readonly factor: string; readonly beta: number; readonly factorReturn: number; readonly contribution: number; readonly pnl: number }
export interface FactorReport {
  readonly factors: FactorRow[];
  readonly alpha: number;
  readonly alphaPnl: number;
  readonly residual: number;
  readonly residualPnl: number;
  readonly total: number;
  readonly totalPnl: number;
  readonly rSquared: number | null;
  readonly observations: number;
  /** Days with no observation of some factor (counted as 0). */
  readonly missingFactorDays: number;
}

/** OLS of daily P&L / base on the factors; an error message when the regression cannot be run. */
function factorReport(dailyPnl: readonly number[], base: number, factors: ReadonlyMap<string, Float64Array>): { report: FactorReport | null; error: string | null } {
  if (!(base > 0)) return { report: null, error: 'no positive base NAV' };
  let missing = 0;
  const clean = new Map<string, Float64Array>();
  for (const [name, s] of factors) clean.set(name, s.map((v) => (Number.isFinite(v) ? v : 0)));
  for (let t = 0; t < dailyPnl.length; t++) if ([...factors.values()].some((s) => !Number.isFinite(s[t] ?? Number.NaN))) missing++;
  const r = factorAttribution({ portfolio: dailyPnl.map((p) => p / base), factors: Object.fromEntries(clean) });
  if (!r.ok) return { report: null, error: `${r.error.code}: ${r.error.message}` };
  const a: FactorAttribution = r.value;
  return {
    report: {
      factors: a.factors.map((f) => ({ ...f, pnl: f.contribution * base })),
      alpha: a.alpha, alphaPnl: a.alpha * base, residual: a.residual, residualPnl: a.residual * base, total: a.total, totalPnl: a.total * base,
      rSquared: Number.isFinite(a.rSquared) ? a.rSquared : null, observations: a.observations, missingFactorDays: missing,
    },
    error: null,
  };
}

const dollars = (c: readonly number[]): number[] => c.map((x) => x / 100);

interface Window { rt: ApiRuntime; fund: FundRow; from?: string | undefined; to?: string | undefined }

async function windowAndBook(x: Window, slicer: LoopSlicer) {
  const { panel } = await x.rt.loadedMarket();
  const w = marketWindow(panel, x);
  const loaded = await loadBook(x.rt, x.fund, panel, w, slicer);
  return { panel, w, loaded };
}

function sourceOf(loaded: LoadedBook) {
  return { ...loaded.source, unpriced: loaded.book.unpriced, holdingsBeforeFirstFill: 'unchanged (today’s positions less the stored fills since)' };
}

/**
 * P&L by agent, bucket, sector, factor and name, and BHB by sector against the benchmark. Built
 * in slices (`slicer`, a turn of the event loop between steps once 10 ms are spent): the whole
 * report at once held the API for a quarter of a second on the demo fund.
 */
export async function attributionReport(x: Window, slicer = new LoopSlicer()) {
  const { panel, w, loaded } = await windowAndBook(x, slicer);
  const { book } = loaded;
  const { rt, fund } = x;
  const agents = await rt.store.funds.agents(fund.id);
  const bucketOf = new Map(agents.map((a) => [a.id, a.bucket]));
  const agentIds = [...new Set([...agents.map((a) => a.id), ...book.lines.map((l) => l.agentId)])].sort();
  const fundNav = await navAt(rt, fund.id, '', w);
  const base = fundNav.base !== null && fundNav.base > 0 ? fundNav.base : fund.initialCapital;
  await slicer.pause();
  const d = decomposePnl(book.lines.map((l) => ({ agentId: l.agentId, symbol: l.symbol, pnl: sum(l.pnlCents) / 100, bucket: bucketOf.get(l.agentId) ?? null, sector: sectorOf(panel, l.symbol) })));
  await slicer.pause();
  const factors = factorSeries(panel, w.fromRow, w.toRow);
  const fundDaily = dollars(book.fundCents);
  const fundFactors = factorReport(fundDaily, base, factors);
  await slicer.pause();
  const byAgentDaily = sumLinesBy(book.lines, (l) => l.agentId);
  const agentRows = await Promise.all(
    agentIds.map(async (agentId) => {
      const nav = await navAt(rt, fund.id, agentId, w);
      await slicer.pause();
      const capital = agents.find((a) => a.id === agentId)?.allocatedCapital ?? 0;
      const agentBase = nav.base !== null && nav.base > 0 ? nav.base : capital;
      const own = byAgentDaily.get(agentId);
      const f = own ? factorReport(dollars(own), agentBase, factors) : { report: null, error: 'no holdings or trades in the window' };
      return { agentId, base: agentBase, navPnl: nav.base !== null && nav.end !== null ? cents(nav.end - nav.base) : null, factors: f.report, factorError: f.error };
    }),
  );
  const members = new Set((await rt.store.instruments.list()).filter((i) => i.assetClass === 'equity').map((i) => i.symbol));
  await slicer.pause();
  const bench = benchmarkSectorDays(panel, w, members);
  await slicer.pause();
  const portfolio = portfolioSectorDays(panel, book);
  await slicer.pause();
  const brinson = linkedBrinson({ base, portfolio, benchmark: bench.days, totalPnl: fundDaily });
  await slicer.pause();
  const idx = indexReturns(panel, w);
  const navOf = new Map(agentRows.map((a) => [a.agentId, a.navPnl]));
  const withNav = (parts: PnlPart[]) => parts.map((p) => ({ ...p, navPnl: navOf.get(p.key) ?? null }));
  const navPnl = fundNav.base !== null && fundNav.end !== null ? cents(fundNav.end - fundNav.base) : null;
  return {
    fundId: fund.id, from: w.from, to: w.to, baseDate: w.baseDate, days: book.dates.length, base,
    source: sourceOf(loaded),
    total: { pnl: d.total, pnlCents: d.totalCents, return: base > 0 ? d.total / base : null },
    byAgent: withNav(d.byAgent), byBucket: d.byBucket, bySector: d.bySector, byName: d.byName,
    factorModel: [...factors.keys()],
    factors: fundFactors.report, factorError: fundFactors.error,
    factorsByAgent: agentRows.map((a) => ({ agentId: a.agentId, base: a.base, factors: a.factors, factorError: a.factorError })),
    brinson: brinson.ok
      ? { method: 'BHB', benchmark: { name: 'stored equities by market cap (the index construction)', weighting: bench.weighting, indexReturn: idx ? sum(idx) : null }, ...brinson.value }
      : null,
    brinsonError: brinson.ok ? null : brinson.error.message,
    // NAV change = book P&L (holding + trading, less costs, from the stored fills) + flows; flows are
    // what the book does not explain (zero for a fund whose every fill is stored: capital moves only between its books)
    reconciliation: { bookPnl: d.total, costs: cents(loaded.costs), navPnl, difference: navPnl === null ? null : cents(navPnl - d.total) },
  };
}

export type PnlBy = 'fund' | 'agent' | 'name';

function series(key: string, c: readonly number[]) {
  let run = 0;
  const cumulative = c.map((x) => (run += x) / 100);
  return { key, pnl: dollars(c), cumulative, total: run / 100 };
}

/** Daily P&L of the fund, each agent or each name (fund = Σ parts to the cent, each day), with the NAV-based fund P&L when stored; built in slices like `attributionReport`. */
export async function pnlHistoryReport(x: Window & { by: PnlBy }, slicer = new LoopSlicer()) {
  const { w, loaded } = await windowAndBook(x, slicer);
  const book: BookPnl = loaded.book;
  await slicer.pause();
  const parts = x.by === 'fund' ? new Map([['fund', book.fundCents]]) : sumLinesBy(book.lines, (l) => (x.by === 'agent' ? l.agentId : l.symbol));
  const navs = await x.rt.store.nav.history(x.fund.id, { from: w.baseDate, to: w.to });
  const navBy = new Map(navs.map((p) => [p.date, p.nav]));
  let prev = navBy.get(w.baseDate) ?? null;
  const navPnl = book.dates.map((date) => {
    const cur = navBy.get(date) ?? null;
    const v = cur !== null && prev !== null ? cents(cur - prev) : null;
    if (cur !== null) prev = cur;
    return v;
  });
  return {
    fundId: x.fund.id, from: w.from, to: w.to, by: x.by, dates: book.dates,
    fund: series('fund', book.fundCents),
    series: [...parts.entries()].map(([k, c]) => series(k, c)).sort((a, b) => b.total - a.total || (a.key < b.key ? -1 : 1)),
    navPnl: navPnl.some((v) => v !== null) ? navPnl : null,
    source: sourceOf(loaded),
  };
}

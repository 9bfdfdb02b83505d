/*
 * What the attribution, P&L history and exposure endpoints read: a window of market rows, the
 * fund's book over it rebuilt from today's positions and the stored fills, the benchmark by sector
 * (the stored universe weighted by market cap, as the index series is built), and the factor
 * return series stored with the market.
 */
import { KeelError, LoopSlicer } from '../core/index.ts';
import type { Panel } from '../market/index.ts';
import { bookPnl, type BenchmarkSectorDay, type BookHolding, type BookLine, type BookPnl, type BookPnlInput, type BookTrade, type PortfolioSectorDay } from '../pms/index.ts';
import type { FundRow, ReplayFill } from '../store/index.ts';
import type { ApiRuntime } from './runtime.ts';

/** Rows [from, to] of the panel with a P&L; row from − 1 is the base close. */
export interface MarketWindow {
  readonly fromRow: number;
  readonly toRow: number;
  readonly from: string;
  readonly to: string;
  readonly baseDate: string;
}

export const DEFAULT_WINDOW_DAYS = 63;

const bad = (field: string, message: string): KeelError => new KeelError('KEEL_E_VALIDATION', `${field}: ${message}`, { field });

/** The market rows of [from, to] (defaults: the last 63 trading days up to the last market date). */
export function marketWindow(panel: Panel, q: { from?: string | undefined; to?: string | undefined }, days = DEFAULT_WINDOW_DAYS): MarketWindow {
  const { dates, T } = panel;
  if (T < 2) throw new KeelError('KEEL_E_NOT_FOUND', 'not enough market data stored (two dates at least)');
  const first = dates[1] ?? '';
  const last = dates[T - 1] ?? '';
  let toRow = T - 1;
  if (q.to !== undefined) {
    if (q.to < first) throw bad('query.to', `${q.to} is before the first market date with a P&L (${first})`);
    while (toRow > 1 && (dates[toRow] ?? '') > q.to) toRow--;
  }
  let fromRow = Math.max(1, toRow - days + 1);
  if (q.from !== undefined) {
    if (q.from > last) throw bad('query.from', `${q.from} is after the last market date (${last})`);
    fromRow = 1;
    while (fromRow < T - 1 && (dates[fromRow] ?? '') < q.from) fromRow++;
    if (fromRow > toRow) throw bad('query.from', `no market date between ${q.from} and ${q.to ?? last}`);
  }
  return { fromRow, toRow, from: dates[fromRow] ?? '', to: dates[toRow] ?? '', baseDate: dates[fromRow - 1] ?? '' };
}

/** The close of a column at row t, walking back over gaps; undefined when never priced by then. */
export function closeAt(panel: Panel, u: number, t: number): number | undefined {
  for (let r = Math.min(t, panel.T - 1); r >= 0; r--) {
    const c = panel.close[r * panel.U + u];
    if (c !== undefined && Number.isFinite(c) && c > 0) return c;
  }
  return undefined;
}

/** The first row whose date is on or after `date` (T when after the data). */
function rowOnOrAfter(dates: readonly string[], date: string): number {
  let lo = 0, hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((dates[mid] ?? '') < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface LoadedBook {
  readonly book: BookPnl;
  readonly source: { readonly positions: number; readonly fills: number; readonly unallocatedFills: number; readonly firstFill: string | null };
  /** Commissions of the trades in the window's rows, dollars (≥ 0; inside the book P&L). */
  readonly costs: number;
}

/**
 * `bookPnl` one agent at a time, with `slicer` asked for a turn of the event loop between agents
 * (the whole book at once held the API for a tenth of a second on the demo fund). Lines never mix
 * agents, so the answer is the one call's: its lines in agent then symbol order, the fund's
 * integer cents summed exactly, the unpriced names merged.
 */
export async function bookPnlByAgent(input: BookPnlInput, slicer: LoopSlicer): Promise<BookPnl> {
  const holdings = new Map<string, BookHolding[]>();
  const trades = new Map<string, BookTrade[]>();
  const add = <T extends { readonly agentId: string }>(m: Map<string, T[]>, x: T): void => {
    const own = m.get(x.agentId);
    if (own) own.push(x);
    else m.set(x.agentId, [x]);
  };
  for (const h of input.holdings) add(holdings, h);
  for (const t of input.trades) add(trades, t);
  const agents = [...new Set([...holdings.keys(), ...trades.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const days = Math.max(0, input.to - input.from + 1);
  const lines: BookLine[] = [];
  const fundCents = new Array<number>(days).fill(0);
  const unpriced = new Set<string>();
  for (const agentId of agents) {
    await slicer.pause();
    const own = bookPnl({ ...input, holdings: holdings.get(agentId) ?? [], trades: trades.get(agentId) ?? [] });
    lines.push(...own.lines);
    own.fundCents.forEach((c, i) => (fundCents[i] = (fundCents[i] ?? 0) + c));
    for (const u of own.unpriced) unpriced.add(u);
  }
  return { dates: input.dates.slice(input.from, input.to + 1), lines, fundCents, unpriced: [...unpriced].sort() };
}

/** The fund's book over the window: today's positions rolled back through the fills since the base date. */
export async function loadBook(rt: ApiRuntime, fund: FundRow, panel: Panel, w: MarketWindow, slicer = new LoopSlicer()): Promise<LoadedBook> {
  const positions = await rt.store.positions.list(fund.id);
  // a week of fills per page, with a turn of the event loop between pages: a long history read in
  // one query held the embedded store, and every other request, for half a second or more
  const fills: ReplayFill[] = [];
  for await (const page of rt.store.fills.replayPages(fund.id, { from: w.baseDate })) {
    for (const f of page) fills.push(f);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const trades: BookTrade[] = [];
  let unallocated = 0;
  let firstFill: string | null = null;
  // newest first, as the book has always been rolled back (the report's sums stay bit for bit)
  for (let i = fills.length - 1; i >= 0; i--) {
    const f = fills[i] as ReplayFill;
    const day = f.timestamp.slice(0, 10);
    if (firstFill === null || day < firstFill) firstFill = day;
    if (f.allocations.length === 0) {
      unallocated++;
      continue;
    }
    const row = rowOnOrAfter(panel.dates, day);
    const sign = f.side === 'BUY' ? 1 : -1;
    for (const a of f.allocations) trades.push({ agentId: a.agentId, symbol: f.symbol, row, qty: sign * a.qty, price: f.price, fee: f.qty > 0 ? (f.commission * a.qty) / f.qty : 0 });
  }
  await slicer.pause();
  const book = await bookPnlByAgent({
    dates: panel.dates,
    from: w.fromRow,
    to: w.toRow,
    holdings: positions.map((p) => ({ agentId: p.agentId, symbol: p.symbol, qty: p.qty })),
    trades,
    close: (symbol, row) => {
      const u = panel.columnOf.get(symbol);
      return u === undefined ? undefined : closeAt(panel, u, row);
    },
  }, slicer);
  let costs = 0;
  for (const t of trades) if (t.row >= w.fromRow && t.row <= w.toRow) costs += t.fee;
  return { book, costs, source: { positions: positions.filter((p) => p.qty !== 0).length, fills: fills.length, unallocatedFills: unallocated, firstFill } };
}

/** The sector of a symbol in the panel (`Unknown` when it is not a column). */
export function sectorOf(panel: Panel, symbol: string): string {
  const u = panel.columnOf.get(symbol);
  return u === undefined ? 'Unknown' : (panel.sectors[u] ?? 'Unknown');
}

/**
 * The book's holdings by sector, one map per day of the window: each day's sectors in the order its
 * lines first hold them, each sum taken in line order. Each line's sector is looked up once and the
 * sums kept in arrays (a map and an object per line per day held the API for 0.4 s over the demo's
 * five years).
 */
export function portfolioSectorDays(panel: Panel, book: BookPnl): Map<string, PortfolioSectorDay>[] {
  const ids = new Map<string, number>();
  const names: string[] = [];
  const sectorOfLine = book.lines.map((l) => {
    const s = sectorOf(panel, l.symbol);
    let k = ids.get(s);
    if (k === undefined) {
      k = names.length;
      ids.set(s, k);
      names.push(s);
    }
    return k;
  });
  const net = new Float64Array(names.length);
  const gross = new Float64Array(names.length);
  const holding = new Float64Array(names.length);
  const day = new Int32Array(names.length).fill(-1);
  return book.dates.map((_, i) => {
    const order: number[] = [];
    book.lines.forEach((l, j) => {
      const v = l.startValue[i] ?? 0;
      const h = l.holdingPnl[i] ?? 0;
      if (v === 0 && h === 0) return;
      const k = sectorOfLine[j] ?? 0;
      if (day[k] !== i) {
        day[k] = i;
        net[k] = 0;
        gross[k] = 0;
        holding[k] = 0;
        order.push(k);
      }
      net[k] = (net[k] ?? 0) + v;
      gross[k] = (gross[k] ?? 0) + Math.abs(v);
      holding[k] = (holding[k] ?? 0) + h;
    });
    return new Map(order.map((k) => [names[k] ?? 'Unknown', { netValue: net[k] ?? 0, grossValue: gross[k] ?? 0, holdingPnl: holding[k] ?? 0 }]));
  });
}

/**
 * The benchmark by sector each day: the stored equities weighted by start-of-day market cap (the
 * construction of the index series), or equally when no shares outstanding are stored.
 */
export function benchmarkSectorDays(panel: Panel, w: MarketWindow, members: ReadonlySet<string>): { days: Map<string, BenchmarkSectorDay>[]; weighting: 'cap' | 'equal' } {
  const cols = panel.symbols.map((s, u) => (members.has(s) ? u : -1)).filter((u) => u >= 0);
  const { U } = panel;
  const hasCaps = cols.some((u) => Number.isFinite(panel.marketCap[(w.toRow - 1) * U + u] ?? Number.NaN));
  const days: Map<string, BenchmarkSectorDay>[] = [];
  for (let t = w.fromRow; t <= w.toRow; t++) {
    const by = new Map<string, { w: number; wr: number }>();
    let total = 0;
    for (const u of cols) {
      const r = panel.ret[t * U + u] ?? Number.NaN;
      const cap = hasCaps ? (panel.marketCap[(t - 1) * U + u] ?? Number.NaN) : 1;
      if (!Number.isFinite(r) || !Number.isFinite(cap) || cap <= 0) continue;
      const s = panel.sectors[u] ?? 'Unknown';
      const a = by.get(s) ?? { w: 0, wr: 0 };
      by.set(s, { w: a.w + cap, wr: a.wr + cap * r });
      total += cap;
    }
    days.push(new Map([...by.entries()].map(([s, a]) => [s, { weight: total > 0 ? a.w / total : 0, return: a.w > 0 ? a.wr / a.w : 0 }])));
  }
  return { days, weighting: hasCaps ? 'cap' : 'equal' };
}

/** Daily returns of the stored index series (`market`, a level or a return series) over the window; null when absent. */
export function indexReturns(panel: Panel, w: MarketWindow): number[] | null {
  const s = panel.reference.get('market');
  if (!s) return null;
  let isLevel = true;
  for (let t = w.fromRow - 1; t <= w.toRow; t++) if (Number.isFinite(s[t] ?? Number.NaN) && (s[t] ?? 0) <= 1) isLevel = false;
  const out: number[] = [];
  for (let t = w.fromRow; t <= w.toRow; t++) {
    const v = isLevel ? (s[t] ?? Number.NaN) / (s[t - 1] ?? Number.NaN) - 1 : (s[t] ?? Number.NaN);
    out.push(Number.isFinite(v) ? v : 0);
  }
  return out;
}

/** Reference series that are not factor returns (levels, the risk-free rate). */
const NOT_FACTORS = new Set(['market', 'vix', 'rf']);

/**
 * The factor model: every stored reference series that looks like a daily factor return over rows
 * [from, to] (|value| < 0.5; Fama/French mkt_rf, smb, hml, mom…), rows aligned with the panel (NaN
 * where missing). Without any, the index series' daily return as the one factor `market`.
 */
export function factorSeries(panel: Panel, fromRow: number, toRow: number): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const [name, s] of [...panel.reference.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (NOT_FACTORS.has(name)) continue;
    let finite = 0, maxAbs = 0;
    for (let t = fromRow; t <= toRow; t++) {
      const v = s[t] ?? Number.NaN;
      if (!Number.isFinite(v)) continue;
      finite++;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    if (finite > 0 && maxAbs < 0.5) out.set(name, s.slice(fromRow, toRow + 1));
  }
  if (out.size === 0) {
    const idx = indexReturns(panel, { fromRow, toRow, from: '', to: '', baseDate: '' });
    if (idx) out.set('market', Float64Array.from(idx));
  }
  return out;
}

/*
 * One agent as a PM reads it: its book (quantities, marks, market value, weight of its capital),
 * its exposures (gross, net, long, short, by sector), its overlay decisions with every reason, and
 * its daily P&L — from the fund's stored book (fills, positions, closes; the Attribution page's
 * numbers) and, when one is named, from a completed backtest of the fund.
 */
import { isKeelError, KeelError } from '../core/index.ts';
import type { AgentRow, FundRow } from '../store/index.ts';
import { pnlHistoryReport } from './attribution-report.ts';
import type { ApiRuntime } from './runtime.ts';
import { cachedPositions, type PositionView } from './routes/books.ts';

const cents = (x: number): number => Math.round(x * 100) / 100;

/** A held line of the agent's book: signed shares, dollars, `weight` = marketValue / the agent's capital. */
export interface AgentLine {
  readonly symbol: string;
  readonly sector: string;
  readonly qty: number;
  readonly avgCost: number;
  readonly lastPrice: number;
  readonly marketValue: number;
  readonly weight: number | null;
  readonly unrealizedPnl: number;
}

/** Dollar exposure and its fraction of the agent's capital (null when it has none). */
export interface Exposure {
  readonly gross: number;
  readonly net: number;
  readonly long: number;
  readonly short: number;
  readonly grossPct: number | null;
  readonly netPct: number | null;
  readonly longPct: number | null;
  readonly shortPct: number | null;
}

/** The agent's capital: its latest stored NAV when positive, else its allocation. */
export async function agentCapital(rt: ApiRuntime, fundId: string, a: AgentRow): Promise<{ capital: number; source: 'nav' | 'allocation'; navDate: string | null }> {
  const nav = await rt.store.nav.latest(fundId, a.id);
  return nav && nav.nav > 0 ? { capital: nav.nav, source: 'nav', navDate: nav.date } : { capital: a.allocatedCapital, source: 'allocation', navDate: null };
}

/** The agent's open lines as the Position Book shows them (stored marks), with sector and weight. */
export function agentLines(positions: readonly PositionView[], agentId: string, sectors: ReadonlyMap<string, string>, capital: number): AgentLine[] {
  return positions
    .filter((p) => p.agentId === agentId && p.qty !== 0)
    .map((p) => ({
      symbol: p.symbol, sector: sectors.get(p.symbol) ?? 'Unknown', qty: p.qty, avgCost: p.avgCost, lastPrice: p.lastPrice,
      marketValue: p.marketValue, weight: capital > 0 ? p.marketValue / capital : null, unrealizedPnl: p.unrealizedPnl,
    }))
    .sort((a, b) => Math.abs(b.marketValue) - Math.abs(a.marketValue) || (a.symbol < b.symbol ? -1 : 1));
}

/** Gross = long + short = Σ |value|, net = long − short, short ≥ 0; dollars rounded to cents. */
export function exposureOf(lines: readonly { readonly marketValue: number }[], capital: number): Exposure {
  let long = 0;
  let short = 0;
  for (const l of lines) {
    if (l.marketValue > 0) long += l.marketValue;
    else short -= l.marketValue;
  }
  const pct = (x: number): number | null => (capital > 0 ? x / capital : null);
  return { gross: cents(long + short), net: cents(long - short), long: cents(long), short: cents(short), grossPct: pct(long + short), netPct: pct(long - short), longPct: pct(long), shortPct: pct(short) };
}

/** Exposure per sector, largest gross first. */
export function sectorExposures(lines: readonly AgentLine[], capital: number): (Exposure & { sector: string; names: number })[] {
  const by = new Map<string, AgentLine[]>();
  for (const l of lines) by.set(l.sector, [...(by.get(l.sector) ?? []), l]);
  return [...by.entries()]
    .map(([sector, ls]) => ({ sector, names: ls.length, ...exposureOf(ls, capital) }))
    .sort((a, b) => b.gross - a.gross || (a.sector < b.sector ? -1 : 1));
}

/** A daily P&L series: dollars per day, the running sum, the total. */
export interface PnlSeries {
  readonly from: string;
  readonly to: string;
  readonly dates: string[];
  readonly daily: number[];
  readonly cumulative: number[];
  readonly total: number;
}

function seriesOf(dates: readonly string[], daily: readonly number[]): PnlSeries {
  let run = 0;
  const cumulative = daily.map((x) => cents((run += x)));
  return { from: dates[0] ?? '', to: dates[dates.length - 1] ?? '', dates: [...dates], daily: daily.map(cents), cumulative, total: cents(run) };
}

/**
 * The agent's daily P&L from the fund's stored book over the window (default the last 63 trading
 * days): the `pnl-history?by=agent` series of the agent (zero every day when it held nothing).
 * Null with the reason when no window can be made (no market stored).
 */
export async function livePnl(rt: ApiRuntime, fund: FundRow, agentId: string, from: string | undefined, to: string | undefined): Promise<{ pnl: PnlSeries | null; error: string | null }> {
  try {
    const h = await rt.cache.get(fund.id, `pnl-history:agent:${from ?? ''}:${to ?? ''}`, () => pnlHistoryReport({ rt, fund, by: 'agent', from, to }), rt.reportTtl);
    const mine = h.series.find((s) => s.key === agentId);
    return { pnl: seriesOf(h.dates, mine ? mine.pnl : h.dates.map(() => 0)), error: null };
  } catch (e) {
    // a bad window names its field (400); no stored market is an answer without the live P&L
    if (isKeelError(e) && e.code !== 'KEEL_E_VALIDATION') return { pnl: null, error: e.message };
    throw e;
  }
}

interface StoredAgentResult { readonly id: string; readonly equity: readonly number[]; readonly flows?: readonly number[] }
interface StoredResults { readonly dates: readonly string[]; readonly agents: readonly StoredAgentResult[] }

const isResults = (x: unknown): x is StoredResults => typeof x === 'object' && x !== null && Array.isArray((x as StoredResults).dates) && Array.isArray((x as StoredResults).agents);

/**
 * The agent's daily P&L in one of the fund's completed backtests: for each day after the first,
 * NAV_t − capital moved in on t − NAV_{t−1} (the backtest's `equity` and `flows`, dollars), so
 * capital the overlay reallocated is not P&L. KEEL_E_NOT_FOUND (naming `query.backtest`) for a
 * backtest the fund does not have; an error text when it has not completed or left the agent out.
 */
export async function backtestPnl(rt: ApiRuntime, fundId: string, agentId: string, backtestId: string): Promise<{ pnl: PnlSeries | null; error: string | null }> {
  const b = await rt.store.backtests.get(backtestId);
  if (!b || b.fundId !== fundId) throw new KeelError('KEEL_E_NOT_FOUND', `backtest ${backtestId} does not exist`, { field: 'query.backtest' });
  if (b.status !== 'COMPLETED' || !isResults(b.results)) return { pnl: null, error: `backtest ${backtestId} is ${b.status}: no results to show` };
  const a = b.results.agents.find((x) => x.id === agentId);
  if (!a) return { pnl: null, error: `agent ${agentId} was not in backtest ${backtestId}` };
  const { dates } = b.results;
  const daily: number[] = [];
  for (let t = 1; t < dates.length; t++) daily.push((a.equity[t] ?? 0) - (a.flows?.[t] ?? 0) - (a.equity[t - 1] ?? 0));
  return { pnl: seriesOf(dates.slice(1), daily), error: null };
}

/** Every open position of the fund (cached) and the sector of each instrument. */
export async function bookAndSectors(rt: ApiRuntime, fundId: string): Promise<{ positions: PositionView[]; sectors: Map<string, string> }> {
  const [positions, instruments] = await Promise.all([cachedPositions(rt, fundId), rt.store.instruments.list()]);
  return { positions, sectors: new Map(instruments.map((i) => [i.symbol, i.sector ?? 'Unknown'])) };
}

import type { AgentBook } from '../../agents/index.ts';
import type { FundConfig } from '../../contracts/index.ts';
import type { IsoDate } from '../../core/index.ts';
import type { MarketView } from '../../market/index.ts';
import { NORMAL_TRACK, scoreForecast, type AgentBookState, type FundState, type OutsideBook, type Position } from '../../overlay/index.ts';
import { QTY_SCALE, type Ledger } from '../ledger/ledger.ts';

/** The book for a fund's own positions (hedges) and unallocated cash. */
export const FUND_BOOK = '_fund';

/** Opens one ledger book per agent with its allocation, and the fund book with the rest. */
export function openLedgerBooks(ledger: Ledger, config: FundConfig): void {
  let allocated = 0;
  for (const a of config.agents) {
    ledger.open(a.id, a.allocatedCapital);
    allocated += a.allocatedCapital;
  }
  ledger.open(FUND_BOOK, config.fund.totalCapital - allocated);
}

/**
 * Opens, with no capital of its own (its NAV is its P&L), each book of `legs` the ledger does not
 * have yet: the hedge book at its first trade, as `bookStored` does in the stored ledger.
 */
export function openBooks(ledger: Ledger, legs: readonly { readonly agentId: string }[]): void {
  for (const l of legs) if (!ledger.has(l.agentId)) ledger.open(l.agentId, 0);
}

/** The starting fund state: every book flat, high-water marks at capital, ACTIVE. */
export function initialFundState(config: FundConfig, asOf: IsoDate): FundState {
  return {
    asOf,
    capital: config.fund.totalCapital,
    highWaterMark: config.fund.totalCapital,
    dailyPnl: 0,
    monthlyPnl: 0,
    tradingState: 'ACTIVE',
    tradingStateSince: null,
    fundDrawdown: NORMAL_TRACK,
    agents: config.agents.map((a) => ({
      agentId: a.id,
      allocatedCapital: a.allocatedCapital,
      positions: [],
      equity: a.allocatedCapital,
      highWaterMark: a.allocatedCapital,
      dailyPnl: 0,
      monthlyPnl: 0,
      drawdown: NORMAL_TRACK,
      returns: [],
    })),
    cvarBreachStreak: 0,
    emergency: false,
    manualKill: null,
    regime: null,
    hedges: [],
    fundReturns: [],
  };
}

/** Equity at the start of the month, for month-to-date P&L. */
export interface MonthAnchor {
  month: string;
  fund: number;
  agents: Map<string, number>;
}

const MAX_RETURNS = 260;

/**
 * The last MAX_RETURNS returns with `r` appended, in a new array of exactly its length (a slice
 * then a push copies the history twice: the push grows the slice's backing store by half).
 */
function pushReturn(list: readonly number[], r: number): number[] {
  const x = Number.isFinite(r) ? r : 0;
  if (list.length < MAX_RETURNS) return list.concat(x);
  // full: slice the last MAX_RETURNS, move them down one, write r last (a loop: copyWithin is generic on arrays)
  const out = list.slice(list.length - MAX_RETURNS);
  for (let i = 1; i < MAX_RETURNS; i++) out[i - 1] = out[i] as number;
  out[MAX_RETURNS - 1] = x;
  return out;
}

/** A ledger book's holdings as overlay positions (signed shares, last mark). */
export function bookPositions(ledger: Ledger, bookId: string): Position[] {
  return [...ledger.book(bookId).holdings.values()].map((h) => ({ symbol: h.symbol, qty: h.qty4 / QTY_SCALE, price: h.mark }));
}

const NO_OUTSIDE_BOOKS: readonly OutsideBook[] = [];

/**
 * The ledger's books outside the agents of `state` (every book but theirs and `FUND_BOOK`: today
 * the discretionary one), in ledger order, with their positions; `NO_OUTSIDE_BOOKS` when there are
 * none, found by counting books, so a fund without any (a backtest) builds nothing.
 */
export function outsideBooks(state: Pick<FundState, 'agents'>, ledger: Ledger): readonly OutsideBook[] {
  let inside = ledger.has(FUND_BOOK) ? 1 : 0;
  for (const a of state.agents) if (ledger.has(a.agentId)) inside++;
  if (ledger.bookCount === inside) return NO_OUTSIDE_BOOKS;
  const agents = new Set(state.agents.map((a) => a.agentId));
  return ledger
    .agentIds()
    .filter((id) => id !== FUND_BOOK && !agents.has(id))
    .map((bookId) => ({ bookId, positions: bookPositions(ledger, bookId) }));
}

/**
 * Refreshes the fund state's books and P&L from the ledger after marking at `view`'s closes:
 * positions, equity, daily and month-to-date P&L, daily return histories, fund capital, and the
 * books outside the agents (`outsideBooks`: positions only, so every fund-level limit of the
 * review counts them; they do not propose, and the cycle trades only the hedge book, to the
 * hedger's targets: `hedgeTargets`).
 * Control fields (trading state, drawdown tracks, high-water marks) are the overlay's.
 */
export function refreshFundState(prev: FundState, ledger: Ledger, view: MarketView, anchor: MonthAnchor, isNewDay: boolean): FundState {
  const month = view.asOf.slice(0, 7);
  const nav = ledger.fundNavCents() / 100;
  if (anchor.month !== month) {
    anchor.month = month;
    anchor.fund = prev.capital;
    anchor.agents = new Map(prev.agents.map((a) => [a.agentId, a.equity]));
  }
  const minCapital = Math.max(1000, prev.capital * 1e-4);
  const agents: AgentBookState[] = prev.agents.map((a) => {
    if (!ledger.has(a.agentId)) return a;
    const equity = ledger.navCents(a.agentId) / 100;
    const positions = bookPositions(ledger, a.agentId);
    const daily = equity - a.equity;
    return {
      ...a,
      positions,
      equity,
      dailyPnl: daily,
      monthlyPnl: equity - (anchor.agents.get(a.agentId) ?? a.equity),
      // a book with next to no capital (given none by the allocation, or wiped out) has no return to speak of
      returns: isNewDay ? pushReturn(a.returns, a.equity > minCapital ? daily / a.equity : 0) : a.returns,
      // the return scores the forecast the last review made for the book that earned it
      ...(isNewDay && a.forecast && a.equity > minCapital ? { forecast: scoreForecast(a.forecast, daily / a.equity) } : {}),
    };
  });
  const daily = nav - prev.capital;
  const outside = outsideBooks(prev, ledger);
  return {
    ...prev,
    asOf: view.asOf,
    capital: nav,
    dailyPnl: daily,
    monthlyPnl: nav - anchor.fund,
    agents,
    outsideBooks: outside,
    fundReturns: isNewDay ? pushReturn(prev.fundReturns, prev.capital > 0 ? daily / prev.capital : 0) : prev.fundReturns,
  };
}

/** The read-only book an agent sees: its own positions (weights of its NAV), cash, NAV and drawdown. */
export function agentBookFor(state: FundState, ledger: Ledger, agentId: string, cycleId: string, traceId: string): AgentBook {
  const a = state.agents.find((x) => x.agentId === agentId);
  const nav = ledger.navCents(agentId) / 100;
  const book = ledger.book(agentId);
  return {
    agentId,
    allocatedCapital: a?.allocatedCapital ?? nav,
    positions: [...book.holdings.values()].map((h) => {
      const qty = h.qty4 / QTY_SCALE;
      return { symbol: h.symbol, qty, avgCost: qty !== 0 ? Math.abs(h.costCents / 100 / qty) : 0, weight: nav > 0 ? (qty * h.mark) / nav : 0 };
    }),
    cash: book.cashCents / 100,
    nav,
    highWaterMark: a?.highWaterMark ?? nav,
    drawdown: { state: a?.drawdown.state ?? 'normal', drawdownPct: a && a.highWaterMark > 0 ? Math.max(0, 1 - a.equity / a.highWaterMark) : 0 },
    cycleId,
    traceId,
  };
}

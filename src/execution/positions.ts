import { roundQty } from '../core/index.ts';
import type { Fill, Position } from '../contracts/index.ts';

/** Agent that receives a fill carrying no allocations (a fund-level order). */
export const FUND_BOOK = 'fund';

/** Positions keyed by agent and symbol. */
export type PositionBook = Map<string, Position>;

export function positionKey(agentId: string, symbol: string): string {
  return `${agentId}\u0000${symbol}`;
}

/**
 * Applies a signed trade of `dq` shares at `price` to one position: average cost on
 * increases, realised P&L (gross of commissions, dollars) on reductions, average reset
 * to the trade price when the position flips side.
 */
export function applyTrade(p: Position, dq: number, price: number, at: string): Position {
  const q0 = p.qty;
  const q1 = roundQty(q0 + dq);
  let avg = p.avgCost;
  let realized = p.realizedPnl;
  if (q0 === 0 || Math.sign(q0) === Math.sign(dq)) {
    avg = (Math.abs(q0) * p.avgCost + Math.abs(dq) * price) / (Math.abs(q0) + Math.abs(dq));
  } else {
    const closed = Math.min(Math.abs(dq), Math.abs(q0));
    realized += closed * (price - p.avgCost) * Math.sign(q0);
    if (q1 === 0) avg = 0;
    else if (Math.sign(q1) !== Math.sign(q0)) avg = price;
  }
  return positionOf(p.fundId, p.agentId, p.symbol, q1, avg, price, realized, at, p.version);
}

/** A Position as one literal in contract order (every position shares one shape; cheaper than spreads). */
function positionOf(
  fundId: string,
  agentId: string,
  symbol: string,
  qty: number,
  avgCost: number,
  lastPrice: number | null,
  realizedPnl: number,
  updatedAt: string,
  version: Position['version'] = 1,
): Position {
  return { version, fundId, agentId, symbol, qty, avgCost, lastPrice, realizedPnl, updatedAt };
}

/** What booking a fill reads of it. */
export type BookableFill = Pick<Fill, 'symbol' | 'side' | 'qty' | 'price' | 'timestamp' | 'allocations'>;

/** Books one fill into per-agent positions (by its allocations, or to FUND_BOOK). Mutates `book`. */
export function bookFill(book: PositionBook, fundId: string, fill: BookableFill): void {
  const sign = fill.side === 'BUY' ? 1 : -1;
  let keys = keysByBook.get(book);
  if (!keys) keysByBook.set(book, (keys = new Map()));
  if (fill.allocations.length === 0) {
    if (fill.qty !== 0) bookPart(book, keys, fundId, FUND_BOOK, sign * fill.qty, fill);
    return;
  }
  for (const a of fill.allocations) if (a.qty !== 0) bookPart(book, keys, fundId, a.agentId, sign * a.qty, fill);
}

/** Agent → symbol → position key: building the key string on every fill cost more than the booking. */
type KeyCache = Map<string, Map<string, string>>;
const keysByBook = new WeakMap<PositionBook, KeyCache>();

function bookPart(book: PositionBook, keys: KeyCache, fundId: string, agentId: string, dq: number, fill: BookableFill): void {
  let bySymbol = keys.get(agentId);
  if (!bySymbol) keys.set(agentId, (bySymbol = new Map()));
  let key = bySymbol.get(fill.symbol);
  if (key === undefined) bySymbol.set(fill.symbol, (key = positionKey(agentId, fill.symbol)));
  const prev = book.get(key) ?? positionOf(fundId, agentId, fill.symbol, 0, 0, null, 0, fill.timestamp);
  book.set(key, applyTrade(prev, dq, fill.price, fill.timestamp));
}

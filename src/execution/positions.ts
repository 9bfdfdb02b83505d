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
  return { ...p, qty: q1, avgCost: avg, lastPrice: price, realizedPnl: realized, updatedAt: at };
}

/** Books one fill into per-agent positions (by its allocations, or to FUND_BOOK). Mutates `book`. */
export function bookFill(book: PositionBook, fundId: string, fill: Fill): void {
  const sign = fill.side === 'BUY' ? 1 : -1;
  const parts = fill.allocations.length > 0 ? fill.allocations : [{ agentId: FUND_BOOK, qty: fill.qty }];
  for (const a of parts) {
    if (a.qty === 0) continue;
    const key = positionKey(a.agentId, fill.symbol);
    const prev: Position = book.get(key) ?? {
      version: 1,
      fundId,
      agentId: a.agentId,
      symbol: fill.symbol,
      qty: 0,
      avgCost: 0,
      lastPrice: null,
      realizedPnl: 0,
      updatedAt: fill.timestamp,
    };
    book.set(key, applyTrade(prev, sign * a.qty, fill.price, fill.timestamp));
  }
}

import { sha256Hex } from '../core/index.ts';
import type { Order, OrderType, TimeInForce } from '../contracts/index.ts';
import type { PlannedOrder } from './planner.ts';

export interface OrderSpec {
  readonly id: string;
  readonly fundId: string;
  readonly traceId: string;
  readonly at: string;
  readonly cycleId?: string;
  readonly type?: OrderType;
  readonly timeInForce?: TimeInForce;
  readonly limitPrice?: number;
  readonly stopPrice?: number;
}

/** A PENDING contract Order from a planned order (MARKET DAY unless told otherwise). */
export function orderFromPlan(p: PlannedOrder, s: OrderSpec): Order {
  return {
    version: 1,
    traceId: s.traceId,
    id: s.id,
    fundId: s.fundId,
    cycleId: s.cycleId ?? null,
    symbol: p.symbol,
    side: p.side,
    type: s.type ?? 'MARKET',
    timeInForce: s.timeInForce ?? 'DAY',
    qty: p.qty,
    limitPrice: s.limitPrice ?? null,
    stopPrice: s.stopPrice ?? null,
    status: 'PENDING',
    filledQty: 0,
    avgFillPrice: null,
    decisionPrice: p.decisionPrice,
    brokerOrderId: null,
    allocations: p.allocations.map((a) => ({ ...a })),
    denials: [],
    createdAt: s.at,
    updatedAt: s.at,
  };
}

/** The book named in the client order id of a cycle's netted order (it carries several agents' books). */
export const NET_BOOK = 'net';

/** The longest client order id a broker takes (Alpaca: 128 characters). */
export const MAX_CLIENT_ORDER_ID = 128;

/**
 * The client order id of one order of a cycle: `<cycleId>:<book>:<symbol>:<leg>` (the cycle id
 * names the fund and the day). Derived, never random, so a re-run of the same cycle finds the
 * orders it sent before (in the journal and at the broker) instead of sending new ones. Past
 * `MAX_CLIENT_ORDER_ID` characters the cycle id is replaced by 24 hex digits of its SHA-256.
 */
export function cycleOrderId(cycleId: string, book: string, symbol: string, leg: number): string {
  const id = `${cycleId}:${book}:${symbol}:${leg}`;
  return id.length <= MAX_CLIENT_ORDER_ID ? id : `${sha256Hex(cycleId).slice(0, 24)}:${book}:${symbol}:${leg}`;
}

/** Whether `id` is one of `cycleId`'s own order ids (`cycleOrderId`), not an approved proposal's stamped with that cycle. */
export function isCycleOrderId(id: string, cycleId: string): boolean {
  return id.startsWith(`${cycleId}:`) || id.startsWith(`${sha256Hex(cycleId).slice(0, 24)}:`);
}

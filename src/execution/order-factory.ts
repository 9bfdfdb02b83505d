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

import { z } from 'zod';
import { finite, id, isoTime, nonNegative, positive, symbol, traceId, version } from './common.ts';

export const OrderSide = z.enum(['BUY', 'SELL']);
export type OrderSide = z.infer<typeof OrderSide>;
export const OrderType = z.enum(['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT']);
export type OrderType = z.infer<typeof OrderType>;
export const TimeInForce = z.enum(['DAY', 'GTC', 'IOC', 'FOK']);
export type TimeInForce = z.infer<typeof TimeInForce>;
export const OrderStatus = z.enum([
  'PENDING',
  'SUBMITTED',
  'ACKNOWLEDGED',
  'PARTIALLY_FILLED',
  'FILLED',
  'CANCELLED',
  'REJECTED',
  'EXPIRED',
]);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** How much of a netted fund order belongs to each agent's book. Quantities are unsigned shares. */
export const OrderAllocation = z.object({ agentId: id, qty: nonNegative });
export type OrderAllocation = z.infer<typeof OrderAllocation>;

export const DenialReason = z.object({
  code: z.string().min(1),
  message: z.string(),
  limit: finite.nullable().default(null),
  actual: finite.nullable().default(null),
});
export type DenialReason = z.infer<typeof DenialReason>;

/**
 * An order. `id` is Keel's id and the broker's client order id (idempotency). Quantities are
 * unsigned shares to 1e-4; `side` gives the direction. Prices in dollars.
 */
export const Order = z
  .object({
    version,
    traceId,
    id,
    fundId: id,
    cycleId: id.nullable().default(null),
    symbol,
    side: OrderSide,
    type: OrderType,
    timeInForce: TimeInForce,
    qty: positive,
    limitPrice: positive.nullable().default(null),
    stopPrice: positive.nullable().default(null),
    status: OrderStatus,
    filledQty: nonNegative.default(0),
    avgFillPrice: positive.nullable().default(null),
    /** Price when the decision was taken, for implementation shortfall. */
    decisionPrice: positive.nullable().default(null),
    brokerOrderId: z.string().nullable().default(null),
    allocations: z.array(OrderAllocation).default([]),
    denials: z.array(DenialReason).default([]),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .superRefine((o, ctx) => {
    if ((o.type === 'LIMIT' || o.type === 'STOP_LIMIT') && o.limitPrice === null) {
      ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: `${o.type} orders need a limitPrice` });
    }
    if ((o.type === 'STOP' || o.type === 'STOP_LIMIT') && o.stopPrice === null) {
      ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: `${o.type} orders need a stopPrice` });
    }
    if (o.filledQty > o.qty + 1e-9) {
      ctx.addIssue({ code: 'custom', path: ['filledQty'], message: 'filledQty exceeds qty' });
    }
  });
export type Order = z.infer<typeof Order>;

/** One execution. `qty` unsigned shares; `price` dollars; `commission` dollars ≥ 0. */
export const Fill = z.object({
  version,
  traceId,
  id,
  orderId: id,
  symbol,
  side: OrderSide,
  qty: positive,
  price: positive,
  commission: nonNegative,
  timestamp: isoTime,
  /** Per-agent split of this fill (sums to qty). */
  allocations: z.array(OrderAllocation).default([]),
});
export type Fill = z.infer<typeof Fill>;

/** A holding in one agent's book. `qty` signed shares (negative is short); prices in dollars. */
export const Position = z.object({
  version,
  fundId: id,
  agentId: id,
  symbol,
  qty: finite,
  avgCost: nonNegative,
  lastPrice: nonNegative.nullable().default(null),
  realizedPnl: finite.default(0),
  updatedAt: isoTime,
});
export type Position = z.infer<typeof Position>;

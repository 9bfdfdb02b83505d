import { z } from 'zod';
import { Fill, isoTime, Order, OrderStatus } from '../../contracts/index.ts';

/** A position line with its P&L, dollars; `lastPrice` falls back to the average cost when never marked. */
export const Position = z.object({
  agentId: z.string(), symbol: z.string(), qty: z.number(), avgCost: z.number(), lastPrice: z.number(), marketValue: z.number(),
  unrealizedPnl: z.number(), realizedPnl: z.number(), updatedAt: isoTime,
});
/** Totals of the rows shown: `gross` Σ over names of |net value across the books shown|, `booksGross` Σ of each book's |value|. Dollars. */
export const Totals = z.object({ marketValue: z.number(), unrealizedPnl: z.number(), realizedPnl: z.number(), gross: z.number(), booksGross: z.number(), net: z.number() });
export const PositionsAnswer = z.object({ positions: z.array(Position), totals: Totals });
/** A name netted across agents (`agents`: those holding it). */
export const NamePosition = z.object({ symbol: z.string(), qty: z.number(), marketValue: z.number(), unrealizedPnl: z.number(), realizedPnl: z.number(), agents: z.array(z.string()) });
export const PositionsByNameAnswer = z.object({ names: z.array(NamePosition), totals: Totals });

/** Transaction cost analysis of an order: slippage in bps (positive = cost), commission in dollars. */
export const Tca = z.object({
  fills: z.number().int(), filledQty: z.number(), avgFillPrice: z.number().nullable(), decisionPrice: z.number().nullable(), slippageBps: z.number().nullable(), commission: z.number(),
});
export { Fill, Order };
export const OrderWithTca = Order.safeExtend({ tca: Tca.nullable() });
export const OrdersAnswer = z.object({ orders: z.array(OrderWithTca) });
/** One entry of an order's append-only history (`type` past tense, e.g. OrderFilled). */
export const OrderEvent = z.object({
  orderId: z.string(), seq: z.number().int(), type: z.string(), fromStatus: OrderStatus.nullable(), toStatus: OrderStatus, at: isoTime, payload: z.record(z.string(), z.unknown()),
});
export const OrderDetail = z.object({ order: Order, fills: z.array(Fill), events: z.array(OrderEvent), tca: Tca.nullable() });
export const FillsAnswer = z.object({ fills: z.array(Fill) });

import { IllegalTransitionError, InvariantError, assertNever } from '../core/index.ts';
import type { Order, OrderStatus } from '../contracts/index.ts';
import type { OrderEvent } from './order-events.ts';

/**
 * The order state machine: the ONLY place that says which status may follow which.
 * Shortcuts are deliberate: PENDING → REJECTED (pre-trade denial), PENDING → CANCELLED (cancelled
 * before it was sent), SUBMITTED → PARTIALLY_FILLED/FILLED (a fill arrives before the ack),
 * SUBMITTED → REJECTED (broker refused), PARTIALLY_FILLED → CANCELLED/EXPIRED (remainder lapses).
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['SUBMITTED', 'REJECTED', 'CANCELLED'],
  SUBMITTED: ['ACKNOWLEDGED', 'PARTIALLY_FILLED', 'FILLED', 'REJECTED', 'CANCELLED', 'EXPIRED'],
  ACKNOWLEDGED: ['PARTIALLY_FILLED', 'FILLED', 'REJECTED', 'CANCELLED', 'EXPIRED'],
  PARTIALLY_FILLED: ['PARTIALLY_FILLED', 'FILLED', 'CANCELLED', 'EXPIRED'],
  FILLED: [],
  CANCELLED: [],
  REJECTED: [],
  EXPIRED: [],
};

/** Statuses from which nothing more can happen. */
export function isTerminal(status: OrderStatus): boolean {
  return ORDER_TRANSITIONS[status].length === 0;
}

/** True when `from → to` is in the table. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** The status an event moves an order to. */
export function targetStatus(event: OrderEvent): OrderStatus {
  switch (event.type) {
    case 'OrderCreated':
      return 'PENDING';
    case 'OrderSubmitted':
      return 'SUBMITTED';
    case 'OrderAcknowledged':
      return 'ACKNOWLEDGED';
    case 'OrderPartiallyFilled':
      return 'PARTIALLY_FILLED';
    case 'OrderFilled':
      return 'FILLED';
    case 'OrderCancelled':
      return 'CANCELLED';
    case 'OrderRejected':
      return 'REJECTED';
    case 'OrderExpired':
      return 'EXPIRED';
    default:
      return assertNever(event, 'order event');
  }
}

/**
 * A copy of `o` with the fields an event may change. One literal with every field of Order in
 * contract order (not spreads): all orders share one shape, and copying is several times cheaper
 * on the OMS's hot path. A new Order field must be added here (the compiler insists).
 */
function moved(
  o: Order,
  status: OrderStatus,
  updatedAt: string,
  filledQty: number,
  avgFillPrice: number | null,
  brokerOrderId: string | null,
  denials: Order['denials'],
): Order {
  return {
    version: o.version,
    traceId: o.traceId,
    id: o.id,
    fundId: o.fundId,
    cycleId: o.cycleId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    timeInForce: o.timeInForce,
    qty: o.qty,
    limitPrice: o.limitPrice,
    stopPrice: o.stopPrice,
    status,
    filledQty,
    avgFillPrice,
    decisionPrice: o.decisionPrice,
    brokerOrderId,
    allocations: o.allocations,
    denials,
    createdAt: o.createdAt,
    updatedAt,
  };
}

/** Tolerance for "the fill completes the order": half of the 1e-4 share quantum. */
const QTY_EPS = 5e-5;

/**
 * Applies one event to an order and returns the new order (the input is not changed).
 * Throws IllegalTransitionError when the table forbids the move, InvariantError when a fill
 * is inconsistent (wrong order, over-fill, OrderFilled that does not complete the order).
 */
export function transition(order: Order, event: OrderEvent): Order {
  if (event.orderId !== order.id) {
    throw new InvariantError(`event for ${event.orderId} applied to order ${order.id}`);
  }
  if (event.type === 'OrderCreated') throw new IllegalTransitionError('order', order.status, 'PENDING');
  const to = targetStatus(event);
  if (!canTransition(order.status, to)) throw new IllegalTransitionError('order', order.status, to);
  switch (event.type) {
    case 'OrderSubmitted':
    case 'OrderCancelled':
    case 'OrderExpired':
      return moved(order, to, event.at, order.filledQty, order.avgFillPrice, order.brokerOrderId, order.denials);
    case 'OrderAcknowledged':
      return moved(order, to, event.at, order.filledQty, order.avgFillPrice, event.brokerOrderId, order.denials);
    case 'OrderRejected':
      return moved(order, to, event.at, order.filledQty, order.avgFillPrice, order.brokerOrderId, [...order.denials, ...event.denials]);
    case 'OrderPartiallyFilled':
    case 'OrderFilled': {
      const f = event.fill;
      if (f.orderId !== order.id || f.symbol !== order.symbol || f.side !== order.side) {
        throw new InvariantError(`fill ${f.id} does not belong to order ${order.id}`, { fill: f.id });
      }
      const filled = Math.round((order.filledQty + f.qty) * 1e4) / 1e4;
      const rest = order.qty - filled;
      if (rest < -QTY_EPS) throw new InvariantError(`fill ${f.id} over-fills order ${order.id}`, { qty: order.qty, filled });
      const completes = rest <= QTY_EPS;
      if (completes !== (event.type === 'OrderFilled')) {
        throw new InvariantError(`${event.type} for order ${order.id} but filled ${filled} of ${order.qty}`);
      }
      const avg = ((order.avgFillPrice ?? 0) * order.filledQty + f.price * f.qty) / (order.filledQty + f.qty);
      return moved(order, to, event.at, filled, avg, order.brokerOrderId, order.denials);
    }
    default:
      return assertNever(event, 'order event');
  }
}

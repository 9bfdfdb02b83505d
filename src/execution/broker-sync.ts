import type { Fill, Order } from '../contracts/index.ts';
import { allocatedSoFar, fromUnits, splitFill, toUnits } from './allocation.ts';
import type { BrokerOrder } from './broker.ts';
import type { OrderEvent } from './order-events.ts';
import { isTerminal, transition } from './order-state.ts';

/**
 * The events that bring Keel's `order` in line with the broker's view of it: submitted/ack
 * if missing, one fill for the quantity the broker filled since (price backed out of the two
 * average prices, commission the difference of cumulative commissions, split over the agents),
 * then the broker's terminal status. Pure; applying the result through `transition` is legal.
 */
export function eventsFromBrokerOrder(order: Order, fillsSoFar: readonly Fill[], snap: BrokerOrder, at: string): OrderEvent[] {
  const out: OrderEvent[] = [];
  let cur = order;
  const push = (e: OrderEvent): void => {
    cur = transition(cur, e);
    out.push(e);
  };
  if (isTerminal(cur.status)) return out;
  if (cur.status === 'PENDING') push({ type: 'OrderSubmitted', orderId: order.id, at });
  if (snap.status === 'REJECTED' && snap.filledQty === 0) {
    push({ type: 'OrderRejected', orderId: order.id, at, denials: [{ code: 'BROKER_REJECTED', message: 'rejected by the broker', limit: null, actual: null }] });
    return out;
  }
  if (cur.status === 'SUBMITTED') push({ type: 'OrderAcknowledged', orderId: order.id, at, brokerOrderId: snap.brokerOrderId });
  const newUnits = toUnits(snap.filledQty) - toUnits(cur.filledQty);
  if (newUnits > 0) {
    const dq = fromUnits(newUnits);
    const notionalNow = (snap.avgFillPrice ?? 0) * snap.filledQty;
    const notionalBefore = (cur.avgFillPrice ?? 0) * cur.filledQty;
    let px = (notionalNow - notionalBefore) / dq;
    if (!(px > 0) || !Number.isFinite(px)) px = snap.avgFillPrice ?? 0;
    const commissionBefore = fillsSoFar.reduce((s, f) => s + f.commission, 0);
    const fill: Fill = {
      version: 1,
      traceId: order.traceId,
      id: `${order.id}-f${fillsSoFar.length + 1}`,
      orderId: order.id,
      symbol: order.symbol,
      side: order.side,
      qty: dq,
      price: px,
      commission: Math.max(0, snap.commission - commissionBefore),
      timestamp: at,
      allocations: splitFill(order.allocations, dq, allocatedSoFar(order.allocations, fillsSoFar)),
    };
    const completes = toUnits(snap.filledQty) >= toUnits(order.qty);
    push(completes ? { type: 'OrderFilled', orderId: order.id, at, fill } : { type: 'OrderPartiallyFilled', orderId: order.id, at, fill });
  }
  if (!isTerminal(cur.status)) {
    if (snap.status === 'CANCELLED') push({ type: 'OrderCancelled', orderId: order.id, at, reason: 'cancelled at the broker' });
    else if (snap.status === 'EXPIRED') push({ type: 'OrderExpired', orderId: order.id, at });
    else if (snap.status === 'REJECTED') push({ type: 'OrderCancelled', orderId: order.id, at, reason: 'rejected at the broker after a partial fill' });
  }
  return out;
}

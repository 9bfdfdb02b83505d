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
  if (isTerminal(cur.status)) return out;
  if (cur.status === 'PENDING') cur = pushed(out, cur, { type: 'OrderSubmitted', orderId: order.id, at });
  if (snap.status === 'REJECTED' && snap.filledQty === 0) {
    pushed(out, cur, { type: 'OrderRejected', orderId: order.id, at, denials: [{ code: 'BROKER_REJECTED', message: 'rejected by the broker', limit: null, actual: null }] });
    return out;
  }
  if (cur.status === 'SUBMITTED') cur = pushed(out, cur, { type: 'OrderAcknowledged', orderId: order.id, at, brokerOrderId: snap.brokerOrderId });
  const newUnits = toUnits(snap.filledQty) - toUnits(cur.filledQty);
  if (newUnits > 0) {
    const dq = fromUnits(newUnits);
    const notionalNow = (snap.avgFillPrice ?? 0) * snap.filledQty;
    const notionalBefore = (cur.avgFillPrice ?? 0) * cur.filledQty;
    let px = (notionalNow - notionalBefore) / dq;
    if (!(px > 0) || !Number.isFinite(px)) px = snap.avgFillPrice ?? 0;
    let commissionBefore = 0;
    for (const f of fillsSoFar) commissionBefore += f.commission;
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
    cur = pushed(out, cur, completes ? { type: 'OrderFilled', orderId: order.id, at, fill } : { type: 'OrderPartiallyFilled', orderId: order.id, at, fill });
  }
  if (!isTerminal(cur.status)) {
    if (snap.status === 'CANCELLED') pushed(out, cur, { type: 'OrderCancelled', orderId: order.id, at, reason: 'cancelled at the broker' });
    else if (snap.status === 'EXPIRED') pushed(out, cur, { type: 'OrderExpired', orderId: order.id, at });
    else if (snap.status === 'REJECTED') pushed(out, cur, { type: 'OrderCancelled', orderId: order.id, at, reason: 'rejected at the broker after a partial fill' });
  }
  return out;
}

/** Checks `e` against the transition table (throws if illegal), appends it, returns the order after it. */
function pushed(out: OrderEvent[], cur: Order, e: OrderEvent): Order {
  const next = transition(cur, e);
  out.push(e);
  return next;
}

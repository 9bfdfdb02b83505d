import { InvariantError } from '../core/index.ts';
import type { Order } from '../contracts/index.ts';
import type { OrderEvent } from './order-events.ts';
import { transition } from './order-state.ts';
import { bookFill, type PositionBook } from './positions.ts';

/** Orders by id and positions by agent/symbol, as rebuilt from events. */
export interface ExecutionState {
  readonly orders: Map<string, Order>;
  readonly positions: PositionBook;
}

export function emptyExecutionState(): ExecutionState {
  return { orders: new Map(), positions: new Map() };
}

/** Applies one event to the state (mutating it), through the transition table. Returns the order after it. */
export function applyOrderEvent(state: ExecutionState, e: OrderEvent): Order {
  if (e.type === 'OrderCreated') {
    if (state.orders.has(e.orderId)) throw new InvariantError(`order ${e.orderId} created twice`);
    if (e.order.status !== 'PENDING') throw new InvariantError(`order ${e.orderId} created as ${e.order.status}`);
    state.orders.set(e.orderId, e.order);
    return e.order;
  }
  const o = state.orders.get(e.orderId);
  if (!o) throw new InvariantError(`event ${e.type} for unknown order ${e.orderId}`);
  const next = transition(o, e);
  state.orders.set(o.id, next);
  if (e.type === 'OrderPartiallyFilled' || e.type === 'OrderFilled') bookFill(state.positions, o.fundId, e.fill);
  return next;
}

/** Rebuilds order and position state from the full event history, in order. */
export function replayOrderEvents(events: Iterable<OrderEvent>): ExecutionState {
  const state = emptyExecutionState();
  for (const e of events) applyOrderEvent(state, e);
  return state;
}

import type { DenialReason, Fill, Order } from '../contracts/index.ts';

/**
 * Order events, past tense and immutable. Every change of an order is one event; order and
 * position state are rebuilt by replaying them (`replayOrderEvents`). `at` is ISO-8601 UTC.
 */
interface EventBase {
  readonly orderId: string;
  readonly at: string;
}

/** The order was stored as PENDING (before any check or send). Carries the full order. */
export interface OrderCreated extends EventBase {
  readonly type: 'OrderCreated';
  readonly order: Order;
}
/** Keel handed the order to the broker (written before the network call). */
export interface OrderSubmitted extends EventBase {
  readonly type: 'OrderSubmitted';
}
/** The broker accepted the order and gave it an id. */
export interface OrderAcknowledged extends EventBase {
  readonly type: 'OrderAcknowledged';
  readonly brokerOrderId: string;
}
/** A fill that leaves quantity open. */
export interface OrderPartiallyFilled extends EventBase {
  readonly type: 'OrderPartiallyFilled';
  readonly fill: Fill;
}
/** The fill that completes the order. */
export interface OrderFilled extends EventBase {
  readonly type: 'OrderFilled';
  readonly fill: Fill;
}
export interface OrderCancelled extends EventBase {
  readonly type: 'OrderCancelled';
  readonly reason: string;
}
/** Denied by a pre-trade check (from PENDING) or rejected by the broker. */
export interface OrderRejected extends EventBase {
  readonly type: 'OrderRejected';
  readonly denials: readonly DenialReason[];
}
/** DAY order at the close, or IOC/FOK remainder the broker let lapse. */
export interface OrderExpired extends EventBase {
  readonly type: 'OrderExpired';
}

export type OrderEvent =
  | OrderCreated
  | OrderSubmitted
  | OrderAcknowledged
  | OrderPartiallyFilled
  | OrderFilled
  | OrderCancelled
  | OrderRejected
  | OrderExpired;

export type OrderEventType = OrderEvent['type'];

/** ISO-8601 UTC text of a Unix-ms instant (events carry text times, like the contracts). */
export function isoAt(ms: number): string {
  // a cycle stamps many events with one clock reading: format each instant once
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
let lastMs = Number.NaN;
let lastIso = '';

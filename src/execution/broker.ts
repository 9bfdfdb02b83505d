import type { Order, OrderSide, OrderStatus, OrderType, TimeInForce } from '../contracts/index.ts';

/** The broker's answer to a submission. `status` is in Keel's vocabulary. */
export interface BrokerAck {
  readonly clientOrderId: string;
  readonly brokerOrderId: string;
  readonly status: OrderStatus;
  /** Why the broker refused, when status is REJECTED. */
  readonly reason: string | null;
}

/**
 * The broker's view of one order. Quantities unsigned shares; `avgFillPrice` dollars (null
 * before any fill); `commission` cumulative dollars. Times ISO-8601.
 */
export interface BrokerOrder {
  readonly clientOrderId: string;
  readonly brokerOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly qty: number;
  readonly filledQty: number;
  readonly avgFillPrice: number | null;
  readonly limitPrice: number | null;
  readonly stopPrice: number | null;
  readonly status: OrderStatus;
  readonly commission: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Cash and equity in dollars. */
export interface BrokerAccount {
  readonly cash: number;
  readonly equity: number;
  readonly buyingPower: number;
  readonly currency: string;
}

/** A fund-level holding at the broker: signed shares, average entry price in dollars. */
export interface BrokerPosition {
  readonly symbol: string;
  readonly qty: number;
  readonly avgEntryPrice: number;
  readonly marketValue: number;
}

/**
 * Where orders go. Keel's order id is the broker's client order id, so `submit` is idempotent:
 * submitting an id the broker already has returns the existing order's ack, never a second order.
 */
export interface Broker {
  submit(order: Order): Promise<BrokerAck>;
  /** Cancels by Keel's (client) order id. No-op when already terminal. */
  cancel(clientOrderId: string): Promise<void>;
  account(): Promise<BrokerAccount>;
  positions(): Promise<BrokerPosition[]>;
  /** Orders created or updated at/after `since` (ISO), all when omitted. */
  orders(since?: string): Promise<BrokerOrder[]>;
  getOrderByClientId(clientOrderId: string): Promise<BrokerOrder | null>;
}

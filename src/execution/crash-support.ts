// Crash injection for this folder's durability tests (not part of the public face).
import type { Order } from '../contracts/index.ts';
import type { Broker, BrokerAck, BrokerAccount, BrokerOrder, BrokerPosition } from './broker.ts';
import type { OrderJournal } from './journal.ts';
import type { OrderEvent, OrderEventType } from './order-events.ts';

/** Stands for the process dying: nothing after the throw point runs. */
export class Crash extends Error {
  constructor(where: string) {
    super(`crash: ${where}`);
    this.name = 'Crash';
  }
}

export interface BrokerCrashPlan {
  /** Die before the broker receives this order id. */
  beforeSubmitOf?: string;
  /** Die after the broker accepted this order id, before Keel hears the answer. */
  afterSubmitOf?: string;
}

/** Counts every submission that reaches the broker, and can crash around one. */
export class RecordingBroker implements Broker {
  readonly delivered = new Map<string, number>();
  constructor(
    readonly inner: Broker,
    private readonly plan: BrokerCrashPlan = {},
  ) {}
  async submit(order: Order): Promise<BrokerAck> {
    if (this.plan.beforeSubmitOf === order.id) throw new Crash(`before sending ${order.id}`);
    this.delivered.set(order.id, (this.delivered.get(order.id) ?? 0) + 1);
    const ack = await this.inner.submit(order);
    if (this.plan.afterSubmitOf === order.id) throw new Crash(`after sending ${order.id}`);
    return ack;
  }
  cancel(id: string): Promise<void> {
    return this.inner.cancel(id);
  }
  account(): Promise<BrokerAccount> {
    return this.inner.account();
  }
  positions(): Promise<BrokerPosition[]> {
    return this.inner.positions();
  }
  orders(since?: string): Promise<BrokerOrder[]> {
    return this.inner.orders(since);
  }
  getOrderByClientId(id: string): Promise<BrokerOrder | null> {
    return this.inner.getOrderByClientId(id);
  }
}

export interface JournalCrashPlan {
  /** Die right after this order was stored as PENDING. */
  afterSavePendingOf?: string;
  /** Die right after an event of this type for this order was stored. */
  afterEvent?: { orderId: string; type: OrderEventType };
}

/** A journal that dies at a chosen point (after the write, which is durable). */
export class CrashingJournal implements OrderJournal {
  constructor(
    readonly inner: OrderJournal,
    private readonly plan: JournalCrashPlan,
  ) {}
  async savePending(order: Order): Promise<void> {
    await this.inner.savePending(order);
    if (this.plan.afterSavePendingOf === order.id) throw new Crash(`after storing ${order.id}`);
  }
  async appendEvent(e: OrderEvent): Promise<void> {
    await this.inner.appendEvent(e);
    const p = this.plan.afterEvent;
    if (p && p.orderId === e.orderId && p.type === e.type) throw new Crash(`after ${e.type} of ${e.orderId}`);
  }
  open(): Promise<Order[]> {
    return this.inner.open();
  }
  byClientId(id: string): Promise<Order | null> {
    return this.inner.byClientId(id);
  }
  events(orderId?: string): Promise<OrderEvent[]> {
    return this.inner.events(orderId);
  }
}

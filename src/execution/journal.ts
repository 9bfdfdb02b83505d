import type { Fill, Order } from '../contracts/index.ts';
import type { OrderEvent } from './order-events.ts';
import { isTerminal } from './order-state.ts';
import { applyOrderEvent, emptyExecutionState, type ExecutionState } from './replay.ts';

/**
 * Durable storage of orders and their events (the OMS writes an order here as PENDING before
 * it is sent). Implementations: InMemoryOrderJournal here; a PostgreSQL one in the store.
 * Appending an event the state machine forbids must fail.
 */
export interface OrderJournal {
  /** Stores a new PENDING order (an OrderCreated event). No-op when the id already exists. */
  savePending(order: Order): Promise<void>;
  appendEvent(e: OrderEvent): Promise<void>;
  /** Orders not yet in a terminal status. */
  open(): Promise<Order[]>;
  /** The order whose id (= broker client order id) is `id`, or null. */
  byClientId(id: string): Promise<Order | null>;
  /** Events in append order (of one order when `orderId` is given). */
  events(orderId?: string): Promise<OrderEvent[]>;
}

/** The fills of one order, from its events. */
export function fillsOf(events: readonly OrderEvent[]): Fill[] {
  const out: Fill[] = [];
  for (const e of events) if (e.type === 'OrderPartiallyFilled' || e.type === 'OrderFilled') out.push(e.fill);
  return out;
}

/** Event-sourced journal in memory: state is the replay of its events, checked on every append. */
export class InMemoryOrderJournal implements OrderJournal {
  protected log: OrderEvent[] = [];
  protected readonly state: ExecutionState = emptyExecutionState();
  private readonly byOrder = new Map<string, OrderEvent[]>();
  /** Ids of non-terminal orders, so `open()` costs O(open), not O(every order ever). */
  private readonly openIds = new Set<string>();

  constructor(events: readonly OrderEvent[] = []) {
    for (const e of events) this.apply(e);
  }

  protected apply(e: OrderEvent): void {
    applyOrderEvent(this.state, e);
    this.log.push(e);
    const list = this.byOrder.get(e.orderId) ?? [];
    list.push(e);
    this.byOrder.set(e.orderId, list);
    const o = this.state.orders.get(e.orderId);
    if (o && !isTerminal(o.status)) this.openIds.add(e.orderId);
    else this.openIds.delete(e.orderId);
  }

  async savePending(order: Order): Promise<void> {
    if (this.state.orders.has(order.id)) return;
    this.apply({ type: 'OrderCreated', orderId: order.id, at: order.createdAt, order });
  }

  async appendEvent(e: OrderEvent): Promise<void> {
    this.apply(e);
  }

  async open(): Promise<Order[]> {
    const out: Order[] = [];
    for (const id of this.openIds) {
      const o = this.state.orders.get(id);
      if (o) out.push(o);
    }
    return out;
  }

  async byClientId(id: string): Promise<Order | null> {
    return this.state.orders.get(id) ?? null;
  }

  /**
   * Forgets the events of orders that reached a terminal status; their final state stays (so
   * `byClientId` still finds them). Afterwards `events()` covers open orders and whatever
   * happens next. A long backtest calls it every cycle to keep memory flat; a journal used for
   * reconciliation from events must not.
   */
  compact(): void {
    for (const [id, list] of this.byOrder) if (!this.openIds.has(id) && list.length > 0) this.byOrder.delete(id);
    this.log = this.log.filter((e) => this.openIds.has(e.orderId));
  }

  async events(orderId?: string): Promise<OrderEvent[]> {
    return orderId === undefined ? [...this.log] : [...(this.byOrder.get(orderId) ?? [])];
  }

  /** The live state (orders and per-agent positions). */
  snapshot(): ExecutionState {
    return this.state;
  }
}

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

/**
 * The journal operations the OMS calls, answered with a value when the work is already done (an
 * in-memory journal) or with a promise (storage). The OMS awaits only promises: the same calls in
 * the same order either way, without a suspension per call when there is nothing to wait for.
 * Errors are thrown (or rejected) exactly where the OrderJournal methods would reject.
 */
export interface JournalOps {
  savePending(order: Order): void | Promise<void>;
  appendEvent(e: OrderEvent): void | Promise<void>;
  open(): Order[] | Promise<Order[]>;
  byClientId(id: string): Order | null | Promise<Order | null>;
  /** The fills of one order so far, in order. */
  fills(orderId: string): Fill[] | Promise<Fill[]>;
}

/** JournalOps that are done before they return (an in-memory journal's). */
export type ImmediateJournalOps = {
  readonly [K in keyof JournalOps]: (...args: Parameters<JournalOps[K]>) => Awaited<ReturnType<JournalOps[K]>>;
};

/**
 * Event-sourced journal in memory: state is the replay of its events, checked on every append.
 * Subclasses hook into `apply` (every event, history included) or `recorded` (events appended
 * after construction); the OMS writes through `immediate`, which shares that code.
 */
export class InMemoryOrderJournal implements OrderJournal {
  protected log: OrderEvent[] = [];
  protected readonly state: ExecutionState = emptyExecutionState();
  private readonly byOrder = new Map<string, OrderEvent[]>();
  /** Ids of non-terminal orders, so `open()` costs O(open), not O(every order ever). */
  private readonly openIds = new Set<string>();
  /** Orders that reached a terminal status since the last `compact()`. */
  private finished: string[] = [];
  /** The same operations done before returning (see JournalOps). */
  readonly immediate: ImmediateJournalOps = {
    savePending: (order) => this.savePendingNow(order),
    appendEvent: (e) => this.appendNow(e),
    open: () => this.openNow(),
    byClientId: (id) => this.state.orders.get(id) ?? null,
    fills: (orderId) => fillsOf(this.byOrder.get(orderId) ?? []),
  };

  constructor(events: readonly OrderEvent[] = []) {
    for (const e of events) this.apply(e);
  }

  protected apply(e: OrderEvent): void {
    const o = applyOrderEvent(this.state, e);
    this.log.push(e);
    const list = this.byOrder.get(e.orderId);
    if (list) list.push(e);
    else this.byOrder.set(e.orderId, [e]);
    if (e.type === 'OrderCreated') this.openIds.add(e.orderId);
    else if (isTerminal(o.status)) {
      this.openIds.delete(e.orderId);
      this.finished.push(e.orderId);
    }
  }

  /** Called after each event appended (not replayed by the constructor) was applied. */
  protected recorded(_e: OrderEvent): void {}

  private savePendingNow(order: Order): void {
    if (this.state.orders.has(order.id)) return;
    const e: OrderEvent = { type: 'OrderCreated', orderId: order.id, at: order.createdAt, order };
    this.apply(e);
    this.recorded(e);
  }

  private appendNow(e: OrderEvent): void {
    this.apply(e);
    this.recorded(e);
  }

  private openNow(): Order[] {
    const out: Order[] = [];
    for (const id of this.openIds) {
      const o = this.state.orders.get(id);
      if (o) out.push(o);
    }
    return out;
  }

  async savePending(order: Order): Promise<void> {
    this.savePendingNow(order);
  }

  async appendEvent(e: OrderEvent): Promise<void> {
    this.appendNow(e);
  }

  async open(): Promise<Order[]> {
    return this.openNow();
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
    for (const id of this.finished) this.byOrder.delete(id);
    this.finished = [];
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

/** True when `x` must be awaited (a promise or any thenable). */
export function isPending<T>(x: T | PromiseLike<T>): x is PromiseLike<T> {
  return typeof (x as { then?: unknown } | null | undefined)?.then === 'function';
}

/** The operations of `j` for the OMS: answered at once by an in-memory journal, else through its promises. */
export function journalOps(j: OrderJournal): JournalOps {
  if (j instanceof InMemoryOrderJournal && !overridesAsyncMethods(j)) return j.immediate;
  return {
    savePending: (order) => j.savePending(order),
    appendEvent: (e) => j.appendEvent(e),
    open: () => j.open(),
    byClientId: (id) => j.byClientId(id),
    fills: async (orderId) => fillsOf(await j.events(orderId)),
  };
}

const ASYNC_METHODS = ['savePending', 'appendEvent', 'open', 'byClientId', 'events'] as const;

/** A subclass that overrides the async methods must be called through them, not around them. */
function overridesAsyncMethods(j: InMemoryOrderJournal): boolean {
  return ASYNC_METHODS.some((m) => j[m] !== InMemoryOrderJournal.prototype[m]);
}

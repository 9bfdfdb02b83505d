import type { Fill, Order } from '../../contracts/index.ts';
import { InvariantError } from '../../core/index.ts';
import { transition, type OrderEvent, type OrderJournal } from '../../execution/index.ts';
import type { Repos } from '../../store/index.ts';

/** What the journal writes through: the store, or the repositories of one open transaction. */
export type JournalRepos = Pick<Repos, 'orders' | 'fills'> & {
  transaction<T>(fn: (tx: Pick<Repos, 'orders' | 'fills'>) => Promise<T>): Promise<T>;
};

/** The repositories of an open transaction as journal storage: every write joins that transaction. */
export function inTransaction(tx: Pick<Repos, 'orders' | 'fills'>): JournalRepos {
  return { orders: tx.orders, fills: tx.fills, transaction: (fn) => fn(tx) };
}

/**
 * The OMS's durable journal in the database: an order row is written PENDING before it is
 * sent, each event is a compare-and-set transition plus an appended event row, and fills go to
 * the fills table. Fills recorded here are also handed to the cycle (`drainFills`) for the books.
 * With `only`, the journal sees just those orders (`open`, `events`): an approved proposal's
 * execution reconciles its own orders, not the fund's.
 */
export class StoreOrderJournal implements OrderJournal {
  private fills: Fill[] = [];

  constructor(
    private readonly store: JournalRepos,
    private readonly fundId: string,
    private readonly only?: ReadonlySet<string>,
  ) {}

  async savePending(order: Order): Promise<void> {
    if (await this.store.orders.findByClientOrderId(order.id)) return;
    await this.store.orders.insertPending(order);
  }

  async appendEvent(e: OrderEvent): Promise<void> {
    const cur = await this.store.orders.findByClientOrderId(e.orderId);
    if (!cur) throw new InvariantError(`order ${e.orderId} is not in the journal`);
    const next = transition(cur, e);
    await this.store.transaction(async (tx) => {
      await tx.orders.transition(e.orderId, {
        from: cur.status,
        to: next.status,
        at: e.at,
        eventType: e.type,
        filledQty: next.filledQty,
        avgFillPrice: next.avgFillPrice,
        brokerOrderId: next.brokerOrderId,
        ...(e.type === 'OrderRejected' ? { denials: next.denials } : {}),
        payload: { event: e },
      });
      if (e.type === 'OrderPartiallyFilled' || e.type === 'OrderFilled') await tx.fills.insert(e.fill);
    });
    if (e.type === 'OrderPartiallyFilled' || e.type === 'OrderFilled') this.fills.push(e.fill);
  }

  async open(): Promise<Order[]> {
    const open = await this.store.orders.listOpen(this.fundId);
    const only = this.only;
    return only ? open.filter((o) => only.has(o.id)) : open;
  }

  async byClientId(id: string): Promise<Order | null> {
    return (await this.store.orders.findByClientOrderId(id)) ?? null;
  }

  async events(orderId?: string): Promise<OrderEvent[]> {
    const ids = orderId !== undefined ? [orderId] : this.only ? [...this.only] : [undefined];
    const out: OrderEvent[] = [];
    for (const id of ids) out.push(...(await this.eventsOf(id)));
    return out;
  }

  private async eventsOf(orderId: string | undefined): Promise<OrderEvent[]> {
    const rows = await this.store.orders.events(orderId);
    const out: OrderEvent[] = [];
    for (const r of rows) {
      const stored = (r.payload as { event?: OrderEvent }).event;
      if (stored) out.push(stored);
      else if (r.type === 'OrderCreated') {
        const o = await this.store.orders.findByClientOrderId(r.orderId);
        if (o) {
          const order: Order = { ...o, status: 'PENDING', filledQty: 0, avgFillPrice: null, brokerOrderId: null, denials: [] };
          out.push({ type: 'OrderCreated', orderId: r.orderId, at: r.at, order });
        }
      }
    }
    return out;
  }

  drainFills(): Fill[] {
    const out = this.fills;
    this.fills = [];
    return out;
  }
}

import type { Fill, Order } from '../../contracts/index.ts';
import { InvariantError } from '../../core/index.ts';
import { transition, type OrderEvent, type OrderJournal } from '../../execution/index.ts';
import type { Store } from '../../store/index.ts';

/**
 * The OMS's durable journal in the database: an order row is written PENDING before it is
 * sent, each event is a compare-and-set transition plus an appended event row, and fills go to
 * the fills table. Fills recorded here are also handed to the cycle (`drainFills`) for the books.
 */
export class StoreOrderJournal implements OrderJournal {
  private fills: Fill[] = [];

  constructor(
    private readonly store: Store,
    private readonly fundId: string,
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
        payload: { event: e },
      });
      if (e.type === 'OrderPartiallyFilled' || e.type === 'OrderFilled') await tx.fills.insert(e.fill);
    });
    if (e.type === 'OrderPartiallyFilled' || e.type === 'OrderFilled') this.fills.push(e.fill);
  }

  open(): Promise<Order[]> {
    return this.store.orders.listOpen(this.fundId);
  }

  async byClientId(id: string): Promise<Order | null> {
    return (await this.store.orders.findByClientOrderId(id)) ?? null;
  }

  async events(orderId?: string): Promise<OrderEvent[]> {
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

import type { Fill, Order } from '../../contracts/index.ts';
import { InMemoryOrderJournal, type OrderEvent } from '../../execution/index.ts';

/**
 * An in-memory order journal that also hands the cycle every fill and order update as it is
 * recorded, so fills reach the books exactly once. Live funds use the store-backed journal
 * wrapped the same way.
 */
export class TappedJournal extends InMemoryOrderJournal {
  private fills: Fill[] = [];
  private touched = new Set<string>();

  override async appendEvent(e: OrderEvent): Promise<void> {
    await super.appendEvent(e);
    this.touched.add(e.orderId);
    if (e.type === 'OrderPartiallyFilled' || e.type === 'OrderFilled') this.fills.push(e.fill);
  }

  override async savePending(order: Order): Promise<void> {
    await super.savePending(order);
    this.touched.add(order.id);
  }

  /** Fills recorded since the last drain, in order. */
  drainFills(): Fill[] {
    const out = this.fills;
    this.fills = [];
    return out;
  }

  /** Orders created or changed since the last drain. */
  async drainTouched(): Promise<Order[]> {
    const ids = [...this.touched];
    this.touched = new Set();
    const out: Order[] = [];
    for (const id of ids) {
      const o = await this.byClientId(id);
      if (o) out.push(o);
    }
    return out;
  }
}

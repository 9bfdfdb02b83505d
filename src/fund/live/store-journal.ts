import type { Fill, Order } from '../../contracts/index.ts';
import { InvariantError } from '../../core/index.ts';
import { isCycleOrderId, transition, type OrderEvent } from '../../execution/index.ts';
import type { Repos } from '../../store/index.ts';
import type { CyclePlan, FillTapJournal, WrittenPlan } from '../cycle/fill-tap.ts';
import { bookCrossStored, bookFillStored } from './stored-ledger.ts';

type JournalTables = Pick<Repos, 'orders' | 'fills' | 'ledger'>;

/** What the journal writes through: the store, or the repositories of one open transaction. */
export type JournalRepos = JournalTables & {
  transaction<T>(fn: (tx: JournalTables) => Promise<T>): Promise<T>;
};

/** The repositories of an open transaction as journal storage: every write joins that transaction. */
export function inTransaction(tx: JournalTables): JournalRepos {
  return { orders: tx.orders, fills: tx.fills, ledger: tx.ledger, transaction: (fn) => fn(tx) };
}

/**
 * The OMS's durable journal in the database: an order row is written PENDING before it is
 * sent, each event is a compare-and-set transition plus an appended event row, and a fill is
 * stored and booked into the stored ledger in that same transaction: the journal never records a
 * fill the books do not hold. Fills recorded here are also handed to the cycle (`drainFills`) for
 * its books in memory. With `only`, the journal sees just those orders (`open`, `events`): an
 * approved proposal's execution reconciles its own orders, not the fund's.
 */
export class StoreOrderJournal implements FillTapJournal {
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
    const isFill = e.type === 'OrderPartiallyFilled' || e.type === 'OrderFilled';
    const isNew = await this.store.transaction(async (tx) => {
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
      if (!isFill || !(await tx.fills.insert(e.fill, { fundId: this.fundId }))) return false;
      await bookFillStored(tx, this.fundId, e.fill);
      return true;
    });
    if (isFill && isNew) this.fills.push(e.fill);
  }

  /**
   * Books fills that no order made (differences adopted from the broker at reconciliation): each
   * stored (kind ADJUSTMENT) and booked in one transaction, and handed to the cycle like any fill.
   */
  async recordAdjustments(fills: readonly Fill[]): Promise<void> {
    if (fills.length === 0) return;
    const booked = await this.store.transaction(async (tx) => {
      const out: Fill[] = [];
      for (const f of fills) {
        if (!(await tx.fills.insert(f, { fundId: this.fundId, cycleId: null, kind: 'ADJUSTMENT' }))) continue;
        await bookFillStored(tx, this.fundId, f);
        out.push(f);
      }
      return out;
    });
    this.fills.push(...booked);
  }

  /**
   * Writes a cycle's plan in one transaction before any of it is sent: its crosses stored as
   * fills (kind CROSS) and booked, its orders stored PENDING. A crash before it commits leaves
   * nothing; after, a re-run finds the plan (`planOf`) and sends what is left of it.
   */
  async writePlan(p: CyclePlan): Promise<void> {
    if (p.orders.length === 0 && p.crossFills.length === 0) return;
    await this.store.transaction(async (tx) => {
      let fresh = true;
      for (const f of p.crossFills) fresh = (await tx.fills.insert(f, { fundId: this.fundId, cycleId: p.cycleId, kind: 'CROSS' })) && fresh;
      if (fresh) for (const c of p.crosses) await bookCrossStored(tx, this.fundId, c, p.crossFills[0]?.timestamp ?? new Date().toISOString());
      for (const o of p.orders) if (!(await tx.orders.findByClientOrderId(o.id))) await tx.orders.insertPending(o);
    });
  }

  async planOf(cycleId: string): Promise<WrittenPlan | null> {
    const orders = (await this.store.orders.listByCycle(cycleId))
      .filter((o) => o.fundId === this.fundId && isCycleOrderId(o.id, cycleId))
      .sort(byPlanOrder);
    const crossFills = (await this.store.fills.listBooked(this.fundId, { cycleId, kind: 'CROSS' })).map((b) => b.fill);
    return orders.length === 0 && crossFills.length === 0 ? null : { orders, crossFills };
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

/** The order a plan was written in: by symbol, then leg (`…:<symbol>:<leg>`), as the planner emits them. */
function byPlanOrder(a: Order, b: Order): number {
  if (a.symbol !== b.symbol) return a.symbol < b.symbol ? -1 : 1;
  return legOf(a.id) - legOf(b.id);
}

const legOf = (id: string): number => Number(id.slice(id.lastIndexOf(':') + 1)) || 0;

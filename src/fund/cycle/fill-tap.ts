import type { Fill, Order } from '../../contracts/index.ts';
import { InMemoryOrderJournal, type InternalCross, type OrderEvent, type OrderJournal } from '../../execution/index.ts';

/** What a cycle writes before it sends anything: its internal crosses (with their fills) and its orders, PENDING. */
export interface CyclePlan {
  readonly cycleId: string;
  readonly orders: readonly Order[];
  readonly crosses: readonly InternalCross[];
  /** The crosses as fills (`crossFills`), stored so every book's position is explained by its fills. */
  readonly crossFills: readonly Fill[];
}

/** A plan a cycle wrote before: its orders as they are now, and its cross fills. */
export interface WrittenPlan {
  readonly orders: Order[];
  readonly crossFills: Fill[];
}

/**
 * The cycle's order journal: it hands the cycle every fill it records exactly once (`drainFills`),
 * and keeps each cycle's plan, written in one go before any order is sent (`writePlan`), so a
 * re-run of a cycle finds the plan it wrote (`planOf`) instead of planning and sending again.
 */
export interface FillTapJournal extends OrderJournal {
  drainFills(): Fill[];
  writePlan(p: CyclePlan): Promise<void>;
  /** The plan `cycleId` wrote before, or null when it wrote none. */
  planOf(cycleId: string): Promise<WrittenPlan | null>;
}

/**
 * An in-memory order journal that also hands the cycle every fill and order update as it is
 * recorded, so fills reach the books exactly once. Live funds use the store-backed journal
 * (`StoreOrderJournal`), which does the same durably.
 */
export class TappedJournal extends InMemoryOrderJournal implements FillTapJournal {
  private fills: Fill[] = [];
  private readonly plans = new Map<string, { ids: string[]; crossFills: Fill[] }>();

  protected override recorded(e: OrderEvent): void {
    if (e.type === 'OrderPartiallyFilled' || e.type === 'OrderFilled') this.fills.push(e.fill);
  }

  /** Fills recorded since the last drain, in order. */
  drainFills(): Fill[] {
    const out = this.fills;
    this.fills = [];
    return out;
  }

  async writePlan(p: CyclePlan): Promise<void> {
    if (p.orders.length === 0 && p.crossFills.length === 0) return;
    for (const o of p.orders) this.immediate.savePending(o);
    this.plans.set(p.cycleId, { ids: p.orders.map((o) => o.id), crossFills: [...p.crossFills] });
  }

  async planOf(cycleId: string): Promise<WrittenPlan | null> {
    const p = this.plans.get(cycleId);
    if (!p) return null;
    const orders: Order[] = [];
    for (const id of p.ids) {
      const o = this.immediate.byClientId(id);
      if (o) orders.push(o);
    }
    return { orders, crossFills: [...p.crossFills] };
  }

  /** Also forgets the plans written so far (a backtest never re-runs a cycle). */
  override compact(): void {
    super.compact();
    this.plans.clear();
  }
}

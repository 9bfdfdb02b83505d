import type { Fill } from '../../contracts/index.ts';
import { InMemoryOrderJournal, type OrderEvent, type OrderJournal } from '../../execution/index.ts';

/** An order journal that hands the cycle every fill it records, exactly once. */
export interface FillTapJournal extends OrderJournal {
  drainFills(): Fill[];
}

/**
 * An in-memory order journal that also hands the cycle every fill and order update as it is
 * recorded, so fills reach the books exactly once. Live funds use the store-backed journal
 * wrapped the same way.
 */
export class TappedJournal extends InMemoryOrderJournal implements FillTapJournal {
  private fills: Fill[] = [];

  protected override recorded(e: OrderEvent): void {
    if (e.type === 'OrderPartiallyFilled' || e.type === 'OrderFilled') this.fills.push(e.fill);
  }

  /** Fills recorded since the last drain, in order. */
  drainFills(): Fill[] {
    const out = this.fills;
    this.fills = [];
    return out;
  }
}

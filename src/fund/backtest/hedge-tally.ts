import { HEDGE_BOOK, type Fill } from '../../contracts/index.ts';
import { QTY_SCALE, valueCents, type Ledger } from '../ledger/ledger.ts';

/**
 * The fund hedge book over a backtest (docs/overlay.md "Hedges trade"). Dollars; shares signed.
 * `pnl` is the book's NAV at the end: it opens with no capital, so its NAV is its P&L after costs.
 */
export interface HedgeSummary {
  /** Days the book held a hedge after the cycle. */
  readonly daysHedged: number;
  /** Fills booked to the book (broker fills and internal crosses with agents' books). */
  readonly fills: number;
  /** Σ |shares| × price of those fills. */
  readonly tradedNotional: number;
  /** Mean and largest |hedge| at the day's marks, over all days (unhedged days count as 0). */
  readonly meanGross: number;
  readonly maxGross: number;
  readonly pnl: number;
  readonly commissions: number;
  /** What the book holds at the end. */
  readonly positions: readonly { readonly instrument: string; readonly qty: number; readonly notional: number }[];
}

/** Tallies the hedge book day by day: its fills, and its gross after each cycle. */
export class HedgeTally {
  private days = 0;
  private daysHedged = 0;
  private fills = 0;
  private traded = 0;
  private grossSum = 0;
  private grossMax = 0;

  /** One cycle: the fills it booked and the ledger after it. */
  add(fills: readonly Fill[], ledger: Ledger): void {
    this.days++;
    for (const f of fills) {
      for (const a of f.allocations) {
        if (a.agentId !== HEDGE_BOOK) continue;
        this.fills++;
        this.traded += a.qty * f.price;
      }
    }
    if (!ledger.has(HEDGE_BOOK)) return;
    let gross = 0;
    for (const h of ledger.book(HEDGE_BOOK).holdings.values()) gross += Math.abs(valueCents(h.qty4, h.mark)) / 100;
    if (gross > 0) this.daysHedged++;
    this.grossSum += gross;
    this.grossMax = Math.max(this.grossMax, gross);
  }

  /** The summary at the end, or null when the fund never had a hedge book. */
  summary(ledger: Ledger): HedgeSummary | null {
    if (!ledger.has(HEDGE_BOOK)) return null;
    const book = ledger.book(HEDGE_BOOK);
    return {
      daysHedged: this.daysHedged,
      fills: this.fills,
      tradedNotional: this.traded,
      meanGross: this.days > 0 ? this.grossSum / this.days : 0,
      maxGross: this.grossMax,
      pnl: ledger.navCents(HEDGE_BOOK) / 100,
      commissions: book.feesCents / 100,
      positions: [...book.holdings.values()].map((h) => ({ instrument: h.symbol, qty: h.qty4 / QTY_SCALE, notional: valueCents(h.qty4, h.mark) / 100 })),
    };
  }
}

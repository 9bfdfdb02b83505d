import type { Fill } from '../../contracts/index.ts';
import type { PaperFill } from '../../execution/index.ts';
import { QTY_SCALE, type Holding, type Ledger } from '../ledger/ledger.ts';

/** A name's shares (1e-4) and mark at the last day it was held, and that day's number. */
interface Held {
  qty4: number;
  mark: number;
  day: number;
}

/** One book's (or the fund's) trading totals over a backtest, dollars. */
export interface BookTrading {
  /** Σ over days and names of |Δ shares| × the day's mark: buys plus sells (two-sided). */
  readonly traded: number;
  /** Σ over days of the book's gross exposure (Σ |shares × mark|). */
  readonly grossDays: number;
  /** Modelled slippage and impact paid (fill price against the bar's open, the price before costs). */
  readonly slippage: number;
}

/**
 * What trading cost and how much each book traded, day by day, for the comparison and the
 * turnover report (docs/fund-cycle.md "Backtests"):
 * - **turnover** from the ledger's positions after each cycle: |Δ shares| per name valued at the
 *   day's mark, so fills, internal crosses between agents and splits of the day all count, and the
 *   fund's turnover nets agents' crosses (it is the change of the fund's net position per name);
 * - **slippage and impact**: per simulated fill, the signed difference between its price and the
 *   bar's open (buys pay above, sells receive below) × shares, split over agents by the fill's
 *   allocations; commissions are the ledger's fees.
 */
export class TradingTally {
  private readonly held = new Map<string, Map<string, Held>>();
  private readonly fundHeld = new Map<string, Held>();
  /** The fund's net quantity yesterday of the names seen today (filled as today's quantities are summed). */
  private readonly fundYesterday = new Map<string, number>();
  private readonly books = new Map<string, { traded: number; grossDays: number; slippage: number }>();
  private readonly fund = { traded: 0, grossDays: 0, slippage: 0 };
  private paperSeen = 0;
  private day = 0;

  /** After a cycle: the ledger's positions, the cycle's journal fills and every paper fill so far (the new ones are read). */
  addDay(ledger: Ledger, fills: readonly Fill[], paper: readonly PaperFill[]): void {
    const day = ++this.day;
    for (const id of ledger.agentIds()) this.bookDay(id, ledger.book(id).holdings, day);
    this.fundDay(day);
    this.addSlippage(fills, paper);
  }

  /** One book's day: |Δ shares| × mark and gross, names no longer held sold at their last mark; sums the fund's net position. */
  private bookDay(id: string, holdings: ReadonlyMap<string, Holding>, day: number): void {
    let held = this.held.get(id);
    if (!held) {
      held = new Map();
      this.held.set(id, held);
    }
    let traded = 0;
    let gross = 0;
    for (const h of holdings.values()) {
      let e = held.get(h.symbol);
      if (!e) {
        e = { qty4: 0, mark: 0, day };
        held.set(h.symbol, e);
      }
      const mark = Number.isFinite(h.mark) ? h.mark : e.mark;
      traded += (Math.abs(h.qty4 - e.qty4) / QTY_SCALE) * mark;
      gross += (Math.abs(h.qty4) / QTY_SCALE) * mark;
      e.qty4 = h.qty4;
      e.mark = mark;
      e.day = day;
      this.addToFund(h.symbol, h.qty4, mark, day);
    }
    for (const [sym, e] of held) {
      if (e.day === day) continue;
      traded += (Math.abs(e.qty4) / QTY_SCALE) * e.mark;
      held.delete(sym);
    }
    const b = this.bookOf(id);
    b.traded += traded;
    b.grossDays += gross;
  }

  /** Sums a book's position into the fund's net position of the day (yesterday's kept apart). */
  private addToFund(symbol: string, qty4: number, mark: number, day: number): void {
    let f = this.fundHeld.get(symbol);
    if (!f) {
      f = { qty4: 0, mark, day: 0 };
      this.fundHeld.set(symbol, f);
    }
    if (f.day !== day) {
      this.fundYesterday.set(symbol, f.qty4);
      f.qty4 = 0;
      f.day = day;
    }
    f.qty4 += qty4;
    f.mark = mark;
  }

  /** The fund's day: the change of its net position per name (crosses between books net out) and its gross. */
  private fundDay(day: number): void {
    for (const [sym, f] of this.fundHeld) {
      if (f.day !== day) {
        // no book holds it any more
        this.fund.traded += (Math.abs(f.qty4) / QTY_SCALE) * f.mark;
        this.fundHeld.delete(sym);
        continue;
      }
      this.fund.traded += (Math.abs(f.qty4 - (this.fundYesterday.get(sym) ?? 0)) / QTY_SCALE) * f.mark;
      this.fund.grossDays += (Math.abs(f.qty4) / QTY_SCALE) * f.mark;
    }
    this.fundYesterday.clear();
  }

  private addSlippage(fills: readonly Fill[], paper: readonly PaperFill[]): void {
    if (paper.length === this.paperSeen) return;
    // per order: the slippage of today's simulated fills and their shares
    const perOrder = new Map<string, { cost: number; qty: number }>();
    for (let k = this.paperSeen; k < paper.length; k++) {
      const p = paper[k];
      if (!p) continue;
      const cost = (p.side === 'BUY' ? 1 : -1) * (p.price - p.basePrice) * p.qty;
      this.fund.slippage += cost;
      const o = perOrder.get(p.clientOrderId) ?? { cost: 0, qty: 0 };
      o.cost += cost;
      o.qty += p.qty;
      perOrder.set(p.clientOrderId, o);
    }
    this.paperSeen = paper.length;
    for (const f of fills) {
      const o = perOrder.get(f.orderId);
      if (!o || !(o.qty > 0)) continue;
      for (const a of f.allocations) this.bookOf(a.agentId).slippage += (o.cost * a.qty) / o.qty;
    }
  }

  private bookOf(id: string): { traded: number; grossDays: number; slippage: number } {
    let b = this.books.get(id);
    if (!b) {
      b = { traded: 0, grossDays: 0, slippage: 0 };
      this.books.set(id, b);
    }
    return b;
  }

  /** A book's totals so far (zeros for a book that never held or traded). */
  book(id: string): BookTrading {
    return { ...(this.books.get(id) ?? { traded: 0, grossDays: 0, slippage: 0 }) };
  }

  /** The fund's totals so far (net positions per name across books). */
  fundTotals(): BookTrading {
    return { ...this.fund };
  }

  /** A book's slippage so far, dollars (for its gross-of-costs NAV). */
  slippageOf(id: string): number {
    return this.books.get(id)?.slippage ?? 0;
  }
}

/**
 * One-way turnover, annualised: (traded / 2) per unit of `base` per day × 252. With `base` the mean
 * gross it is the turnover per unit of gross (a book replaced once a year turns over 1×).
 */
export function oneWayAnnual(traded: number, baseDays: number): number {
  return baseDays > 0 ? (traded / 2 / baseDays) * 252 : 0;
}

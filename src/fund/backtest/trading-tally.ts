import type { Fill } from '../../contracts/index.ts';
import type { PaperFill } from '../../execution/index.ts';
import { QTY_SCALE, type Ledger } from '../ledger/ledger.ts';

interface Held {
  readonly qty4: number;
  readonly mark: number;
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
  private readonly prev = new Map<string, Map<string, Held>>();
  private fundPrev = new Map<string, Held>();
  private readonly books = new Map<string, { traded: number; grossDays: number; slippage: number }>();
  private readonly fund = { traded: 0, grossDays: 0, slippage: 0 };
  private paperSeen = 0;

  /** After a cycle: the ledger's positions, the cycle's journal fills and every paper fill so far (the new ones are read). */
  addDay(ledger: Ledger, fills: readonly Fill[], paper: readonly PaperFill[]): void {
    const fundNow = new Map<string, Held>();
    for (const id of ledger.agentIds()) {
      const now = new Map<string, Held>();
      const before = this.prev.get(id);
      let traded = 0;
      let gross = 0;
      for (const h of ledger.book(id).holdings.values()) {
        const mark = Number.isFinite(h.mark) ? h.mark : (before?.get(h.symbol)?.mark ?? 0);
        now.set(h.symbol, { qty4: h.qty4, mark });
        traded += (Math.abs(h.qty4 - (before?.get(h.symbol)?.qty4 ?? 0)) / QTY_SCALE) * mark;
        gross += (Math.abs(h.qty4) / QTY_SCALE) * mark;
        const f = fundNow.get(h.symbol);
        fundNow.set(h.symbol, { qty4: (f?.qty4 ?? 0) + h.qty4, mark });
      }
      if (before) for (const [sym, p] of before) if (!now.has(sym)) traded += (Math.abs(p.qty4) / QTY_SCALE) * p.mark;
      this.prev.set(id, now);
      const b = this.bookOf(id);
      b.traded += traded;
      b.grossDays += gross;
    }
    for (const [sym, h] of fundNow) {
      this.fund.traded += (Math.abs(h.qty4 - (this.fundPrev.get(sym)?.qty4 ?? 0)) / QTY_SCALE) * h.mark;
      this.fund.grossDays += (Math.abs(h.qty4) / QTY_SCALE) * h.mark;
    }
    for (const [sym, p] of this.fundPrev) if (!fundNow.has(sym)) this.fund.traded += (Math.abs(p.qty4) / QTY_SCALE) * p.mark;
    this.fundPrev = fundNow;
    this.addSlippage(fills, paper);
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

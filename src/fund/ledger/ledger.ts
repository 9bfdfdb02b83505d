import { InvariantError, ValidationError, toCents } from '../../core/index.ts';

/**
 * The exact money ledger of the fund: one book per agent (plus the fund's own books, such as
 * hedges and unallocated cash). Money is integer cents, quantities integer units of 1e-4 share,
 * so every identity holds exactly:
 *
 *   cash + Σ costBasis = initial + Σ realised − fees + Σ cashAdjustments
 *   NAV = cash + Σ marketValue = initial + realised + unrealised − fees + adjustments
 *
 * Positions use average cost. A fill's cash amount is rounded once (to the cent) and split
 * between the closing and the opening part, so nothing is created or lost by rounding.
 */
export interface Holding {
  readonly symbol: string;
  /** Signed quantity in 1e-4 shares (negative = short). */
  qty4: number;
  /** Signed cost basis of the open quantity, cents (negative for a short: proceeds received). */
  costCents: number;
  /** Last mark, dollars per share (NaN until marked). */
  mark: number;
}

export interface AgentBookState {
  readonly agentId: string;
  initialCents: number;
  cashCents: number;
  realizedCents: number;
  feesCents: number;
  adjustmentsCents: number;
  readonly holdings: Map<string, Holding>;
}

export interface FillInput {
  agentId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  /** Unsigned shares (rounded to 1e-4). */
  qty: number;
  /** Dollars per share. */
  price: number;
  /** Dollars, ≥ 0. */
  commission: number;
}

export const QTY_SCALE = 10_000;

/** Dollars → integer cents, half away from zero. */
export const cents = (dollars: number): number => toCents(dollars);

/** Value in cents of `qty4` (1e-4 shares) at `price` dollars, rounded to the cent. */
export function valueCents(qty4: number, price: number): number {
  return cents((qty4 * price) / QTY_SCALE);
}

export function toQty4(qty: number): number {
  return Math.round(qty * QTY_SCALE);
}

export class Ledger {
  private readonly books = new Map<string, AgentBookState>();

  /** Opens a book with `initialDollars` of cash. */
  open(agentId: string, initialDollars: number): void {
    if (this.books.has(agentId)) throw new ValidationError('agentId', `book '${agentId}' already exists`);
    const c = cents(initialDollars);
    this.books.set(agentId, {
      agentId,
      initialCents: c,
      cashCents: c,
      realizedCents: 0,
      feesCents: 0,
      adjustmentsCents: 0,
      holdings: new Map(),
    });
  }

  has(agentId: string): boolean {
    return this.books.has(agentId);
  }

  book(agentId: string): AgentBookState {
    const b = this.books.get(agentId);
    if (!b) throw new ValidationError('agentId', `no book '${agentId}'; open it first`);
    return b;
  }

  agentIds(): string[] {
    return [...this.books.keys()];
  }

  /** Number of open books (no array built: the cycle checks it every day). */
  get bookCount(): number {
    return this.books.size;
  }

  /** Applies one fill to one agent's book. Returns the realised P&L of the fill in cents. */
  applyFill(f: FillInput): number {
    if (!(f.qty > 0) || !(f.price > 0) || !(f.commission >= 0)) {
      throw new InvariantError('fill must have qty > 0, price > 0, commission ≥ 0', { ...f });
    }
    const b = this.book(f.agentId);
    const q4 = toQty4(f.qty);
    if (q4 === 0) return 0;
    const sign = f.side === 'BUY' ? 1 : -1;
    const tradeCents = valueCents(q4, f.price);
    const fee = cents(f.commission);
    b.cashCents -= sign * tradeCents + fee;
    b.feesCents += fee;
    return this.move(b, f.symbol, sign, q4, tradeCents, f.price);
  }

  /** Moves `q4` units in direction `sign` worth `tradeCents` into a book's holding; returns realised cents. */
  private move(b: AgentBookState, symbol: string, sign: number, q4: number, tradeCents: number, price: number): number {
    const h = b.holdings.get(symbol) ?? { symbol, qty4: 0, costCents: 0, mark: price };
    let realized = 0;
    let openQ4 = q4;
    let openCents = tradeCents;
    if (h.qty4 !== 0 && Math.sign(h.qty4) !== sign) {
      // Reducing (and maybe flipping) the position.
      const closeQ4 = Math.min(q4, Math.abs(h.qty4));
      const closeCents = closeQ4 === q4 ? tradeCents : valueCents(closeQ4, price);
      const costClosed = closeQ4 === Math.abs(h.qty4) ? h.costCents : Math.round((h.costCents * closeQ4) / Math.abs(h.qty4));
      const posSign = Math.sign(h.qty4);
      realized = posSign * closeCents - costClosed;
      h.qty4 -= posSign * closeQ4;
      h.costCents -= costClosed;
      openQ4 = q4 - closeQ4;
      openCents = tradeCents - closeCents;
    }
    if (openQ4 > 0) {
      h.qty4 += sign * openQ4;
      h.costCents += sign * openCents;
    }
    h.mark = price;
    b.realizedCents += realized;
    if (h.qty4 === 0) {
      // A flat position carries no cost: whatever is left is realised (only rounding dust).
      b.realizedCents -= h.costCents;
      realized -= h.costCents;
      b.holdings.delete(symbol);
    } else {
      b.holdings.set(symbol, h);
    }
    return realized;
  }

  /**
   * An internal cross: shares moved between books at one price, no commission. Legs are signed
   * shares (buyers positive) summing to zero; the cash legs sum to exactly zero cents too (the
   * last leg takes the rounding), so the fund's cash is conserved.
   */
  applyCross(symbol: string, price: number, legs: readonly { agentId: string; qty: number }[]): void {
    const q4 = legs.map((l) => toQty4(l.qty));
    if (q4.reduce((a, b) => a + b, 0) !== 0) throw new InvariantError(`cross legs in ${symbol} do not net to zero`, { legs });
    let cashSum = 0;
    legs.forEach((l, i) => {
      const q = q4[i] ?? 0;
      if (q === 0) return;
      const isLast = i === legs.length - 1 || q4.slice(i + 1).every((x) => x === 0);
      const value = isLast ? -cashSum : (q > 0 ? 1 : -1) * valueCents(Math.abs(q), price);
      cashSum += value;
      this.applyValue(l.agentId, symbol, q, Math.abs(value), price);
    });
  }

  /** Applies a trade of `q4` signed units worth `tradeCents` (unsigned) without commission. */
  private applyValue(agentId: string, symbol: string, q4signed: number, tradeCents: number, price: number): void {
    const b = this.book(agentId);
    const sign = q4signed > 0 ? 1 : -1;
    const q4 = Math.abs(q4signed);
    b.cashCents -= sign * tradeCents;
    this.move(b, symbol, sign, q4, tradeCents, price);
  }

  /** A stock split of `ratio` new shares per old share (2 for a 2-for-1). Cost basis unchanged. */
  applySplit(symbol: string, ratio: number): void {
    if (!(ratio > 0) || !Number.isFinite(ratio)) throw new ValidationError('ratio', `split ratio must be > 0, got ${ratio}`);
    for (const b of this.books.values()) {
      const h = b.holdings.get(symbol);
      if (!h) continue;
      h.qty4 = Math.round(h.qty4 * ratio);
      h.mark = h.mark / ratio;
      if (h.qty4 === 0) {
        b.realizedCents -= h.costCents;
        b.holdings.delete(symbol);
      }
    }
  }

  /** A cash movement outside trading (dividend, fee, interest, capital move), in dollars. */
  adjustCash(agentId: string, dollars: number): void {
    const b = this.book(agentId);
    const c = cents(dollars);
    b.cashCents += c;
    b.adjustmentsCents += c;
  }

  /** Moves capital between books (e.g. reallocation); exact and conserved. */
  transfer(fromAgent: string, toAgent: string, dollars: number): void {
    const c = cents(dollars);
    const a = this.book(fromAgent);
    const b = this.book(toAgent);
    a.cashCents -= c;
    a.adjustmentsCents -= c;
    b.cashCents += c;
    b.adjustmentsCents += c;
  }

  /** Sets marks from a price lookup; names without a finite price keep their last mark. */
  markAll(priceOf: (symbol: string) => number): void {
    for (const b of this.books.values()) {
      for (const h of b.holdings.values()) {
        const p = priceOf(h.symbol);
        if (Number.isFinite(p) && p > 0) h.mark = p;
      }
    }
  }

  /** Market value of one book's holdings, cents. */
  marketValueCents(agentId: string): number {
    let mv = 0;
    for (const h of this.book(agentId).holdings.values()) mv += valueCents(h.qty4, h.mark);
    return mv;
  }

  navCents(agentId: string): number {
    return this.book(agentId).cashCents + this.marketValueCents(agentId);
  }

  fundNavCents(): number {
    let s = 0;
    for (const id of this.books.keys()) s += this.navCents(id);
    return s;
  }

  /** Unrealised P&L of a book at the current marks, cents. */
  unrealizedCents(agentId: string): number {
    let u = 0;
    for (const h of this.book(agentId).holdings.values()) u += valueCents(h.qty4, h.mark) - h.costCents;
    return u;
  }

  /**
   * Checks both ledger identities for every book; returns the first violation, or null.
   * Exact integer arithmetic: a violation is a bug, never rounding.
   */
  reconcile(): string | null {
    for (const b of this.books.values()) {
      let cost = 0;
      for (const h of b.holdings.values()) {
        if (!Number.isInteger(h.qty4) || !Number.isInteger(h.costCents)) return `${b.agentId}/${h.symbol}: non-integer units`;
        cost += h.costCents;
      }
      const lhs = b.cashCents + cost;
      const rhs = b.initialCents + b.realizedCents - b.feesCents + b.adjustmentsCents;
      if (lhs !== rhs) return `${b.agentId}: cash + cost = ${lhs} ≠ initial + realised − fees + adjustments = ${rhs}`;
      const nav = this.navCents(b.agentId);
      const nav2 = rhs + this.unrealizedCents(b.agentId);
      if (nav !== nav2) return `${b.agentId}: NAV ${nav} ≠ ${nav2}`;
    }
    return null;
  }

  /** Signed shares held by an agent in a symbol. */
  qty(agentId: string, symbol: string): number {
    return (this.books.get(agentId)?.holdings.get(symbol)?.qty4 ?? 0) / QTY_SCALE;
  }

  /** Signed shares the whole fund holds in a symbol (every book, in opening order). */
  fundQty(symbol: string): number {
    let q = 0;
    for (const b of this.books.values()) q += (b.holdings.get(symbol)?.qty4 ?? 0) / QTY_SCALE;
    return q;
  }

  snapshot(): LedgerSnapshot {
    return {
      books: [...this.books.values()].map((b) => ({
        agentId: b.agentId,
        initialCents: b.initialCents,
        cashCents: b.cashCents,
        realizedCents: b.realizedCents,
        feesCents: b.feesCents,
        adjustmentsCents: b.adjustmentsCents,
        holdings: [...b.holdings.values()].map((h) => ({ ...h })).sort((x, y) => (x.symbol < y.symbol ? -1 : 1)),
      })),
    };
  }

  static fromSnapshot(s: LedgerSnapshot): Ledger {
    const l = new Ledger();
    for (const b of s.books) {
      l.books.set(b.agentId, {
        agentId: b.agentId,
        initialCents: b.initialCents,
        cashCents: b.cashCents,
        realizedCents: b.realizedCents,
        feesCents: b.feesCents,
        adjustmentsCents: b.adjustmentsCents,
        holdings: new Map(b.holdings.map((h) => [h.symbol, { ...h }])),
      });
    }
    return l;
  }
}

export interface LedgerSnapshot {
  books: {
    agentId: string;
    initialCents: number;
    cashCents: number;
    realizedCents: number;
    feesCents: number;
    adjustmentsCents: number;
    holdings: Holding[];
  }[];
}

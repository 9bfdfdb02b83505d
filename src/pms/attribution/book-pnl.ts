/**
 * Daily P&L of every (agent, name) line of a book, rebuilt from today's holdings and the trades
 * since the window's base close, marked to daily closes. Holdings at the end of day t are today's
 * quantity minus the trades booked after t. On day t a line earns
 *   q_{t−1}·(c_t − c_{t−1})                 holding P&L (close to close)
 *   + Σ_trades q·(c_t − price) − fee        trading P&L (fill to close, fees)
 * so over a window the line's P&L is its change in marked value less the cash its trades cost: the
 * same number as realised + unrealised P&L under any cost method. Each line's day is rounded to
 * integer cents once; every total is a sum of those integers, so the fund = Σ agents = Σ names
 * exactly, each day.
 */
import { toCents } from '../../core/index.ts';

/** A holding today (after every trade): signed shares. */
export interface BookHolding {
  readonly agentId: string;
  readonly symbol: string;
  readonly qty: number;
}

/** One agent's share of a fill: signed shares (buy +, sell −), price and fee in dollars. */
export interface BookTrade {
  readonly agentId: string;
  readonly symbol: string;
  /** The market row the trade belongs to (the first date on or after the fill); ≥ the number of dates when after the data. */
  readonly row: number;
  readonly qty: number;
  readonly price: number;
  readonly fee: number;
}

export interface BookPnlInput {
  readonly dates: readonly string[];
  /** First and last row with a P&L (inclusive); `from ≥ 1` (row from − 1 is the base close). */
  readonly from: number;
  readonly to: number;
  readonly holdings: readonly BookHolding[];
  /** Every trade after the base row (earlier ones are ignored). */
  readonly trades: readonly BookTrade[];
  /** The close of `symbol` at `row` (walking back over gaps), undefined when never priced by then. */
  close(symbol: string, row: number): number | undefined;
}

/** One line's days, index 0 = row `from`. */
export interface BookLine {
  readonly agentId: string;
  readonly symbol: string;
  /** Total P&L per day, integer cents. */
  readonly pnlCents: number[];
  /** Close-to-close P&L of the holding carried into the day, dollars. */
  readonly holdingPnl: number[];
  /** Marked value of the holding carried into the day, q_{t−1}·c_{t−1}, dollars signed. */
  readonly startValue: number[];
  /** Holding at the end of the window. */
  readonly endQty: number;
}

export interface BookPnl {
  readonly dates: string[];
  /** Lines with a holding or a trade in the window, by agent then symbol. */
  readonly lines: BookLine[];
  /** Fund P&L per day, integer cents (Σ lines). */
  readonly fundCents: number[];
  /** Names held or traded without a close to mark them: their P&L is left out. */
  readonly unpriced: string[];
}

const keyOf = (agentId: string, symbol: string): string => `${agentId}\u0000${symbol}`;

/** Rebuilds each line's daily P&L over rows [from, to]. */
export function bookPnl(input: BookPnlInput): BookPnl {
  const { from, to } = input;
  const days = Math.max(0, to - from + 1);
  const lines = new Map<string, { agentId: string; symbol: string; qtyNow: number; trades: BookTrade[] }>();
  const line = (agentId: string, symbol: string) => {
    const k = keyOf(agentId, symbol);
    let l = lines.get(k);
    if (!l) {
      l = { agentId, symbol, qtyNow: 0, trades: [] };
      lines.set(k, l);
    }
    return l;
  };
  for (const h of input.holdings) line(h.agentId, h.symbol).qtyNow += h.qty;
  for (const t of input.trades) if (t.row >= from) line(t.agentId, t.symbol).trades.push(t);
  const unpriced = new Set<string>();
  const fundCents = new Array<number>(days).fill(0);
  const out: BookLine[] = [];
  for (const l of [...lines.values()].sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))) {
    // Quantity held at the end of row `to`: today's less the trades booked after the window.
    let q = l.qtyNow;
    for (const t of l.trades) if (t.row > to) q -= t.qty;
    const endQty = q;
    const byRow = new Map<number, BookTrade[]>();
    for (const t of l.trades) if (t.row <= to) byRow.set(t.row, [...(byRow.get(t.row) ?? []), t]);
    // Walk back to the base row to learn the quantity carried into each day.
    const carried = new Array<number>(days).fill(0);
    for (let i = days - 1; i >= 0; i--) {
      for (const t of byRow.get(from + i) ?? []) q -= t.qty;
      carried[i] = q;
    }
    const pnlCents = new Array<number>(days).fill(0);
    const holdingPnl = new Array<number>(days).fill(0);
    const startValue = new Array<number>(days).fill(0);
    let active = endQty !== 0;
    for (let i = 0; i < days; i++) {
      const row = from + i;
      const qPrev = carried[i] ?? 0;
      const todays = byRow.get(row) ?? [];
      if (qPrev === 0 && todays.length === 0) continue;
      active = true;
      const c = input.close(l.symbol, row);
      const cPrev = input.close(l.symbol, row - 1);
      if (c === undefined || (qPrev !== 0 && cPrev === undefined)) {
        unpriced.add(l.symbol);
        continue;
      }
      const hold = qPrev !== 0 ? qPrev * (c - (cPrev ?? c)) : 0;
      let trade = 0;
      for (const t of todays) trade += t.qty * (c - t.price) - t.fee;
      holdingPnl[i] = hold;
      startValue[i] = qPrev !== 0 ? qPrev * (cPrev ?? c) : 0;
      const cents = toCents(hold + trade) as number;
      pnlCents[i] = cents;
      fundCents[i] = (fundCents[i] ?? 0) + cents;
    }
    if (active) out.push({ agentId: l.agentId, symbol: l.symbol, pnlCents, holdingPnl, startValue, endQty });
  }
  return { dates: input.dates.slice(from, to + 1), lines: out, fundCents, unpriced: [...unpriced].sort() };
}

/** A series of daily cents summed by a key of each line (agent, name, sector…), keys sorted. */
export function sumLinesBy(lines: readonly BookLine[], key: (l: BookLine) => string): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const l of lines) {
    const k = key(l);
    const s = m.get(k) ?? new Array<number>(l.pnlCents.length).fill(0);
    l.pnlCents.forEach((c, i) => (s[i] = (s[i] ?? 0) + c));
    m.set(k, s);
  }
  return new Map([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

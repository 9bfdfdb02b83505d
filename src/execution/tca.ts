import type { Fill, Order, OrderSide } from '../contracts/index.ts';
import { FUND_BOOK } from './positions.ts';

/**
 * Implementation shortfall against the decision price D, split into
 *   delay  = s·F·(A − D)                 (price drift from decision to arrival A)
 *   spread = F·A·spreadBps/1e4           (the modelled fixed cost of crossing)
 *   impact = s·Σ q·(p − A) − spread      (the rest of the execution cost)
 *   fees   = Σ commissions
 * with s = +1 for buys and −1 for sells and F the filled shares. Positive = cost. Dollars, and
 * bps of the filled notional at the decision price (F·D). total = delay + spread + impact + fees.
 */
export interface CostBreakdown {
  readonly delay: number;
  readonly spread: number;
  readonly impact: number;
  readonly fees: number;
  readonly total: number;
}

export interface TcaResult {
  readonly filledQty: number;
  /** F·D, dollars. */
  readonly notional: number;
  readonly dollars: CostBreakdown;
  readonly bps: CostBreakdown;
}

export interface OrderTca extends TcaResult {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly decisionPrice: number;
  readonly arrivalPrice: number;
  readonly avgFillPrice: number | null;
  readonly unfilledQty: number;
}

/** One executed piece: shares, price and the commission it carried. */
export interface ExecutedLeg {
  readonly qty: number;
  readonly price: number;
  readonly commission: number;
}

const ZERO: CostBreakdown = { delay: 0, spread: 0, impact: 0, fees: 0, total: 0 };

/** Shortfall decomposition of legs traded on one side against decision and arrival prices. */
export function costBreakdown(side: OrderSide, decision: number, arrival: number, spreadBps: number, legs: readonly ExecutedLeg[]): TcaResult {
  const s = side === 'BUY' ? 1 : -1;
  let F = 0;
  let exec = 0;
  let fees = 0;
  for (const l of legs) {
    F += l.qty;
    exec += s * l.qty * (l.price - arrival);
    fees += l.commission;
  }
  if (F === 0) return { filledQty: 0, notional: 0, dollars: ZERO, bps: ZERO };
  const delay = s * F * (arrival - decision);
  const spread = (F * arrival * spreadBps) / 1e4;
  const impact = exec - spread;
  const dollars = { delay, spread, impact, fees, total: delay + spread + impact + fees };
  const notional = F * decision;
  const k = 1e4 / notional;
  const bps = { delay: delay * k, spread: spread * k, impact: impact * k, fees: fees * k, total: dollars.total * k };
  return { filledQty: F, notional, dollars, bps };
}

/** TCA of one order. `arrivalPrice` is the price when it reached the market (e.g. the next open). */
export function orderTca(order: Order, fills: readonly Fill[], arrivalPrice: number, spreadBps: number): OrderTca {
  const decision = order.decisionPrice ?? arrivalPrice;
  const r = costBreakdown(order.side, decision, arrivalPrice, spreadBps, fills);
  const avg = r.filledQty > 0 ? fills.reduce((s, f) => s + f.qty * f.price, 0) / r.filledQty : null;
  return {
    ...r,
    orderId: order.id,
    symbol: order.symbol,
    side: order.side,
    decisionPrice: decision,
    arrivalPrice,
    avgFillPrice: avg,
    unfilledQty: Math.max(0, Math.round((order.qty - r.filledQty) * 1e4) / 1e4),
  };
}

export interface TcaEntry {
  readonly order: Order;
  readonly fills: readonly Fill[];
  readonly arrivalPrice: number;
  readonly spreadBps: number;
}

function add(a: CostBreakdown, b: CostBreakdown): CostBreakdown {
  return { delay: a.delay + b.delay, spread: a.spread + b.spread, impact: a.impact + b.impact, fees: a.fees + b.fees, total: a.total + b.total };
}

/**
 * TCA per agent over many orders: each agent bears the legs allocated to it (commission pro
 * rata to its shares of each fill). Agents' dollars sum to the orders' dollars; bps are of the
 * agent's own filled notional at decision prices.
 */
export function agentTca(entries: readonly TcaEntry[]): Map<string, TcaResult> {
  const acc = new Map<string, { F: number; notional: number; dollars: CostBreakdown }>();
  for (const e of entries) {
    const decision = e.order.decisionPrice ?? e.arrivalPrice;
    const legs = new Map<string, ExecutedLeg[]>();
    for (const f of e.fills) {
      const parts = f.allocations.length > 0 ? f.allocations : [{ agentId: FUND_BOOK, qty: f.qty }];
      for (const a of parts) {
        if (a.qty <= 0) continue;
        const list = legs.get(a.agentId) ?? [];
        list.push({ qty: a.qty, price: f.price, commission: (f.commission * a.qty) / f.qty });
        legs.set(a.agentId, list);
      }
    }
    for (const [agentId, l] of legs) {
      const r = costBreakdown(e.order.side, decision, e.arrivalPrice, e.spreadBps, l);
      const prev = acc.get(agentId) ?? { F: 0, notional: 0, dollars: ZERO };
      acc.set(agentId, { F: prev.F + r.filledQty, notional: prev.notional + r.notional, dollars: add(prev.dollars, r.dollars) });
    }
  }
  const out = new Map<string, TcaResult>();
  for (const [id, a] of [...acc.entries()].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const k = a.notional > 0 ? 1e4 / a.notional : 0;
    const d = a.dollars;
    out.set(id, {
      filledQty: a.F,
      notional: a.notional,
      dollars: d,
      bps: { delay: d.delay * k, spread: d.spread * k, impact: d.impact * k, fees: d.fees * k, total: d.total * k },
    });
  }
  return out;
}

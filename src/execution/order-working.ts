import { InvariantError } from '../core/index.ts';
import type { OrderAllocation } from '../contracts/index.ts';
import { apportion, fromUnits, toUnits } from './allocation.ts';
import type { PlannedOrder } from './planner.ts';

/** How a planned order is worked into the orders a broker accepts. */
export interface WorkingRules {
  /** Largest value of one order, dollars (qty × decision price): bigger orders are split into children. */
  readonly maxOrderValue: number;
}

/** One order to send: a leg of a planned order (numbered from 0 within it), allocations summing to its qty. */
export interface WorkedOrder extends PlannedOrder {
  readonly leg: number;
}

/** What working one planned order gave: its legs, and the shares whole-share rounding left unsent. */
export interface WorkedPlan {
  readonly legs: WorkedOrder[];
  /** Unsigned shares of the planned order not sent (a short side rounded down to whole shares). */
  readonly dropped: number;
}

/**
 * Works one planned order into orders a broker takes (pure):
 *
 * - **whole-share shorts**: the part of an order that trades on the short side (opens, adds to or
 *   covers part of a short) is whole shares, rounded toward zero, because brokers (Alpaca) refuse
 *   fractional short sales; a sell that crosses from long to short becomes a sell of the long
 *   (fractional allowed) and a whole-share short sale; a buy that crosses from short to long, a
 *   cover of the short (exact when it closes it, else whole shares) and a buy of the rest;
 * - **children**: each leg worth more than `maxOrderValue` at the decision price is split into
 *   the fewest children under it (whole shares for a short-side leg, 1e-4 otherwise). A leg one
 *   share of which is worth more than the limit stays whole (the pre-trade check refuses it).
 *
 * `positionBefore` is the fund's signed shares before the order (the books plus what open orders
 * will add). Every leg's allocations are the planned order's, pro rata (exact to 1e-4, never more
 * than an agent's share), so an agent's total over the legs is its allocation less its part of
 * the shares dropped.
 */
export function workOrder(p: PlannedOrder, positionBefore: number, rules: WorkingRules): WorkedPlan {
  const sideLegs = splitAtZero(p, positionBefore);
  const sized: { units: number; whole: boolean }[] = [];
  for (const l of sideLegs) for (const u of childUnits(l.units, l.whole, p.decisionPrice, rules.maxOrderValue)) sized.push({ units: u, whole: l.whole });
  const total = toUnits(p.qty);
  const kept = sized.reduce((s, l) => s + l.units, 0);
  if (kept > total) throw new InvariantError(`working ${p.side} ${p.qty} ${p.symbol} gave ${fromUnits(kept)} shares`);
  const allocs = allocateLegs(p.allocations, sized.map((l) => l.units));
  const legs: WorkedOrder[] = [];
  sized.forEach((l, i) => {
    if (l.units > 0) legs.push({ ...p, qty: fromUnits(l.units), allocations: allocs[i] ?? [], leg: legs.length });
  });
  return { legs, dropped: fromUnits(total - kept) };
}

/** The order's quantity split where the position crosses zero: [units, whole?] per side, in trading order. */
function splitAtZero(p: PlannedOrder, positionBefore: number): { units: number; whole: boolean }[] {
  const q = toUnits(p.qty);
  const pos = toUnits(positionBefore);
  if (p.side === 'SELL') {
    const fromLong = Math.min(q, Math.max(pos, 0));
    return [
      { units: fromLong, whole: false },
      { units: wholeUnits(q - fromLong), whole: true },
    ];
  }
  const short = Math.max(-pos, 0);
  const cover = Math.min(q, short);
  // A cover that closes the short exactly keeps its size (an old fractional short can still close).
  return [
    { units: cover === short ? cover : wholeUnits(cover), whole: true },
    { units: q - cover, whole: false },
  ];
}

/** Units rounded down to whole shares. */
function wholeUnits(units: number): number {
  return Math.floor(units / 1e4) * 1e4;
}

/**
 * The children sizes of a leg: the fewest that each stay within `maxValue` at `price`, in whole
 * shares for a whole-share leg (the fraction of a cover that closes an old fractional short
 * exactly rides on its last child).
 */
function childUnits(units: number, whole: boolean, price: number, maxValue: number): number[] {
  if (units === 0) return [];
  if (!(price > 0) || fromUnits(units) * price <= maxValue) return [units];
  const step = whole ? 1e4 : 1;
  const steps = Math.floor(units / step);
  const rest = units - steps * step;
  let perChild = Math.floor(maxValue / price / fromUnits(step));
  while (perChild >= 1 && fromUnits(perChild * step) * price > maxValue) perChild--; // float noise at the limit
  if (perChild < 1 || steps === 0) return [units];
  const out = apportion(steps, new Array<number>(Math.ceil(steps / perChild)).fill(1)).map((k) => k * step);
  out[out.length - 1] = (out[out.length - 1] ?? 0) + rest;
  return out;
}

/**
 * Splits the allocations over legs of `legUnits` each, pro rata to what each agent still has
 * coming: exact in units, each leg's allocations summing to its size, no agent given more than
 * its allocation in all.
 */
function allocateLegs(allocations: readonly OrderAllocation[], legUnits: readonly number[]): OrderAllocation[][] {
  if (allocations.length === 0) return legUnits.map(() => []);
  const left = allocations.map((a) => toUnits(a.qty));
  return legUnits.map((u) => {
    const parts = apportion(u, left);
    parts.forEach((x, i) => (left[i] = (left[i] ?? 0) - x));
    const out: OrderAllocation[] = [];
    allocations.forEach((a, i) => {
      const x = parts[i] ?? 0;
      if (x > 0) out.push({ agentId: a.agentId, qty: fromUnits(x) });
    });
    return out;
  });
}

import { InvariantError } from '../core/index.ts';
import type { OrderAllocation } from '../contracts/index.ts';

/** Shares are counted in integer units of 1e-4 so splits are exact. */
export const QTY_UNIT = 1e-4;
export const toUnits = (q: number): number => Math.round(q / QTY_UNIT);
export const fromUnits = (u: number): number => Math.round(u) / 1e4;

/**
 * Splits `total` integer units in proportion to `weights` (largest remainder; ties go to the
 * earlier entry). Each share is within one unit of its exact proportion and they sum to `total`.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (total === 0 || sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map((x) => Math.floor(x + 1e-9));
  let rest = total - out.reduce((s, x) => s + x, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x + 1e-9) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; rest > 0 && k < order.length; k++) {
    const i = order[k]?.i ?? 0;
    out[i] = (out[i] ?? 0) + 1;
    rest--;
  }
  return out;
}

/**
 * The per-agent split of one fill of `fillQty` shares on an order with `allocations`, given
 * what earlier fills already gave each agent (`given`, same order as allocations). Shares are
 * proportional to each agent's REMAINING allocation, exact to 1e-4, never exceed it, sum to
 * `fillQty`, and the fill that completes the order gives every agent exactly its allocation.
 */
export function splitFill(
  allocations: readonly OrderAllocation[],
  fillQty: number,
  given: readonly number[] = [],
): OrderAllocation[] {
  if (allocations.length === 0) return [];
  const remaining = allocations.map((a, i) => toUnits(a.qty) - toUnits(given[i] ?? 0));
  const fill = toUnits(fillQty);
  const rem = remaining.reduce((s, x) => s + x, 0);
  if (fill > rem) throw new InvariantError(`fill of ${fillQty} exceeds the unallocated ${fromUnits(rem)}`);
  // The fill that completes the order gives each agent exactly what it still had coming.
  const parts = fill === rem ? remaining : apportion(fill, remaining);
  return allocations.map((a, i) => ({ agentId: a.agentId, qty: fromUnits(parts[i] ?? 0) }));
}

/** What the fills so far gave each allocation (same order as `allocations`). */
export function allocatedSoFar(allocations: readonly OrderAllocation[], fills: readonly { allocations: readonly OrderAllocation[] }[]): number[] {
  const units = allocations.map(() => 0);
  for (const f of fills) {
    for (const fa of f.allocations) {
      const i = allocations.findIndex((a) => a.agentId === fa.agentId);
      if (i >= 0) units[i] = (units[i] ?? 0) + toUnits(fa.qty);
    }
  }
  return units.map(fromUnits);
}

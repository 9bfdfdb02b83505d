import type { Fill, OrderAllocation } from '../contracts/index.ts';
import { fromUnits, toUnits } from './allocation.ts';
import type { InternalCross } from './planner.ts';

/** The id every fill of an internal cross carries as its order id: `<cycleId>:cross:<symbol>`. */
export const crossId = (cycleId: string, symbol: string): string => `${cycleId}:cross:${symbol}`;

/**
 * An internal cross as stored fills, so every book's position is explained by its fills: one BUY
 * fill allocated to the books that receive the shares and one SELL fill allocated to the books
 * that give them, both at the cross price, no commission, the same quantity (the legs net to
 * zero). Their order id is the cross's id (`crossId`): no order went to a broker.
 */
export function crossFills(c: InternalCross, cycleId: string, at: string): Fill[] {
  const id = crossId(cycleId, c.symbol);
  const side = (sign: 1 | -1): Fill | null => {
    const allocations: OrderAllocation[] = [];
    let units = 0;
    for (const l of c.legs) {
      const u = toUnits(l.qty) * sign;
      if (u <= 0) continue;
      allocations.push({ agentId: l.agentId, qty: fromUnits(u) });
      units += u;
    }
    if (units === 0) return null;
    const buy = sign === 1;
    return {
      version: 1,
      traceId: `${cycleId}:${c.symbol}`,
      id: `${id}:${buy ? 'buy' : 'sell'}`,
      orderId: id,
      symbol: c.symbol,
      side: buy ? 'BUY' : 'SELL',
      qty: fromUnits(units),
      price: c.price,
      commission: 0,
      timestamp: at,
      allocations,
    };
  };
  return [side(1), side(-1)].filter((f): f is Fill => f !== null);
}

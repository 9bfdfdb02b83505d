import type { Fill } from '../../contracts/index.ts';
import type { Ledger } from './ledger.ts';

/**
 * Applies fills to the agents' books by their allocations (a fill without allocations goes to
 * `fallbackBook`; a book not open yet opens with no capital). The commission is split by allocated quantity, cent-rounded, the last agent
 * taking the rounding. Returns the commissions, dollars.
 */
export function bookFills(ledger: Ledger, fills: readonly Fill[], fallbackBook: string): number {
  let commissions = 0;
  for (const f of fills) {
    const allocs = f.allocations.length > 0 ? f.allocations : [{ agentId: fallbackBook, qty: f.qty }];
    let left = f.commission;
    allocs.forEach((a, i) => {
      if (!(a.qty > 0)) return;
      const c = i === allocs.length - 1 ? left : Math.round(((f.commission * a.qty) / f.qty) * 100) / 100;
      left = Math.round((left - c) * 100) / 100;
      // a book the ledger does not have yet (the hedge book's first fill) opens with no capital of its own, as in the stored ledger
      if (!ledger.has(a.agentId)) ledger.open(a.agentId, 0);
      ledger.applyFill({ agentId: a.agentId, symbol: f.symbol, side: f.side, qty: a.qty, price: f.price, commission: Math.max(0, c) });
    });
    commissions += f.commission;
  }
  return commissions;
}

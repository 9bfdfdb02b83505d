import type { Fill, Order } from '../contracts/index.ts';
import { allocatedSoFar, fromUnits, toUnits } from './allocation.ts';

/** Signed shares open orders will still bring: per book and symbol, and per symbol for the fund. */
export interface OpenInterest {
  readonly byBook: Map<string, Map<string, number>>;
  readonly bySymbol: Map<string, number>;
}

/**
 * What open orders will still bring when they fill: each order's unfilled quantity, per book by
 * its allocations less what its fills already gave each (an order without allocations belongs to
 * `fallbackBook`), signed by side. Exact to 1e-4 share.
 */
export function openInterest(open: readonly { readonly order: Order; readonly fills: readonly Fill[] }[], fallbackBook: string): OpenInterest {
  const byBook = new Map<string, Map<string, number>>();
  const bySymbol = new Map<string, number>();
  const add = (book: string, symbol: string, units: number): void => {
    let m = byBook.get(book);
    if (!m) byBook.set(book, (m = new Map()));
    m.set(symbol, fromUnits(toUnits(m.get(symbol) ?? 0) + units));
    bySymbol.set(symbol, fromUnits(toUnits(bySymbol.get(symbol) ?? 0) + units));
  };
  for (const { order, fills } of open) {
    const sign = order.side === 'BUY' ? 1 : -1;
    if (order.allocations.length === 0) {
      const left = toUnits(order.qty) - toUnits(order.filledQty);
      if (left > 0) add(fallbackBook, order.symbol, sign * left);
      continue;
    }
    const given = allocatedSoFar(order.allocations, fills);
    order.allocations.forEach((a, i) => {
      const left = toUnits(a.qty) - toUnits(given[i] ?? 0);
      if (left > 0) add(a.agentId, order.symbol, sign * left);
    });
  }
  return { byBook, bySymbol };
}

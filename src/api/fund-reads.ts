import type { Fill } from '../contracts/index.ts';
import type { FundFillFilter, Store } from '../store/index.ts';

/**
 * Fund-scoped reads now live in the store (`orders.listForFund`, `orders.getForFund`,
 * `fills.listForFund`, `overlayActions.listForFund`, `overlayActions.latestForFund`). This one
 * delegate remains for src/api/attribution-data.ts, which belongs to the attribution work: switch
 * it to `store.fills.listForFund` and delete this file.
 */
export function fundFills(store: Store, fundId: string, f: FundFillFilter): Promise<Fill[]> {
  return store.fills.listForFund(fundId, f);
}

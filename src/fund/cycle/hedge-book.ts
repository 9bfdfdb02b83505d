import { HEDGE_BOOK, type FundConfig } from '../../contracts/index.ts';
import type { AgentTargets } from '../../execution/index.ts';
import type { MarketView } from '../../market/index.ts';
import type { FundReview, HedgePosition } from '../../overlay/index.ts';
import { QTY_SCALE, type Ledger } from '../ledger/ledger.ts';

/**
 * One instrument of the fund's hedge book (`HEDGE_BOOK`) in a cycle: what the hedger wants and
 * what the book holds. Signed (negative = short); shares and dollars at the decision price.
 */
export interface HedgeTarget {
  readonly instrument: string;
  readonly kind: HedgePosition['kind'];
  /** Shares the book should hold after this cycle's orders (0: unwind). */
  readonly targetQty: number;
  /** `targetQty` × price, dollars (the hedger's notional unless the no-trade band kept the held position). */
  readonly targetNotional: number;
  /** Shares held before this cycle's orders. */
  readonly currentQty: number;
  /** The as-of close, dollars; null when the market does not price the instrument or list it as tradable (nothing is sent; the review alerts). */
  readonly price: number | null;
  /** Dollars of beta (or of sector net) the hedger saw, and its target for them; null for an unwind. */
  readonly exposureBefore: number | null;
  readonly exposureAfter: number | null;
  readonly reason: string;
}

/**
 * The hedge book's targets this cycle: the review's executable hedge positions
 * (`FundReview.hedgePositions`, only when `hedging.enabled`) summed per instrument, and zero for
 * every instrument the book holds that the hedger no longer wants (the hedge is unwound; turning
 * hedging off unwinds it too). A held hedge on the same side within the no-trade band
 * (`oms.rebalanceBandPct` of the fund NAV) of its target is kept, as an agent's name is.
 * Pure given (config, review, ledger, view).
 */
export function hedgeTargets(config: FundConfig, review: Pick<FundReview, 'hedges' | 'hedgePositions'>, ledger: Ledger, view: MarketView): HedgeTarget[] {
  const held = new Map<string, number>();
  if (ledger.has(HEDGE_BOOK)) for (const h of ledger.book(HEDGE_BOOK).holdings.values()) held.set(h.symbol, h.qty4 / QTY_SCALE);
  if (review.hedgePositions.length === 0 && held.size === 0) return [];
  const wanted = new Map<string, { kind: HedgePosition['kind']; notional: number; before: number; after: number; reasons: string[] }>();
  for (const p of review.hedgePositions) {
    const rec = review.hedges.find((r) => r.instrument === p.instrument && r.kind === p.kind && r.notional === p.notional);
    const w = wanted.get(p.instrument);
    if (w) {
      w.notional += p.notional;
      if (rec) w.reasons.push(rec.reason);
    } else wanted.set(p.instrument, { kind: p.kind, notional: p.notional, before: rec?.exposureBefore ?? 0, after: rec?.exposureAfter ?? 0, reasons: rec ? [rec.reason] : [] });
  }
  const nav = ledger.fundNavCents() / 100;
  const band = config.oms.rebalanceBandPct * Math.max(0, nav);
  const out: HedgeTarget[] = [];
  for (const instrument of [...new Set([...wanted.keys(), ...held.keys()])].sort()) {
    const u = view.column(instrument);
    const close = u >= 0 && view.isTradable(u) ? view.close(u) : Number.NaN;
    const price = close > 0 ? close : null;
    const currentQty = held.get(instrument) ?? 0;
    const w = wanted.get(instrument);
    if (!w) {
      out.push({ instrument, kind: instrument === config.hedging.instrument ? 'beta' : 'sector', targetQty: 0, targetNotional: 0, currentQty, price, exposureBefore: null, exposureAfter: null, reason: `unwound: the hedger wants no ${instrument} (exposure within its threshold, or hedging off)` });
      continue;
    }
    let targetQty = price !== null ? w.notional / price : 0;
    let reason = w.reasons.join('; ');
    if (price === null) reason = `${reason}; ${instrument} cannot trade as of ${view.asOf} (no price, or not tradable): nothing sent`;
    else if (currentQty !== 0 && Math.sign(currentQty) === Math.sign(targetQty) && Math.abs((targetQty - currentQty) * price) < band) {
      targetQty = currentQty;
      reason = `${reason}; held: within the no-trade band of the target`;
    }
    out.push({ instrument, kind: w.kind, targetQty, targetNotional: price !== null ? targetQty * price : w.notional, currentQty, price, exposureBefore: w.before, exposureAfter: w.after, reason });
  }
  return out;
}

/**
 * The hedge book as the order planner's input: its targets as weights of the fund NAV (the
 * planner turns them back into the target shares), or null when there is nothing to plan.
 * Unpriced instruments are left out (the planner could not price them either).
 */
export function hedgeBookTargets(targets: readonly HedgeTarget[], nav: number): AgentTargets | null {
  if (!(nav > 0)) return null;
  const m = new Map<string, number>();
  // every priced instrument, unchanged ones too: one the planner did not see would be planned to zero
  for (const t of targets) if (t.price !== null) m.set(t.instrument, (t.targetQty * t.price) / nav);
  return m.size > 0 ? { agentId: HEDGE_BOOK, capital: nav, targets: m } : null;
}

import type { FundConfig, Order } from '../../contracts/index.ts';
import { cycleOrderId } from '../../execution/index.ts';
import type { MarketView } from '../../market/index.ts';
import type { CycleServices, FundRunState } from './runtime.ts';

/**
 * Resting stop orders (`risk.atrStops` with `execution.broker` "alpaca"): between two cycles each
 * held position with a stop level also rests at the broker as a GTC STOP order for its whole
 * shares, so a crossing during the session is sold there, at the stop. They live from the end of
 * one cycle to the start of the next: the next cycle cancels them before it books fills and plans
 * (its plan never nets against them), and places them again for what is then held. The cycle's own
 * monitoring stays on underneath (a fractional remainder, a stop the broker refused).
 */
export function restingStopsOn(config: FundConfig): boolean {
  return config.execution.broker === 'alpaca';
}

/** The book part of a resting stop's client order id (`<cycleId>:stop-<agentId>:<symbol>:0`). */
const STOP_BOOK = 'stop-';

/** Whether an order is a resting stop of the cycle (by its type, time in force and id). */
export function isRestingStop(o: Pick<Order, 'id' | 'type' | 'timeInForce'>): boolean {
  return o.type === 'STOP' && o.timeInForce === 'GTC' && o.id.includes(`:${STOP_BOOK}`);
}

/** Cancels the resting stops still open (those that filled were synced before). Returns them as now known. */
export async function cancelRestingStops(s: Pick<CycleServices, 'journal' | 'oms'>): Promise<Order[]> {
  const out: Order[] = [];
  for (const o of await s.journal.open()) if (isRestingStop(o)) out.push(await s.oms.cancel(o.id));
  return out;
}

/**
 * Places a resting stop for each kept level with a stop whose position is held on its side, in
 * whole shares (the broker takes no fractional GTC order), unless one of this cycle's orders in
 * the name is still open (the broker would see the two as a wash). Sent through the OMS like any
 * order; returns them as now known.
 */
export async function placeRestingStops(
  s: Pick<CycleServices, 'oms' | 'config'>,
  state: FundRunState,
  view: MarketView,
  sent: readonly Order[],
  cycleId: string,
  timestamp: string,
): Promise<Order[]> {
  const busy = new Set(sent.filter((o) => !['FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED'].includes(o.status)).map((o) => o.symbol));
  const orders: Order[] = [];
  for (const l of state.stops ?? []) {
    if (l.stop === null || busy.has(l.symbol) || !state.ledger.has(l.agentId)) continue;
    const held = state.ledger.qty(l.agentId, l.symbol);
    const qty = Math.floor(Math.abs(held));
    if (qty < 1 || Math.sign(held) !== l.side) continue;
    const u = view.column(l.symbol);
    const close = u >= 0 ? view.close(u) : Number.NaN;
    const stop = l.stop; // the adapter puts it on the broker's tick
    // a stop on the wrong side of the last price would trigger at once: the monitoring acts instead
    if (!(stop > 0) || !(close > 0) || (l.side > 0 ? stop >= close : stop <= close)) continue;
    orders.push({
      version: 1,
      traceId: `${cycleId}:${l.symbol}`,
      id: cycleOrderId(cycleId, `${STOP_BOOK}${l.agentId}`, l.symbol, 0),
      fundId: s.config.fund.id,
      cycleId,
      symbol: l.symbol,
      side: l.side > 0 ? 'SELL' : 'BUY',
      type: 'STOP',
      timeInForce: 'GTC',
      qty,
      limitPrice: null,
      stopPrice: stop,
      status: 'PENDING',
      filledQty: 0,
      avgFillPrice: null,
      decisionPrice: close,
      brokerOrderId: null,
      allocations: [{ agentId: l.agentId, qty }],
      denials: [],
      createdAt: timestamp,
      updatedAt: timestamp,
    });
  }
  return orders.length > 0 ? s.oms.submitAll(orders) : [];
}

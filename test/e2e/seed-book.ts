/**
 * A small live book for the e2e fund, so the Position Book, Blotter, Risk Monitor and Attribution
 * pages show numbers: each agent holds a few synthetic names bought ten days before the last date
 * (one FILLED order with one fill per name) and the fund's NAV history follows the stored backtest.
 */
import type { Store } from '../../src/store/index.ts';
import type { SyntheticMarket } from '../../src/market/index.ts';

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export async function seedBook(store: Store, m: SyntheticMarket, fundId: string, agents: readonly string[], equity: readonly number[], dates: readonly string[]): Promise<void> {
  const T = m.T;
  const U = m.U;
  const closeAt = (t: number, u: number) => m.close[t * U + u] ?? 0;
  const buyT = T - 11;
  const buyDate = m.dates[buyT] ?? '';
  const now = `${m.dates[T - 1] ?? ''}T20:00:00.000Z`;
  let n = 0;
  for (const [a, agentId] of agents.entries()) {
    for (let k = 0; k < 4; k++) {
      const u = (a * 5 + k * 3) % U;
      const symbol = m.symbols[u] ?? '';
      const side = k === 3 ? 'SELL' : 'BUY';
      const decision = closeAt(buyT, u);
      const price = round(decision * (side === 'BUY' ? 1.0004 : 0.9996), 4);
      const qty = Math.max(1, Math.round(150_000 / decision));
      const at = `${buyDate}T14:3${k}:00.000Z`;
      const id = `e2e-ord-${++n}`;
      await store.orders.insertPending({
        version: 1, traceId: `e2e-trace-${n}`, id, fundId, cycleId: null, symbol, side, type: 'MARKET', timeInForce: 'DAY', qty, limitPrice: null, stopPrice: null,
        status: 'PENDING', filledQty: 0, avgFillPrice: null, decisionPrice: decision, brokerOrderId: null, allocations: [{ agentId, qty }], denials: [], createdAt: at, updatedAt: at,
      });
      await store.orders.transition(id, { from: 'PENDING', to: 'SUBMITTED', at, eventType: 'OrderSubmitted' });
      await store.orders.transition(id, { from: 'SUBMITTED', to: 'FILLED', at, eventType: 'OrderFilled', filledQty: qty, avgFillPrice: price });
      await store.fills.insert({ version: 1, traceId: `e2e-trace-${n}`, id: `e2e-fill-${n}`, orderId: id, symbol, side, qty, price, commission: round(qty * 0.005), timestamp: at, allocations: [{ agentId, qty }] });
      await store.positions.upsert([{ version: 1, fundId, agentId, symbol, qty: side === 'BUY' ? qty : -qty, avgCost: price, lastPrice: closeAt(T - 1, u), realizedPnl: k === 0 ? round(qty * decision * 0.004) : 0, updatedAt: now }]);
    }
  }
  let hwm = 0;
  let prev: number | null = null;
  await store.nav.upsert(
    equity.map((nav, i) => {
      hwm = Math.max(hwm, nav);
      const p = { fundId, agentId: '', date: dates[i] ?? '', nav: round(nav), cash: round(nav * 0.6), grossExposure: round(nav * 0.4), netExposure: round(nav * 0.25), highWaterMark: round(hwm), dailyReturn: prev === null ? null : nav / prev - 1, drawdown: nav / hwm - 1 };
      prev = nav;
      return p;
    }),
  );
}

import { describe, expect, it } from 'vitest';
import { ExecutionConfig } from '../contracts/index.ts';
import type { MarketView } from '../market/index.ts';
import { PaperBroker, commissionFor, fitCostModel, observationsFromPaperFills, simulateBarFill, type Bar, type WorkingOrder } from './index.ts';
import { clock, flatBars, makeOrder, makePanel, views, type BarSpec } from './test-support.ts';

const config = ExecutionConfig.parse({}); // 2 bps, k 0.1, 10% participation, $0.005/share, $1 minimum
const free = { slippageBps: 0, impactK: 0 };

function broker(bars: Record<string, BarSpec[]>, costModel = free, mode: 'backtest' | 'live' = 'backtest') {
  const panel = makePanel(bars);
  const vs = views(panel);
  const b = new PaperBroker({ clock: clock(), config, mode, initialCash: 1_000_000, costModel });
  b.setMarket(row(vs, 0));
  return { b, vs };
}

function row(vs: readonly MarketView[], i: number): MarketView {
  const v = vs[i];
  if (!v) throw new Error(`no row ${i}`);
  return v;
}

const bar = (p: Partial<Bar>): Bar => ({ open: 100, high: 100, low: 100, close: 100, volume: 1e9, adv: 1e6, sigma: 0.02, ...p });
const wo = (p: Partial<WorkingOrder>): WorkingOrder => ({ side: 'BUY', type: 'MARKET', timeInForce: 'DAY', remaining: 100, limitPrice: null, stopPrice: null, triggered: false, ...p });

describe('bar fill semantics', () => {
  it('limits: touch fills at the limit, a gap through fills at the open, no touch no fill', () => {
    expect(simulateBarFill(wo({ type: 'LIMIT', limitPrice: 95 }), bar({ open: 100, high: 101, low: 94 }), 1e9, free)).toMatchObject({ qty: 100, price: 95 });
    expect(simulateBarFill(wo({ type: 'LIMIT', limitPrice: 95 }), bar({ open: 90, high: 92, low: 89 }), 1e9, free)).toMatchObject({ qty: 100, price: 90 });
    expect(simulateBarFill(wo({ type: 'LIMIT', limitPrice: 95 }), bar({ open: 100, high: 101, low: 96 }), 1e9, free).qty).toBe(0);
    expect(simulateBarFill(wo({ side: 'SELL', type: 'LIMIT', limitPrice: 105 }), bar({ open: 100, high: 106, low: 99 }), 1e9, free)).toMatchObject({ qty: 100, price: 105 });
    expect(simulateBarFill(wo({ side: 'SELL', type: 'LIMIT', limitPrice: 105 }), bar({ open: 110, high: 111, low: 108 }), 1e9, free)).toMatchObject({ price: 110 });
  });

  it('stops: trigger at the stop intrabar, at the open on a gap', () => {
    expect(simulateBarFill(wo({ type: 'STOP', stopPrice: 105 }), bar({ open: 100, high: 106, low: 99 }), 1e9, free)).toMatchObject({ qty: 100, price: 105, triggered: true });
    expect(simulateBarFill(wo({ type: 'STOP', stopPrice: 105 }), bar({ open: 107, high: 108, low: 106 }), 1e9, free)).toMatchObject({ price: 107 });
    expect(simulateBarFill(wo({ type: 'STOP', stopPrice: 105 }), bar({ open: 100, high: 104, low: 99 }), 1e9, free)).toMatchObject({ qty: 0, triggered: false });
    expect(simulateBarFill(wo({ side: 'SELL', type: 'STOP', stopPrice: 95 }), bar({ open: 93, high: 94, low: 90 }), 1e9, free)).toMatchObject({ price: 93 });
  });

  it('stop-limit: triggered intrabar beyond the limit rests triggered; later bars treat it as a limit', () => {
    const r = simulateBarFill(wo({ type: 'STOP_LIMIT', stopPrice: 105, limitPrice: 104 }), bar({ open: 100, high: 108, low: 99 }), 1e9, free);
    expect(r).toMatchObject({ qty: 0, triggered: true });
    const next = simulateBarFill(wo({ type: 'STOP_LIMIT', stopPrice: 105, limitPrice: 104, triggered: true }), bar({ open: 106, high: 107, low: 103 }), 1e9, free);
    expect(next).toMatchObject({ qty: 100, price: 104 });
  });

  it('costs: slippage bps plus σ·k·√(q/ADV), never beyond a limit', () => {
    const m = { slippageBps: 2, impactK: 0.1 };
    const r = simulateBarFill(wo({ remaining: 10_000 }), bar({ open: 50, adv: 1e6, sigma: 0.03 }), 1e9, m);
    const bps = 2 + 0.1 * 0.03 * Math.sqrt(10_000 / 1e6) * 1e4; // 2 + 3 = 5 bps
    expect(r.price).toBeCloseTo(50 * (1 + bps / 1e4), 12);
    const s = simulateBarFill(wo({ side: 'SELL', remaining: 10_000 }), bar({ open: 50, adv: 1e6, sigma: 0.03 }), 1e9, m);
    expect(s.price).toBeCloseTo(50 * (1 - bps / 1e4), 12);
    const lim = simulateBarFill(wo({ type: 'LIMIT', limitPrice: 50, remaining: 10_000 }), bar({ open: 51, low: 49 }), 1e9, m);
    expect(lim.price).toBe(50);
  });

  it('commission is per share with a minimum', () => {
    expect(commissionFor(100, 0.005, 1)).toBe(1);
    expect(commissionFor(1000, 0.005, 1)).toBe(5);
  });
});

describe('PaperBroker (backtest)', () => {
  it('a market order fills at the NEXT bar open with costs from that bar', async () => {
    const bars = [
      { open: 100, high: 101, low: 99, close: 100, volume: 1e6 },
      { open: 102, high: 103, low: 101, close: 102, volume: 1e6 },
      { open: 99, high: 100, low: 98, close: 99, volume: 1e6 },
    ];
    const { b, vs } = broker({ AAA: bars }, { slippageBps: 2, impactK: 0.1 });
    const v2 = vs[2];
    if (!v2) throw new Error('fixture');
    b.setMarket(v2.at(1));
    const ack = await b.submit(makeOrder({ id: 'o1', qty: 1000 }));
    expect(ack.status).toBe('ACKNOWLEDGED');
    expect(b.onBar(v2.at(1))).toEqual([]); // same bar: nothing yet
    const fills = b.onBar(v2);
    const sigma = v2.value('vol20', 0);
    const adv = v2.value('adv20', 0);
    expect(sigma).toBeGreaterThan(0);
    const bps = 2 + 0.1 * sigma * Math.sqrt(1000 / adv) * 1e4;
    expect(fills).toHaveLength(1);
    expect(fills[0]?.price).toBeCloseTo(99 * (1 + bps / 1e4), 10);
    expect(fills[0]?.basePrice).toBe(99);
    expect(fills[0]?.commission).toBe(5);
    const acct = await b.account();
    expect(acct.cash).toBeCloseTo(1_000_000 - 1000 * (fills[0]?.price ?? 0) - 5, 6);
    expect(await b.positions()).toEqual([{ symbol: 'AAA', qty: 1000, avgEntryPrice: fills[0]?.price, marketValue: 1000 * 99 }]);
  });

  it('participation cap: partial fills across bars (GTC); a DAY order expires at the close', async () => {
    const { b, vs } = broker({ AAA: flatBars(4, 10, 1000) }); // 10% of 1000 = 100 shares a bar
    await b.submit(makeOrder({ id: 'gtc', qty: 250, timeInForce: 'GTC' }));
    await b.submit(makeOrder({ id: 'day', qty: 50, timeInForce: 'DAY' }));
    const f1 = b.onBar(row(vs, 1));
    expect(f1.map((f) => [f.clientOrderId, f.qty])).toEqual([['gtc', 100]]); // the cap is shared per symbol
    expect((await b.getOrderByClientId('day'))?.status).toBe('EXPIRED');
    expect((await b.getOrderByClientId('gtc'))?.status).toBe('PARTIALLY_FILLED');
    b.onBar(row(vs, 2));
    b.onBar(row(vs, 3));
    expect(await b.getOrderByClientId('gtc')).toMatchObject({ status: 'FILLED', filledQty: 250, commission: 3 });
  });

  it('IOC keeps what the first bar gives; FOK is all or nothing', async () => {
    const { b, vs } = broker({ AAA: flatBars(3, 10, 1000) });
    await b.submit(makeOrder({ id: 'ioc', qty: 250, timeInForce: 'IOC' }));
    b.onBar(row(vs, 1));
    expect(await b.getOrderByClientId('ioc')).toMatchObject({ status: 'CANCELLED', filledQty: 100 });
    const c = broker({ AAA: flatBars(3, 10, 1000) });
    await c.b.submit(makeOrder({ id: 'fok-big', qty: 250, timeInForce: 'FOK' }));
    await c.b.submit(makeOrder({ id: 'fok-ok', qty: 80, timeInForce: 'FOK' }));
    c.b.onBar(row(c.vs, 1));
    expect(await c.b.getOrderByClientId('fok-big')).toMatchObject({ status: 'CANCELLED', filledQty: 0 });
    expect(await c.b.getOrderByClientId('fok-ok')).toMatchObject({ status: 'FILLED', filledQty: 80 });
  });

  it('is idempotent by client order id and deterministic', async () => {
    const run = async () => {
      const { b, vs } = broker({ AAA: flatBars(3, 10, 1000) }, { slippageBps: 3, impactK: 0.2 });
      const a1 = await b.submit(makeOrder({ id: 'o1', qty: 150, timeInForce: 'GTC' }));
      const a2 = await b.submit(makeOrder({ id: 'o1', qty: 150, timeInForce: 'GTC' }));
      expect(a2.brokerOrderId).toBe(a1.brokerOrderId);
      expect(b.orderCount()).toBe(1);
      b.onBar(row(vs, 1));
      b.onBar(row(vs, 2));
      return b.fills();
    };
    expect(await run()).toEqual(await run());
  });

  it('rejects an unknown symbol; cancels are honoured', async () => {
    const { b, vs } = broker({ AAA: flatBars(3, 10, 1000) });
    expect((await b.submit(makeOrder({ id: 'x', symbol: 'ZZZ' }))).status).toBe('REJECTED');
    await b.submit(makeOrder({ id: 'c', timeInForce: 'GTC' }));
    await b.cancel('c');
    b.onBar(row(vs, 1));
    expect(await b.getOrderByClientId('c')).toMatchObject({ status: 'CANCELLED', filledQty: 0 });
  });
});

describe('PaperBroker (live paper)', () => {
  it('fills at the latest close on submit; a resting limit fills when the price comes; DAY expires at the close', async () => {
    const panel = makePanel({ AAA: [...flatBars(1, 20, 1e6), ...flatBars(1, 18, 1e6)] });
    const vs = views(panel);
    const b = new PaperBroker({ clock: clock(), config, mode: 'live', initialCash: 100_000, costModel: free });
    b.setMarket(row(vs, 0));
    await b.submit(makeOrder({ id: 'm', qty: 10 }));
    expect(await b.getOrderByClientId('m')).toMatchObject({ status: 'FILLED', avgFillPrice: 20 });
    await b.submit(makeOrder({ id: 'l', qty: 10, type: 'LIMIT', limitPrice: 19 }));
    await b.submit(makeOrder({ id: 'l2', qty: 10, type: 'LIMIT', limitPrice: 15 }));
    expect((await b.getOrderByClientId('l'))?.status).toBe('ACKNOWLEDGED');
    b.onBar(row(vs, 1));
    expect(await b.getOrderByClientId('l')).toMatchObject({ status: 'FILLED', avgFillPrice: 18 });
    b.closeOfDay();
    expect((await b.getOrderByClientId('l2'))?.status).toBe('EXPIRED');
  });
});

describe('fitted cost model round trip', () => {
  it('refits the coefficients the paper broker used from its own recorded fills', async () => {
    const bars = Array.from({ length: 25 }, (_, t) => {
      const px = 50 * (1 + 0.02 * Math.sin(t * 1.7));
      return { open: px, high: px * 1.01, low: px * 0.99, close: px * (1 + 0.01 * Math.cos(t)), volume: 1e6 };
    });
    const { b, vs } = broker({ AAA: bars }, { slippageBps: 3, impactK: 0.2 });
    for (let t = 20; t < 24; t++) {
      b.setMarket(row(vs, t));
      await b.submit(makeOrder({ id: `b${t}`, qty: 1000 * (t - 19) ** 2 }));
      await b.submit(makeOrder({ id: `s${t}`, side: 'SELL', qty: 700 * (t - 19) }));
      b.onBar(row(vs, t + 1));
    }
    const fit = fitCostModel(observationsFromPaperFills(b.fills()));
    expect(b.fills()).toHaveLength(8);
    expect(fit.model.slippageBps).toBeCloseTo(3, 8);
    expect(fit.model.impactK).toBeCloseTo(0.2, 10);
  });
});

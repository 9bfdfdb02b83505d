import { describe, expect, it } from 'vitest';
import { createRng } from '../core/index.ts';
import type { Fill } from '../contracts/index.ts';
import { agentTca, costBreakdown, fitCostModel, impactRegressor, orderTca, type FillObservation } from './index.ts';
import { makeOrder } from './test-support.ts';

function observe(bps: number, k: number, qty: number, adv: number, sigma: number, noiseBps = 0, side: 'BUY' | 'SELL' = 'BUY'): FillObservation {
  const cost = bps + k * impactRegressor(qty, adv, sigma) + noiseBps;
  const s = side === 'BUY' ? 1 : -1;
  return { side, qty, price: 40 * (1 + (s * cost) / 1e4), arrivalPrice: 40, adv, sigmaDaily: sigma };
}

describe('cost model fit (least squares)', () => {
  it('recovers slippage and k exactly from noise-free fills', () => {
    const obs = [1_000, 5_000, 20_000, 80_000].map((q, i) => observe(3, 0.15, q, 1e6, 0.02, 0, i % 2 ? 'SELL' : 'BUY'));
    const fit = fitCostModel(obs);
    expect(fit.model.slippageBps).toBeCloseTo(3, 9);
    expect(fit.model.impactK).toBeCloseTo(0.15, 9);
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  it('matches the two-point closed form', () => {
    const a = observe(0, 0, 10_000, 1e6, 0.02, 7); // x = 20, y = 7
    const b = observe(0, 0, 40_000, 1e6, 0.02, 10); // x = 40, y = 10
    const fit = fitCostModel([a, b]);
    expect(fit.model.impactK).toBeCloseTo((10 - 7) / (40 - 20), 9);
    expect(fit.model.slippageBps).toBeCloseTo(7 - 0.15 * 20, 9);
    // a negative intercept is clamped: the line through the origin, k = Σxy / Σxx
    const c = observe(0, 0, 10_000, 1e6, 0.02, 4);
    const through = fitCostModel([c, b]).model;
    expect(through.slippageBps).toBe(0);
    expect(through.impactK).toBeCloseTo((20 * 4 + 40 * 10) / (20 * 20 + 40 * 40), 9);
  });

  it('is close with noisy fills and clamps to non-negative costs', () => {
    const rng = createRng(7);
    const obs = Array.from({ length: 2000 }, () => observe(2, 0.1, 100 + rng.next() * 100_000, 5e5, 0.025, rng.normal() * 1.5));
    const fit = fitCostModel(obs);
    expect(fit.model.slippageBps).toBeGreaterThan(1.7);
    expect(fit.model.slippageBps).toBeLessThan(2.3);
    expect(fit.model.impactK).toBeGreaterThan(0.09);
    expect(fit.model.impactK).toBeLessThan(0.11);
    // fills better than arrival as size grows would imply a negative k: clamped to 0
    const weird = [observe(0, 0, 1_000, 1e6, 0.02, 5), observe(0, 0, 50_000, 1e6, 0.02, 1)];
    expect(fitCostModel(weird).model.impactK).toBe(0);
    expect(fitCostModel([]).model).toEqual({ slippageBps: 0, impactK: 0 });
  });
});

function fill(id: string, qty: number, price: number, commission: number, alloc: [string, number][], side: 'BUY' | 'SELL' = 'BUY'): Fill {
  return {
    version: 1, traceId: 't', id, orderId: 'o1', symbol: 'AAA', side, qty, price, commission, timestamp: '2024-01-02T15:00:00.000Z',
    allocations: alloc.map(([agentId, q]) => ({ agentId, qty: q })),
  };
}

describe('TCA', () => {
  it('splits implementation shortfall into delay, spread, impact and fees (hand example)', () => {
    const order = makeOrder({ id: 'o1', qty: 100, decisionPrice: 100 });
    const fills = [fill('f1', 60, 101.5, 1, [['a', 36], ['b', 24]]), fill('f2', 40, 102, 1, [['a', 24], ['b', 16]])];
    const t = orderTca(order, fills, 101, 2);
    expect(t.dollars.delay).toBeCloseTo(100, 10);
    expect(t.dollars.spread).toBeCloseTo(2.02, 10);
    expect(t.dollars.impact).toBeCloseTo(67.98, 10);
    expect(t.dollars.fees).toBe(2);
    expect(t.dollars.total).toBeCloseTo(60 * 1.5 + 40 * 2 + 2, 10); // Σ q (p − D) + fees = 172
    expect(t.bps.total).toBeCloseTo(172, 10); // of 100 × $100
    expect(t.avgFillPrice).toBeCloseTo(101.7, 12);
    const per = agentTca([{ order, fills, arrivalPrice: 101, spreadBps: 2 }]);
    expect((per.get('a')?.dollars.total ?? 0) + (per.get('b')?.dollars.total ?? 0)).toBeCloseTo(172, 10);
    expect(per.get('a')?.dollars.total).toBeCloseTo(172 * 0.6, 10);
    expect(per.get('b')?.bps.total).toBeCloseTo(172, 10);
  });

  it('a sell that gains from drift shows a negative delay cost; unfilled quantity is reported', () => {
    const order = makeOrder({ id: 'o1', side: 'SELL', qty: 50, decisionPrice: 20 });
    const t = orderTca(order, [fill('f1', 30, 20.9, 0.5, [], 'SELL')], 21, 0);
    expect(t.dollars.delay).toBeCloseTo(-30, 10); // sold after the price rose a dollar
    expect(t.dollars.impact).toBeCloseTo(3, 10); // received 0.10 less than arrival
    expect(t.unfilledQty).toBe(20);
    expect(costBreakdown('BUY', 10, 10, 5, []).dollars.total).toBe(0);
  });
});

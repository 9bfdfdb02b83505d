import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apportion, orderFromPlan, planOrders, splitFill, type AgentTargets } from './index.ts';

const cfg = { lotSize: 1e-4, minNotional: 0, maxTurnoverPct: 1e9 };

describe('planOrders', () => {
  it('nets two agents into one order and crosses the overlap internally', () => {
    const plan = planOrders({
      agents: [
        { agentId: 'A', capital: 100_000, targets: new Map([['XYZ', 0.1]]) }, // 100 shares at $100
        { agentId: 'B', capital: 100_000, targets: new Map([['XYZ', 0]]) },
      ],
      positions: new Map([['B', new Map([['XYZ', 60]])]]),
      prices: new Map([['XYZ', 100]]),
      config: cfg,
    });
    expect(plan.orders).toHaveLength(1);
    expect(plan.orders[0]).toMatchObject({ symbol: 'XYZ', side: 'BUY', qty: 40, allocations: [{ agentId: 'A', qty: 40 }] });
    expect(plan.crosses).toEqual([{ symbol: 'XYZ', price: 100, legs: [{ agentId: 'A', qty: 60 }, { agentId: 'B', qty: -60 }] }]);
  });

  it('scales an agent to the turnover cap', () => {
    const plan = planOrders({
      agents: [{ agentId: 'A', capital: 1_000_000, targets: new Map([['X', 0.5], ['Y', -0.5]]) }],
      positions: new Map(),
      prices: new Map([['X', 50], ['Y', 20]]),
      config: { ...cfg, maxTurnoverPct: 0.25 }, // wanted turnover (0.5 + 0.5) / 2 = 0.5
    });
    expect(plan.turnoverScale.get('A')).toBeCloseTo(0.5, 12);
    expect(plan.orders.map((o) => [o.symbol, o.side, o.qty])).toEqual([
      ['X', 'BUY', 5000], // 0.25 × 1e6 / 50
      ['Y', 'SELL', 12500], // 0.25 × 1e6 / 20
    ]);
  });

  it('rounds to lots, skips net orders under the minimum notional and names missing prices', () => {
    const plan = planOrders({
      agents: [{ agentId: 'A', capital: 10_000, targets: new Map([['X', 0.5], ['Y', 0.004], ['Z', 0.1]]) }],
      positions: new Map(),
      prices: new Map([['X', 33], ['Y', 10]]),
      config: { lotSize: 100, minNotional: 100, maxTurnoverPct: 1 },
    });
    // X: 5000/33 = 151.5 shares → 2 lots = 200; Y: 40/10 = 4 shares → 0 lots (nothing to send)
    expect(plan.orders.map((o) => [o.symbol, o.qty])).toEqual([['X', 200]]);
    expect(plan.skipped.map((s) => [s.symbol, s.reason.code])).toEqual([['Z', 'NO_PRICE']]);
    const small = planOrders({
      agents: [{ agentId: 'A', capital: 10_000, targets: new Map([['Y', 0.009]]) }],
      positions: new Map(),
      prices: new Map([['Y', 10]]),
      config: { lotSize: 1, minNotional: 100, maxTurnoverPct: 1 },
    });
    expect(small.orders).toEqual([]);
    expect(small.skipped[0]?.reason).toMatchObject({ code: 'MIN_NOTIONAL', limit: 100, actual: 90 });
  });

  it('attaches the cost model estimate (closed form)', () => {
    const plan = planOrders({
      agents: [{ agentId: 'A', capital: 4000, targets: new Map([['X', 1]]) }],
      positions: new Map(),
      prices: new Map([['X', 100]]),
      config: cfg,
      costModel: { slippageBps: 2, impactK: 0.1 },
      adv: new Map([['X', 10_000]]),
      sigma: new Map([['X', 0.02]]),
    });
    expect(plan.orders[0]?.estimatedCostBps).toBeCloseTo(2 + 0.1 * 1e4 * 0.02 * Math.sqrt(40 / 10_000), 10);
    const order = orderFromPlan(plan.orders[0] ?? { symbol: '', side: 'BUY', qty: 1, decisionPrice: 1, allocations: [], estimatedCostBps: 0 }, { id: 'o1', fundId: 'main', traceId: 't', at: '2024-01-02T15:00:00.000Z' });
    expect(order).toMatchObject({ id: 'o1', status: 'PENDING', type: 'MARKET', timeInForce: 'DAY', qty: 40, decisionPrice: 100 });
  });

  // Invariant: one order per symbol whose allocations sum to its quantity, and after the crosses
  // and a full fill every agent holds its target within half a quantum.
  it('netting property', () => {
    const symbols = ['A', 'B', 'C', 'D'];
    const agentArb = fc.record({
      capital: fc.double({ min: 1e4, max: 1e7, noNaN: true }),
      weights: fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 4, maxLength: 4 }),
      held: fc.array(fc.integer({ min: -2000, max: 2000 }), { minLength: 4, maxLength: 4 }),
    });
    fc.assert(
      fc.property(
        fc.array(agentArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.double({ min: 1, max: 500, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.constantFrom(1e-4, 1, 100),
        (agents, px, lot) => {
          const prices = new Map(symbols.map((s, i) => [s, px[i] ?? 1]));
          const targets: AgentTargets[] = agents.map((a, k) => ({ agentId: `ag${k}`, capital: a.capital, targets: new Map(symbols.map((s, i) => [s, a.weights[i] ?? 0])) }));
          const positions = new Map(agents.map((a, k) => [`ag${k}`, new Map(symbols.map((s, i) => [s, a.held[i] ?? 0]))]));
          const plan = planOrders({ agents: targets, positions, prices, config: { ...cfg, lotSize: lot } });
          expect(new Set(plan.orders.map((o) => o.symbol)).size).toBe(plan.orders.length);
          for (const o of plan.orders) {
            const units = o.allocations.reduce((s, a) => s + Math.round(a.qty * 1e4), 0);
            expect(units).toBe(Math.round(o.qty * 1e4));
          }
          for (const c of plan.crosses) expect(c.legs.reduce((s, l) => s + Math.round(l.qty * 1e4), 0)).toBe(0);
          targets.forEach((t, k) => {
            for (const s of symbols) {
              const order = plan.orders.find((o) => o.symbol === s);
              const alloc = order?.allocations.find((a) => a.agentId === t.agentId)?.qty ?? 0;
              const crossed = plan.crosses.find((c) => c.symbol === s)?.legs.find((l) => l.agentId === t.agentId)?.qty ?? 0;
              const end = (agents[k]?.held[symbols.indexOf(s)] ?? 0) + crossed + (order?.side === 'SELL' ? -alloc : alloc);
              const target = ((t.targets.get(s) ?? 0) * t.capital) / (prices.get(s) ?? 1);
              expect(Math.abs(end - target)).toBeLessThanOrEqual(lot / 2 + 1e-6);
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('fill split', () => {
  // Invariant: apportioning a total equal to the weights' sum gives back the weights (so a
  // completing fill may skip apportion), up to 1e12 units (1e8 shares) each.
  it('apportioning the whole returns the weights', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e12 }), { minLength: 1, maxLength: 12 }), (w) => {
        expect(apportion(w.reduce((s, x) => s + x, 0), w)).toEqual(w);
      }),
      { numRuns: 2000 },
    );
  });

  it('apportions by largest remainder (hand example)', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(7, [5, 0, 2])).toEqual([5, 0, 2]);
  });

  // Invariant: each fill's split sums exactly to the fill, is within 1e-4 of proportional to the
  // agents' remaining allocations, never exceeds them, and a complete fill gives each its allocation.
  it('split property', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
        (allocUnits, fractions) => {
          const allocations = allocUnits.map((u, i) => ({ agentId: `a${i}`, qty: u / 1e4 }));
          const total = allocUnits.reduce((s, x) => s + x, 0);
          const given = allocations.map(() => 0);
          let filled = 0;
          const steps = [...fractions, 1];
          for (const f of steps) {
            const rest = total - filled;
            const fillUnits = f === 1 ? rest : Math.floor(rest * f);
            if (fillUnits <= 0) continue;
            const remaining = allocUnits.map((u, i) => u - Math.round((given[i] ?? 0) * 1e4));
            const split = splitFill(allocations, fillUnits / 1e4, given);
            expect(split.reduce((s, a) => s + Math.round(a.qty * 1e4), 0)).toBe(fillUnits);
            split.forEach((a, i) => {
              const exact = (fillUnits * (remaining[i] ?? 0)) / rest;
              expect(Math.abs(Math.round(a.qty * 1e4) - exact)).toBeLessThan(1 + 1e-9);
              expect(Math.round(a.qty * 1e4)).toBeLessThanOrEqual(remaining[i] ?? 0);
              given[i] = Math.round(((given[i] ?? 0) + a.qty) * 1e4) / 1e4;
            });
            filled += fillUnits;
          }
          expect(given.map((g) => Math.round(g * 1e4))).toEqual(allocUnits);
        },
      ),
      { numRuns: 300 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossFills, cycleOrderId, isCycleOrderId, MAX_CLIENT_ORDER_ID, openInterest, planOrders, toUnits, workOrder, type PlannedOrder } from './index.ts';
import { makeOrder } from './test-support.ts';

const planned = (p: Partial<PlannedOrder>): PlannedOrder => ({
  symbol: 'XYZ',
  side: 'BUY',
  qty: 100,
  decisionPrice: 100,
  allocations: [{ agentId: 'a', qty: 100 }],
  estimatedCostBps: 0,
  ...p,
});

const legsOf = (p: PlannedOrder, pos: number, max = 1e12) => workOrder(p, pos, { maxOrderValue: max }).legs.map((l) => [l.leg, l.side, l.qty]);

describe('workOrder', () => {
  it('a sell that crosses from long to short becomes a sell of the long and a whole-share short sale', () => {
    const p = planned({ side: 'SELL', qty: 10.5, allocations: [{ agentId: 'a', qty: 6.5 }, { agentId: 'b', qty: 4 }] });
    const w = workOrder(p, 3.25, { maxOrderValue: 1e9 });
    expect(w.legs.map((l) => [l.leg, l.side, l.qty])).toEqual([[0, 'SELL', 3.25], [1, 'SELL', 7]]);
    expect(w.dropped).toBe(0.25);
    for (const l of w.legs) expect(l.allocations.reduce((s, a) => s + toUnits(a.qty), 0)).toBe(toUnits(l.qty));
  });

  it('a short sale from flat or short is whole shares, rounded toward zero; nothing when under one share', () => {
    expect(legsOf(planned({ side: 'SELL', qty: 7.9 }), 0)).toEqual([[0, 'SELL', 7]]);
    expect(legsOf(planned({ side: 'SELL', qty: 7.9 }), -3)).toEqual([[0, 'SELL', 7]]);
    expect(workOrder(planned({ side: 'SELL', qty: 0.6 }), 0, { maxOrderValue: 1e9 })).toEqual({ legs: [], dropped: 0.6 });
  });

  it('a buy covers a short in whole shares (exactly when it closes it), then buys the rest fractionally', () => {
    expect(legsOf(planned({ qty: 12.5 }), -10)).toEqual([[0, 'BUY', 10], [1, 'BUY', 2.5]]);
    expect(legsOf(planned({ qty: 4.5 }), -10)).toEqual([[0, 'BUY', 4]]);
    expect(legsOf(planned({ qty: 4.5 }), -2.5)).toEqual([[0, 'BUY', 2.5], [1, 'BUY', 2]]); // an old fractional short still closes
    expect(legsOf(planned({ qty: 4.5 }), 3)).toEqual([[0, 'BUY', 4.5]]);
  });

  it('splits an order above the maximum value into the fewest children under it, allocations pro rata', () => {
    const p = planned({ qty: 25_000.5, allocations: [{ agentId: 'a', qty: 15_000.5 }, { agentId: 'b', qty: 10_000 }] });
    const w = workOrder(p, 0, { maxOrderValue: 1_000_000 }); // $2,500,050 at $100
    expect(w.legs.map((l) => l.qty)).toEqual([8333.5, 8333.5, 8333.5]);
    expect(w.legs.map((l) => l.allocations)).toEqual([
      [{ agentId: 'a', qty: 5000.1667 }, { agentId: 'b', qty: 3333.3333 }],
      [{ agentId: 'a', qty: 5000.1667 }, { agentId: 'b', qty: 3333.3333 }],
      [{ agentId: 'a', qty: 5000.1666 }, { agentId: 'b', qty: 3333.3334 }], // 15,000.5 and 10,000 in all
    ]);
    // a whole-share short leg splits in whole shares
    expect(legsOf(planned({ side: 'SELL', qty: 25_000.5 }), 0, 1_000_000)).toEqual([[0, 'SELL', 8334], [1, 'SELL', 8333], [2, 'SELL', 8333]]);
    // a long leg may split into fractions of a share; a short sale of shares worth more than the limit each is left whole for the pre-trade check to refuse
    expect(legsOf(planned({ qty: 1, decisionPrice: 2_000_000 }), 0, 1_000_000)).toEqual([[0, 'BUY', 0.5], [1, 'BUY', 0.5]]);
    expect(legsOf(planned({ side: 'SELL', qty: 3, decisionPrice: 2_000_000 }), 0, 1_000_000)).toEqual([[0, 'SELL', 3]]);
  });

  // Invariant: the legs never trade more than planned nor the other way, every leg is within the
  // maximum value (unless one share is above it), each leg's allocations sum to it and no agent
  // gets more than its allocation, and every share traded on the short side is a whole share.
  it('property: legs add up, stay under the limit, and shorts are whole shares', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: -3_000_000, max: 3_000_000 }),
        fc.double({ min: 0.5, max: 3000, noNaN: true }),
        fc.integer({ min: 1000, max: 2_000_000 }),
        (side, units, weights, posUnits, price, max) => {
          const qty = units / 1e4;
          const wsum = weights.reduce((a, b) => a + b, 0);
          const alloc = weights.map((w) => Math.floor((units * w) / wsum));
          alloc[0] = (alloc[0] ?? 0) + units - alloc.reduce((a, b) => a + b, 0);
          const p = planned({ side, qty, decisionPrice: price, allocations: alloc.map((u, i) => ({ agentId: `a${i}`, qty: u / 1e4 })).filter((a) => a.qty > 0) });
          const pos = posUnits / 1e4;
          const w = workOrder(p, pos, { maxOrderValue: max });
          const total = w.legs.reduce((s, l) => s + toUnits(l.qty), 0);
          expect(total + toUnits(w.dropped)).toBe(units);
          const given = new Map<string, number>();
          let at = toUnits(pos);
          for (const l of w.legs) {
            expect(l.side).toBe(side);
            expect(l.allocations.reduce((s, a) => s + toUnits(a.qty), 0)).toBe(toUnits(l.qty));
            for (const a of l.allocations) given.set(a.agentId, (given.get(a.agentId) ?? 0) + toUnits(a.qty));
            const next = at + (side === 'BUY' ? 1 : -1) * toUnits(l.qty);
            const shortSide = side === 'SELL' ? next < 0 : at < 0;
            const closesShort = side === 'BUY' && next === 0;
            if (shortSide && !closesShort) expect(toUnits(l.qty) % 1e4).toBe(0);
            if (l.qty * price > max) expect(shortSide && !closesShort ? price > max : price * 1e-4 > max || closesShort).toBe(true);
            expect(Math.sign(at) * Math.sign(next)).not.toBe(-1); // no leg crosses zero
            at = next;
          }
          for (const a of p.allocations) expect(given.get(a.agentId) ?? 0).toBeLessThanOrEqual(toUnits(a.qty));
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('open orders are netted', () => {
  it('open interest is each open order less what its fills gave, per book and for the fund', () => {
    const o = makeOrder({ id: 'o1', symbol: 'XYZ', qty: 100, filledQty: 30, allocations: [{ agentId: 'a', qty: 60 }, { agentId: 'b', qty: 40 }] });
    const fill = { allocations: [{ agentId: 'a', qty: 18 }, { agentId: 'b', qty: 12 }] };
    const s = makeOrder({ id: 'o2', symbol: 'XYZ', side: 'SELL', qty: 5 });
    const oi = openInterest([{ order: o, fills: [fill as never] }, { order: s, fills: [] }], '_fund');
    expect([...oi.byBook].map(([b, m]) => [b, [...m]])).toEqual([['a', [['XYZ', 42]]], ['b', [['XYZ', 28]]], ['_fund', [['XYZ', -5]]]]);
    expect(oi.bySymbol.get('XYZ')).toBe(65);
  });

  it('the planner does not order again what an open order will bring', () => {
    const input = {
      agents: [{ agentId: 'A', capital: 100_000, targets: new Map([['XYZ', 0.1]]) }], // 100 shares at $100
      positions: new Map(),
      prices: new Map([['XYZ', 100]]),
      config: { lotSize: 1e-4, minNotional: 0, maxTurnoverPct: 1e9 },
    };
    expect(planOrders(input).orders[0]?.qty).toBe(100);
    const netted = planOrders({ ...input, pending: new Map([['A', new Map([['XYZ', 60]])]]) });
    expect(netted.orders.map((o) => [o.side, o.qty])).toEqual([['BUY', 40]]);
    // an open buy nobody wants any more is sold against, so the book ends where the targets say
    const unwanted = planOrders({ ...input, agents: [{ agentId: 'A', capital: 100_000, targets: new Map() }], pending: new Map([['A', new Map([['XYZ', 60]])]]) });
    expect(unwanted.orders.map((o) => [o.side, o.qty])).toEqual([['SELL', 60]]);
  });
});

describe('crossFills', () => {
  it('a cross is a BUY fill to the receiving books and a SELL fill from the giving ones, at its price, no commission', () => {
    const fills = crossFills({ symbol: 'XYZ', price: 12.5, legs: [{ agentId: 'A', qty: 60 }, { agentId: 'B', qty: -40.0001 }, { agentId: 'C', qty: -19.9999 }] }, 'f-paper-2024-01-02', '2024-01-02T21:00:00.000Z');
    expect(fills.map((f) => [f.id, f.orderId, f.side, f.qty, f.price, f.commission, f.allocations])).toEqual([
      ['f-paper-2024-01-02:cross:XYZ:buy', 'f-paper-2024-01-02:cross:XYZ', 'BUY', 60, 12.5, 0, [{ agentId: 'A', qty: 60 }]],
      ['f-paper-2024-01-02:cross:XYZ:sell', 'f-paper-2024-01-02:cross:XYZ', 'SELL', 60, 12.5, 0, [{ agentId: 'B', qty: 40.0001 }, { agentId: 'C', qty: 19.9999 }]],
    ]);
  });
});

describe('client order ids', () => {
  it('are derived from the cycle, book, symbol and leg, and stay within the broker limit', () => {
    expect(cycleOrderId('main-live-2024-01-02', 'net', 'AAPL', 3)).toBe('main-live-2024-01-02:net:AAPL:3');
    const long = `${'f'.repeat(150)}-live-2024-01-02`;
    const id = cycleOrderId(long, 'net', 'BRK.B', 12);
    expect(id.length).toBeLessThanOrEqual(MAX_CLIENT_ORDER_ID);
    expect(id).toMatch(/^[0-9a-f]{24}:net:BRK\.B:12$/);
    expect(cycleOrderId(long, 'net', 'BRK.B', 12)).toBe(id);
    expect(isCycleOrderId(id, long)).toBe(true);
    expect(isCycleOrderId('main-live-2024-01-02:net:AAPL:3', 'main-live-2024-01-02')).toBe(true);
    expect(isCycleOrderId('prop-1:AAPL', 'main-live-2024-01-02')).toBe(false);
  });
});

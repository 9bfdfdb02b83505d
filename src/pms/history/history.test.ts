import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fundPnlFromNav, pnlHistory, realisedUnrealised, type PositionSnapshot } from '../index.ts';

const snap = (date: string, agentId: string, symbol: string, qty: number, avgCost: number, price: number, realizedPnl = 0): PositionSnapshot => ({ date, agentId, symbol, qty, avgCost, price, realizedPnl });

describe('fundPnlFromNav', () => {
  it('pnl = ΔNAV − flows, return on the previous NAV', () => {
    const s = fundPnlFromNav([
      { date: '2024-01-03', nav: 1_030_000, netFlow: 20_000 },
      { date: '2024-01-02', nav: 1_000_000 },
      { date: '2024-01-04', nav: 1_019_700.55 },
    ]);
    expect(s).toEqual([
      { date: '2024-01-03', pnlCents: 1_000_000, pnl: 10_000, return: 0.01 },
      { date: '2024-01-04', pnlCents: -1_029_945, pnl: -10_299.45, return: -10_299.45 / 1_030_000 },
    ]);
  });
});

describe('pnlHistory', () => {
  it('daily P&L by fund, agent and name from average-cost snapshots (hand-worked)', () => {
    const h = pnlHistory([
      snap('2024-01-02', 'm', 'AAPL', 10, 100, 100),
      // +$5 on 10 shares; a new short of 5 XOM at $50 marked at $48: +$10
      snap('2024-01-03', 'm', 'AAPL', 10, 100, 105),
      snap('2024-01-03', 'v', 'XOM', -5, 50, 48),
      // sold 5 AAPL at $110 (realised +$50), 5 left marked at $110 (+$50): total 100, day +50;
      // XOM bought back at $47: realised +$15, qty 0: day +5
      snap('2024-01-04', 'm', 'AAPL', 5, 100, 110, 50),
      snap('2024-01-04', 'v', 'XOM', 0, 0, 47, 15),
      // AAPL unchanged at $110; XOM row gone after its close: no P&L
      snap('2024-01-05', 'm', 'AAPL', 5, 100, 110, 50),
      snap('2024-01-05', 'v', 'MSFT', 2, 300, 299.995),
    ]);
    expect(h.dates).toEqual(['2024-01-03', '2024-01-04', '2024-01-05']);
    expect(h.fund.map((d) => d.pnlCents)).toEqual([6000, 5500, -1]);
    expect(h.byAgent.m?.map((d) => d.pnl)).toEqual([50, 50, 0]);
    expect(h.byAgent.v?.map((d) => d.pnl)).toEqual([10, 5, -0.01]);
    expect(h.byName.XOM?.map((d) => d.pnl)).toEqual([10, 5, 0]);
    expect(h.byName.MSFT?.map((d) => d.pnl)).toEqual([0, 0, -0.01]);
  });

  // Invariant: every day, the fund P&L equals the sum over agents and the sum over names, to the cent.
  it('fund = Σ agents = Σ names each day (property)', () => {
    const row = fc.record({
      day: fc.integer({ min: 1, max: 6 }),
      agentId: fc.constantFrom('a', 'b'),
      symbol: fc.constantFrom('X', 'Y', 'Z'),
      qty: fc.integer({ min: -1000, max: 1000 }),
      avgCost: fc.double({ min: 1, max: 500, noNaN: true }),
      price: fc.double({ min: 1, max: 500, noNaN: true }),
      realizedPnl: fc.double({ min: -1e5, max: 1e5, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), (rows) => {
        const seen = new Set<string>();
        const snaps = rows
          .filter((r) => {
            const k = `${r.day}|${r.agentId}|${r.symbol}`;
            if (seen.has(k)) return false;
            seen.add(k);
            return true;
          })
          .map((r) => snap(`2024-01-0${r.day}`, r.agentId, r.symbol, r.qty, r.avgCost, r.price, r.realizedPnl));
        const h = pnlHistory(snaps);
        h.fund.forEach((d, i) => {
          const agents = Object.values(h.byAgent).reduce((s, xs) => s + (xs[i]?.pnlCents ?? 0), 0);
          const names = Object.values(h.byName).reduce((s, xs) => s + (xs[i]?.pnlCents ?? 0), 0);
          expect(agents).toBe(d.pnlCents);
          expect(names).toBe(d.pnlCents);
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('realisedUnrealised', () => {
  it('splits average-cost P&L: longs and shorts, unmarked positions', () => {
    const s = realisedUnrealised([
      { agentId: 'm', symbol: 'AAPL', qty: 10, avgCost: 100, lastPrice: 103.5, realizedPnl: 12.34 },
      { agentId: 'v', symbol: 'XOM', qty: -4, avgCost: 50, lastPrice: 52, realizedPnl: -1 },
      { agentId: 'v', symbol: 'MSFT', qty: 3, avgCost: 300, lastPrice: null, realizedPnl: 0 },
    ]);
    expect(s.rows.map((r) => [r.symbol, r.realizedCents, r.unrealizedCents, r.totalCents, r.isUnmarked])).toEqual([
      ['AAPL', 1234, 3500, 4734, false],
      ['XOM', -100, -800, -900, false],
      ['MSFT', 0, 0, 0, true],
    ]);
    expect([s.realized, s.unrealized, s.total]).toEqual([11.34, 27, 38.34]);
  });
});

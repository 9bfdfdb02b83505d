/**
 * The trading tally: one-way turnover from the ledger's positions (fills and crosses between agents
 * count for the agents, crosses net out for the fund) and slippage split over agents by allocation.
 */
import { describe, expect, it } from 'vitest';
import type { Fill } from '../../contracts/index.ts';
import type { PaperFill } from '../../execution/index.ts';
import { Ledger } from '../ledger/ledger.ts';
import { oneWayAnnual, TradingTally } from './trading-tally.ts';

function ledger(): Ledger {
  const l = new Ledger();
  l.open('a', 1_000_000);
  l.open('b', 1_000_000);
  return l;
}

const paper = (clientOrderId: string, side: 'BUY' | 'SELL', qty: number, price: number, basePrice: number): PaperFill => ({ clientOrderId, symbol: 'X', side, qty, price, basePrice, commission: 1, at: '2020-01-02T14:30:00.000Z', adv: 1e6, sigma: 0.02 });
const fill = (orderId: string, side: 'BUY' | 'SELL', allocations: { agentId: string; qty: number }[]): Fill => ({
  version: 1, traceId: 't', id: `${orderId}-f1`, orderId, symbol: 'X', side, qty: allocations.reduce((s, a) => s + a.qty, 0), price: 10.1, commission: 1, timestamp: '2020-01-02T14:30:00.000Z', allocations,
});

describe('trading tally', () => {
  it('buys count for the buyer and the fund; a cross between agents counts for both agents, not for the fund', () => {
    const l = ledger();
    const t = new TradingTally();
    l.applyFill({ agentId: 'a', symbol: 'X', side: 'BUY', qty: 100, price: 10, commission: 0 });
    l.markAll(() => 10);
    t.addDay(l, [], []);
    expect(t.book('a')).toMatchObject({ traded: 1000, grossDays: 1000 });
    expect(t.fundTotals()).toMatchObject({ traded: 1000, grossDays: 1000 });
    l.applyCross('X', 12, [{ agentId: 'a', qty: -50 }, { agentId: 'b', qty: 50 }]);
    l.markAll(() => 12);
    t.addDay(l, [], []);
    expect(t.book('a')).toMatchObject({ traded: 1000 + 600, grossDays: 1000 + 600 });
    expect(t.book('b')).toMatchObject({ traded: 600, grossDays: 600 });
    expect(t.fundTotals()).toMatchObject({ traded: 1000, grossDays: 1000 + 1200 });
    // a closed position counts at its last mark
    l.applyFill({ agentId: 'b', symbol: 'X', side: 'SELL', qty: 50, price: 12, commission: 0 });
    t.addDay(l, [], []);
    expect(t.book('b').traded).toBe(600 + 600);
    expect(t.fundTotals().traded).toBe(1000 + 600);
    // one way, a year, per unit of gross: 1600 / 2 per Σ gross 2200 per day-year
    expect(oneWayAnnual(1600, 2200)).toBeCloseTo((800 / 2200) * 252, 12);
  });

  it('slippage is the fill price against the open, signed by side, split by allocation; each paper fill once', () => {
    const t = new TradingTally();
    const l = ledger();
    const fills = [paper('o1', 'BUY', 100, 10.1, 10), paper('o2', 'SELL', 10, 9.5, 10)];
    t.addDay(l, [fill('o1', 'BUY', [{ agentId: 'a', qty: 60 }, { agentId: 'b', qty: 40 }]), fill('o2', 'SELL', [{ agentId: 'b', qty: 10 }])], fills);
    expect(t.fundTotals().slippage).toBeCloseTo(10 + 5, 12);
    expect(t.slippageOf('a')).toBeCloseTo(6, 12);
    expect(t.slippageOf('b')).toBeCloseTo(4 + 5, 12);
    t.addDay(l, [], fills);
    expect(t.fundTotals().slippage).toBeCloseTo(15, 12);
  });
});

import { describe, expect, it } from 'vitest';
import { parseFundConfig, type TargetPosition } from '../../contracts/index.ts';
import { syntheticPanel, viewAt } from '../../market/index.ts';
import { Ledger } from '../ledger/ledger.ts';
import { planCycleOrders } from './run-cycle.ts';

const CAPITAL = 1_000_000;
const panel = syntheticPanel({ symbols: 4, years: 1, seed: 3 });
const view = viewAt(panel, panel.T - 1);
const [A, B, C] = panel.symbols as [string, string, string];
const close = (sym: string): number => view.close(view.column(sym));
const config = parseFundConfig({
  fund: { id: 'f', name: 'f', totalCapital: CAPITAL },
  agents: [{ id: 'a', strategy: 'momentum', allocatedCapital: CAPITAL }],
});

function target(symbol: string, targetWeight: number, heldShares: number): TargetPosition {
  const currentNotional = heldShares === 0 ? 0 : heldShares * close(symbol);
  const targetNotional = targetWeight * CAPITAL;
  return { version: 1, agentId: 'a', symbol, targetWeight, targetNotional, currentNotional, deltaNotional: targetNotional - currentNotional, priority: 1, reasoning: 'approved' };
}

describe('planCycleOrders', () => {
  it('keeps a held name inside the no-trade band, trades the rest at the view s close', () => {
    const band = config.oms.rebalanceBandPct;
    expect(band).toBeGreaterThan(0.001);
    const ledger = new Ledger();
    ledger.open('a', CAPITAL);
    ledger.applyFill({ agentId: 'a', symbol: A, side: 'BUY', qty: 1000, price: close(A), commission: 0 });
    ledger.applyFill({ agentId: 'a', symbol: B, side: 'BUY', qty: 1000, price: close(B), commission: 0 });
    const wA = (1000 * close(A)) / CAPITAL;
    const wB = (1000 * close(B)) / CAPITAL;
    const plan = planCycleOrders(
      config,
      {
        a: [
          target(A, wA + band / 2, 1000), // same side, inside the band: waits
          target(B, wB + 0.01, 1000), // outside the band: buys the difference
          target(C, band / 2, 0), // not held: the band does not apply
          target('NOT-LISTED', 0.01, 0), // no price: skipped, never sent
        ],
      },
      ledger,
      view,
    );
    const bySymbol = new Map(plan.orders.map((o) => [o.symbol, o]));
    expect(bySymbol.has(A)).toBe(false);
    expect(bySymbol.has('NOT-LISTED')).toBe(false);
    expect(plan.skipped.map((s) => s.symbol)).toContain('NOT-LISTED');
    const b = bySymbol.get(B);
    expect(b?.side).toBe('BUY');
    expect(b?.decisionPrice).toBe(close(B));
    expect(b?.qty).toBeCloseTo((0.01 * CAPITAL) / close(B), 3);
    const c = bySymbol.get(C);
    expect(c?.qty).toBeCloseTo(((band / 2) * CAPITAL) / close(C), 3);
    expect(c?.allocations).toEqual([{ agentId: 'a', qty: c?.qty }]);
  });

  it('a sign flip trades however small it is', () => {
    const ledger = new Ledger();
    ledger.open('a', CAPITAL);
    ledger.applyFill({ agentId: 'a', symbol: A, side: 'BUY', qty: 10, price: close(A), commission: 0 });
    const wA = (10 * close(A)) / CAPITAL;
    expect(wA).toBeLessThan(config.oms.rebalanceBandPct);
    const plan = planCycleOrders(config, { a: [target(A, -wA, 10)] }, ledger, view);
    expect(plan.orders).toHaveLength(1);
    expect(plan.orders[0]?.side).toBe('SELL');
    expect(plan.orders[0]?.qty).toBeCloseTo(20, 3);
  });
});

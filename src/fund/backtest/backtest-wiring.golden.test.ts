/**
 * Golden backtest of the fund's wiring (issue 14, "one kernel"): a fixed 120-day backtest of the
 * default nine-agent fund on a fixed synthetic market. Every proposal, overlay decision, order,
 * fill and NAV of every day is hashed. The hashes were recorded before the backtest's wiring
 * (`backtestServices`) moved into the kernel, and must not change when the wiring changes.
 *
 * When a change to agents, the overlay, the planner or the OMS changes decisions on purpose,
 * update the expected hashes in the same commit and say why: a change here is reviewed like code.
 */
import { describe, expect, it } from 'vitest';
import { defaultFundConfigInput, parseFundConfig } from '../../contracts/index.ts';
import { hashOf } from '../../core/index.ts';
import { syntheticPanel } from '../../market/index.ts';
import { runBacktest, type CycleResult } from '../index.ts';

const DAYS = 120;

/** What a day decided and did, without ids or hashes that depend on the config's hash. */
function dayOf(r: CycleResult) {
  return {
    asOf: r.asOf,
    proposals: r.proposals.map((p) => ({ agentId: p.agentId, signals: p.signals, targets: p.targets })),
    decisions: r.decisions,
    orders: r.orders.map((o) => ({ id: o.id, symbol: o.symbol, side: o.side, type: o.type, qty: o.qty, status: o.status, filledQty: o.filledQty, avgFillPrice: o.avgFillPrice, allocations: o.allocations, denials: o.denials })),
    fills: r.fills.map((f) => ({ id: f.id, orderId: f.orderId, symbol: f.symbol, side: f.side, qty: f.qty, price: f.price, commission: f.commission, allocations: f.allocations })),
    nav: r.nav,
  };
}

describe('golden: a 120-day synthetic fund backtest decides the same through any wiring', () => {
  it('hashes every proposal, decision, order, fill and NAV of every day', async () => {
    const panel = syntheticPanel({ symbols: 40, years: 1.5, seed: 14 });
    const config = parseFundConfig({ ...defaultFundConfigInput(10_000_000), data: { minHistoryRows: 200, degradedMinRows: 100 } });
    const days: string[] = [];
    const result = await runBacktest({
      id: 'golden-wiring',
      config,
      panel,
      from: panel.dates[panel.T - DAYS] ?? '',
      to: panel.dates[panel.T - 1] ?? '',
      onCycle: (r) => days.push(hashOf(dayOf(r))),
    });
    expect(result.days).toBe(DAYS);
    const summary = {
      orders: result.costs.orders,
      fills: result.costs.fills,
      commissions: Math.round(result.costs.commissions * 100) / 100,
      finalNav: result.fund.equity[result.fund.equity.length - 1],
    };
    // Printed on failure so a deliberate change can be reviewed day by day.
    expect({ summary, all: hashOf(days), first: days[0], last: days[days.length - 1] }).toEqual(GOLDEN);
  });
});

const GOLDEN = {
  summary: { orders: 2972, fills: 2325, commissions: 14572.81, finalNav: 10451111.25 },
  all: '32ea8f3e0f215da6efbb3ffd675821bba4a919bc8bc8d2108567ed869173d92f',
  first: '17c3ac9c793c4ce95994d47d83b62c43f66dbf90afe2634d0e7ab499db759b9c',
  last: '17d665e3c88ecd5ec42171b013fa484e9b7c981a4d89471d8aadbace303e1d53',
};

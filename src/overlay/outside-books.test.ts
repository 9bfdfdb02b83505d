/**
 * Books outside the agents (`FundState.outsideBooks`, the PM's discretionary book): a review counts
 * them exactly as the held book of an agent that does not propose (same decisions, same fund
 * aggregates), but they are not agents: no drawdown track, correlation, score or budget of their own.
 */
import { describe, expect, it } from 'vitest';
import type { FundConfigInput } from '../contracts/index.ts';
import { reviewFund, type FundState, type Position } from './index.ts';
import { agentState, fundConfig, fundState, proposal, syntheticView, varLimits } from './testing/fixture.ts';

const C = 100_000_000;
const A = 20_000_000;
const LOOSE: Omit<FundConfigInput, 'fund' | 'agents'> = {
  defaults: { maxPositionPct: 1, maxSectorPct: 1, netExposureCap: 1, grossExposureCap: 1, riskBudgetPct: 1 },
  buckets: { directional_equity: { maxRiskAllocationPct: 1 } },
  risk: { ...varLimits(1), maxSingleNamePct: 0.05, maxSectorPct: 0.2, maxTop5Pct: 1, maxAdvPct: 1, maxDaysToLiquidate: 1000 },
};
const view = syntheticView({ U: 40, volume: () => 1e9 });
const config = fundConfig([{ id: 'a', strategy: 'momentum', capital: A }], LOOSE, C);
const tech = ['S000', 'S012', 'S018', 'S024', 'S030']; // every 6th name is Technology
/** The PM: $12M of Technology in three names ($4M each), and $3M short of a Financials name. */
const pm: Position[] = [...tech.slice(0, 3).map((symbol) => ({ symbol, qty: 4_000_000 / view.close(view.column(symbol)), price: 0 })), { symbol: 'S001', qty: -3_000_000 / view.close(view.column('S001')), price: 0 }];
const ask = proposal('a', 'momentum', view.asOf, [...tech.slice(3).map((symbol) => ({ symbol, weight: 0.25 })), { symbol: 'S001', weight: -0.2 }]);

const outside: FundState = fundState(view.asOf, C, [agentState('a', A)], { outsideBooks: [{ bookId: 'pm', positions: pm }] });
const asAgent: FundState = fundState(view.asOf, C, [agentState('a', A), agentState('pm', C, { positions: pm })]);

describe('books outside the agents', () => {
  it('count as the held book of an agent that does not propose: same decision, same fund aggregates', () => {
    const r = reviewFund({ proposals: [ask], state: outside, config, view, cycleId: 'c1' });
    const same = reviewFund({ proposals: [ask], state: asAgent, config, view, cycleId: 'c1' });
    expect(r.decisions).toEqual(same.decisions);
    expect(r.positions).toEqual(same.positions);
    for (const k of ['var95', 'cvar95', 'gross', 'net', 'hhi', 'top10Pct'] as const) expect(r.snapshot[k]).toBe(same.snapshot[k]);
    expect(r.snapshot.netBySector).toEqual(same.snapshot.netBySector);
    // hand check: Technology room = 20% × $100M − $12M = $8M over the agent's two names; Financials short room = 5% × $100M − $3M = $2M
    expect(r.positions['a']?.find((p) => p.symbol === 'S024')?.targetNotional).toBeCloseTo(4_000_000, 4);
    expect(r.positions['a']?.find((p) => p.symbol === 'S030')?.targetNotional).toBeCloseTo(4_000_000, 4);
    expect(r.positions['a']?.find((p) => p.symbol === 'S001')?.targetNotional).toBeCloseTo(-2_000_000, 4);
    expect(r.snapshot.netBySector['Technology']).toBeCloseTo(0.2, 12);
  });

  it('are not agents: no drawdown track, correlation or score, a budget of 0, and kept as they were in the next state', () => {
    const r = reviewFund({ proposals: [ask], state: outside, config, view, cycleId: 'c1' });
    expect(r.nextState.agents.map((a) => a.agentId)).toEqual(['a']);
    expect(r.nextState.outsideBooks).toBe(outside.outsideBooks);
    expect(r.snapshot.agentCorrelations.ids).toEqual(['a']);
    expect(r.scores.map((s) => s.agentId)).toEqual(['a']);
    expect(r.snapshot.budgets['pm']).toMatchObject({ budget: 0, used: 0, status: 'WITHIN_BUDGET' });
    const components = Object.values(r.snapshot.budgets).reduce((acc, b) => acc + b.component, 0);
    expect(components).toBeCloseTo(r.snapshot.var95, 6); // the PM's component still sums into the fund VaR
    expect(r.stress.results[0]?.perAgent['pm']).toBeDefined(); // and is stressed with the fund
  });

  it('a configured agent missing from the state whose ledger book is outside is reviewed on that book when it proposes, with its budget', () => {
    const two = fundConfig([{ id: 'a', strategy: 'momentum', capital: A }, { id: 'b', strategy: 'momentum', capital: A }], LOOSE, C);
    const state = fundState(view.asOf, C, [agentState('a', A)], { outsideBooks: [{ bookId: 'b', positions: pm.slice(0, 1) }] });
    const r = reviewFund({ proposals: [proposal('b', 'momentum', view.asOf, [{ symbol: 'S000', weight: 0.1 }])], state, config: two, view, cycleId: 'c1' });
    const t = r.positions['b']?.find((p) => p.symbol === 'S000');
    expect(t?.currentNotional).toBeCloseTo(4_000_000, 4);
    expect(t?.targetNotional).toBeCloseTo(2_000_000, 4);
    expect(r.snapshot.budgets['b']?.budget).toBeGreaterThan(0);
  });

  it('a state without the field, or with an empty list, reviews as before', () => {
    const bare = fundState(view.asOf, C, [agentState('a', A)]);
    const r = reviewFund({ proposals: [ask], state: bare, config, view, cycleId: 'c1' });
    const empty = reviewFund({ proposals: [ask], state: { ...bare, outsideBooks: [] }, config, view, cycleId: 'c1' });
    expect(empty.decisions).toEqual(r.decisions);
    expect(r.positions['a']?.find((p) => p.symbol === 'S024')?.targetNotional).toBeCloseTo(5_000_000, 4); // only the single-name cap
  });
});

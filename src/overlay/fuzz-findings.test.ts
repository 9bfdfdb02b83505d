/**
 * What the property fuzz of `reviewRisk` found (issue 15, item 5), one story each: the final book,
 * not the proposal, stays within the VaR budget, the bucket cap and the fund VaR limit; bad input
 * at an edge is a ValidationError naming the field; a risk figure that is not finite fails safe;
 * names that are also properties of every object are capped like any other.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/index.ts';
import type { FundConfigInput, StrategyType } from '../contracts/index.ts';
import { parseFundState, reviewFund, reviewRisk, type AgentBookState, type FundState } from './index.ts';
import { codesOf, decisionOf, finalOf, uncatalogued } from './testing/helpers.ts';
import { agentState, fundConfig, fundState, proposal, symbolsOf, syntheticView, varLimits } from './testing/fixture.ts';

const C = 100_000_000;
const A = 18_000_000;
const view = syntheticView({ U: 30, seed: 21 });
const px = (s: string) => view.close(view.column(s));
const BUCKETS = ['directional_equity', 'income_defensive', 'systematic_trend', 'mean_reversion', 'market_neutral', 'vol_selling'];
/** Only the VaR budget binds (25% of a 0.4% fund VaR limit): names, sectors and buckets are loose. */
const BUDGET_ONLY: Omit<FundConfigInput, 'fund' | 'agents'> = {
  defaults: { maxPositionPct: 0.6, maxSectorPct: 1, grossExposureCap: 2, leverageLimit: 2, netExposureCap: 1.5, riskBudgetPct: 0.25 },
  risk: { ...varLimits(0.004), maxNetExposure: 1.5, maxSingleNamePct: 1, maxSectorPct: 1, maxTop5Pct: 1 },
  buckets: Object.fromEntries(BUCKETS.map((b) => [b, { maxRiskAllocationPct: 1 }])),
};

function review(agents: { id: string; strategy?: StrategyType; extra?: Partial<AgentBookState>; targets?: { symbol: string; weight: number }[] }[], extra: Omit<FundConfigInput, 'fund' | 'agents'>, state: Partial<FundState> = {}, v = view) {
  const config = fundConfig(agents.map((a) => ({ id: a.id, strategy: a.strategy ?? 'statistical_arbitrage', capital: A })), extra, C);
  const s = fundState(v.asOf, C, agents.map((a) => agentState(a.id, A, a.extra)), state);
  const proposals = agents.flatMap((a) => (a.targets ? [proposal(a.id, a.strategy ?? 'statistical_arbitrage', v.asOf, a.targets)] : []));
  const r = reviewFund({ proposals, state: s, config, view: v, cycleId: 'f' });
  expect(uncatalogued(r)).toEqual([]);
  return r;
}
const held = (symbol: string, w: number) => ({ symbol, qty: Math.round((w * A) / px(symbol)), price: px(symbol) });

describe('the final book, not the proposal, is within the VaR budget, the bucket cap and the fund VaR limit', () => {
  it('a hedge leg removed by the market-cap floor leaves the rest within the agent’s budget (was 1.24× its budget)', () => {
    // S006 is below the $500M floor: the short that hedged the long S012 is new exposure and is removed
    const r = review([{ id: 'a', targets: [{ symbol: 'S012', weight: 0.3 }, { symbol: 'S006', weight: -0.3 }] }], BUDGET_ONLY);
    expect(Math.abs(finalOf(r, 'a', 'S006'))).toBe(0);
    expect(codesOf(r, 'a')).toEqual(expect.arrayContaining(['VAR_BUDGET_BREACH', 'MIN_MARKET_CAP', 'VAR_BUDGET_AFTER_CAPS']));
    expect(r.snapshot.budgets.a?.used).toBeLessThanOrEqual(1 + 1e-9);
    expect(r.snapshot.budgets.a?.used).toBeGreaterThan(0.999);
  });

  it('a hedge leg removed by the daily loss limit leaves the rest within the agent’s budget (was 1.20×)', () => {
    const r = review([{ id: 'a', extra: { positions: [held('S012', 0.3)], dailyPnl: -0.05 * A }, targets: [{ symbol: 'S012', weight: 0.3 }, { symbol: 'S018', weight: -0.3 }] }], BUDGET_ONLY);
    expect(Math.abs(finalOf(r, 'a', 'S018'))).toBe(0);
    expect(codesOf(r, 'a')).toEqual(expect.arrayContaining(['DAILY_LOSS_LIMIT', 'VAR_BUDGET_AFTER_CAPS']));
    expect(r.snapshot.budgets.a?.used).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('the settle pass goes past a bucket that only held books breach, to the one reviewed books breach (was left at 1.02× its cap)', () => {
    // vol_selling: an agent that does not propose, 6× over its bucket; directional_equity: m1 fits its
    // bucket when reviewed, and is pushed over once t (another bucket) joins with the same names
    // (the agents' own budgets are wide: a budget bounds a book's own VaR, which does not move when t joins)
    const tight = { ...BUDGET_ONLY, defaults: { ...BUDGET_ONLY.defaults, riskBudgetPct: 1 }, risk: { ...BUDGET_ONLY.risk, ...varLimits(0.04) }, buckets: Object.fromEntries(BUCKETS.map((b) => [b, { maxRiskAllocationPct: 0.05 }])) };
    const longs = symbolsOf(6).map((symbol) => ({ symbol, weight: 0.15 }));
    const r = review(
      [
        { id: 'held', strategy: 'volatility_premium', extra: { positions: symbolsOf(24).slice(12).map((s) => held(s, 0.3)) } },
        { id: 'm1', strategy: 'momentum', targets: longs },
        { id: 't', strategy: 'trend_following', targets: longs },
      ],
      tight,
    );
    expect(r.snapshot.buckets.vol_selling?.used).toBeGreaterThan(5);
    expect(r.snapshot.buckets.directional_equity?.used).toBeLessThanOrEqual(1 + 1e-9);
    expect(r.snapshot.budgets.m1?.used).toBeLessThanOrEqual(1 + 1e-9);
    expect(codesOf(r, 'm1')).toContain('BUCKET_SETTLE');
  });

  it('the fund VaR is brought within its limit when books the review does not scale hold risk (was 1.25× the limit)', () => {
    // the circuit breaker scaled the proposal by limit / pro-forma VaR, but the held book is not scaled
    const limit = { ...BUDGET_ONLY, defaults: { ...BUDGET_ONLY.defaults, riskBudgetPct: 1 }, risk: { ...BUDGET_ONLY.risk, ...varLimits(0.006) } };
    const r = review(
      [
        { id: 'held', strategy: 'volatility_premium', extra: { positions: symbolsOf(20).slice(12).map((s) => held(s, 0.2)) } },
        { id: 'p', strategy: 'statistical_arbitrage', targets: symbolsOf(6).map((symbol) => ({ symbol, weight: 0.15 })) },
      ],
      limit,
    );
    expect(r.snapshot.var95).toBeLessThanOrEqual(0.006 * C * (1 + 1e-9));
    expect(codesOf(r, 'p')).toEqual(expect.arrayContaining(['CIRCUIT_BREAKER_TIER1', 'FUND_VAR_LIMIT']));
  });
});

describe('duplicate ids', () => {
  it('an agent listed twice in the fund state: both books count in every fund limit and the review fails safe', () => {
    const s = fundState(view.asOf, C, [agentState('a', A, { positions: [held('S001', 0.2)] }), agentState('a', A, { positions: [held('S002', 0.2)] })]);
    const r = reviewFund({ proposals: [], state: s, config: fundConfig([{ id: 'a', strategy: 'momentum', capital: A }]), view, cycleId: 'dup' });
    expect(r.snapshot.gross).toBeCloseTo((0.4 * A) / C, 3); // the first book is not dropped
    expect(r.failSafe.active).toBe(true);
    expect(r.failSafe.problems.join(' ')).toMatch(/agent a appears more than once/);
    expect(r.tradingState).toBe('REDUCING');
  });

  it('a book outside the agents with an agent’s id is counted apart, not dropped', () => {
    const s = fundState(view.asOf, C, [agentState('a', A, { positions: [held('S001', 0.2)] })], { outsideBooks: [{ bookId: 'a', positions: [held('S002', 0.2)] }] });
    const r = reviewFund({ proposals: [], state: s, config: fundConfig([{ id: 'a', strategy: 'momentum', capital: A }]), view, cycleId: 'dup' });
    expect(r.snapshot.gross).toBeCloseTo((0.4 * A) / C, 3);
    expect(r.failSafe.problems.join(' ')).toMatch(/has an agent's id/);
  });
});

describe('dates', () => {
  it('a freeze whose date is not a date is kept, and the review fails safe (was lifted: "yesterday" is NaN weekdays ago)', () => {
    const r = review([{ id: 'a', strategy: 'momentum', extra: { drawdown: { state: 'flat', since: 'yesterday', recoveryStep: -1, rearm: null } }, targets: [{ symbol: 'S001', weight: 0.1 }] }], {});
    expect(finalOf(r, 'a', 'S001')).toBe(0);
    expect(codesOf(r, 'a')).toContain('AGENT_FLAT');
    expect(r.failSafe.problems.join(' ')).toMatch(/agent a drawdown since 'yesterday' is not a date/);
  });
});

describe('numbers too large for the risk math', () => {
  it('a position of 1e300 shares fails safe: reduce only, with the reason (was an Infinity VaR and no fail safe)', () => {
    const r = review([{ id: 'a', strategy: 'momentum', extra: { positions: [{ symbol: 'S001', qty: 1e300, price: px('S001') }] }, targets: [{ symbol: 'S002', weight: 0.1 }] }], {});
    expect(r.failSafe.active).toBe(true);
    expect(r.failSafe.problems.join(' ')).toMatch(/VaR is not a finite number/);
    expect(r.tradingState).not.toBe('ACTIVE');
    expect(finalOf(r, 'a', 'S002')).toBe(0);
    expect(r.alerts.some((x) => x.dedupKey === 'overlay:fail_safe')).toBe(true);
  });

  it('a proposed weight too large to measure is reduce only with RISK_NOT_FINITE', () => {
    const r = review([{ id: 'a', strategy: 'momentum', extra: { positions: [held('S001', 0.1)] }, targets: [{ symbol: 'S001', weight: 1e300 }, { symbol: 'S002', weight: 0.1 }] }], {});
    expect(codesOf(r, 'a')).toContain('RISK_NOT_FINITE');
    expect(finalOf(r, 'a', 'S002')).toBe(0);
    expect(finalOf(r, 'a', 'S001') * A).toBeLessThanOrEqual(0.1 * A + px('S001'));
    expect(r.failSafe.active).toBe(true);
  });
});

describe('names that are properties of every object', () => {
  const odd = syntheticView({ symbols: ['S000', 'S001', '__proto__', 'toString', 'constructor', 'hasOwnProperty'], seed: 5 });
  it('__proto__, toString, constructor and hasOwnProperty are capped like any other name (were uncapped or NaN)', () => {
    const names = ['S000', '__proto__', 'toString', 'constructor', 'hasOwnProperty'];
    const r = review([{ id: 'a', strategy: 'momentum', targets: names.map((symbol) => ({ symbol, weight: 0.4 })) }], { defaults: { maxPositionPct: 0.1, netExposureCap: 1 } }, {}, odd);
    for (const s of names) expect(finalOf(r, 'a', s)).toBeCloseTo(0.1, 12);
    expect(decisionOf(r, 'a').targets.every((t) => Number.isFinite(t.finalWeight))).toBe(true);
  });

  it('an agent called __proto__ keeps its positions and budget', () => {
    const s = fundState(view.asOf, C, [agentState('__proto__', A)]);
    const r = reviewFund({ proposals: [proposal('__proto__', 'momentum', view.asOf, [{ symbol: 'S001', weight: 0.05 }])], state: s, config: fundConfig([]), view, cycleId: 'p' });
    expect(Object.keys(r.positions)).toEqual(['__proto__']);
    expect(r.positions.__proto__?.[0]?.symbol).toBe('S001');
    expect(Object.keys(r.snapshot.budgets)).toEqual(['__proto__']);
  });
});

describe('at the edges: a ValidationError naming the field', () => {
  const config = fundConfig([{ id: 'm', strategy: 'momentum', capital: 10_000_000 }, { id: 'n', strategy: 'momentum', capital: 10_000_000 }]);
  const base = { fund: { capital: C }, agents: [{ id: 'm', allocatedCapital: 10_000_000 }], proposals: [{ agentId: 'm', targets: [{ symbol: 'S001', weight: 0.05 }] }] };
  const fieldOf = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      if (e instanceof ValidationError) return e.field;
      throw e;
    }
    return '(accepted)';
  };

  it('the risk service refuses duplicate agents and proposals, dates that are not dates and sizes beyond the risk math', () => {
    expect(fieldOf(() => reviewRisk({ ...base, agents: [{ id: 'm', allocatedCapital: 1 }, { id: 'n', allocatedCapital: 1 }, { id: 'm', allocatedCapital: 1 }] }, view, config))).toBe('agents[2].id');
    expect(fieldOf(() => reviewRisk({ ...base, proposals: [...base.proposals, ...base.proposals] }, view, config))).toBe('proposals[1].agentId');
    expect(fieldOf(() => reviewRisk({ ...base, agents: [{ id: 'm', allocatedCapital: 1, drawdownState: 'flat', drawdownSince: 'yesterday' }] }, view, config))).toBe('agents[0].drawdownSince');
    expect(fieldOf(() => reviewRisk({ ...base, fund: { capital: C, tradingStateSince: '2024-02-30' } }, view, config))).toBe('fund.tradingStateSince');
    expect(fieldOf(() => reviewRisk({ ...base, asOf: 'today' }, view, config))).toBe('asOf');
    expect(fieldOf(() => reviewRisk({ ...base, agents: [{ id: 'm', allocatedCapital: 1, positions: [{ symbol: 'S001', qty: 1e300, price: 10 }] }] }, view, config))).toBe('agents[0].positions[0].qty');
    expect(fieldOf(() => reviewRisk({ ...base, fund: { capital: 1e300 } }, view, config))).toBe('fund.capital');
    expect(fieldOf(() => reviewRisk({ ...base, proposals: [{ agentId: 'm', targets: [{ symbol: 'S001', weight: 1e300 }] }] }, view, config))).toBe('proposals[0].targets[0].weight');
    expect(fieldOf(() => reviewRisk(base, view, config))).toBe('(accepted)');
  });

  it('the risk service caps __proto__, toString and constructor like any other name', () => {
    const odd = syntheticView({ symbols: ['S000', '__proto__', 'toString', 'constructor'], seed: 5 });
    const out = reviewRisk({ ...base, proposals: [{ agentId: 'm', targets: ['__proto__', 'toString', 'constructor'].map((symbol) => ({ symbol, weight: 0.5 })) }] }, odd, config);
    for (const t of out.decisions[0]?.targets ?? []) expect(t.finalWeight).toBeCloseTo(0.1, 12);
  });

  it('a stored fund state is checked when loaded: ids once, real dates, sizes within the risk math', () => {
    const good = fundState(view.asOf, C, [agentState('a', A), agentState('b', A)]);
    expect(parseFundState(JSON.parse(JSON.stringify(good)))).toEqual(good);
    expect(fieldOf(() => parseFundState({ ...good, agents: [agentState('a', A), agentState('a', A)] }))).toBe('state.agents[1].agentId');
    expect(fieldOf(() => parseFundState({ ...good, outsideBooks: [{ bookId: 'b', positions: [] }] }))).toBe('state.outsideBooks[0].bookId');
    expect(fieldOf(() => parseFundState({ ...good, agents: [agentState('a', A, { drawdown: { state: 'flat', since: 'yesterday', recoveryStep: -1, rearm: null } })] }))).toBe('state.agents[0].drawdown.since');
    expect(fieldOf(() => parseFundState({ ...good, agents: [agentState('a', A, { positions: [{ symbol: 'S001', qty: 1e300, price: 10 }] })] }))).toBe('state.agents[0].positions[0].qty');
    expect(fieldOf(() => parseFundState({ ...good, capital: Number.NaN }))).toBe('state.capital');
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_DERIVED_LIMITS, type FundConfigInput, type StrategyType } from '../contracts/index.ts';
import { compositeCheck, riskModelFor, NullCheck, parseFundState, portfolioVariance, reviewFund, RiskBudgetCheck, riskScratch, zOf, type AgentBookState, type FundState, type OverlayCheck, type RuleKind } from './index.ts';
import { codesOf, decisionOf, finalOf } from './testing/helpers.ts';
import { agentState, fundConfig, fundState, proposal, syntheticView, varLimits } from './testing/fixture.ts';

const C = 100_000_000;
const A = 20_000_000;
/** Limits that do not bind unless a test tightens them. */
const LOOSE: Omit<FundConfigInput, 'fund' | 'agents'> = {
  defaults: { maxPositionPct: 1, maxSectorPct: 1, netExposureCap: 1, grossExposureCap: 1, riskBudgetPct: 1, maxDailyDrawdownPct: 0.5, maxMonthlyDrawdownPct: 0.5 },
  buckets: Object.fromEntries(['directional_equity', 'income_defensive', 'systematic_trend', 'mean_reversion', 'market_neutral', 'vol_selling'].map((b) => [b, { maxRiskAllocationPct: 1 }])),
  risk: { ...varLimits(1), maxSingleNamePct: 1, maxSectorPct: 1, maxTop5Pct: 1, maxAdvPct: 1, maxDaysToLiquidate: 1000 },
  // the checks one at a time: capital stays where the test puts it (allocation.test.ts covers the allocation)
  allocation: { method: 'fixed' },
};
const liquid = syntheticView({ U: 40, volume: () => 1e9 });

function setup(opts: { risk?: Record<string, number>; defaults?: Record<string, number>; agents?: { id: string; strategy?: StrategyType; positions?: AgentBookState['positions']; extra?: Partial<AgentBookState> }[]; state?: Partial<FundState>; view?: typeof liquid; extra?: Omit<FundConfigInput, 'fund' | 'agents'> } = {}) {
  const view = opts.view ?? liquid;
  const agents = opts.agents ?? [{ id: 'a' }];
  const config = fundConfig(
    agents.map((a) => ({ id: a.id, strategy: a.strategy ?? 'momentum', capital: A })),
    { ...LOOSE, ...opts.extra, risk: { ...LOOSE.risk, ...opts.risk }, defaults: { ...LOOSE.defaults, ...opts.defaults } },
    C,
  );
  const state = fundState(view.asOf, C, agents.map((a) => agentState(a.id, A, { positions: a.positions ?? [], ...a.extra })), opts.state);
  return { view, config, state };
}

const px = (s: string) => liquid.close(liquid.column(s));
const review = (s: ReturnType<typeof setup>, proposals: ReturnType<typeof proposal>[]) => reviewFund({ ...s, proposals, cycleId: 'c1' });

describe('cross-agent constraints (seed §3A)', () => {
  it('a name is capped at 5% of the fund across agents, the second agent gets what is left', () => {
    const s = setup({ risk: { maxSingleNamePct: 0.05 }, agents: [{ id: 'a' }, { id: 'b' }] });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S000', weight: 0.2 }]), proposal('b', 'momentum', s.view.asOf, [{ symbol: 'S000', weight: 0.2 }])]);
    expect(finalOf(r, 'a', 'S000')).toBeCloseTo(0.2, 9); // 4% of the fund
    expect(finalOf(r, 'b', 'S000')).toBeCloseTo(0.05, 9); // 1% left of 5%
    expect(codesOf(r, 'b')).toContain('SINGLE_NAME_CAP');
    expect(decisionOf(r, 'b').action).toBe('MODIFY');
  });

  it('a sector is capped at 20% of the fund', () => {
    const s = setup({ risk: { maxSectorPct: 0.2 } });
    const tech = ['S000', 'S012', 'S018', 'S024', 'S030']; // every 6th name is Technology
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, tech.map((symbol) => ({ symbol, weight: 0.25 })))]); // 5 × 5% = 25%
    for (const t of tech) expect(finalOf(r, 'a', t)).toBeCloseTo(0.2, 9); // 5 × 4% = 20%
    expect(codesOf(r, 'a')).toContain('SECTOR_CAP');
  });

  it('a position is capped at 10% of ADV', () => {
    const view = syntheticView({ U: 40 });
    const s = setup({ view, risk: { maxAdvPct: 0.1 } });
    const u = view.column('S001');
    const advDollars = view.value('adv20', u) * view.close(u);
    const w = (0.3 * advDollars) / A;
    const r = review(s, [proposal('a', 'momentum', view.asOf, [{ symbol: 'S001', weight: w }])]);
    expect(finalOf(r, 'a', 'S001') * A).toBeCloseTo(0.1 * advDollars, 2);
    expect(codesOf(r, 'a')).toContain('ADV_CAP');
  });

  it('no new position below the $500M minimum market cap', () => {
    const s = setup({ risk: { minMarketCap: 500_000_000 } });
    const small = liquid.value('marketCap', liquid.column('S006'));
    expect(small).toBeLessThan(500_000_000);
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S006', weight: 0.05 }, { symbol: 'S001', weight: 0.05 }])]);
    expect(finalOf(r, 'a', 'S006')).toBe(0);
    expect(finalOf(r, 'a', 'S001')).toBeCloseTo(0.05, 12);
    expect(decisionOf(r, 'a').riskActions.find((x) => x.symbol === 'S006')?.actionType).toBe('REJECTED');
  });

  it('the top five names are capped at 40% of the fund', () => {
    const s = setup({ risk: { maxTop5Pct: 0.4, maxSingleNamePct: 0.12, maxGrossExposure: 3, maxLeverage: 3, maxNetExposure: 3 }, defaults: { grossExposureCap: 3, leverageLimit: 3, netExposureCap: 3 } });
    const names = ['S000', 'S001', 'S002', 'S003', 'S004'];
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, names.map((symbol) => ({ symbol, weight: 0.5 })))]); // 5 × 10% = 50%
    const top = names.reduce((acc, n) => acc + finalOf(r, 'a', n) * A, 0) / C;
    expect(top).toBeCloseTo(0.4, 6);
    expect(codesOf(r, 'a')).toContain('TOP5_CAP');
  });
});

describe('agent caps (seed §1A)', () => {
  it('gross above 1× allocated capital is scaled to 1×', () => {
    const s = setup({ defaults: { grossExposureCap: 1, netExposureCap: 1 } });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S000', weight: 0.9 }, { symbol: 'S001', weight: -0.6 }])]);
    expect(finalOf(r, 'a', 'S000')).toBeCloseTo(0.6, 9);
    expect(finalOf(r, 'a', 'S001')).toBeCloseTo(-0.4, 9);
    expect(decisionOf(r, 'a').action).toBe('SCALE');
    expect(decisionOf(r, 'a').scale).toBeCloseTo(2 / 3, 9);
  });

  it('net above 0.5× allocated capital is scaled to 0.5×', () => {
    const s = setup({ defaults: { netExposureCap: 0.5 } });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S000', weight: 0.4 }, { symbol: 'S001', weight: 0.4 }])]);
    expect(finalOf(r, 'a', 'S000')).toBeCloseTo(0.25, 9);
    expect(codesOf(r, 'a')).toContain('NET_CAP');
  });

  it('a 3% daily loss lets the agent only reduce', () => {
    const pos = [{ symbol: 'S000', qty: Math.round((0.1 * A) / px('S000')), price: px('S000') }];
    const s = setup({ defaults: { maxDailyDrawdownPct: 0.03 }, agents: [{ id: 'a', positions: pos, extra: { dailyPnl: -0.03 * A } }] });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S000', weight: 0.2 }, { symbol: 'S001', weight: 0.1 }])]);
    const cur = (pos[0]?.qty ?? 0) * px('S000');
    expect(finalOf(r, 'a', 'S000') * A).toBeCloseTo(cur, 2);
    expect(finalOf(r, 'a', 'S001')).toBe(0);
    expect(codesOf(r, 'a')).toContain('DAILY_LOSS_LIMIT');
    const ok = setup({ defaults: { maxDailyDrawdownPct: 0.03 }, agents: [{ id: 'a', positions: pos, extra: { dailyPnl: -0.029 * A } }] });
    expect(codesOf(review(ok, [proposal('a', 'momentum', ok.view.asOf, [{ symbol: 'S001', weight: 0.1 }])]), 'a')).not.toContain('DAILY_LOSS_LIMIT');
  });

  it('an 8% monthly loss lets the agent only reduce', () => {
    const s = setup({ defaults: { maxMonthlyDrawdownPct: 0.08, maxDailyDrawdownPct: 0.03 }, agents: [{ id: 'a', extra: { monthlyPnl: -0.08 * A } }] });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S001', weight: 0.1 }])]);
    expect(finalOf(r, 'a', 'S001')).toBe(0);
    expect(codesOf(r, 'a')).toContain('MONTHLY_LOSS_LIMIT');
  });
});

describe('VaR budget (seed §1A: WITHIN_BUDGET / WARNING > 80% / BREACH)', () => {
  const book = [{ symbol: 'S000', weight: 0.3 }, { symbol: 'S007', weight: 0.3 }, { symbol: 'S014', weight: -0.2 }];
  const agentVar = (() => {
    const m = riskModelFor(liquid, ['S000', 'S007', 'S014'], fundConfig([])); // the model the review uses
    const x = Float64Array.from(book.map((b) => b.weight * A));
    return zOf(0.95) * Math.sqrt(portfolioVariance(m, x, riskScratch(m)));
  })();
  const withUse = (used: number) => setup({ risk: { ...varLimits(agentVar / used / C) } });

  it('uses of 79% and 81% are WITHIN_BUDGET and WARNING', () => {
    const s79 = withUse(0.79);
    const r79 = review(s79, [proposal('a', 'momentum', s79.view.asOf, book)]);
    expect(r79.snapshot.budgets.a?.status).toBe('WITHIN_BUDGET');
    expect(r79.snapshot.budgets.a?.used).toBeCloseTo(0.79, 6);
    expect(codesOf(r79, 'a')).not.toContain('VAR_BUDGET_WARNING');
    const s81 = withUse(0.81);
    const r81 = review(s81, [proposal('a', 'momentum', s81.view.asOf, book)]);
    expect(r81.snapshot.budgets.a?.status).toBe('WARNING');
    expect(codesOf(r81, 'a')).toContain('VAR_BUDGET_WARNING');
    expect(decisionOf(r81, 'a').action).toBe('APPROVE');
  });

  it('a breach scales the book to fit its budget (125% use → × 0.8)', () => {
    const s = withUse(1.25);
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, book)]);
    expect(codesOf(r, 'a')).toContain('VAR_BUDGET_BREACH');
    expect(decisionOf(r, 'a').scale).toBeCloseTo(0.8, 6);
    expect(r.snapshot.budgets.a?.used).toBeCloseTo(1, 6);
  });
});

describe('trading states', () => {
  const held = ['S000', 'S001', 'S002'].map((symbol, i) => ({ symbol, qty: Math.round((0.1 * A) / px(symbol)) * (i === 2 ? -1 : 1), price: px(symbol) }));
  it('REDUCING lets only exposure-reducing changes through', () => {
    const s = setup({ agents: [{ id: 'a', positions: held }], state: { tradingState: 'REDUCING', tradingStateSince: liquid.asOf } });
    const cur = (i: number) => ((held[i]?.qty ?? 0) * px(held[i]?.symbol ?? '')) / A;
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S000', weight: 0.2 }, { symbol: 'S001', weight: 0.05 }, { symbol: 'S002', weight: 0.1 }, { symbol: 'S003', weight: 0.1 }])]);
    expect(finalOf(r, 'a', 'S000')).toBeCloseTo(cur(0), 12); // increase held at current
    expect(finalOf(r, 'a', 'S001')).toBeCloseTo(0.05, 12); // reduction passes
    expect(finalOf(r, 'a', 'S002')).toBe(0); // a flip from short to long is cut at 0
    expect(finalOf(r, 'a', 'S003')).toBe(0); // nothing new
  });

  it('HALTED approves nothing: the proposal is blocked and the current book stands', () => {
    const s = setup({ agents: [{ id: 'a', positions: held }], state: { tradingState: 'HALTED', tradingStateSince: liquid.asOf } });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S003', weight: 0.3 }])]);
    const d = decisionOf(r, 'a');
    expect(d.action).toBe('BLOCK');
    expect(d.scale).toBe(0);
    expect(finalOf(r, 'a', 'S003')).toBe(0);
    expect(finalOf(r, 'a', 'S000')).toBeCloseTo(((held[0]?.qty ?? 0) * px('S000')) / A, 12);
    expect(codesOf(r, 'a')).toContain('FUND_HALTED');
  });
});

describe('regimes, circuit breaker and emergency (mini-quant §3, risk-service §4)', () => {
  const book = [{ symbol: 'S001', weight: 0.1 }, { symbol: 'S002', weight: 0.1 }];
  it.each([
    ['BULL_QUIET', 1],
    ['BULL_VOLATILE', 0.7],
    ['BEAR_QUIET', 0.5],
  ] as const)('regime %s multiplies books by %s', (regime, m) => {
    const s = setup({ state: { regime } });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, book)]);
    expect(finalOf(r, 'a', 'S001')).toBeCloseTo(0.1 * m, 12);
  });

  it('BEAR_CRISIS (0.0) allows no new risk', () => {
    const s = setup({ state: { regime: 'BEAR_CRISIS' } });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, book)]);
    expect(finalOf(r, 'a', 'S001')).toBe(0);
    expect(codesOf(r, 'a')).toContain('REGIME_BLOCK');
  });

  it('tier 1 scales to the VaR limit, tier 2 (VaR > 1.5× limit) sizes at 25%', () => {
    const m = riskModelFor(liquid, ['S001', 'S002'], fundConfig([]));
    const v = zOf(0.95) * Math.sqrt(portfolioVariance(m, Float64Array.from([0.1 * A, 0.1 * A]), riskScratch(m)));
    const t1 = setup({ risk: { ...varLimits(v / 1.2 / C) } });
    const r1 = review(t1, [proposal('a', 'momentum', t1.view.asOf, book)]);
    expect(codesOf(r1, 'a')).toContain('CIRCUIT_BREAKER_TIER1');
    expect(finalOf(r1, 'a', 'S001')).toBeCloseTo(0.1 / 1.2, 6);
    const t2 = setup({ risk: { ...varLimits(v / 1.6 / C) } });
    const r2 = review(t2, [proposal('a', 'momentum', t2.view.asOf, book)]);
    expect(codesOf(r2, 'a')).toContain('CIRCUIT_BREAKER_TIER2');
    expect(finalOf(r2, 'a', 'S001')).toBeCloseTo(0.025, 9);
  });

  it('an emergency tightens caps by 50%, forces books down and puts the fund in REDUCING', () => {
    const held = [{ symbol: 'S001', qty: Math.round((0.2 * A) / px('S001')), price: px('S001') }];
    const s = setup({ agents: [{ id: 'a', positions: held }], state: { emergency: true } });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S001', weight: 0.2 }, { symbol: 'S002', weight: 0.1 }])]);
    expect(r.tradingState).toBe('REDUCING');
    expect(finalOf(r, 'a', 'S001')).toBeCloseTo(0.1, 12); // forced down by half, below the current 20%
    expect(finalOf(r, 'a', 'S002')).toBe(0);
    expect(codesOf(r, 'a')).toContain('EMERGENCY_DERISK');
  });
});

describe('risk-reducing trades are never held back by a regime or a trading state (issue 15)', () => {
  // the agent holds 20% long S001; the hedge keeps it and shorts 10% of S002: the fund's VaR and net long fall
  const held = () => [{ symbol: 'S001', qty: (0.2 * A) / px('S001'), price: px('S001') }];
  const hedge = [{ symbol: 'S001', weight: 0.2 }, { symbol: 'S002', weight: -0.1 }];
  const run = (state: Partial<FundState>, book: { symbol: string; weight: number }[]) => {
    const s = setup({ agents: [{ id: 'a', positions: held() }], state });
    return review(s, [proposal('a', 'momentum', s.view.asOf, book)]);
  };

  it('the hedge lowers the fund\'s VaR and net (the premise)', () => {
    const m = riskModelFor(liquid, ['S001', 'S002'], fundConfig([]));
    const sigma = (x: number[]) => Math.sqrt(portfolioVariance(m, Float64Array.from(x), riskScratch(m)));
    expect(sigma([0.2 * A, -0.1 * A])).toBeLessThan(sigma([0.2 * A, 0]));
  });

  it.each([
    ['BEAR_CRISIS', 'ACTIVE'],
    ['BEAR_QUIET', 'ACTIVE'],
    ['BULL_QUIET', 'REDUCING'],
    ['BULL_QUIET', 'HALTED'],
  ] as const)('in %s and %s the hedge passes whole, with an info reason', (regime, tradingState) => {
    const r = run({ regime, tradingState, tradingStateSince: liquid.asOf }, hedge);
    expect(decisionOf(r, 'a').action).toBe('APPROVE');
    expect(finalOf(r, 'a', 'S002')).toBeCloseTo(-0.1, 12);
    expect(finalOf(r, 'a', 'S001')).toBeCloseTo(0.2, 12);
    expect(codesOf(r, 'a')).toContain('REGIME_RISK_REDUCING');
    expect(codesOf(r, 'a')).not.toContain('REGIME_BLOCK');
  });

  it('new risk is still held back: a new long in BEAR_CRISIS, and an over-hedge that turns the fund net short by more', () => {
    const long = run({ regime: 'BEAR_CRISIS' }, [{ symbol: 'S001', weight: 0.2 }, { symbol: 'S003', weight: 0.1 }]);
    expect(finalOf(long, 'a', 'S003')).toBe(0);
    expect(codesOf(long, 'a')).toContain('REGIME_BLOCK');
    const over = run({ regime: 'BEAR_CRISIS' }, [{ symbol: 'S001', weight: 0.2 }, { symbol: 'S002', weight: -0.5 }]);
    expect(finalOf(over, 'a', 'S002')).toBeCloseTo(0, 12);
    expect(codesOf(over, 'a')).not.toContain('REGIME_RISK_REDUCING');
    const halted = run({ tradingState: 'HALTED', tradingStateSince: liquid.asOf }, [{ symbol: 'S001', weight: 0.3 }]);
    expect(decisionOf(halted, 'a').action).toBe('BLOCK');
  });
});
/** The fund's default 10% risk target (LOOSE's VaR limit implies a far larger one): the ladders are in its units. */
/** A 10% risk target with the loss limits it implies (LOOSE's VaR limit implies 965%). */
const TARGET_10 = { targetVolPct: 0.1, varLimitPct: DEFAULT_DERIVED_LIMITS.varLimitPct, cvarLimitPct: DEFAULT_DERIVED_LIMITS.cvarLimitPct };

describe('graduated drawdowns through the committee', () => {
  const book = [{ symbol: 'S001', weight: 0.1 }];
  // ±1% a day: an annualised vol of 15.9%, so the steps sit at 23.9% (1.5σ), 31.8%, 39.8% and 47.7% (3σ)
  const returns = Array.from({ length: 100 }, (_, i) => (i % 2 ? 0.01 : -0.01));
  it('an agent 1.5σ of its own vol under its high-water mark is halved, at 3σ it is paused and flattened', () => {
    const s = setup({ risk: TARGET_10, agents: [{ id: 'a', extra: { equity: 0.76 * A, returns } }] });
    const half = review(s, [proposal('a', 'momentum', s.view.asOf, book)]);
    expect(finalOf(half, 'a', 'S001')).toBeCloseTo(0.05, 12);
    const track = half.nextState.agents[0]?.drawdown;
    expect(track).toMatchObject({ state: 'reduced_50', entryDrawdown: 0.24 });
    expect(track?.unitVol).toBeCloseTo(Math.sqrt(0.01 / 99) * Math.sqrt(252), 12);
    // the track, with its entry level and unit, survives the store's schema
    expect(parseFundState(JSON.parse(JSON.stringify(half.nextState)))).toEqual(half.nextState);
    const n = setup({ risk: TARGET_10, agents: [{ id: 'a', extra: { equity: 0.77 * A, returns } }] });
    expect(finalOf(review(n, [proposal('a', 'momentum', n.view.asOf, book)]), 'a', 'S001')).toBeCloseTo(0.1, 12);
    const p = setup({ risk: TARGET_10, agents: [{ id: 'a', extra: { equity: 0.52 * A, returns } }] });
    const r = review(p, [proposal('a', 'momentum', p.view.asOf, book)]);
    expect(finalOf(r, 'a', 'S001')).toBe(0);
    expect(codesOf(r, 'a')).toContain('AGENT_PAUSED');
    expect(r.nextState.agents[0]?.drawdown.state).toBe('paused');
  });

  it('a paused agent that proposes nothing is a BLOCK at scale 0, and a halved one a SCALE at 0.5: the action says what the reasons say', () => {
    const p = setup({ risk: TARGET_10, agents: [{ id: 'a', extra: { equity: 0.52 * A, returns } }] });
    const paused = decisionOf(review(p, [proposal('a', 'momentum', p.view.asOf, [])]), 'a');
    expect(paused.reasons.map((x) => x.code)).toContain('AGENT_PAUSED');
    expect(paused).toMatchObject({ action: 'BLOCK', scale: 0 });
    const h = setup({ risk: TARGET_10, agents: [{ id: 'a', extra: { equity: 0.76 * A, returns } }] });
    const half = decisionOf(review(h, [proposal('a', 'momentum', h.view.asOf, [])]), 'a');
    expect(half.reasons.map((x) => x.code)).toContain('AGENT_DRAWDOWN_STEP');
    expect(half).toMatchObject({ action: 'SCALE', scale: 0.5 });
  });

  it('rebase: an agent that held its reduce step for the cooldown comes back to full size, its high-water mark at the entry level', () => {
    const track = { state: 'reduced_50' as const, since: '2020-01-01', recoveryStep: -1, rearm: null, entryDrawdown: 0.24, unitVol: 0.159 };
    const s = setup({ risk: TARGET_10, agents: [{ id: 'a', extra: { equity: 0.75 * A, returns, drawdown: track } }] });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, book)]);
    expect(finalOf(r, 'a', 'S001')).toBeCloseTo(0.1, 12);
    expect(r.nextState.agents[0]?.drawdown.state).toBe('normal');
    expect(r.nextState.agents[0]?.highWaterMark).toBeCloseTo(0.76 * A, 6);
    const e = setup({ risk: TARGET_10, agents: [{ id: 'a', extra: { equity: 0.75 * A, returns, drawdown: track } }], extra: { drawdown: { recovery: 'earn_back' } } });
    const re = review(e, [proposal('a', 'momentum', e.view.asOf, book)]);
    expect(finalOf(re, 'a', 'S001')).toBeCloseTo(0.05, 12);
    expect(re.nextState.agents[0]?.highWaterMark).toBe(A);
  });

  it('the fund 1 × its 10% risk target under its high-water mark halves every agent; at 1.4× it flattens', () => {
    const s = setup({ risk: TARGET_10, agents: [{ id: 'a' }, { id: 'b' }], state: { highWaterMark: C / 0.9 } });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, book), proposal('b', 'momentum', s.view.asOf, [{ symbol: 'S002', weight: 0.1 }])]);
    expect(finalOf(r, 'a', 'S001')).toBeCloseTo(0.05, 9);
    expect(finalOf(r, 'b', 'S002')).toBeCloseTo(0.05, 9);
    const h = setup({ risk: TARGET_10, agents: [{ id: 'a' }], state: { highWaterMark: C / 0.91 } });
    expect(finalOf(review(h, [proposal('a', 'momentum', h.view.asOf, book)]), 'a', 'S001')).toBeCloseTo(0.1, 9);
    const f = setup({ risk: TARGET_10, state: { highWaterMark: C / 0.86 } });
    const rf = review(f, [proposal('a', 'momentum', f.view.asOf, book)]);
    expect(finalOf(rf, 'a', 'S001')).toBe(0);
    expect(codesOf(rf, 'a')).toContain('FUND_FLATTEN');
  });
});

describe('correlation monitor (seed §2A): acts on a spike over the pair\'s own baseline, not on a level', () => {
  const base = Array.from({ length: 60 }, (_, i) => Math.sin(i * 1.7) * 0.01);
  const twin = base.map((x, i) => x + (i % 2 ? 0.006 : -0.006));
  const rho = (() => {
    const ma = base.reduce((a, b) => a + b, 0) / 60;
    const mb = twin.reduce((a, b) => a + b, 0) / 60;
    let sab = 0, saa = 0, sbb = 0;
    for (let i = 0; i < 60; i++) {
      sab += ((base[i] ?? 0) - ma) * ((twin[i] ?? 0) - mb);
      saa += ((base[i] ?? 0) - ma) ** 2;
      sbb += ((twin[i] ?? 0) - mb) ** 2;
    }
    return sab / Math.sqrt(saa * sbb);
  })();
  // 190 earlier days on which the two agents' P&L are unrelated: a low baseline
  const calmA = Array.from({ length: 190 }, (_, i) => Math.sin(i * 0.9 + 0.3) * 0.01);
  const calmB = Array.from({ length: 190 }, (_, i) => Math.cos(i * 2.3 + 0.1) * 0.01);

  it('a pair whose 60-day correlation rose above 0.7 and more than 0.3 over its 250-day baseline scales the agent by 0.7 / ρ', () => {
    expect(rho).toBeGreaterThan(0.7);
    expect(rho).toBeLessThan(0.8);
    const s = setup({ agents: [{ id: 'a', extra: { returns: [...calmA, ...base] } }, { id: 'b', extra: { returns: [...calmB, ...twin] } }] });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S001', weight: 0.1 }])]);
    expect(codesOf(r, 'a')).toEqual(['AGENT_CORRELATION']);
    expect(finalOf(r, 'a', 'S001')).toBeCloseTo((0.1 * 0.7) / rho, 9);
  });

  it('a pair that has always moved together (a high level, no rise) is not scaled', () => {
    const s = setup({ agents: [{ id: 'a', extra: { returns: [...calmA, ...base] } }, { id: 'b', extra: { returns: [...calmA.map((x, i) => x + (i % 2 ? 0.006 : -0.006)), ...twin] } }] });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S001', weight: 0.1 }])]);
    expect(codesOf(r, 'a')).toEqual([]);
    expect(finalOf(r, 'a', 'S001')).toBeCloseTo(0.1, 12);
  });

  it('an agent that did not trade through the baseline window (flat for a month of it) does not count', () => {
    const idle = [...calmB.map((x, i) => (i < 20 ? 0 : x)), ...twin];
    const s = setup({ agents: [{ id: 'a', extra: { returns: [...calmA, ...base] } }, { id: 'b', extra: { returns: idle } }] });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S001', weight: 0.1 }])]);
    expect(codesOf(r, 'a')).toEqual([]);
  });

  it('a history shorter than the baseline (60 days) does not count', () => {
    const s = setup({ agents: [{ id: 'a', extra: { returns: base } }, { id: 'b', extra: { returns: twin } }] });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S001', weight: 0.1 }])]);
    expect(codesOf(r, 'a')).toEqual([]);
  });
});

describe('CROWDED_NAME is information, not an action (issue 15)', () => {
  const book = [{ symbol: 'S001', weight: 0.05 }];
  const crowded = () => {
    const s = setup({ agents: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] });
    return review(s, ['a', 'b', 'c'].map((id) => proposal(id, 'momentum', s.view.asOf, book)));
  };

  it('three agents on one name: each decision is APPROVED, the reason reported, nothing removed', () => {
    const r = crowded();
    expect(codesOf(r, 'c')).toEqual(['CROWDED_NAME']);
    for (const id of ['a', 'b', 'c']) {
      expect(decisionOf(r, id).action).toBe('APPROVE');
      expect(finalOf(r, id, 'S001')).toBeCloseTo(0.05, 12);
    }
    expect(r.bindingConstraints.effects).toEqual([]);
    expect(r.positions.c?.[0]?.reasoning).toBe('approved');
    expect(decisionOf(r, 'c').riskActions.map((x) => [x.actionType, x.details.reasons])).toEqual([['OK', []]]);
  });

  it('a crowded name capped by another rule is not said to be capped for crowding', () => {
    const s = setup({ risk: { maxSingleNamePct: 0.02 }, agents: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] });
    const r = review(s, ['a', 'b', 'c'].map((id) => proposal(id, 'momentum', s.view.asOf, book)));
    expect(codesOf(r, 'c')).toContain('CROWDED_NAME');
    const why = r.positions.c?.[0]?.reasoning ?? '';
    expect(why).toContain('SINGLE_NAME_CAP');
    expect(why).not.toContain('CROWDED_NAME');
  });
});

describe('fail safe (risk-service-plan §6)', () => {
  it('a position that cannot be valued sends the fund to REDUCING with an alert; nothing new is approved', () => {
    const s = setup({ agents: [{ id: 'a', positions: [{ symbol: 'NOPE', qty: 100, price: Number.NaN }] }] });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S001', weight: 0.1 }])]);
    expect(r.failSafe.active).toBe(true);
    expect(r.tradingState).toBe('REDUCING');
    expect(finalOf(r, 'a', 'S001')).toBe(0);
    expect(r.alerts.some((a) => a.severity === 'CRITICAL' && a.dedupKey === 'overlay:fail_safe')).toBe(true);
  });

  it('a fund state as of another day than the market view sends the fund to REDUCING', () => {
    const s = setup({ state: { asOf: '2020-01-02' } });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S001', weight: 0.1 }])]);
    expect(r.failSafe.problems[0]).toMatch(/fund state is as of 2020-01-02/);
    expect(r.tradingState).toBe('REDUCING');
  });

  it('an inconsistent config sends the fund to REDUCING', () => {
    const s = setup();
    const bad = { ...s.config, risk: { ...s.config.risk, maxNetExposure: 5, maxGrossExposure: 1 } };
    const r = reviewFund({ ...s, config: bad, proposals: [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S001', weight: 0.1 }])], cycleId: 'c' });
    expect(r.failSafe.problems[0]).toMatch(/config is inconsistent/);
    expect(finalOf(r, 'a', 'S001')).toBe(0);
  });
});

describe('liquidity (seed §4B)', () => {
  it('the fund position is capped at 3 days to liquidate at 10% participation; a stressed exit over 3 days is a warning', () => {
    const view = syntheticView({ U: 40, volume: () => 1e5 });
    const s = setup({ view, risk: { maxDaysToLiquidate: 3 } });
    const u = view.column('S001');
    const advDollars = view.value('adv20', u) * view.close(u);
    const r = review(s, [proposal('a', 'momentum', view.asOf, [{ symbol: 'S001', weight: (0.5 * advDollars) / A }])]);
    expect(finalOf(r, 'a', 'S001') * A).toBeCloseTo(0.3 * advDollars, 2);
    expect(codesOf(r, 'a')).toEqual(['DAYS_TO_LIQUIDATE']);
    const stressed = review(s, [proposal('a', 'momentum', view.asOf, [{ symbol: 'S001', weight: (0.2 * advDollars) / A }])]); // 2 days, 4 when volume halves
    expect(codesOf(stressed, 'a')).toEqual(['STRESSED_DAYS_TO_LIQUIDATE']);
    expect(finalOf(stressed, 'a', 'S001') * A).toBeCloseTo(0.2 * advDollars, 2);
    const ok = review(s, [proposal('a', 'momentum', view.asOf, [{ symbol: 'S001', weight: (0.14 * advDollars) / A }])]);
    expect(codesOf(ok, 'a')).toEqual([]);
  });

  it('a current book given as weights is valued at allocated capital', () => {
    const s = setup({ agents: [{ id: 'a', extra: { weights: [{ symbol: 'S001', weight: 0.1 }] } }], state: { tradingState: 'REDUCING', tradingStateSince: liquid.asOf } });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S001', weight: 0.3 }])]);
    expect(finalOf(r, 'a', 'S001')).toBeCloseTo(0.1, 12);
    expect(r.positions.a?.[0]?.currentNotional).toBeCloseTo(0.1 * A, 6);
  });
});

describe('Null and Composite checks', () => {
  it('a review with only the Null check approves as proposed; a composite folds its parts', () => {
    const s = setup({ defaults: { maxPositionPct: 0.1 } });
    const p = [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S001', weight: 0.3 }])];
    const r = reviewFund({ ...s, proposals: p, cycleId: 'n', checks: [NullCheck] });
    expect(decisionOf(r, 'a').action).toBe('APPROVE');
    expect(finalOf(r, 'a', 'S001')).toBe(0.3);
    const c = reviewFund({ ...s, proposals: p, cycleId: 'c', checks: [compositeCheck('both', [NullCheck, RiskBudgetCheck])] });
    expect(finalOf(c, 'a', 'S001')).toBeCloseTo(0.1, 12);
    expect(decisionOf(c, 'a').checks[0]?.check).toBe('both');
  });
});

describe('the committee combines rules by their declared kind, never by name', () => {
  // two rules of a user's own, named like nothing the overlay knows
  const scaler = (name: string, kind: RuleKind, scale: number): OverlayCheck => ({ name, kind, review: () => ({ check: name, status: 'WARNING', scale, caps: {}, removed: [], block: false, reasons: [] }) });
  it('policies compound (0.5 × 0.7), fits take the tightest (0.5), and the book takes the smaller of the two', () => {
    const s = setup();
    const p = [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S001', weight: 0.1 }])];
    const run = (checks: OverlayCheck[]) => finalOf(reviewFund({ ...s, proposals: p, cycleId: 'k', checks }), 'a', 'S001');
    expect(run([scaler('house_view', 'policy', 0.5), scaler('desk_mood', 'policy', 0.7)])).toBeCloseTo(0.035, 12);
    expect(run([scaler('house_view', 'fit', 0.5), scaler('desk_mood', 'fit', 0.7)])).toBeCloseTo(0.05, 12);
    expect(run([scaler('house_view', 'policy', 0.5), scaler('desk_mood', 'policy', 0.7), scaler('limit', 'fit', 0.3)])).toBeCloseTo(0.03, 12);
    // a composite of policies is a policy, of anything else a fit
    expect(compositeCheck('both', [scaler('x', 'policy', 0.5), scaler('y', 'policy', 0.5)]).kind).toBe('policy');
    expect(compositeCheck('both', [scaler('x', 'policy', 0.5), RiskBudgetCheck]).kind).toBe('fit');
  });
});

describe('malformed input', () => {
  it('a second proposal from the same agent is ignored with an alert; one decision per agent', () => {
    const s = setup();
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S001', weight: 0.05 }]), proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S002', weight: 0.05 }])]);
    expect(r.decisions.length).toBe(1);
    expect(finalOf(r, 'a', 'S001')).toBeCloseTo(0.05, 12);
    expect(r.alerts.some((x) => x.dedupKey === 'overlay:duplicate:a')).toBe(true);
  });

  it('a proposal naming a name twice is rejected and the current book stands', () => {
    const held = [{ symbol: 'S003', qty: 1000, price: px('S003') }];
    const s = setup({ agents: [{ id: 'a', positions: held }] });
    const r = review(s, [proposal('a', 'momentum', s.view.asOf, [{ symbol: 'S001', weight: 0.05 }, { symbol: 'S001', weight: 0.02 }])]);
    expect(decisionOf(r, 'a').action).toBe('BLOCK');
    expect(codesOf(r, 'a')).toContain('MALFORMED_PROPOSAL');
    expect(finalOf(r, 'a', 'S001')).toBe(0);
    expect(finalOf(r, 'a', 'S003') * A).toBeCloseTo(1000 * px('S003'), 6);
  });
});

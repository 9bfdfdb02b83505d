/**
 * The binding-constraint report (docs/overlay.md "Binding constraints"): what each rule removed.
 * Property: over random proposals and fund states, the rules' gross sums to Σ (|proposed| − |final|)
 * of the decisions' targets and their VaR to the proposed fund VaR − the final one, both computed
 * here from the proposals and the risk model, not from the report.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FundConfigInput, StrategyType } from '../contracts/index.ts';
import { lineIntegrals } from './binding.ts';
import { portfolioVariance, reviewFund, riskModelFor, riskScratch, zOf, type AgentBookState, type FundReview, type FundState } from './index.ts';
import { agentState, fundConfig, fundState, proposal, SEED_AGENT_DRAWDOWN, SEED_DRAWDOWN, symbolsOf, syntheticView, varLimits } from './testing/fixture.ts';

const C = 100_000_000;
const A = 20_000_000;
const BUCKETS = ['directional_equity', 'income_defensive', 'systematic_trend', 'mean_reversion', 'market_neutral', 'vol_selling'];
/** Limits that do not bind unless a test tightens them. */
const LOOSE: Omit<FundConfigInput, 'fund' | 'agents'> = {
  ...SEED_DRAWDOWN,
  defaults: { maxPositionPct: 1, maxSectorPct: 1, netExposureCap: 1, grossExposureCap: 1, riskBudgetPct: 1, maxDailyDrawdownPct: 0.5, maxMonthlyDrawdownPct: 0.5 },
  buckets: Object.fromEntries(BUCKETS.map((b) => [b, { maxRiskAllocationPct: 1 }])),
  risk: { ...varLimits(1), maxSingleNamePct: 1, maxSectorPct: 1, maxTop5Pct: 1, maxAdvPct: 1, maxDaysToLiquidate: 1000 },
};
const view = syntheticView({ U: 40, volume: () => 1e9 });
const px = (s: string) => view.close(view.column(s));

function setup(o: { risk?: Record<string, number>; defaults?: Record<string, number>; agents?: { id: string; extra?: Partial<AgentBookState> }[]; state?: Partial<FundState> } = {}) {
  const agents = o.agents ?? [{ id: 'a' }];
  const config = fundConfig(
    agents.map((a) => ({ id: a.id, strategy: 'momentum' as StrategyType, capital: A })),
    { ...LOOSE, risk: { ...LOOSE.risk, ...o.risk }, defaults: { ...LOOSE.defaults, ...o.defaults } },
    C,
  );
  return { view, config, state: fundState(view.asOf, C, agents.map((a) => agentState(a.id, A, a.extra)), o.state) };
}

const BOOK = [
  { symbol: 'S001', weight: 0.2 },
  { symbol: 'S002', weight: -0.1 },
  { symbol: 'S003', weight: 0.15 },
];
const GROSS = 0.45 * A;

/** Fund VaR of a dollar book (symbol → dollars) in the review's risk model. */
function varOf(s: ReturnType<typeof setup>, book: ReadonlyMap<string, number>): number {
  const syms = [...book.keys()];
  const m = riskModelFor(view, syms, s.config);
  return zOf(s.config.risk.varConfidence) * Math.sqrt(portfolioVariance(m, Float64Array.from(syms.map((x) => book.get(x) ?? 0)), riskScratch(m)));
}

const effect = (r: FundReview, rule: string) => r.bindingConstraints.effects.filter((e) => e.rule === rule).reduce((a, e) => ({ gross: a.gross + e.gross, var: a.var + e.var }), { gross: 0, var: 0 });
const rulesOf = (r: FundReview) => [...new Set(r.bindingConstraints.effects.map((e) => e.rule))].sort();

describe('binding constraints: what each rule removed', () => {
  it('a regime multiplier of 0.7, alone: 30% of the proposed gross and of the proposed fund VaR, a policy rule', () => {
    const s = setup({ state: { regime: 'BULL_VOLATILE' } });
    const r = reviewFund({ ...s, proposals: [proposal('a', 'momentum', view.asOf, BOOK)], cycleId: 'c1' });
    const proposedVar = varOf(s, new Map(BOOK.map((b) => [b.symbol, b.weight * A])));
    expect(rulesOf(r)).toEqual(['regime']);
    expect(r.bindingConstraints.proposedGross).toBeCloseTo(GROSS, 4);
    expect(r.bindingConstraints.proposedVar).toBeCloseTo(proposedVar, 4);
    expect(effect(r, 'regime').gross).toBeCloseTo(0.3 * GROSS, 4);
    expect(effect(r, 'regime').var).toBeCloseTo(0.3 * proposedVar, 4);
    expect(r.bindingConstraints.finalVar).toBeCloseTo(r.snapshot.var95, 6);
    expect(r.bindingConstraints.effects[0]?.policy).toBe(true);
  });

  it('policy multipliers compound and share by their logarithms: drawdown 0.5 × regime 0.7 removes 65%, split ln 0.5 : ln 0.7', () => {
    const s = setup({ agents: [{ id: 'a', extra: { equity: 0.97 * A } }], state: { regime: 'BULL_VOLATILE' } });
    const r = reviewFund({ ...s, proposals: [proposal('a', 'momentum', view.asOf, BOOK)], cycleId: 'c1' });
    const removed = 0.65 * GROSS;
    const dd = Math.log(0.5) / Math.log(0.35);
    expect(effect(r, 'graduated_drawdown').gross).toBeCloseTo(removed * dd, 4);
    expect(effect(r, 'regime').gross).toBeCloseTo(removed * (1 - dd), 4);
  });

  it('a fit tighter than the policies takes the whole book scale; the policies removed nothing', () => {
    const s0 = setup();
    const proposedVar = varOf(s0, new Map(BOOK.map((b) => [b.symbol, b.weight * A])));
    // the agent's VaR budget (riskBudgetPct × varLimitPct × C, the limit 100%) is 40% of what the proposal uses
    const s = setup({ state: { regime: 'BULL_VOLATILE' }, defaults: { riskBudgetPct: (0.4 * proposedVar) / C } });
    const r = reviewFund({ ...s, proposals: [proposal('a', 'momentum', view.asOf, BOOK)], cycleId: 'c1' });
    expect(rulesOf(r)).toEqual(['risk_budget']);
    expect(effect(r, 'risk_budget').gross).toBeCloseTo(0.6 * GROSS, -2);
    expect(effect(r, 'risk_budget').var).toBeCloseTo(proposedVar - r.snapshot.var95, 4);
  });

  it('a cap takes what the scaled book holds above it: 4M proposed, × 0.7 = 2.8M, single-name cap 2M', () => {
    const s = setup({ state: { regime: 'BULL_VOLATILE' }, risk: { maxSingleNamePct: 0.02 } });
    const r = reviewFund({ ...s, proposals: [proposal('a', 'momentum', view.asOf, [{ symbol: 'S001', weight: 0.2 }])], cycleId: 'c1' });
    expect(effect(r, 'regime').gross).toBeCloseTo(1_200_000, 2);
    expect(effect(r, 'cross_agent_constraints').gross).toBeCloseTo(800_000, 2);
    expect(effect(r, 'cross_agent_constraints').var + effect(r, 'regime').var).toBeCloseTo(r.bindingConstraints.proposedVar - r.bindingConstraints.finalVar, 6);
  });

  it('a HALTED fund: the blocked proposal’s whole change (here a held book larger than proposed: negative) goes to trading_state', () => {
    // a held long-short pair (net 0); the proposal keeps less gross but is all net long: it adds risk, so it is blocked
    const held = [
      { symbol: 'S001', qty: Math.round((0.3 * A) / px('S001')), price: px('S001') },
      { symbol: 'S002', qty: -Math.round((0.3 * A) / px('S002')), price: px('S002') },
    ];
    const s = setup({ agents: [{ id: 'a', extra: { positions: held } }], state: { tradingState: 'HALTED', tradingStateSince: view.asOf } });
    const r = reviewFund({ ...s, proposals: [proposal('a', 'momentum', view.asOf, [{ symbol: 'S001', weight: 0.5 }])], cycleId: 'c1' });
    const heldDollars = held.reduce((x, h) => x + Math.abs(h.qty) * px(h.symbol), 0);
    expect(rulesOf(r)).toEqual(['trading_state']);
    expect(effect(r, 'trading_state').gross).toBeCloseTo(0.5 * A - heldDollars, 2);
    expect(effect(r, 'trading_state').var).toBeGreaterThan(0); // the held pair is less risky than the proposal
  });
});

describe('the line integrals of the VaR attribution', () => {
  it('b·I0 + c·I1 = σ(1) − σ(0), and they match a fine midpoint rule when σ stays away from 0', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 10, noNaN: true }), fc.double({ min: -0.9, max: 0.9, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }), (a, rho, c) => {
        const b = rho * Math.sqrt(a * c);
        const { i0, i1 } = lineIntegrals(a, b, c);
        expect(b * i0 + c * i1).toBeCloseTo(Math.sqrt(a + 2 * b + c) - Math.sqrt(a), 9);
        let m0 = 0;
        let m1 = 0;
        const n = 4000;
        for (let k = 0; k < n; k++) {
          const t = (k + 0.5) / n;
          const sig = Math.sqrt(a + 2 * b * t + c * t * t);
          m0 += 1 / sig / n;
          m1 += t / sig / n;
        }
        expect(i0).toBeCloseTo(m0, 4);
        expect(i1).toBeCloseTo(m1, 4);
      }),
      { numRuns: 200, seed: 3 },
    );
  });
});

const U = 30;
const pview = syntheticView({ U, seed: 21, volume: (u) => (u % 5 === 0 ? 3e4 : 3e6) });
const syms = symbolsOf(U);
const ppx = (s: string) => pview.close(pview.column(s));
const STRATS: StrategyType[] = ['momentum', 'quality_value', 'trend_following', 'statistical_arbitrage', 'volatility_premium'];
const book = fc.uniqueArray(fc.record({ i: fc.integer({ min: 0, max: 14 }), w: fc.integer({ min: -60, max: 60 }).map((x) => x / 100) }), { selector: (x) => x.i, minLength: 2, maxLength: 8 });
const world = fc.record({
  agents: fc.array(fc.record({ strategy: fc.constantFrom(...STRATS), held: book, proposed: book, dd: fc.constantFrom(1, 1, 0.97, 0.95) }), { minLength: 1, maxLength: 4 }),
  trading: fc.constantFrom('ACTIVE', 'ACTIVE', 'REDUCING', 'HALTED'),
  regime: fc.constantFrom('BULL_QUIET', 'BULL_VOLATILE', 'BEAR_QUIET', 'BEAR_CRISIS'),
  /** default limits; tight budgets and caps; loose agent caps so the fund-level limits on the final book bind; tight buckets */
  mode: fc.constantFrom('default', 'tight', 'loose', 'buckets'),
  /** agents' daily returns move together (the correlation monitor acts) */
  correlated: fc.boolean(),
});
const MODES: Record<string, Omit<FundConfigInput, 'fund' | 'agents'>> = {
  default: {},
  tight: { defaults: { riskBudgetPct: 0.1, netExposureCap: 0.3 }, risk: { ...varLimits(0.01), maxSingleNamePct: 0.03, maxSectorPct: 0.08 } },
  loose: {
    defaults: { maxPositionPct: 0.6, maxSectorPct: 1, grossExposureCap: 2, leverageLimit: 2, netExposureCap: 1.5 },
    risk: { ...varLimits(0.5), maxSingleNamePct: 0.1, maxSectorPct: 0.12, maxNetExposure: 1.5, maxTop5Pct: 0.15 },
  },
  buckets: {
    defaults: { maxPositionPct: 0.6, maxSectorPct: 1, grossExposureCap: 2, leverageLimit: 2, netExposureCap: 1.5, riskBudgetPct: 0.05 },
    risk: { ...varLimits(0.04), maxSingleNamePct: 0.1, maxNetExposure: 1.5 },
    buckets: Object.fromEntries(BUCKETS.map((b) => [b, { maxRiskAllocationPct: 0.05 }])),
  },
};
/**
 * Agent j's daily returns: 190 days of its own, then 60 with a common part, pairwise ρ ≈ 0.75
 * (a spike over the 250-day baseline, above the 0.7 shock: the correlation monitor acts).
 */
const returnsOf = (j: number) => [
  ...Array.from({ length: 190 }, (_, t) => 0.01 * Math.sin(t * (1.3 + 0.9 * j) + 2 * j + 0.5)),
  ...Array.from({ length: 60 }, (_, t) => 0.01 * Math.sin(t * 1.7) + 0.004 * Math.cos(t * 0.3) + 0.006 * Math.sin(t * (2.9 + 0.7 * j) + j)),
];

describe('binding constraints, property', () => {
  it('the rules’ gross sums to Σ (|proposed| − |final|) of the targets, their VaR to proposed − final fund VaR', () => {
    fc.assert(
      fc.property(world, (w) => {
        const ids = w.agents.map((_, k) => `a${k}`);
        const config = fundConfig(w.agents.map((a, k) => ({ id: ids[k] ?? '', strategy: a.strategy, capital: A })), { ...SEED_AGENT_DRAWDOWN, ...MODES[w.mode], allocation: { method: 'fixed' } }, C); // capital stays A: the sums below are in A
        const agents = w.agents.map((a, k) =>
          agentState(ids[k] ?? '', A, { equity: a.dd * A, returns: w.correlated ? returnsOf(k) : [], positions: a.held.map((h) => ({ symbol: syms[h.i] ?? '', qty: Math.round((h.w * A) / ppx(syms[h.i] ?? '')), price: ppx(syms[h.i] ?? '') })) }),
        );
        const state = fundState(pview.asOf, C, agents, { tradingState: w.trading as FundState['tradingState'], tradingStateSince: pview.asOf, regime: w.regime as FundState['regime'] });
        const proposals = w.agents.map((a, k) => proposal(ids[k] ?? '', a.strategy, pview.asOf, a.proposed.map((p) => ({ symbol: syms[p.i] ?? '', weight: p.w }))));
        const r = reviewFund({ proposals, state, config, view: pview, cycleId: 'prop' });
        // independently: the proposed and final dollars of every reviewed agent, from the decisions' targets
        let removedGross = 0;
        const proposed = new Map<string, number>();
        for (const d of r.decisions) {
          for (const t of d.targets) {
            removedGross += (Math.abs(t.proposedWeight) - Math.abs(t.finalWeight)) * A;
            proposed.set(t.symbol, (proposed.get(t.symbol) ?? 0) + t.proposedWeight * A);
          }
        }
        const names = [...proposed.keys()];
        const m = riskModelFor(pview, names, config);
        const proposedVar = zOf(config.risk.varConfidence) * Math.sqrt(portfolioVariance(m, Float64Array.from(names.map((x) => proposed.get(x) ?? 0)), riskScratch(m)));
        const b = r.bindingConstraints;
        const sumGross = b.effects.reduce((x, e) => x + e.gross, 0);
        const sumVar = b.effects.reduce((x, e) => x + e.var, 0);
        expect(sumGross).toBeCloseTo(removedGross, 2);
        expect(b.proposedGross - b.finalGross).toBeCloseTo(removedGross, 2);
        expect(b.proposedVar).toBeCloseTo(proposedVar, 2);
        expect(b.finalVar).toBeCloseTo(r.snapshot.var95, 2);
        expect(sumVar).toBeCloseTo(proposedVar - r.snapshot.var95, 2);
        expect(b.effects.every((e) => e.rule !== 'unattributed')).toBe(true);
      }),
      { numRuns: 200, seed: 515 },
    );
  });
});

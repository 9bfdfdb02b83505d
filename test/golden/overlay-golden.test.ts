/**
 * Golden test of the overlay: what it decides on a fixed input, hashed, so a change of behaviour
 * fails loudly and a refactor that keeps behaviour passes untouched.
 *
 * Two fixed inputs:
 * - a backtest: 120 days of the synthetic market (seed 2013, 150 names, 5 years so the default
 *   data gates pass; its last 120 days go through all four regimes, a crisis, REDUCING and HALTED)
 *   with the default roster of nine agents and the default config. Per day, the
 *   SHA-256 (canonical JSON, first 16 hex digits) of the overlay's decisions (reasons, checks,
 *   targets, risk actions), its final target positions, the risk snapshot (VaR, budgets, buckets,
 *   exposures) and the next fund state;
 * - hand-built reviews (`reviewFund`) that make each rule act: caps across agents, loss limits,
 *   REDUCING, HALTED, an emergency, drawdown ladders, regimes, the circuit breaker, tight buckets,
 *   a book outside the agents, malformed and duplicate proposals. Per review, the same four hashes
 *   plus one of its reports (stress, liquidity, hedges, correlation actions, scores,
 *   reallocation, alerts).
 *
 * A change that moves these hashes changes what the overlay decides: review it like code, then
 * update the file with `npx vitest run test/golden -u` and say so in the commit message.
 */
import { describe, expect, it } from 'vitest';
import { hashOf } from '../../src/core/index.ts';
import { defaultFundConfigInput, parseFundConfig, type FundConfigInput, type StrategyType } from '../../src/contracts/index.ts';
import { runBacktest } from '../../src/fund/index.ts';
import { syntheticPanel } from '../../src/market/index.ts';
import { reviewFund, type AgentBookState, type FundReview, type FundState } from '../../src/overlay/index.ts';
import { agentState, fundConfig, fundState, proposal, symbolsOf, syntheticView, varLimits } from '../../src/overlay/testing/fixture.ts';
import { uncatalogued } from '../../src/overlay/testing/helpers.ts';

const short = (x: unknown): string => hashOf(x).slice(0, 16);
/** Reasons the reviews emitted that are not in the catalogue under their rule (contracts/reason-codes.ts): none. */
const codes: string[] = [];

/** The four hashes of one review: decisions, final target positions, risk snapshot, next state. */
function hashes(r: FundReview): { decisions: string; positions: string; snapshot: string; nextState: string } {
  return { decisions: short(r.decisions), positions: short(r.positions), snapshot: short(r.snapshot), nextState: short(r.nextState) };
}

/** The reports of a review that nothing in the review depends on (most are lazy). */
function reports(r: FundReview): string {
  return short({
    tradingState: r.tradingState,
    transition: r.transition,
    triggers: r.triggers,
    failSafe: r.failSafe,
    regime: r.regime,
    stress: r.stress,
    liquidity: r.liquidity,
    hedges: r.hedges,
    hedgePositions: r.hedgePositions,
    correlationActions: r.correlationActions,
    scores: r.scores,
    allocation: r.allocation,
    reductionPlan: r.reductionPlan,
    alerts: r.alerts,
  });
}

async function backtestGolden(): Promise<Record<string, string>> {
  const panel = syntheticPanel({ symbols: 150, years: 5, seed: 2013 });
  const config = parseFundConfig(defaultFundConfigInput());
  const days: Record<string, string> = {};
  await runBacktest({
    id: 'golden',
    config,
    panel,
    from: panel.dates[panel.T - 120] ?? '',
    to: panel.dates[panel.T - 1] ?? '',
    keepLastCycles: 0,
    onCycle: (c) => {
      codes.push(...uncatalogued(c.review));
      const h = hashes(c.review);
      days[c.asOf] = `${h.decisions} ${h.positions} ${h.snapshot} ${h.nextState}`;
    },
  });
  return days;
}

// ---- hand-built reviews -------------------------------------------------------------------

const C = 100_000_000;
const A = 18_000_000;
const view = syntheticView({ U: 40, seed: 31, volume: (u) => (u % 5 === 0 ? 3e4 : 3e6) });
const crash = syntheticView({ U: 40, seed: 31, crashDays: 8, crashReturn: -0.05, vixLast: 48 });
const syms = symbolsOf(40);
const px = (s: string) => view.close(view.column(s));
const BUCKETS = ['directional_equity', 'income_defensive', 'systematic_trend', 'mean_reversion', 'market_neutral', 'vol_selling'];
const LOOSE: Omit<FundConfigInput, 'fund' | 'agents'> = {
  defaults: { maxPositionPct: 0.6, maxSectorPct: 1, grossExposureCap: 2, leverageLimit: 2, netExposureCap: 1.5 },
  risk: { ...varLimits(0.5), maxSingleNamePct: 0.1, maxSectorPct: 0.12, maxNetExposure: 1.5 },
};
const TIGHT_BUCKETS: Omit<FundConfigInput, 'fund' | 'agents'> = {
  defaults: { ...LOOSE.defaults, riskBudgetPct: 0.05 },
  risk: { ...varLimits(0.04), maxSingleNamePct: 0.1, maxNetExposure: 1.5 },
  buckets: Object.fromEntries(BUCKETS.map((b) => [b, { maxRiskAllocationPct: 0.05 }])),
};
const ROSTER: { id: string; strategy: StrategyType }[] = [
  { id: 'mom', strategy: 'momentum' },
  { id: 'qv', strategy: 'quality_value' },
  { id: 'trend', strategy: 'trend_following' },
  { id: 'stat', strategy: 'statistical_arbitrage' },
  { id: 'vol', strategy: 'volatility_premium' },
];

/** Deterministic books: agent k holds / proposes names k, k+2, … with alternating signs where asked. */
function weights(k: number, n: number, w: number, longShort: boolean): { symbol: string; weight: number }[] {
  return Array.from({ length: n }, (_, j) => ({ symbol: syms[(3 * k + 2 * j) % 24] ?? 'S000', weight: (longShort && j % 3 === 2 ? -w : w) * (1 + 0.1 * ((j + k) % 4)) }));
}

function heldPositions(k: number, w: number, v = view): AgentBookState['positions'] {
  return weights(k + 1, 5, w, k % 2 === 1).map((t) => {
    const p = v.close(v.column(t.symbol));
    return { symbol: t.symbol, qty: Math.round((t.weight * A) / p), price: p };
  });
}

const returns = (k: number, scale: number) => Array.from({ length: 80 }, (_, t) => scale * Math.sin(0.7 * t + k) * 0.01 + (k % 2 === 0 ? 0.004 : -0.003) * Math.cos(0.3 * t));

interface Scenario {
  readonly config?: Omit<FundConfigInput, 'fund' | 'agents'>;
  readonly state?: Partial<FundState>;
  readonly agents?: (k: number) => Partial<AgentBookState>;
  readonly proposals?: (k: number) => { symbol: string; weight: number }[];
  readonly extraProposals?: { agentId: string; strategy: StrategyType; targets: { symbol: string; weight: number }[] }[];
  readonly view?: typeof view;
}

function scenarioReview(s: Scenario): FundReview {
  const v = s.view ?? view;
  const config = fundConfig(ROSTER.map((a) => ({ ...a, capital: A })), s.config ?? {}, C);
  const agents = ROSTER.map((a, k) => agentState(a.id, A, { positions: heldPositions(k, 0.08, v), returns: returns(k, 1), ...s.agents?.(k) }));
  const state = fundState(v.asOf, C, agents, { regime: null, fundReturns: returns(9, 0.5), ...s.state });
  const proposals = ROSTER.map((a, k) => proposal(a.id, a.strategy, v.asOf, s.proposals?.(k) ?? weights(k, 8, 0.09, k >= 3)));
  for (const e of s.extraProposals ?? []) proposals.push(proposal(e.agentId, e.strategy, v.asOf, e.targets));
  return reviewFund({ proposals, state, config, view: v, cycleId: 'golden' });
}

const SCENARIOS: Record<string, Scenario> = {
  'default limits': {},
  'loose agent caps, fund concentration binds': { config: LOOSE, proposals: (k) => weights(k, 8, 0.3, k >= 3) },
  'tight buckets settle': { config: TIGHT_BUCKETS, proposals: (k) => weights(k, 8, 0.2, k >= 3) },
  'daily and monthly loss limits': { agents: (k) => (k === 0 ? { dailyPnl: -0.04 * A } : k === 1 ? { monthlyPnl: -0.09 * A } : {}) },
  'REDUCING': { state: { tradingState: 'REDUCING', tradingStateSince: view.asOf } },
  'manual kill: HALTED with a reduction plan': { state: { manualKill: { who: 'pm', why: 'golden', at: view.asOf } } },
  'emergency': { state: { emergency: true } },
  'agent and fund drawdown steps': {
    state: { highWaterMark: C * 1.025 },
    agents: (k) => (k === 0 ? { equity: A * 0.96 } : k === 1 ? { equity: A * 0.89 } : k === 2 ? { drawdown: { state: 'normal', since: '2023-01-02', recoveryStep: 1, rearm: null } } : {}),
  },
  'BULL_VOLATILE multiplier': { state: { regime: 'BULL_VOLATILE' } },
  'BEAR_CRISIS blocks new risk': { state: { regime: 'BEAR_CRISIS' } },
  'crash: circuit breaker and kill switches': { view: crash, config: { risk: varLimits(0.01) }, proposals: (k) => weights(k, 8, 0.25, false) },
  'correlated agents and crowding': { agents: () => ({ returns: returns(1, 1) }), proposals: () => weights(0, 8, 0.1, false) },
  'a book outside the agents': { state: { outsideBooks: [{ bookId: 'pm', positions: [{ symbol: 'S000', qty: Math.round(4_000_000 / px('S000')), price: px('S000') }] }] } },
  'malformed, duplicate, unknown and unconfigured proposals': {
    proposals: (k) => (k === 0 ? [{ symbol: 'S001', weight: 0.05 }, { symbol: 'S001', weight: 0.02 }] : k === 1 ? [...weights(k, 4, 0.05, false), { symbol: 'NOPE', weight: 0.05 }] : weights(k, 8, 0.09, k >= 3)),
    extraProposals: [
      { agentId: 'mom', strategy: 'momentum', targets: [{ symbol: 'S002', weight: 0.3 }] },
      { agentId: 'stranger', strategy: 'momentum', targets: [{ symbol: 'S002', weight: 0.3 }] },
    ],
  },
  'agent without capital': { agents: (k) => (k === 4 ? { allocatedCapital: 0 } : {}) },
};

function scenarioGolden(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, s] of Object.entries(SCENARIOS)) {
    const r = scenarioReview(s);
    codes.push(...uncatalogued(r));
    const h = hashes(r);
    out[name] = `${h.decisions} ${h.positions} ${h.snapshot} ${h.nextState} ${reports(r)}`;
  }
  return out;
}

describe('overlay golden', () => {
  it('the overlay decides what it decided: 120 days of the default fund on the synthetic market, and hand-built reviews', async () => {
    const golden = { backtest: await backtestGolden(), reviews: scenarioGolden() };
    expect(Object.keys(golden.backtest)).toHaveLength(120);
    expect(codes).toEqual([]);
    await expect(`${JSON.stringify(golden, null, 1)}\n`).toMatchFileSnapshot('./overlay-golden.json');
  });
});

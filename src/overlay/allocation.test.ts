import { describe, expect, it } from 'vitest';
import { createRng } from '../core/index.ts';
import { allocateCapital, applyAllocation, capitalUnit, rebalanceDue, shrunkSharpe } from './allocation.ts';
import { agentState, fundConfig, fundState } from './testing/fixture.ts';
import type { FundConfigInput, StrategyType } from '../contracts/index.ts';

const C = 100_000_000;

/** Daily returns per dollar with annualised vol `vol`, Sharpe `sharpe`, a common factor weighing `rho`. */
function returns(n: number, vol: number, sharpe: number, seed: number, common: readonly number[] = [], rho = 0): number[] {
  const rng = createRng(seed);
  const d = vol / Math.sqrt(252);
  const mu = (sharpe * vol) / 252;
  return Array.from({ length: n }, (_, t) => mu + d * (Math.sqrt(1 - rho) * rng.normal() + Math.sqrt(rho) * (common[t] ?? 0)));
}

const AGENTS: { id: string; strategy: StrategyType }[] = [
  { id: 'mom', strategy: 'momentum' },
  { id: 'div', strategy: 'dividend_growth' },
  { id: 'arb', strategy: 'statistical_arbitrage' },
];

function setup(extra: Omit<FundConfigInput, 'fund' | 'agents'> = {}, vols = [0.15, 0.1, 0.04], sharpes = [0.5, 0.5, 0.5]) {
  const config = fundConfig(AGENTS.map((a) => ({ ...a, capital: 20_000_000 })), extra, C);
  const agents = AGENTS.map((a, k) => agentState(a.id, 20_000_000, { returns: returns(252, vols[k] ?? 0.1, sharpes[k] ?? 0.5, 11 + k) }));
  return { config, state: fundState('2024-03-01', C, agents, { allocatedOn: '2024-02-01' }) };
}

/** Annualised vol of Σ capital × returns, as a fraction of NAV: independent of the allocator's own covariance. */
function realisedVol(state: ReturnType<typeof setup>['state'], capital: ReadonlyMap<string, number>): number {
  const T = state.agents[0]?.returns.length ?? 0;
  const pnl = Array.from({ length: T }, (_, t) => state.agents.reduce((s, a) => s + (capital.get(a.agentId) ?? 0) * (a.returns[t] ?? 0), 0));
  const m = pnl.reduce((a, b) => a + b, 0) / T;
  const sd = Math.sqrt(pnl.reduce((a, b) => a + (b - m) ** 2, 0) / (T - 1));
  return (sd * Math.sqrt(252)) / C;
}

describe('capital allocated across agents by risk (issue 15 item 1)', () => {
  it('rebalances once a period, only while ACTIVE', () => {
    expect(rebalanceDue(null, '2024-03-01', 'monthly')).toBe(true);
    expect(rebalanceDue('2024-02-29', '2024-03-01', 'monthly')).toBe(true);
    expect(rebalanceDue('2024-03-01', '2024-03-28', 'monthly')).toBe(false);
    expect(rebalanceDue('2024-03-01', '2024-03-28', 'quarterly')).toBe(false);
    expect(rebalanceDue('2024-03-29', '2024-04-01', 'quarterly')).toBe(true);
    expect(rebalanceDue('2024-03-01', '2024-03-04', 'weekly')).toBe(true); // Friday → Monday
    expect(rebalanceDue('2024-03-04', '2024-03-08', 'weekly')).toBe(false);
    const { config, state } = setup();
    expect(allocateCapital({ state: { ...state, allocatedOn: '2024-03-01' }, config, asOf: '2024-03-15' })).toBeNull();
    expect(allocateCapital({ state: { ...state, tradingState: 'REDUCING' }, config, asOf: '2024-03-01' })).toBeNull();
    expect(allocateCapital({ state, config: fundConfig(AGENTS.map((a) => ({ ...a, capital: 2e7 })), { allocation: { method: 'fixed' } }, C), asOf: '2024-03-01' })).toBeNull();
  });

  it('equal risk: a low-vol book gets more capital, the risk shares are about equal, the fund reaches its target', () => {
    const { config, state } = setup({ allocation: { smoothing: 1, bandPct: 0, maxAgentPct: 0.95 } }, [0.4, 0.3, 0.2]);
    const a = allocateCapital({ state, config, asOf: '2024-03-01' });
    expect(a?.rebalanced).toBe(true);
    const to = new Map(a?.agents.map((x) => [x.agentId, x.to]));
    expect(to.get('arb') ?? 0).toBeGreaterThan(to.get('div') ?? 0);
    expect(to.get('div') ?? 0).toBeGreaterThan(to.get('mom') ?? 0);
    for (const x of a?.agents ?? []) expect(x.riskShare).toBeCloseTo(1 / 3, 1);
    // the fund's vol at the new capital, from the returns themselves, is at the 10% target (within estimation)
    expect(realisedVol(state, to)).toBeGreaterThan(0.085);
    expect(realisedVol(state, to)).toBeLessThan(0.115);
    // the recorded ex-ante vol is a fraction of NAV, near the vol of the same capital on the record (it was in dollars)
    expect(a?.exAnteVol ?? 0).toBeGreaterThan(0.85 * realisedVol(state, to));
    expect(a?.exAnteVol ?? 0).toBeLessThan(1.15 * realisedVol(state, to));
    expect([...to.values()].reduce((s, x) => s + x, 0)).toBeLessThanOrEqual(0.98 * C);
    // each agent's standalone share (its VaR budget's size) is its own vol at its capital over the
    // fund's target vol in dollars, computed here from its returns; uncorrelated books: the shares
    // add up to more than 1 (√3 at equal risk), the fund's vol being below the sum of its books'
    for (const x of a?.agents ?? []) {
      const own = realisedVol(state, new Map([[x.agentId, x.to]]));
      expect(x.standaloneShare ?? 0).toBeCloseTo(own / config.risk.targetVolPct, 1);
    }
    const sum = (a?.agents ?? []).reduce((s, x) => s + (x.standaloneShare ?? 0), 0);
    expect(sum).toBeGreaterThan(1.3);
    expect(sum).toBeLessThan(2.2);
    const next = applyAllocation(state, a ?? ({} as never));
    expect(next.agents.map((x) => x.standaloneRisk)).toEqual(a?.agents.map((x) => x.standaloneShare));
  });

  it('a proven agent gets a larger budget than one with no edge in its record; none is taken out by its record alone', () => {
    expect(shrunkSharpe(returns(252, 0.1, 4, 1), 0.4, 252)).toBeGreaterThan(1);
    expect(shrunkSharpe([], 0.4, 252)).toBe(0.4);
    // a year's Sharpe is known to ±1: records far apart
    const { config, state } = setup({ allocation: { smoothing: 1, bandPct: 0 } }, [0.3, 0.3, 0.3], [4, 0.4, -4]);
    const a = allocateCapital({ state, config, asOf: '2024-03-01' });
    const share = new Map(a?.agents.map((x) => [x.agentId, x.riskShare ?? 0]));
    expect(share.get('mom') ?? 0).toBeGreaterThan(share.get('div') ?? 0);
    expect(share.get('div') ?? 0).toBeGreaterThan(share.get('arb') ?? 0);
    expect(a?.agents.find((x) => x.agentId === 'arb')?.to ?? 0).toBeGreaterThan(0);
  });

  it('when capital runs out before the target, it is tilted towards the volatile books and never exceeds NAV less the reserve', () => {
    const { config, state } = setup({ allocation: { smoothing: 1, bandPct: 0, maxAgentPct: 0.9 } }, [0.05, 0.04, 0.02]);
    const a = allocateCapital({ state, config, asOf: '2024-03-01' });
    expect(a?.tilt ?? 0).toBeGreaterThan(0);
    const total = (a?.agents ?? []).reduce((s, x) => s + x.to, 0);
    expect(total).toBeLessThanOrEqual(0.98 * C + 1);
    expect(total).toBeGreaterThan(0.93 * C);
  });

  it('moves part of the way, not within the band, in whole units, and keeps bounds', () => {
    expect(capitalUnit(100_000_000)).toBe(10_000);
    expect(capitalUnit(50_000)).toBe(100);
    const { config, state } = setup();
    const full = allocateCapital({ state, config: { ...config, allocation: { ...config.allocation, smoothing: 1, bandPct: 0 } }, asOf: '2024-03-01' });
    const half = allocateCapital({ state, config, asOf: '2024-03-01' });
    for (const x of half?.agents ?? []) {
      const target = full?.agents.find((y) => y.agentId === x.agentId)?.to ?? 0;
      if (Math.abs(target - x.from) > 0.1 * x.from) expect(Math.abs(x.to - (x.from + 0.5 * (target - x.from)))).toBeLessThanOrEqual(10_000);
      else expect(x.to).toBe(x.from);
      expect(x.to % 10_000).toBe(0);
      expect(x.to).toBeLessThanOrEqual(0.35 * C);
    }
  });

  it('an agent that cannot trade gets nothing at once, on any day, and its capital goes to the others', () => {
    const { config, state } = setup();
    const mid = { ...state, allocatedOn: '2024-03-01' };
    const a = allocateCapital({ state: mid, config, asOf: '2024-03-12', unready: new Set(['div']) });
    expect(a?.rebalanced).toBe(false);
    const to = new Map(a?.agents.map((x) => [x.agentId, x.to]));
    expect(to.get('div')).toBe(0);
    expect((to.get('mom') ?? 0) + (to.get('arb') ?? 0)).toBe(60_000_000);
    expect(a?.agents.find((x) => x.agentId === 'div')?.why).toContain('cannot trade');
  });

  it('an agent with too short a record keeps its capital', () => {
    const { config, state } = setup();
    const short = { ...state, agents: state.agents.map((a) => (a.agentId === 'arb' ? { ...a, returns: a.returns.slice(0, 30) } : a)) };
    const a = allocateCapital({ state: short, config, asOf: '2024-03-01' });
    const arb = a?.agents.find((x) => x.agentId === 'arb');
    expect(arb?.to).toBe(20_000_000);
    expect(arb?.riskShare).toBeNull();
  });

  it('applying it moves capital, equity and the high-water mark together (a move is no gain or loss) and records the date', () => {
    const { config, state } = setup({ allocation: { smoothing: 1, bandPct: 0 } });
    const dd = { ...state, agents: state.agents.map((a) => ({ ...a, equity: 18_000_000, highWaterMark: 20_000_000 })) };
    const a = allocateCapital({ state: dd, config, asOf: '2024-03-01' });
    if (!a) throw new Error('no allocation');
    const next = applyAllocation(dd, a);
    expect(next.allocatedOn).toBe('2024-03-01');
    for (const x of next.agents) {
      const m = a.agents.find((y) => y.agentId === x.agentId);
      expect(x.allocatedCapital).toBe(m?.to);
      expect(x.equity).toBe(m?.to);
      expect(1 - x.equity / x.highWaterMark).toBeCloseTo(0.1, 12); // the 10% drawdown is kept
    }
  });
});

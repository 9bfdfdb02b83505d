import { describe, expect, it } from 'vitest';
import { DEFAULT_ROSTER } from '../contracts/index.ts';
import { syntheticPanel, viewAt } from '../market/index.ts';
import { reviewFund } from './index.ts';
import { agentState, fundConfig, fundState, proposal } from './testing/fixture.ts';

describe('on the synthetic market', () => {
  const panel = syntheticPanel({ symbols: 80, years: 2, seed: 11 });

  it('the default roster is reviewed within limits, its worst crisis window is replayed and style loadings are estimated', () => {
    const view = viewAt(panel, panel.T - 1);
    const capital = 100_000_000;
    const each = 10_000_000;
    const config = fundConfig(DEFAULT_ROSTER.map((a) => ({ id: a.id, strategy: a.strategy, capital: each })), {}, capital);
    const tradable = view.symbols.filter((_, u) => view.value('marketCap', u) > 1e9).slice(0, 40);
    const state = fundState(view.asOf, capital, DEFAULT_ROSTER.map((a, k) => agentState(a.id, each, { returns: Array.from({ length: 80 }, (_, i) => 0.004 * Math.sin(i * (k + 1))) })), { regime: null });
    const proposals = DEFAULT_ROSTER.map((a, k) => proposal(a.id, a.strategy, view.asOf, tradable.slice(k * 4, k * 4 + 8).map((symbol, i) => ({ symbol, weight: i % 3 === 2 ? -0.05 : 0.08 }))));
    const r = reviewFund({ proposals, state, config, view, cycleId: 'synthetic' });
    expect(r.failSafe.problems).toEqual([]);
    expect(r.decisions.length).toBe(DEFAULT_ROSTER.length);
    expect(r.snapshot.largestSingleName.pct).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(Object.values(r.snapshot.netBySector).every((x) => Math.abs(x) <= 0.2 + 1e-9)).toBe(true);
    const replays = r.stress.results.filter((x) => x.kind === 'replay');
    expect(replays.map((x) => x.scenario)).toEqual(['replay_worst_5d', 'replay_worst_20d']);
    expect(Object.keys(r.snapshot.agentFactorLoadings.momentum?.betas ?? {})).toEqual(expect.arrayContaining(['market', 'mom', 'hml']));
    expect(['BULL_QUIET', 'BULL_VOLATILE', 'BEAR_QUIET', 'BEAR_CRISIS']).toContain(r.regime);
  });
});

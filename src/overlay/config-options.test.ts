/**
 * The overlay's tunables live in FundConfig (risk.correlationShock, risk.crowdingAgents,
 * risk.stressReplayWindows, hedging.sectorHedges, regime.trendDays): the review reads them from
 * there, and the config hash (what `keel config approve` approves) covers them.
 */
import { describe, expect, it } from 'vitest';
import { configHash, parseFundConfig, type FundConfigInput } from '../contracts/index.ts';
import { reviewFund } from './index.ts';
import { agentState, fundConfig, fundState, proposal, syntheticView } from './testing/fixture.ts';
import { codesOf } from './testing/helpers.ts';

const C = 100_000_000;
const A = 20_000_000;
const view = syntheticView({ U: 40, volume: () => 1e9 });
// 190 days unrelated, then 60 days at ρ ≈ 0.75: a spike over the 250-day baseline
const base = [...Array.from({ length: 190 }, (_, i) => Math.sin(i * 0.9 + 0.3) * 0.01), ...Array.from({ length: 60 }, (_, i) => Math.sin(i * 1.7) * 0.01)];
const twin = base.map((x, i) => (i < 190 ? Math.cos(i * 2.3 + 0.1) * 0.01 : x + (i % 2 ? 0.006 : -0.006)));

function review(extra: Omit<FundConfigInput, 'fund' | 'agents'>, o: { regime?: 'BULL_QUIET' | null; view?: typeof view } = {}) {
  const v = o.view ?? view;
  const config = fundConfig(['a', 'b', 'c'].map((id) => ({ id, strategy: 'momentum' as const, capital: A })), { risk: { maxSectorPct: 1, maxSingleNamePct: 1, maxTop5Pct: 1 }, ...extra }, C);
  const state = fundState(v.asOf, C, [agentState('a', A, { returns: base }), agentState('b', A, { returns: twin }), agentState('c', A)], { regime: o.regime === undefined ? 'BULL_QUIET' : o.regime });
  // three agents long the same Technology names: crowding, a sector worth hedging
  const book = ['S000', 'S006', 'S012'].map((symbol) => ({ symbol, weight: 0.3 }));
  return reviewFund({ proposals: ['a', 'b', 'c'].map((id) => proposal(id, 'momentum', v.asOf, book)), state, config, view: v, cycleId: 'opt' });
}

describe('overlay options are FundConfig keys, read from the config and covered by its hash', () => {
  it('risk.correlationShock: 0.7 scales the correlated agent, 0.8 does not', () => {
    expect(codesOf(review({}), 'a')).toContain('AGENT_CORRELATION');
    expect(codesOf(review({ risk: { correlationShock: 0.8, maxSectorPct: 1, maxSingleNamePct: 1, maxTop5Pct: 1 } }), 'a')).not.toContain('AGENT_CORRELATION');
  });

  it('risk.correlationSpikeDelta and risk.correlationBaselineDays: the rise over the baseline must exceed the delta', () => {
    const loose = { maxSectorPct: 1, maxSingleNamePct: 1, maxTop5Pct: 1 };
    expect(codesOf(review({ risk: { correlationSpikeDelta: 0.95, ...loose } }), 'a')).not.toContain('AGENT_CORRELATION');
    // a baseline of the last 100 days: more of it is the correlated stretch, so the rise is smaller
    expect(codesOf(review({ risk: { correlationBaselineDays: 70, ...loose } }), 'a')).not.toContain('AGENT_CORRELATION');
    expect(() => parseFundConfig({ fund: {}, risk: { correlationBaselineDays: 60 } })).toThrow(/correlationBaselineDays/);
  });

  it('risk.crowdingAgents: three agents on one side are crowded at 3, not at 4', () => {
    expect(codesOf(review({}), 'c')).toContain('CROWDED_NAME');
    expect(codesOf(review({ risk: { crowdingAgents: 4, maxSectorPct: 1, maxSingleNamePct: 1, maxTop5Pct: 1 } }), 'c')).not.toContain('CROWDED_NAME');
  });

  it('risk.stressReplayWindows: the worst-window replays of the stress report', () => {
    const replays = (r: ReturnType<typeof review>) => r.stress.results.filter((x) => x.kind === 'replay').map((x) => x.scenario);
    expect(replays(review({}))).toHaveLength(2);
    expect(replays(review({ risk: { stressReplayWindows: [3, 10, 60], maxSectorPct: 1, maxSingleNamePct: 1, maxTop5Pct: 1 } }))).toHaveLength(3);
  });

  it('hedging.sectorHedges: the instrument of a sector hedge', () => {
    const sector = (r: ReturnType<typeof review>) => r.hedges.find((h) => h.kind === 'sector');
    // Technology net 18% of the fund, over half its 20% cap
    const risk = { maxSectorPct: 0.2, maxSingleNamePct: 1, maxTop5Pct: 1 };
    expect(sector(review({ risk }))?.instrument).toBeNull();
    expect(sector(review({ risk, hedging: { sectorHedges: { Technology: 'XLK' } } }))?.instrument).toBe('XLK');
  });

  it('regime.trendDays: the trend window of a regime derived from the market', () => {
    // a market up 5% over a quarter that fell 2.5% in its last week: bear over a week, bull over a quarter
    const fall = syntheticView({ U: 40, seed: 11, volume: () => 1e9, crashDays: 4, crashReturn: -0.008 });
    expect(review({ regime: { trendDays: 5 } }, { regime: null, view: fall }).regime).toMatch(/^BEAR/);
    expect(review({ regime: { trendDays: 63 } }, { regime: null, view: fall }).regime).toMatch(/^BULL/);
  });

  it('each key changes the config hash', () => {
    const input = { fund: { totalCapital: C }, agents: [] };
    const h = (extra: object) => configHash(parseFundConfig({ ...input, ...extra }));
    const hashes = [
      h({}),
      h({ risk: { correlationShock: 0.8 } }),
      h({ risk: { crowdingAgents: 4 } }),
      h({ risk: { stressReplayWindows: [10] } }),
      h({ hedging: { sectorHedges: { Technology: 'XLK' } } }),
      h({ regime: { trendDays: 21 } }),
    ];
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});

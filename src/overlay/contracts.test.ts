import { describe, expect, it } from 'vitest';
import { Alert, OverlayDecision, TargetPosition } from '../contracts/index.ts';
import { reviewFund } from './index.ts';
import { agentState, fundConfig, fundState, proposal, SEED_DRAWDOWN, syntheticView } from './testing/fixture.ts';

describe('outputs are valid contract records', () => {
  it('every decision, target position and alert parses with its zod schema', () => {
    const view = syntheticView({ U: 20, volume: (u) => (u === 2 ? 1e4 : 1e7) });
    const config = fundConfig([{ id: 'a', strategy: 'momentum', capital: 2e7 }, { id: 'b', strategy: 'statistical_arbitrage', capital: 2e7 }], SEED_DRAWDOWN);
    const px = view.close(view.column('S001'));
    const state = fundState(view.asOf, 1e8, [agentState('a', 2e7, { positions: [{ symbol: 'S001', qty: 1000, price: px }], equity: 1.9e7 }), agentState('b', 2e7)], { highWaterMark: 1.03e8 });
    const r = reviewFund({
      proposals: [proposal('a', 'momentum', view.asOf, [{ symbol: 'S002', weight: 0.3 }, { symbol: 'S006', weight: 0.05 }]), proposal('b', 'statistical_arbitrage', view.asOf, [{ symbol: 'S003', weight: 0.1 }, { symbol: 'S004', weight: -0.1 }])],
      state,
      config,
      view,
      cycleId: 'cycle-1',
    });
    expect(r.alerts.length).toBeGreaterThan(0);
    for (const d of r.decisions) expect(OverlayDecision.parse(d)).toEqual(d);
    for (const list of Object.values(r.positions)) for (const p of list) expect(TargetPosition.parse(p)).toEqual(p);
    for (const a of r.alerts) expect(Alert.parse(a)).toEqual(a);
  });
});

describe('net exposure report', () => {
  it('by name, sector and factor add up to the fund net', () => {
    const view = syntheticView({ U: 20, volume: () => 1e8 });
    const config = fundConfig([{ id: 'a', strategy: 'momentum', capital: 2e7 }, { id: 'b', strategy: 'statistical_arbitrage', capital: 2e7 }]);
    const state = fundState(view.asOf, 1e8, [agentState('a', 2e7), agentState('b', 2e7)], { regime: 'BULL_QUIET' });
    const r = reviewFund({
      proposals: [proposal('a', 'momentum', view.asOf, [{ symbol: 'S001', weight: 0.08 }, { symbol: 'S002', weight: 0.05 }]), proposal('b', 'statistical_arbitrage', view.asOf, [{ symbol: 'S001', weight: -0.03 }, { symbol: 'S003', weight: 0.04 }])],
      state,
      config,
      view,
      cycleId: 'net',
    });
    const s = r.snapshot;
    expect(s.netByName.find((n) => n.symbol === 'S001')?.net).toBeCloseTo((0.08 - 0.03) * 0.2, 12);
    const byName = s.netByName.reduce((a, n) => a + n.net, 0);
    const bySector = Object.values(s.netBySector).reduce((a, n) => a + n, 0);
    expect(byName).toBeCloseTo(s.net, 12);
    expect(bySector).toBeCloseTo(s.net, 12);
    const sectorFactors = Object.entries(s.factorExposures).filter(([k]) => k.startsWith('sector:'));
    expect(sectorFactors.length).toBe(Object.keys(s.netBySector).length);
  });
});

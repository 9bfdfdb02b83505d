import { describe, expect, it } from 'vitest';
import { HedgingConfig } from '../contracts/index.ts';
import { recommendHedges, reviewFund, type RiskModel } from './index.ts';
import { agentState, fundConfig, fundState, proposal, syntheticView } from './testing/fixture.ts';
import type { Universe } from './universe.ts';

const universe = { symbols: ['A', 'B'], index: new Map(), N: 2, price: new Float64Array(2), adv: new Float64Array(2), marketCap: new Float64Array(2), vol: new Float64Array(2), volumeRatio: new Float64Array(2), sector: Int32Array.from([0, 1]), sectorNames: ['Tech', 'Energy'], column: Int32Array.from([0, 1]) } as Universe;
const model = { beta: Float64Array.from([1.2, 0.8]) } as RiskModel;

describe('fund hedger (seed §2B)', () => {
  it('shorts the index against aggregate beta beyond the threshold, and hedges an over-concentrated sector', () => {
    const book = Float64Array.from([30e6, 10e6]); // beta $ = 36M + 8M = 44M on 100M
    const cfg = HedgingConfig.parse({ enabled: true, instrument: 'SPY', betaThreshold: 0.3 });
    const h = recommendHedges(book, universe, model, 1e8, cfg, 0.2, { Tech: 'XLK' }, []);
    const beta = h.recommendations.find((r) => r.kind === 'beta');
    expect(beta?.notional).toBeCloseTo(-44e6, 6);
    const tech = h.recommendations.find((r) => r.kind === 'sector');
    expect(tech?.instrument).toBe('XLK');
    expect(tech?.notional).toBeCloseTo(-20e6, 6); // down to half the 20% cap
    expect(h.positions.map((p) => [p.instrument, p.notional])).toEqual([['SPY', -44e6], ['XLK', -20e6]]);
  });

  it('recommends but does not execute when hedging is disabled; nothing under the threshold', () => {
    const cfg = HedgingConfig.parse({});
    expect(recommendHedges(Float64Array.from([40e6, 0]), universe, model, 1e8, cfg, 0.2, {}, []).positions).toEqual([]);
    expect(recommendHedges(Float64Array.from([5e6, 5e6]), universe, model, 1e8, cfg, 0.2, {}, []).recommendations).toEqual([]);
  });
});

describe('a held hedge has a band (on beyond the threshold, off within half of it)', () => {
  const cfg = HedgingConfig.parse({ enabled: true, instrument: 'SPY', betaThreshold: 0.3 });
  const beta = (book: number[], held: number) => recommendHedges(Float64Array.from(book), universe, model, 1e8, cfg, 1, {}, [], new Map([['SPY', held]])).positions;

  it('kept while the hedged beta is within half the threshold of the target', () => {
    // beta $ 25M + 8M = 33M, held −30M: hedged 3M, within ±15M → the held −30M stays
    expect(beta([25e6 / 1.2, 10e6], -30e6)).toEqual([{ instrument: 'SPY', notional: -30e6, kind: 'beta' }]);
  });

  it('resized to the target when the hedged beta drifts beyond half the threshold', () => {
    // beta $ 60M + 0 = 60M, held −30M: hedged 30M > 15M → the whole −60M
    expect(beta([50e6, 0], -30e6)[0]?.notional).toBeCloseTo(-60e6, 6);
  });

  it('unwound once the unhedged beta is within half the threshold; unhedged, nothing until beyond the whole threshold', () => {
    expect(beta([10e6, 0], -30e6)).toEqual([]); // 12M ≤ 15M: unwind
    expect(beta([20e6, 0], 0)).toEqual([]); // 24M ≤ 30M: not hedged yet
    expect(beta([20e6, 0], -30e6)).toEqual([{ instrument: 'SPY', notional: -30e6, kind: 'beta' }]); // hedged: 24M > 15M, net −6M: held
    expect(beta([20e6, 0], -50e6)[0]?.notional).toBeCloseTo(-24e6, 6); // net −26M, beyond ±15M: resized to the target
  });
});

describe('hedges in a review', () => {
  it('a long fund with hedging enabled gets an executable index short against its beta dollars', () => {
    const view = syntheticView({ U: 20, volume: () => 1e8 });
    const config = fundConfig([{ id: 'a', strategy: 'momentum', capital: 2e7 }], { hedging: { enabled: true, instrument: 'SPY', betaThreshold: 0.01 } });
    const state = fundState(view.asOf, 1e8, [agentState('a', 2e7)]);
    const r = reviewFund({ proposals: [proposal('a', 'momentum', view.asOf, ['S001', 'S002', 'S003', 'S004', 'S005'].map((symbol) => ({ symbol, weight: 0.05 })))], state, config, view, cycleId: 'h' });
    const betaDollars = r.snapshot.factorExposures.market ?? 0;
    expect(betaDollars).toBeGreaterThan(0);
    expect(r.hedgePositions).toEqual([{ instrument: 'SPY', notional: -betaDollars, kind: 'beta' }]);
  });

  it('an executable hedge in an instrument the market does not list is alerted (the fund stays unhedged)', () => {
    const view = syntheticView({ U: 20, volume: () => 1e8 });
    const config = fundConfig([{ id: 'a', strategy: 'momentum', capital: 2e7 }], { hedging: { enabled: true, instrument: 'SPX', betaThreshold: 0.01 } });
    const state = fundState(view.asOf, 1e8, [agentState('a', 2e7)]);
    const r = reviewFund({ proposals: [proposal('a', 'momentum', view.asOf, ['S001', 'S002', 'S003'].map((symbol) => ({ symbol, weight: 0.05 })))], state, config, view, cycleId: 'h' });
    expect(r.hedgePositions.map((p) => p.instrument)).toEqual(['SPX']);
    const alert = r.alerts.find((a) => a.dedupKey === 'overlay:hedge_untradable:SPX');
    expect(alert).toMatchObject({ severity: 'HIGH', category: 'RISK', title: 'Hedge instrument SPX cannot trade' });
  });
});

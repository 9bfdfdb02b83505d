import { describe, expect, it } from 'vitest';
import { agentCorrelations, correlationSpikes, liquidityReport, regress, reviewFund, tradedThrough, worstSpike } from './index.ts';
import { agentState, fundConfig, fundState, proposal, syntheticView } from './testing/fixture.ts';
import type { Universe } from './universe.ts';

describe('correlation monitor (seed §2A)', () => {
  it('pairwise correlations over the last 60 days, ±1 for linear pairs', () => {
    const a = Array.from({ length: 100 }, (_, i) => Math.sin(i));
    const c = agentCorrelations([{ agentId: 'a', returns: a }, { agentId: 'b', returns: a.map((x) => 2 * x + 1) }, { agentId: 'c', returns: a.map((x) => -x) }], 60);
    expect(c.matrix[1]).toBeCloseTo(1, 12);
    expect(c.matrix[2]).toBeCloseTo(-1, 12);
    expect(c.average).toBeCloseTo(-1 / 3, 12);
  });

  it('a spike is a pair above its own baseline: current − baseline and the level both count', () => {
    const x = Array.from({ length: 250 }, (_, i) => Math.sin(i * 0.9 + 0.3) * 0.01);
    const y = x.map((v, i) => (i < 190 ? Math.cos(i * 2.3 + 0.1) * 0.01 : v + (i % 2 ? 0.001 : -0.001)));
    const s = correlationSpikes([{ agentId: 'a', returns: x }, { agentId: 'b', returns: y }], 60, 250);
    const cur = s.current[1] ?? 0;
    const bas = s.baseline[1] ?? 0;
    expect(cur).toBeGreaterThan(0.95);
    expect(cur - bas).toBeGreaterThan(0.3);
    expect(s.pairs).toBe(1);
    expect(s.averageCurrent).toBeCloseTo(cur, 12);
    expect(s.averageBaseline).toBeCloseTo(bas, 12);
    expect(worstSpike(s, 0, 0.3, 0.7)).toEqual({ with: 'b', current: cur, baseline: bas });
    expect(worstSpike(s, 0, cur - bas, 0.7)).toBeNull(); // the rise must exceed the delta
    expect(worstSpike(s, 0, 0.3, cur)).toBeNull(); // and the level the shock
  });

  it('an agent trades through a window when it has the history and non-zero P&L on 95% of its days', () => {
    const r = Array.from({ length: 100 }, () => 0.01);
    expect(tradedThrough(r, 100)).toBe(true);
    expect(tradedThrough(r, 101)).toBe(false);
    expect(tradedThrough(r.map((v, i) => (i < 5 ? 0 : v)), 100)).toBe(true);
    expect(tradedThrough(r.map((v, i) => (i < 6 ? 0 : v)), 100)).toBe(false);
    const s = correlationSpikes([{ agentId: 'a', returns: r }, { agentId: 'b', returns: r.map((v, i) => (i < 50 ? 0 : v)) }], 20, 100);
    expect(Number.isNaN(s.baseline[1] ?? 0)).toBe(true);
    expect(Number.isNaN(s.averageCurrent)).toBe(true);
  });

  it('factor loadings by OLS recover known betas', () => {
    const T = 80;
    const X = new Float64Array(T * 2);
    const y: number[] = [];
    for (let t = 0; t < T; t++) {
      const f1 = Math.sin(t), f2 = Math.cos(t * 0.7);
      X[t * 2] = f1;
      X[t * 2 + 1] = f2;
      y.push(0.001 + 0.8 * f1 - 0.3 * f2);
    }
    const r = regress(y, X, 2);
    expect(r.alpha).toBeCloseTo(0.001, 10);
    expect(r.betas[0]).toBeCloseTo(0.8, 10);
    expect(r.betas[1]).toBeCloseTo(-0.3, 10);
    expect(r.r2).toBeCloseTo(1, 10);
  });
});

describe('liquidity report (seed §4B)', () => {
  it('days to liquidate at 10% participation, stressed at half the volume, and the one-day score', () => {
    const u = { symbols: ['A', 'B'], N: 2, price: Float64Array.from([10, 10]), adv: Float64Array.from([1e6, 1e4]) } as unknown as Universe;
    const r = liquidityReport(u, Float64Array.from([5e5, 3e4]), 0.1, 0.5); // A: 0.5 day, B: 3 days
    expect(r.daysToLiquidateNormal).toBeCloseTo(3, 12);
    expect(r.daysToLiquidateStressed).toBeCloseTo(6, 12);
    expect(r.score).toBeCloseTo((5e5 + 3e4 / 3) / 5.3e5, 12);
    expect(r.names[0]?.symbol).toBe('B');
  });
});

describe('agent factor loadings in the snapshot', () => {
  it('an agent that earns half the market with a small alpha loads 0.5 on the market factor', () => {
    const view = syntheticView({ U: 10 });
    const lvl = view.reference('market', 121);
    const m = Array.from({ length: 120 }, (_, k) => (lvl[k + 1] ?? 0) / (lvl[k] ?? 1) - 1);
    const returns = m.map((x, k) => 0.5 * x + 0.0002 + (k % 2 ? 1e-5 : -1e-5));
    const config = fundConfig([{ id: 'a', strategy: 'momentum', capital: 1e7 }]);
    const r = reviewFund({ proposals: [proposal('a', 'momentum', view.asOf, [{ symbol: 'S001', weight: 0.05 }])], state: fundState(view.asOf, 1e8, [agentState('a', 1e7, { returns })]), config, view, cycleId: 'f' });
    const l = r.snapshot.agentFactorLoadings.a;
    expect(l?.betas.market).toBeCloseTo(0.5, 3);
    expect(l?.alpha).toBeCloseTo(0.0002, 5);
    expect(l?.r2).toBeGreaterThan(0.99);
  });
});

import { describe, expect, it } from 'vitest';
import { agentCorrelations, liquidityReport, regress } from './index.ts';
import type { Universe } from './universe.ts';

describe('correlation monitor (seed §2A)', () => {
  it('pairwise correlations over the last 60 days, ±1 for linear pairs', () => {
    const a = Array.from({ length: 100 }, (_, i) => Math.sin(i));
    const c = agentCorrelations([{ agentId: 'a', returns: a }, { agentId: 'b', returns: a.map((x) => 2 * x + 1) }, { agentId: 'c', returns: a.map((x) => -x) }], 60);
    expect(c.matrix[1]).toBeCloseTo(1, 12);
    expect(c.matrix[2]).toBeCloseTo(-1, 12);
    expect(c.average).toBeCloseTo(-1 / 3, 12);
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

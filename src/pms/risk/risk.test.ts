import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/index.ts';
import { concentration, liquidity, riskMonitor, sectorExposures, utilisation, type RiskMonitorInput } from '../index.ts';

// Published standard normal quantiles (e.g. Abramowitz & Stegun table 26.5).
const Z95 = 1.6448536269514722;
const Z99 = 2.3263478740408408;

/** Independent sample standard deviation (ddof 1). */
function sd(x: readonly number[]): number {
  const m = x.reduce((s, v) => s + v, 0) / x.length;
  return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
}

/** A two-asset panel, T×2 row-major, deterministic and not degenerate. */
function twoAssetPanel(T: number): { panel: Float64Array; a: number[]; b: number[] } {
  const a: number[] = [];
  const b: number[] = [];
  for (let t = 0; t < T; t++) {
    a.push(0.01 * Math.sin(t * 1.3) + 0.004 * Math.cos(t * 0.7));
    b.push(0.008 * Math.cos(t * 1.1) + 0.5 * (a[t] as number));
  }
  const panel = new Float64Array(2 * T);
  for (let t = 0; t < T; t++) {
    panel[2 * t] = a[t] as number;
    panel[2 * t + 1] = b[t] as number;
  }
  return { panel, a, b };
}

const base = (over: Partial<RiskMonitorInput> = {}): RiskMonitorInput => {
  const { panel } = twoAssetPanel(250);
  return {
    asOf: '2024-01-02',
    nav: 10_000_000,
    positions: [
      { symbol: 'A', exposure: 3_000_000, agentId: 'm', price: 100, adv: 1_000_000 },
      { symbol: 'B', exposure: -1_000_000, agentId: 'v', price: 50, adv: 100_000 },
      { symbol: 'A', exposure: 1_000_000, agentId: 'v', price: 100, adv: 1_000_000 },
    ],
    returns: { panel, symbols: ['A', 'B'] },
    monteCarlo: { rng: createRng(7), paths: 20_000 },
    ...over,
  };
};

describe('riskMonitor: VaR by three methods', () => {
  it('parametric VaR = z·σ·value with σ the sample std of the portfolio P&L (hand computation)', () => {
    const { a, b } = twoAssetPanel(250);
    const pnl = a.map((x, t) => 4_000_000 * x - 1_000_000 * (b[t] as number));
    const sigma = sd(pnl);
    const r = riskMonitor(base());
    expect(r.sigma).toBeCloseTo(sigma, 6);
    const l95 = r.var[0];
    const l99 = r.var[1];
    expect(l95?.confidence).toBe(0.95);
    expect(l95?.parametric.var).toBeCloseTo(Z95 * sigma, 4);
    expect(l99?.parametric.var).toBeCloseTo(Z99 * sigma, 4);
    expect(l95?.parametric.varPct).toBeCloseTo((Z95 * sigma) / 10_000_000, 12);
    // Normal ES = σ·φ(z)/(1−c): φ(1.6449) = 0.10313564 → 2.0627128·σ.
    expect(l95?.parametric.cvar).toBeCloseTo(2.0627128075074 * sigma, 3);
  });

  it('a horizon of h days scales normal VaR by √h', () => {
    const one = riskMonitor(base());
    const ten = riskMonitor(base({ horizonDays: 10, monteCarlo: { rng: createRng(7), paths: 20_000 } }));
    expect(ten.var[0]?.parametric.var).toBeCloseTo((one.var[0]?.parametric.var ?? 0) * Math.sqrt(10), 6);
  });

  it('historical VaR is the numpy-linear 5% quantile of the scenario P&L (hand-worked)', () => {
    // One asset, returns −1.0%, −0.9%, …, +0.9% (20 days): q_0.05 at position 0.95 = −1.0% + 0.95·0.1% = −0.905%.
    const rets = Array.from({ length: 20 }, (_, i) => (i - 10) / 1000);
    const r = riskMonitor({
      asOf: '2024-01-02',
      nav: 2_000_000,
      positions: [{ symbol: 'X', exposure: 1_000_000 }],
      returns: { panel: Float64Array.from(rets), symbols: ['X'] },
      monteCarlo: { rng: createRng(1), paths: 1000 },
    });
    expect(r.var[0]?.historical.var).toBeCloseTo(9_050, 6);
    expect(r.var[0]?.historical.cvar).toBeCloseTo(10_000, 6); // only −1.0% is at or below the quantile
    expect(r.var[0]?.historical.varPct).toBeCloseTo(0.004525, 12);
  });

  it('Monte Carlo VaR agrees with parametric within sampling error and is reproducible from the seed', () => {
    const r = riskMonitor(base());
    for (const l of r.var) expect(Math.abs(l.monteCarlo.var / l.parametric.var - 1)).toBeLessThan(0.05);
    const again = riskMonitor(base());
    expect(again.var[1]?.monteCarlo.var).toBe(r.var[1]?.monteCarlo.var);
    expect(r.monteCarloPaths).toBe(20_000);
  });

  it('Student-t Monte Carlo has a fatter 99% tail than the normal (t5 scaled to Σ: 2.61σ vs 2.33σ)', () => {
    const r = riskMonitor(base({ monteCarlo: { rng: createRng(3), paths: 40_000, distribution: 'studentT', df: 5 } }));
    const l99 = r.var[1];
    // t5 99% quantile 3.3649 × √(3/5) = 2.6065 standard deviations.
    expect((l99?.monteCarlo.var ?? 0) / r.sigma).toBeGreaterThan(2.45);
    expect((l99?.monteCarlo.var ?? 0) / r.sigma).toBeLessThan(2.75);
  });

  it('uses a given risk model for parametric VaR: σ² = wᵀΣw', () => {
    // Σ = diag(0.0004, 0.0001) with exposures (4m, −1m): σ = √(16e12·4e-4 + 1e12·1e-4) = √(6.5e9).
    const r = riskMonitor(base({ riskModel: Float64Array.from([0.0004, 0, 0, 0.0001]) }));
    expect(r.sigma).toBeCloseTo(Math.sqrt(6.5e9), 6);
    expect(r.var[0]?.parametric.var).toBeCloseTo(Z95 * Math.sqrt(6.5e9), 4);
  });

  it('agent VaR components add up to the fund parametric VaR', () => {
    const r = riskMonitor(base());
    const agents = r.agentVar.agents;
    expect(agents.map((a) => a.agentId).sort()).toEqual(['m', 'v']);
    expect(agents.reduce((s, a) => s + a.componentVar, 0)).toBeCloseTo(r.var[0]?.parametric.var ?? 0, 6);
    expect(agents.reduce((s, a) => s + a.share, 0)).toBeCloseTo(1, 12);
    // m holds only A (3m): standalone = z·3m·sd(A)
    const { a } = twoAssetPanel(250);
    expect(agents.find((x) => x.agentId === 'm')?.standaloneVar).toBeCloseTo(Z95 * 3_000_000 * sd(a), 4);
  });

  it('a flat book has zero VaR by every method; a held book without history has unknown (NaN) historical VaR, which breaches', () => {
    const flat = riskMonitor(base({ positions: [] }));
    for (const l of flat.var) expect([l.historical.var, l.parametric.var, l.monteCarlo.var]).toEqual([0, 0, 0]);
    const blind = riskMonitor(base({ returns: { panel: new Float64Array(0), symbols: ['A', 'B'] }, limits: [{ name: 'var95', metric: 'var95', limit: 0.02 }] }));
    expect(blind.var[0]?.historical.var).toBeNaN();
    expect(blind.limits[0]?.status).toBe('BREACH');
  });

  it('nets positions across agents, reports gross/net, and lists names without returns', () => {
    const r = riskMonitor(base({ positions: [...base().positions, { symbol: 'Z', exposure: 500_000 }] }));
    expect(r.gross).toBe(5_500_000);
    expect(r.net).toBe(3_500_000);
    expect(r.grossPct).toBeCloseTo(0.55, 12);
    expect(r.missingReturns).toEqual(['Z']);
  });
});

describe('limits, stress, concentration and liquidity', () => {
  it('utilisation: OK up to 80%, WARNING above, BREACH above 100%', () => {
    expect(utilisation('x', 0.8, 1).status).toBe('OK');
    expect(utilisation('x', 0.81, 1).status).toBe('WARNING');
    expect(utilisation('x', -1, 1)).toEqual({ name: 'x', value: -1, limit: 1, utilisation: 1, status: 'WARNING' });
    expect(utilisation('x', 1.01, 1).status).toBe('BREACH');
    expect(utilisation('x', Number.NaN, 1).status).toBe('BREACH');
  });

  it('limits on computed metrics and passed-through stress results', () => {
    const stress = [
      { scenario: '2008_liquidity_freeze', pnl: -1_200_000, perAgent: { m: -1_000_000 } },
      { scenario: 'rate_shock_200bps', pnl: -300_000 },
    ];
    const r = riskMonitor(
      base({
        stress,
        limits: [
          { name: 'gross', metric: 'gross', limit: 0.6 },
          { name: 'stress loss', metric: 'worstStressLoss', limit: 0.1 },
          { name: 'single name', metric: 'largestName', limit: 0.35 },
          { name: 'drawdown', value: 0.02, limit: 0.1 },
        ],
      }),
    );
    expect(r.stress).toBe(stress);
    expect(r.worstStress?.scenario).toBe('2008_liquidity_freeze');
    expect(r.limits.map((l) => [l.name, Number(l.utilisation.toFixed(6)), l.status])).toEqual([
      ['gross', 0.833333, 'WARNING'], // 5m / 10m = 0.5 of 0.6
      ['stress loss', 1.2, 'BREACH'], // 1.2m / 10m = 0.12 of 0.10
      ['single name', 1.142857, 'BREACH'], // A = 4m = 0.40 of 0.35
      ['drawdown', 0.2, 'OK'],
    ]);
  });

  it('concentration: HHI and top-10 share (hand-worked)', () => {
    const c = concentration(new Map([['A', 50], ['B', 30], ['C', -20]]), 200);
    expect(c.hhi).toBeCloseTo(0.25 + 0.09 + 0.04, 12);
    expect(c.effectiveNames).toBeCloseTo(1 / 0.38, 12);
    expect(c.top10Share).toBe(1);
    expect(c.largest).toEqual({ symbol: 'A', grossShare: 0.5, navFraction: 0.25 });
    const twelve = concentration(new Map(Array.from({ length: 12 }, (_, i) => [`S${i}`, 1])), 12);
    expect(twelve.top10Share).toBeCloseTo(10 / 12, 12);
    expect(twelve.hhi).toBeCloseTo(1 / 12, 12);
    expect(concentration(new Map(), 1)).toEqual({ hhi: 0, effectiveNames: 0, top10Share: 0, largest: null });
  });

  it('sector exposures: gross and net over netted names', () => {
    const s = sectorExposures(new Map([['A', 300], ['B', -100], ['C', 50]]), new Map([['A', 'Tech'], ['B', 'Tech']]), 1000);
    expect(s).toEqual([
      { sector: 'Tech', gross: 400, net: 200, grossPct: 0.4, netPct: 0.2 },
      { sector: 'Unclassified', gross: 50, net: 50, grossPct: 0.05, netPct: 0.05 },
    ]);
    const r = riskMonitor(base({ positions: [{ symbol: 'A', exposure: 1_000_000, sector: 'Tech' }, { symbol: 'B', exposure: -500_000, sector: 'Energy' }] }));
    expect(r.sectors.map((x) => [x.sector, x.net])).toEqual([['Tech', 1_000_000], ['Energy', -500_000]]);
  });

  it('liquidity: days to liquidate from ADV at the participation rate (hand-worked)', () => {
    // $1m at $100 = 10,000 shares; 10% of 50,000 ADV = 5,000 a day → 2 days; half the volume in stress → 4 days.
    const l = liquidity([
      { symbol: 'A', exposure: 1_000_000, price: 100, adv: 50_000 },
      { symbol: 'B', exposure: -1_000_000, price: 10, adv: 10_000_000 },
      { symbol: 'C', exposure: 5, price: null, adv: null },
    ]);
    expect(l.names[0]).toEqual({ symbol: 'A', shares: 10_000, days: 2, stressDays: 4 });
    expect(l.daysToLiquidate).toBe(2);
    expect(l.stressDaysToLiquidate).toBe(4);
    expect(l.liquidWithin1d).toBeCloseTo((500_000 + 1_000_000) / 2_000_000, 12);
    expect(l.liquidWithin5d).toBe(1);
    expect(l.unknown).toEqual(['C']);
  });
});

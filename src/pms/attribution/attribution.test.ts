import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brinsonFachler, brinsonSectorsFromHoldings, decomposePnl, factorAttribution, type BrinsonSector } from '../index.ts';

function value<T, E>(r: { ok: true; value: T } | { ok: false; error: E }): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}

describe('decomposePnl', () => {
  it('groups by agent, bucket, sector and name, largest first', () => {
    const d = decomposePnl([
      { agentId: 'm', symbol: 'AAPL', pnl: 1000.004, bucket: 'directional_equity', sector: 'Tech' },
      { agentId: 'm', symbol: 'XOM', pnl: -250.5, bucket: 'directional_equity', sector: 'Energy' },
      { agentId: 'v', symbol: 'AAPL', pnl: 10.006, sector: 'Tech' },
    ]);
    expect(d.totalCents).toBe(100000 - 25050 + 1001);
    expect(d.byAgent).toEqual([{ key: 'm', pnlCents: 74950, pnl: 749.5 }, { key: 'v', pnlCents: 1001, pnl: 10.01 }]);
    expect(d.byBucket.map((p) => p.key)).toEqual(['directional_equity', 'unassigned']);
    expect(d.bySector).toEqual([{ key: 'Tech', pnlCents: 101001, pnl: 1010.01 }, { key: 'Energy', pnlCents: -25050, pnl: -250.5 }]);
    expect(d.byName.map((p) => [p.key, p.pnlCents])).toEqual([['AAPL', 101001], ['XOM', -25050]]);
  });

  // Invariant: in every dimension the parts add up to the total exactly, in integer cents.
  it('parts sum to the total to the cent (property)', () => {
    const item = fc.record({
      agentId: fc.constantFrom('a', 'b', 'c'),
      symbol: fc.constantFrom('AAPL', 'MSFT', 'XOM', 'JPM'),
      pnl: fc.double({ min: -1e8, max: 1e8, noNaN: true }),
      bucket: fc.constantFrom(null, 'directional_equity', 'vol_selling'),
      sector: fc.constantFrom(null, 'Tech', 'Energy'),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 40 }), (items) => {
        const d = decomposePnl(items);
        for (const parts of [d.byAgent, d.byBucket, d.bySector, d.byName]) {
          expect(parts.reduce((s, p) => s + p.pnlCents, 0)).toBe(d.totalCents);
          for (const p of parts) expect(Number.isInteger(p.pnlCents)).toBe(true);
        }
        const raw = items.reduce((s, i) => s + i.pnl, 0);
        expect(Math.abs(d.total - raw)).toBeLessThanOrEqual(0.005 * items.length + 1e-6 * Math.abs(raw) + 1e-9);
      }),
      { numRuns: 300 },
    );
  });
});

describe('factorAttribution', () => {
  it('one factor with intercept: β = cov(r, f)/var(f), α = mean(r) − β·mean(f) (closed form)', () => {
    const f = [0.01, -0.02, 0.015, 0.003, -0.007, 0.012, -0.001, 0.004];
    const e = [0.001, -0.0005, 0.0002, -0.0011, 0.0007, 0.0001, -0.0003, 0.0009];
    const r = f.map((x, t) => 0.0002 + 1.5 * x + (e[t] as number));
    const mf = f.reduce((s, x) => s + x, 0) / f.length;
    const mr = r.reduce((s, x) => s + x, 0) / r.length;
    const cov = f.reduce((s, x, t) => s + (x - mf) * ((r[t] as number) - mr), 0);
    const vf = f.reduce((s, x) => s + (x - mf) ** 2, 0);
    const beta = cov / vf;
    const a = value(factorAttribution({ portfolio: r, factors: { market: f } }));
    expect(a.factors[0]?.beta).toBeCloseTo(beta, 10);
    expect(a.alphaDaily).toBeCloseTo(mr - beta * mf, 10);
    expect(a.factors[0]?.contribution).toBeCloseTo(beta * f.reduce((s, x) => s + x, 0), 12);
    expect(a.residual).toBeCloseTo(0, 12); // OLS residuals sum to zero with an intercept
    expect(a.total).toBeCloseTo(r.reduce((s, x) => s + x, 0), 14);
  });

  it('recovers exact betas when returns are an exact combination of factors', () => {
    const f1 = [0.01, -0.02, 0.03, 0.0, 0.01, -0.01];
    const f2 = [0.002, 0.001, -0.003, 0.004, -0.001, 0.0];
    const r = f1.map((x, t) => 0.8 * x - 0.5 * (f2[t] as number));
    const a = value(factorAttribution({ portfolio: r, factors: { mkt: f1, rates: f2 }, intercept: false }));
    expect(a.factors.map((x) => [x.factor, Number(x.beta.toFixed(10))])).toEqual([['mkt', 0.8], ['rates', -0.5]]);
    expect(a.rSquared).toBeCloseTo(1, 10);
  });

  it('error values for mismatched lengths, too few observations and collinear factors', () => {
    expect(factorAttribution({ portfolio: [0.1, 0.2, 0.3], factors: { a: [0.1, 0.2] } })).toMatchObject({ ok: false, error: { code: 'LENGTH_MISMATCH' } });
    expect(factorAttribution({ portfolio: [0.1, 0.2], factors: { a: [0.1, 0.2] } })).toMatchObject({ ok: false, error: { code: 'TOO_FEW_OBSERVATIONS' } });
    expect(factorAttribution({ portfolio: [0.1, 0.2, 0.3, 0.1], factors: { a: [1, 2, 3, 4], b: [2, 4, 6, 8] } })).toMatchObject({ ok: false, error: { code: 'SINGULAR' } });
  });

  // Invariant: alpha + Σ factor contributions + residual = Σ daily portfolio returns.
  it('parts sum to the total (property)', () => {
    const arb = fc.integer({ min: 20, max: 60 }).chain((T) =>
      fc.record({
        y: fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: T, maxLength: T }),
        fs: fc.array(fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: T, maxLength: T }), { minLength: 1, maxLength: 3 }),
        intercept: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(arb, ({ y, fs, intercept }) => {
        const r = factorAttribution({ portfolio: y, factors: Object.fromEntries(fs.map((f, k) => [`f${k}`, f])), intercept });
        if (!r.ok) return; // collinear draws are allowed to fail
        const a = r.value;
        const parts = a.alpha + a.factors.reduce((s, f) => s + f.contribution, 0) + a.residual;
        expect(Math.abs(parts - a.total)).toBeLessThan(1e-9);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Brinson–Fachler', () => {
  // Hand-worked: R_b = .3·.08 + .3·.01 + .4·.06 = .051; R_p = .4·.10 + .2·(−.02) + .4·.05 = .056.
  const sectors: BrinsonSector[] = [
    { sector: 'Tech', portfolioWeight: 0.4, benchmarkWeight: 0.3, portfolioReturn: 0.1, benchmarkReturn: 0.08 },
    { sector: 'Energy', portfolioWeight: 0.2, benchmarkWeight: 0.3, portfolioReturn: -0.02, benchmarkReturn: 0.01 },
    { sector: 'Health', portfolioWeight: 0.4, benchmarkWeight: 0.4, portfolioReturn: 0.05, benchmarkReturn: 0.06 },
  ];
  it('matches the textbook formulas on a hand-worked example', () => {
    const b = value(brinsonFachler(sectors));
    expect(b.benchmarkReturn).toBeCloseTo(0.051, 15);
    expect(b.portfolioReturn).toBeCloseTo(0.056, 15);
    // allocation: Tech .1·(.08−.051)=.0029, Energy −.1·(.01−.051)=.0041, Health 0
    // selection:  Tech .3·.02=.006, Energy .3·(−.03)=−.009, Health .4·(−.01)=−.004
    // interaction: Tech .1·.02=.002, Energy −.1·(−.03)=.003, Health 0
    expect(b.sectors.map((s) => [s.sector, +s.allocation.toFixed(12), +s.selection.toFixed(12), +s.interaction.toFixed(12)])).toEqual([
      ['Tech', 0.0029, 0.006, 0.002],
      ['Energy', 0.0041, -0.009, 0.003],
      ['Health', 0, -0.004, 0],
    ]);
    expect(b.allocation).toBeCloseTo(0.007, 15);
    expect(b.selection).toBeCloseTo(-0.007, 15);
    expect(b.interaction).toBeCloseTo(0.005, 15);
    expect(b.allocation + b.selection + b.interaction).toBeCloseTo(b.activeReturn, 15);
    expect(b.activeReturn).toBeCloseTo(0.005, 15);
  });

  it('weights that do not sum to one are an error value', () => {
    expect(brinsonFachler(sectors.slice(0, 2))).toMatchObject({ ok: false, error: { code: 'WEIGHTS_DO_NOT_SUM_TO_ONE', side: 'portfolio' } });
  });

  it('builds sector inputs from holdings; a sector the portfolio lacks has no selection', () => {
    const s = brinsonSectorsFromHoldings(
      [
        { symbol: 'AAPL', sector: 'Tech', weight: 0.6, return: 0.1 },
        { symbol: 'MSFT', sector: 'Tech', weight: 0.4, return: 0.05 },
      ],
      [
        { symbol: 'AAPL', sector: 'Tech', weight: 0.5, return: 0.1 },
        { symbol: 'XOM', sector: 'Energy', weight: 0.5, return: -0.04 },
      ],
    );
    expect(s).toEqual([
      { sector: 'Energy', portfolioWeight: 0, benchmarkWeight: 0.5, portfolioReturn: -0.04, benchmarkReturn: -0.04 },
      { sector: 'Tech', portfolioWeight: 1, benchmarkWeight: 0.5, portfolioReturn: 0.08, benchmarkReturn: 0.1 },
    ]);
    const b = value(brinsonFachler(s));
    expect(b.sectors[0]?.selection).toBe(0);
    expect(b.activeReturn).toBeCloseTo(0.08 - 0.03, 15);
  });

  // Invariant: for any weights summing to one, allocation + selection + interaction = R_p − R_b.
  it('totals reconcile to R_p − R_b (property)', () => {
    const arb = fc.integer({ min: 1, max: 8 }).chain((n) =>
      fc.record({
        wp: fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
        wb: fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
        rp: fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: n, maxLength: n }),
        rb: fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: n, maxLength: n }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ wp, wb, rp, rb }) => {
        const sp = wp.reduce((s, x) => s + x, 0);
        const sb = wb.reduce((s, x) => s + x, 0);
        const secs = wp.map((w, i) => ({ sector: `s${i}`, portfolioWeight: w / sp, benchmarkWeight: (wb[i] ?? 0) / sb, portfolioReturn: rp[i] ?? 0, benchmarkReturn: rb[i] ?? 0 }));
        const b = value(brinsonFachler(secs));
        expect(Math.abs(b.allocation + b.selection + b.interaction - b.activeReturn)).toBeLessThan(1e-12);
        const sectorSum = b.sectors.reduce((s, x) => s + x.total, 0);
        expect(Math.abs(sectorSum - b.activeReturn)).toBeLessThan(1e-12);
      }),
      { numRuns: 300 },
    );
  });
});

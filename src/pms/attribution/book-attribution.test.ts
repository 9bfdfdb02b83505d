import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookExposure, bookPnl, brinsonFachler, brinsonHoodBeebower, linkedBrinson, nameLoadings, sumLinesBy, type BookTrade, type BrinsonSector } from '../index.ts';

function value<T, E>(r: { ok: true; value: T } | { ok: false; error: E }): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}

const DATES = ['d0', 'd1', 'd2', 'd3', 'd4'];
const CLOSES: Record<string, (number | undefined)[]> = { A: [10, 11, 12, 11, 13], B: [50, 49, undefined, 52, 50] };
const close = (s: string, row: number): number | undefined => {
  for (let r = Math.min(row, DATES.length - 1); r >= 0; r--) {
    const c = CLOSES[s]?.[r];
    if (c !== undefined) return c;
  }
  return undefined;
};

describe('bookPnl', () => {
  it('rebuilds holdings backwards from today and marks holding and trading P&L (hand-worked)', () => {
    // m bought 100 A on d2 at 11.5 (fee 1) and holds 300 today, so it carried 200 before d2.
    // v sold 10 B on d4 at 51 (fee 0.5), holding 0 today, so it carried 10 through d4.
    const trades: BookTrade[] = [
      { agentId: 'm', symbol: 'A', row: 2, qty: 100, price: 11.5, fee: 1 },
      { agentId: 'v', symbol: 'B', row: 4, qty: -10, price: 51, fee: 0.5 },
    ];
    const b = bookPnl({ dates: DATES, from: 1, to: 4, holdings: [{ agentId: 'm', symbol: 'A', qty: 300 }, { agentId: 'v', symbol: 'B', qty: 0 }], trades, close });
    expect(b.dates).toEqual(['d1', 'd2', 'd3', 'd4']);
    const m = b.lines.find((l) => l.agentId === 'm');
    // d1: 200·1; d2: 200·1 + 100·(12−11.5) − 1; d3: 300·(−1); d4: 300·2
    expect(m?.pnlCents).toEqual([20000, 20000 + 5000 - 100, -30000, 60000]);
    expect(m?.startValue).toEqual([2000, 2200, 3600, 3300]);
    const v = b.lines.find((l) => l.agentId === 'v');
    // B is not priced on d2 (the close carries d1's 49): d1 −10, d2 0, d3 +30, d4: 10·(50−52) + (−10)·(50−51) − 0.5
    expect(v?.pnlCents).toEqual([-1000, 0, 3000, -2000 + 1000 - 50]);
    expect(b.fundCents).toEqual([19000, 24900, -27000, 58950]);
    expect(b.unpriced).toEqual([]);
  });

  it('trades after the window roll holdings back (a name bought later is not in the window); an unknown name is unpriced', () => {
    const b = bookPnl({ dates: DATES, from: 1, to: 2, holdings: [{ agentId: 'm', symbol: 'A', qty: 50 }, { agentId: 'm', symbol: 'ZZZ', qty: 5 }], trades: [{ agentId: 'm', symbol: 'A', row: 4, qty: 50, price: 13, fee: 0 }], close });
    expect(b.lines.map((l) => [l.symbol, l.pnlCents])).toEqual([['ZZZ', [0, 0]]]);
    expect(b.unpriced).toEqual(['ZZZ']);
  });

  // Invariant: each day fund = Σ agents = Σ names in integer cents, and over the window a line's
  // P&L is its change in marked value less what its trades cost (to rounding, ½ cent a day).
  it('parts add up to the fund each day, and totals match value change less trade cash (property)', () => {
    const trade = fc.record({
      agentId: fc.constantFrom('a', 'b'),
      symbol: fc.constantFrom('A', 'B'),
      row: fc.integer({ min: 0, max: 6 }),
      qty: fc.integer({ min: -500, max: 500 }).filter((q) => q !== 0),
      price: fc.double({ min: 5, max: 80, noNaN: true }),
      fee: fc.double({ min: 0, max: 3, noNaN: true }),
    });
    const holding = fc.record({ agentId: fc.constantFrom('a', 'b'), symbol: fc.constantFrom('A', 'B'), qty: fc.integer({ min: -1000, max: 1000 }) });
    fc.assert(
      fc.property(fc.array(trade, { maxLength: 12 }), fc.array(holding, { maxLength: 4 }), (trades, holdings) => {
        const b = bookPnl({ dates: DATES, from: 2, to: 4, holdings, trades, close });
        const byAgent = sumLinesBy(b.lines, (l) => l.agentId);
        const byName = sumLinesBy(b.lines, (l) => l.symbol);
        for (const parts of [byAgent, byName]) {
          b.fundCents.forEach((c, i) => expect([...parts.values()].reduce((s, p) => s + (p[i] ?? 0), 0)).toBe(c));
        }
        for (const l of b.lines) {
          const mine = trades.filter((t) => t.agentId === l.agentId && t.symbol === l.symbol);
          const qNow = holdings.filter((h) => h.agentId === l.agentId && h.symbol === l.symbol).reduce((s, h) => s + h.qty, 0);
          const qEnd = qNow - mine.filter((t) => t.row > 4).reduce((s, t) => s + t.qty, 0);
          const inWindow = mine.filter((t) => t.row >= 2 && t.row <= 4);
          const qBase = qEnd - inWindow.reduce((s, t) => s + t.qty, 0);
          const expected = qEnd * (close(l.symbol, 4) ?? 0) - qBase * (close(l.symbol, 1) ?? 0) - inWindow.reduce((s, t) => s + t.qty * t.price + t.fee, 0);
          const got = l.pnlCents.reduce((s, c) => s + c, 0) / 100;
          expect(Math.abs(got - expected)).toBeLessThanOrEqual(0.005 * 3 + 1e-6 * Math.abs(expected));
          expect(l.endQty).toBe(qEnd);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('Brinson–Hood–Beebower', () => {
  const sectors: BrinsonSector[] = [
    { sector: 'Tech', portfolioWeight: 0.4, benchmarkWeight: 0.3, portfolioReturn: 0.1, benchmarkReturn: 0.08 },
    { sector: 'Energy', portfolioWeight: 0.2, benchmarkWeight: 0.3, portfolioReturn: -0.02, benchmarkReturn: 0.01 },
    { sector: 'Health', portfolioWeight: 0.4, benchmarkWeight: 0.4, portfolioReturn: 0.05, benchmarkReturn: 0.06 },
  ];
  it('allocation = (w_p − w_b)·R_b,s; totals equal Brinson–Fachler (hand-worked)', () => {
    const b = value(brinsonHoodBeebower(sectors));
    // Tech .1·.08 = .008, Energy −.1·.01 = −.001, Health 0
    expect(b.sectors.map((s) => +s.allocation.toFixed(12))).toEqual([0.008, -0.001, 0]);
    expect(b.allocation).toBeCloseTo(0.007, 15);
    const f = value(brinsonFachler(sectors));
    expect(b.allocation).toBeCloseTo(f.allocation, 15);
    expect(b.selection).toBe(f.selection);
    expect(b.interaction).toBe(f.interaction);
  });
});

describe('linkedBrinson', () => {
  const sec = (netValue: number, holdingPnl: number, grossValue = Math.abs(netValue)) => ({ netValue, grossValue, holdingPnl });
  it('one day equals a single-period BHB with a cash sector; trading takes fills and fees', () => {
    // base 1000: Tech 400 earning 40 (10%), Energy 200 losing 4 (−2%), cash 400; the day's P&L is 33 (3 lost to a fee).
    const r = value(linkedBrinson({
      base: 1000,
      portfolio: [new Map([['Tech', sec(400, 40)], ['Energy', sec(200, -4)]])],
      benchmark: [new Map([['Tech', { weight: 0.5, return: 0.08 }], ['Energy', { weight: 0.5, return: 0.01 }]])],
      totalPnl: [33],
    }));
    expect(r.portfolioReturn).toBeCloseTo(0.033, 15);
    expect(r.holdingsReturn).toBeCloseTo(0.036, 15);
    expect(r.benchmarkReturn).toBeCloseTo(0.045, 15);
    expect(r.trading).toBeCloseTo(-0.003, 15);
    // allocation (w_p − w_b)·R_b,s: Tech −.1·.08, Energy −.3·.01, Cash .4·0
    expect(r.sectors.map((s) => [s.sector, +s.allocation.toFixed(12), +s.selection.toFixed(12), +s.interaction.toFixed(12)])).toEqual([
      ['Energy', -0.003, -0.015, 0.009],
      ['Tech', -0.008, 0.01, -0.002],
      ['Cash', 0, 0, 0],
    ]);
    expect(r.allocation + r.selection + r.interaction + r.trading).toBeCloseTo(r.activeReturn, 15);
  });

  it('a sector whose longs and shorts net to nothing has no return of its own: its P&L goes to trading', () => {
    const r = value(linkedBrinson({
      base: 1000,
      portfolio: [new Map([['Tech', sec(1, 30, 800)]])],
      benchmark: [new Map([['Tech', { weight: 1, return: 0.02 }]])],
      totalPnl: [30],
    }));
    const tech = r.sectors.find((s) => s.sector === 'Tech');
    expect(tech?.selection).toBe(0);
    expect(r.trading).toBeCloseTo(0.03 - 0.001 * 0.02, 15);
  });

  // Invariant: over any days, allocation + selection + interaction + trading = R_p − R_b, and the sectors' totals add up to A + S + I.
  it('effects reconcile to the active return (property)', () => {
    const day = fc.record({
      tech: fc.record({ v: fc.double({ min: -500, max: 900, noNaN: true }), r: fc.double({ min: -0.2, max: 0.2, noNaN: true }) }),
      energy: fc.record({ v: fc.double({ min: -500, max: 900, noNaN: true }), r: fc.double({ min: -0.2, max: 0.2, noNaN: true }) }),
      wb: fc.double({ min: 0, max: 1, noNaN: true }),
      rb: fc.tuple(fc.double({ min: -0.1, max: 0.1, noNaN: true }), fc.double({ min: -0.1, max: 0.1, noNaN: true })),
      extra: fc.double({ min: -20, max: 20, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(day, { minLength: 1, maxLength: 10 }), (days) => {
        const r = value(linkedBrinson({
          base: 1000,
          portfolio: days.map((d) => new Map([['Tech', sec(d.tech.v, d.tech.v * d.tech.r)], ['Energy', sec(d.energy.v, d.energy.v * d.energy.r)]])),
          benchmark: days.map((d) => new Map([['Tech', { weight: d.wb, return: d.rb[0] }], ['Energy', { weight: 1 - d.wb, return: d.rb[1] }]])),
          totalPnl: days.map((d) => d.tech.v * d.tech.r + d.energy.v * d.energy.r + d.extra),
        }));
        expect(Math.abs(r.allocation + r.selection + r.interaction + r.trading - r.activeReturn)).toBeLessThan(1e-9);
        expect(Math.abs(r.sectors.reduce((s, x) => s + x.total, 0) - (r.allocation + r.selection + r.interaction))).toBeLessThan(1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it('a non-positive base is an error value', () => {
    expect(linkedBrinson({ base: 0, portfolio: [], benchmark: [], totalPnl: [] })).toMatchObject({ ok: false, error: { code: 'BAD_BASE' } });
  });
});

describe('factor exposures', () => {
  const mkt = [0.01, -0.02, 0.015, 0.003, -0.007, 0.012, -0.001, 0.004, 0.02, -0.011, 0.006, -0.004];
  const smb = [0.002, 0.001, -0.003, 0.004, -0.001, 0.0, 0.003, -0.002, 0.001, 0.002, -0.004, 0.001];
  it('recovers the loadings of a name that is an exact mix of factors, dropping days with a gap', () => {
    const r = mkt.map((m, t) => 0.0001 + 1.3 * m - 0.6 * (smb[t] ?? 0));
    r[3] = Number.NaN;
    const l = value(nameLoadings(r, { market: mkt, smb }, 5));
    expect(l.observations).toBe(11);
    expect(l.betas['market']).toBeCloseTo(1.3, 10);
    expect(l.betas['smb']).toBeCloseTo(-0.6, 10);
    expect(l.rSquared).toBeCloseTo(1, 10);
    expect(nameLoadings(r.slice(0, 4), { market: mkt.slice(0, 4), smb: smb.slice(0, 4) }, 5)).toMatchObject({ ok: false, error: { code: 'TOO_FEW_OBSERVATIONS' } });
  });

  it('a book exposure is Σ value·β, over capital; names without loadings are reported', () => {
    const loadings = new Map([
      ['A', { betas: { market: 1.2, smb: 0.5 }, rSquared: 0.5, observations: 100 }],
      ['B', { betas: { market: 0.8, smb: -1 }, rSquared: 0.4, observations: 100 }],
    ]);
    const e = bookExposure([{ symbol: 'A', value: 1000 }, { symbol: 'B', value: -500 }, { symbol: 'C', value: 500 }], loadings, ['market', 'smb'], 10_000);
    expect(e.dollars).toEqual({ market: 1200 - 400, smb: 500 + 500 });
    expect(e.exposures).toEqual({ market: 0.08, smb: 0.1 });
    expect(e.gross).toBe(2000);
    expect(e.net).toBe(1000);
    expect(e.coverage).toBe(0.75);
    expect(e.missing).toEqual(['C']);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgentRiskParams, AgentRiskNote, type AgentState } from '../../contracts/index.ts';
import { viewAt } from '../../market/index.ts';
import { ReturnCorrelations, applyAgentRisk } from '../index.ts';
import { names, noiseTable, panelFromReturns } from '../test-panels.ts';

// Six names, 2% daily high-low range; names 0 and 1 move together exactly, 2 is their mirror.
const U = 6;
const T = 80;
const noise = noiseTable(9, T, U, 0.01);
const panel = panelFromReturns({
  T,
  symbols: names('K', U),
  sectors: ['Tech', 'Tech', 'Tech', 'Energy', 'Energy', 'Health'],
  ret: (t, u) => (u === 1 ? noise(t, 0) : u === 2 ? -noise(t, 0) : noise(t, u)),
});
const view = viewAt(panel, T - 1);
const close = view.cross('close');
const sectorOf = Int32Array.from([0, 0, 0, 1, 1, 2]);
const sectorNames = ['Tech', 'Energy', 'Health'];

function run(weights: number[], over: Partial<AgentRiskParams> = {}, atrFrac = 0.01, state: AgentState = 'normal', strength = [1, 1, 1, 1, 1, 1]) {
  const w = Float64Array.from(weights);
  const out = applyAgentRisk({
    view,
    weights: w,
    strength: Float64Array.from(strength),
    close,
    atr: (u) => (close[u] ?? 0) * atrFrac,
    sectorOf,
    sectorNames,
    params: { ...AgentRiskParams.parse({}), ...over },
    drawdownState: state,
  });
  for (const n of out.notes) AgentRiskNote.parse(n);
  return { w: Array.from(w), ...out, codes: out.notes.map((n) => n.code) };
}

describe('per-agent risk', () => {
  it('caps a position at maxPositionPct and says so', () => {
    const r = run([0.25, 0, 0, 0, 0, 0]);
    expect(r.w[0]).toBe(0.1);
    expect(r.notes[0]).toMatchObject({ code: 'POSITION_CAP', symbol: 'K000', limit: 0.1, actual: 0.25 });
  });
  it('cuts a trade whose stop risks more than 1% of capital (ATR 5%, stop 2 ATR → max weight 10%)', () => {
    const r = run([0, 0, 0, 0.08, 0, 0.3], { maxPositionPct: 1, maxSectorPct: 1 }, 0.05);
    expect(r.w[5]).toBeCloseTo(0.1, 12);
    expect(r.w[3]).toBe(0.08);
    const n = r.notes.find((x) => x.code === 'PER_TRADE_RISK');
    expect(n?.symbol).toBe('K005');
    expect(n?.actual).toBeCloseTo(0.03, 12); // 0.3 × 10%
  });
  it('scales a sector above maxSectorPct', () => {
    const r = run([0, 0, 0, 0.2, 0.2, 0.05], { maxPositionPct: 1, perTradeRiskPct: 1 });
    expect((r.w[3] ?? 0) + (r.w[4] ?? 0)).toBeCloseTo(0.3, 12);
    expect(r.notes.find((x) => x.code === 'SECTOR_CAP')).toMatchObject({ limit: 0.3, actual: 0.4 });
  });
  it('scales gross exposure to the leverage limit', () => {
    const r = run([0.3, 0, 0, 0.3, -0.3, 0.3], { maxPositionPct: 1, perTradeRiskPct: 1, maxSectorPct: 1, leverageLimit: 0.6 });
    expect(r.w.reduce((s, x) => s + Math.abs(x), 0)).toBeCloseTo(0.6, 12);
    expect(r.notes.at(-1)).toMatchObject({ code: 'LEVERAGE_SCALE', limit: 0.6, actual: 1.2 });
  });
  it('drops the weaker of two same-direction names correlated above the limit, keeps a hedge', () => {
    const r = run([0.05, 0.05, 0, 0.05, 0, 0], {}, 0.01, 'normal', [1, 2, 1, 1, 1, 1]);
    expect(r.w[0]).toBe(0); // weaker than K001, ρ = 1
    expect(r.w[1]).toBe(0.05);
    expect(r.notes[0]).toMatchObject({ code: 'CORRELATION_FILTER', symbol: 'K000', limit: 0.9 });
    expect(r.notes[0]?.actual).toBeCloseTo(1, 10);
    const hedge = run([0.05, 0, -0.05, 0, 0, 0]);
    expect(hedge.w).toEqual([0.05, 0, -0.05, 0, 0, 0]);
  });
  it('skips the filter only when a known pair correlation within the limit covers every weighted name', () => {
    const base = { view, strength: Float64Array.from([1, 2, 1, 1, 1, 1]), close, atr: () => Number.NaN, sectorOf, sectorNames, params: AgentRiskParams.parse({}), drawdownState: 'normal' as const };
    // K000 and K001 have ρ = 1; a (deliberately false) certificate of 0.5 over both skips the filter
    const skipped = Float64Array.from([0.05, 0.05, 0, 0, 0, 0]);
    applyAgentRisk({ ...base, weights: skipped, knownPairCorrelation: { window: 60, max: 0.5, cols: [0, 1] } });
    expect(Array.from(skipped)).toEqual([0.05, 0.05, 0, 0, 0, 0]);
    for (const known of [{ window: 60, max: 0.5, cols: [1] }, { window: 40, max: 0.5, cols: [0, 1] }, { window: 60, max: 0.95, cols: [0, 1] }]) {
      const w = Float64Array.from([0.05, 0.05, 0, 0, 0, 0]);
      applyAgentRisk({ ...base, weights: w, knownPairCorrelation: known });
      expect(w[0]).toBe(0);
    }
  });
  it('halves exposure in the reduced_50 drawdown state and flattens when flat', () => {
    expect(run([0.04, 0, 0, 0, 0, 0], {}, 0.01, 'reduced_50').w[0]).toBe(0.02);
    const flat = run([0.04, 0, 0, 0, 0, 0], {}, 0.01, 'flat');
    expect(flat.w[0]).toBe(0);
    expect(flat.codes).toEqual(['DRAWDOWN_STATE']);
  });
  it('sets ATR stops and targets on the side of the position', () => {
    const r = run([0.05, 0, 0, -0.05, 0, 0], {}, 0.01);
    const c0 = close[0] ?? 0;
    const c3 = close[3] ?? 0;
    expect(r.stopLoss[0]).toBeCloseTo(c0 - 2 * 0.01 * c0, 10);
    expect(r.takeProfit[0]).toBeCloseTo(c0 + 3 * 0.01 * c0, 10);
    expect(r.stopLoss[3]).toBeCloseTo(c3 + 2 * 0.01 * c3, 10);
    expect(r.takeProfit[3]).toBeCloseTo(c3 - 3 * 0.01 * c3, 10);
    expect(Number.isNaN(r.stopLoss[1])).toBe(true);
  });
});

describe('correlation filter', () => {
  // Invariant: the filter (batched, sums stopped early once they cannot exceed the limit) keeps
  // and drops exactly the names the plain pairwise formulation does, with the same notes.
  const N = 24;
  const common = noiseTable(31, T, 3, 0.01);
  const own = noiseTable(32, T, N, 0.01);
  // names load on one of three factors with loadings from 0 to 2.3: correlations spread over [0, 0.9+]
  const p = panelFromReturns({
    T,
    symbols: names('C', N),
    ret: (t, u) => ((u % 6) / 2.2) * common(t, u % 3) + own(t, u),
  });
  const v = viewAt(p, T - 1);
  const c = v.cross('close');
  function reference(w: Float64Array, strength: Float64Array, limit: number): { w: number[]; dropped: string[] } {
    const held: number[] = [];
    for (let u = 0; u < w.length; u++) if (w[u] !== 0) held.push(u);
    held.sort((a, b) => (strength[b] as number) - (strength[a] as number) || a - b);
    const corr = ReturnCorrelations.fromView(v, 60, held);
    const kept: number[] = [];
    const dropped: string[] = [];
    for (let i = 0; i < held.length; i++) {
      const u = held[i] as number;
      let worstRho = Number.NEGATIVE_INFINITY;
      let worst = -1;
      for (const k of kept) {
        const x = held[k] as number;
        if (Math.sign(w[u] as number) !== Math.sign(w[x] as number)) continue;
        const rho = corr.corr(i, k);
        if (rho > worstRho) {
          worstRho = rho;
          worst = x;
        }
      }
      if (worst >= 0 && worstRho > limit) {
        w[u] = 0;
        dropped.push(`${v.symbols[u]}:${worstRho}:${v.symbols[worst]}`);
      } else kept.push(i);
    }
    return { w: Array.from(w), dropped };
  }
  it('keeps and drops what the pairwise formulation does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(-0.02, 0, 0, 0.01, 0.03), { minLength: N, maxLength: N }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: N, maxLength: N }),
        fc.double({ min: -0.2, max: 0.99, noNaN: true }),
        (weights, strengths, limit) => {
          const strength = Float64Array.from(strengths);
          const want = reference(Float64Array.from(weights), strength, limit);
          const w = Float64Array.from(weights);
          const out = applyAgentRisk({
            view: v,
            weights: w,
            strength,
            close: c,
            atr: () => Number.NaN,
            sectorOf: new Int32Array(N),
            sectorNames: ['All'],
            params: { ...AgentRiskParams.parse({}), maxPairCorrelation: limit, maxPositionPct: 1, maxSectorPct: 1, grossExposureCap: 100, leverageLimit: 100 },
            drawdownState: 'normal',
          });
          expect(Array.from(w)).toEqual(want.w);
          const got = out.notes.filter((n) => n.code === 'CORRELATION_FILTER').map((n) => `${n.symbol}:${n.actual}:${n.message.split(' ').at(-1)}`);
          expect(got).toEqual(want.dropped);
        },
      ),
      { numRuns: 200 },
    );
  });
});

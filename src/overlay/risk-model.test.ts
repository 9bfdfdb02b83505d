import { describe, expect, it } from 'vitest';
import { createRng } from '../core/index.ts';
import { createPanel, viewAt } from '../market/index.ts';
import { buildRiskModel, portfolioVariance, riskModelFor, riskScratch, Workspace, zOf, type RiskModel } from './index.ts';
import { parseFundConfig } from '../contracts/index.ts';
import { dayNumber } from '../core/index.ts';
import { candidateRisk, componentAt, fundVarAt, groupTerms } from './budget-math.ts';
import { fundConfig, syntheticView, symbolsOf } from './testing/fixture.ts';
import type { ReviewContext } from './context.ts';
import { FundLedger } from './ledger.ts';
import { buildUniverse } from './universe.ts';

/** Σ = B F Bᵀ + diag(D) as a dense matrix: the independent reference. */
function dense(m: RiskModel): Float64Array {
  const { N, K, B, F, D } = m;
  const S = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      let acc = i === j ? (D[i] ?? 0) : 0;
      for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) acc += (B[i * K + a] ?? 0) * (F[a * K + b] ?? 0) * (B[j * K + b] ?? 0);
      S[i * N + j] = acc;
    }
  }
  return S;
}

function quad(S: Float64Array, N: number, x: ArrayLike<number>, y: ArrayLike<number>): number {
  let acc = 0;
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) acc += (x[i] ?? 0) * (S[i * N + j] ?? 0) * (y[j] ?? 0);
  return acc;
}

const cfg = fundConfig([{ id: 'a', strategy: 'momentum', capital: 1e7 }]);

describe('factor risk model', () => {
  it('recovers the market betas of a one-factor panel', () => {
    const T = 260;
    const U = 6;
    const rng = createRng(5);
    const betas = [0.5, 0.8, 1.0, 1.2, 1.5, 2.0];
    const close = new Float64Array(T * U);
    const market = new Float64Array(T);
    const px = new Array(U).fill(100) as number[];
    let lvl = 100;
    for (let t = 0; t < T; t++) {
      const m = t === 0 ? 0 : 0.01 * rng.normal();
      lvl *= 1 + m;
      market[t] = lvl;
      for (let u = 0; u < U; u++) {
        px[u] = (px[u] ?? 100) * (1 + (t === 0 ? 0 : (betas[u] ?? 1) * m + 0.002 * rng.normal()));
        close[t * U + u] = px[u] ?? 100;
      }
    }
    const dates = Array.from({ length: T }, (_, t) => new Date(Date.UTC(2020, 0, 1) + t * 86400000).toISOString().slice(0, 10));
    const p = createPanel({ dates, symbols: symbolsOf(U), open: close, high: close, low: close, close, volume: close, reference: new Map([['market', market]]) });
    const model = buildRiskModel(viewAt(p, T - 1), symbolsOf(U), cfg);
    expect(model.issues).toEqual([]);
    betas.forEach((b, u) => expect(model.beta[u]).toBeCloseTo(b, 1));
  });

  it('factor-form variance equals the dense xᵀΣx', () => {
    const view = syntheticView({ U: 24 });
    const m = buildRiskModel(view, symbolsOf(24), cfg);
    const S = dense(m);
    const rng = createRng(9);
    const x = Float64Array.from({ length: 24 }, () => 1e6 * rng.normal());
    const s = riskScratch(m);
    expect(portfolioVariance(m, x, s, true)).toBeCloseTo(quad(S, 24, x, x), -2);
    // marginal Σx
    for (let i = 0; i < 24; i++) {
      let acc = 0;
      for (let j = 0; j < 24; j++) acc += (S[i * 24 + j] ?? 0) * (x[j] ?? 0);
      expect(s.sx[i]).toBeCloseTo(acc, 2);
    }
  });

  it('closed-form candidate components match the dense Euler components and sum to fund VaR', () => {
    const N = 20;
    const view = syntheticView({ U: N });
    const u = buildUniverse(view, symbolsOf(N));
    const m = buildRiskModel(view, u.symbols, cfg);
    const S = dense(m);
    const rng = createRng(2);
    const others = Float64Array.from({ length: N }, () => 1e6 * rng.normal());
    const idx = Int32Array.from([1, 4, 7, 12]);
    const val = Float64Array.from([2e6, -1e6, 3e6, 5e5]);
    const c = new Float64Array(N);
    idx.forEach((k, i) => (c[k] = val[i] ?? 0));
    const peerIdx = Int32Array.from([0, 4, 9]);
    const peerVal = Float64Array.from([1e6, 2e6, -1e6]);
    const peer = new Float64Array(N);
    peerIdx.forEach((k, i) => (peer[k] = peerVal[i] ?? 0));
    const ledger = new FundLedger(u);
    ledger.add('rest', { idx: Int32Array.from({ length: N }, (_, i) => i), val: others });
    const z = zOf(0.95);
    const ctx = { model: m, ledger, work: new Float64Array(N), ws: new Workspace(), scratch: riskScratch(m), agent: { proposedBook: { idx, val } } } as unknown as ReviewContext;
    const cr = candidateRisk(ctx);
    for (const s of [1, 0.5, 0.1]) {
      const X = others.map((v, i) => v + s * (c[i] ?? 0));
      const sigma = Math.sqrt(quad(S, N, X, X));
      expect(fundVarAt(z, cr, s)).toBeCloseTo(z * sigma, -1);
      const compC = (z * quad(S, N, c.map((v) => v * s), X)) / sigma;
      expect(componentAt(z, cr, s)).toBeCloseTo(compC, -1);
      const terms = groupTerms(ctx, cr, [{ idx: peerIdx, val: peerVal }]);
      const compG = (z * quad(S, N, c.map((v, i) => v * s + (peer[i] ?? 0)), X)) / sigma;
      expect(componentAt(z, cr, s, terms)).toBeCloseTo(compG, -1);
      // Euler: the components of 'others' and the candidate add up to the fund VaR
      const compO = (z * quad(S, N, others, X)) / sigma;
      expect(compO + compC).toBeCloseTo(z * sigma, -1);
    }
  });
});

describe('risk model refresh (riskModel.refresh)', () => {
  const view = syntheticView({ U: 12 });
  const symbols = ['S003', 'S001', 'NOT_LISTED', 'S007'];
  const week = (d: string) => Math.floor((dayNumber(d) + 3) / 7); // Monday-based weeks

  it('weekly: every day of a week reviews with the model estimated on its first trading day', () => {
    const t = view.t;
    let first = t;
    while (first > 0 && week(view.date(first - 1)) === week(view.asOf)) first--;
    const expected = buildRiskModel(view.at(first), symbols, cfg);
    for (let row = first; row <= t; row++) {
      const m = riskModelFor(view.at(row), symbols, cfg);
      expect(Array.from(m.B)).toEqual(Array.from(expected.B));
      expect(Array.from(m.D)).toEqual(Array.from(expected.D));
      expect(Array.from(m.residuals)).toEqual(Array.from(expected.residuals));
      // regime and factor loadings read the market up to the review's own day
      const now = buildRiskModel(view.at(row), symbols, cfg).marketReturns;
      expect(Array.from(m.marketNow.slice(-5))).toEqual(Array.from(now.slice(-5)));
    }
    // the week before has a different model
    if (first > 0) expect(Array.from(riskModelFor(view.at(first - 1), symbols, cfg).D)).not.toEqual(Array.from(expected.D));
  });

  it('daily (and EWMA by default) re-estimates every day, equal to buildRiskModel', () => {
    const daily = parseFundConfig({ ...cfg, risk: { ...cfg.risk, riskModel: { ...cfg.risk.riskModel, refresh: 'daily' } } });
    const ewma = parseFundConfig({ ...cfg, risk: { ...cfg.risk, riskModel: { ...cfg.risk.riskModel, kind: 'ewma' } } });
    for (const c of [daily, ewma]) {
      const m = riskModelFor(view, symbols, c);
      const b = buildRiskModel(view, symbols, c);
      expect(Array.from(m.D)).toEqual(Array.from(b.D));
      expect(Array.from(m.B)).toEqual(Array.from(b.B));
    }
  });

  it('a name the market does not know gets the conservative proxy; sector factors cover the whole market', () => {
    const m = buildRiskModel(view, symbols, cfg);
    const u = m.index.get('NOT_LISTED') ?? -1;
    expect(m.proxied[u]).toBe(1);
    expect(m.beta[u]).toBe(1);
    expect(m.D[u]).toBeCloseTo(0.03 * 0.03, 12);
    expect(m.factorNames.length).toBe(1 + new Set(view.sectors).size);
    expect(m.issues).toEqual([]);
  });
});

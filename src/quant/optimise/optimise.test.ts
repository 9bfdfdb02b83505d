import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  solveQp,
  minimumVariance,
  meanVariance,
  equalRiskContribution,
  riskContributions,
  hierarchicalRiskParity,
  blackLitterman,
  impliedReturns,
  kellyBinary,
  kellyFraction,
  kellyWeights,
  isotonicRegression,
  fitIsotonicCalibrator,
  applyIsotonic,
  expectedCalibrationError,
  invertSpd,
  matVec,
} from '../index.ts';

// 6 names, vols 15–30%, correlation 0.6 within pairs {0,1},{2,3},{4,5} and 0.2 across.
const U = 6;
const S = Float64Array.from([
  0.04, 0.03, 0.006, 0.012, 0.0088, 0.0072, 0.03, 0.0625, 0.0075, 0.015, 0.011, 0.009, 0.006, 0.0075, 0.0225, 0.027, 0.0066, 0.0054, 0.012, 0.015, 0.027, 0.09,
  0.0132, 0.0108, 0.0088, 0.011, 0.0066, 0.0132, 0.0484, 0.02376, 0.0072, 0.009, 0.0054, 0.0108, 0.02376, 0.0324,
]);
const MU = [0.05, 0.08, 0.03, 0.1, 0.06, 0.04];
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - (b[i] as number))));

describe('portfolio QP against closed forms and quadprog (Goldfarb–Idnani) reference solutions', () => {
  it('fully invested, unconstrained minimum variance is Σ⁻¹1/(1ᵀΣ⁻¹1)', () => {
    const inv = invertSpd(S, U);
    const raw = matVec(inv ?? new Float64Array(0), new Array(U).fill(1), U, U);
    const s = raw.reduce((a, b) => a + b, 0);
    const r = minimumVariance(S, U, { longOnly: false });
    expect(r.status).toBe('solved');
    expect(maxAbsDiff(r.weights, raw.map((v) => v / s))).toBeLessThan(1e-12);
  });
  it('long-only, name cap 25%, group {0,1} cap 30% (quadprog: R/Fortran port)', () => {
    const r = minimumVariance(S, U, { maxWeight: 0.25, groups: [0, 0, -1, -1, -1, -1], groupCaps: [0.3] });
    expect(r.solution.polished).toBe(true);
    expect(maxAbsDiff(r.weights, [0.25, 0.04999999999999998, 0.25, 0.03732142857142861, 0.1626785714285714, 0.25])).toBeLessThan(1e-10);
  });
  it('mean–variance λ = 4, long/short ±50%, net 50%, group {2,3} within ±20% (quadprog)', () => {
    const r = meanVariance(MU, S, U, { longOnly: false, riskAversion: 4, net: 0.5, maxWeight: 0.5, groups: [-1, -1, 0, 0, -1, -1], groupCaps: [0.2] });
    const ref = [0.023811707767960395, 0.21079837935587792, -0.16287849292014828, 0.24286356782189708, 0.17292019043539844, 0.012484647539014473];
    expect(maxAbsDiff(r.weights, ref)).toBeLessThan(1e-10);
  });
  it('gross cap through t ≥ |w| equals the w = p − n splitting of the same problem', () => {
    const gross = 1.2;
    const r = meanVariance(MU, S, U, { longOnly: false, riskAversion: 2, net: 0, gross });
    // Independent formulation: x = [p; n] ≥ 0, w = p − n, Σ(p + n) ≤ gross, Σ(p − n) = 0.
    const n = 2 * U;
    const P = new Float64Array(n * n);
    for (let i = 0; i < U; i++) for (let j = 0; j < U; j++) {
      const v = 2 * (S[i * U + j] as number);
      P[i * n + j] = v;
      P[(i + U) * n + j + U] = v;
      P[i * n + j + U] = -v;
      P[(i + U) * n + j] = -v;
    }
    const q = Float64Array.from({ length: n }, (_, i) => (i < U ? -(MU[i] as number) : (MU[i - U] as number)));
    const m = n + 2;
    const A = new Float64Array(m * n);
    const lower = new Float64Array(m);
    const upper = new Float64Array(m).fill(Number.POSITIVE_INFINITY);
    for (let i = 0; i < n; i++) A[i * n + i] = 1;
    for (let i = 0; i < n; i++) {
      A[n * n + i] = 1;
      A[(n + 1) * n + i] = i < U ? 1 : -1;
    }
    lower[n] = Number.NEGATIVE_INFINITY;
    upper[n] = gross;
    upper[n + 1] = 0;
    const s = solveQp({ n, m, P, q, A, lower, upper });
    const w = Array.from({ length: U }, (_, i) => (s.x[i] as number) - (s.x[i + U] as number));
    expect(maxAbsDiff(r.weights, w)).toBeLessThan(1e-9);
    expect(r.weights.reduce((a, b) => a + Math.abs(b), 0)).toBeCloseTo(gross, 9);
  });
  it('turnover limit binds and is respected', () => {
    const current = [0.5, 0.5, 0, 0, 0, 0];
    const r = minimumVariance(S, U, { turnover: { current, max: 0.4 } });
    const to = r.weights.reduce((a, w, i) => a + Math.abs(w - (current[i] as number)), 0);
    expect(to).toBeLessThanOrEqual(0.4 + 1e-10);
    expect(to).toBeGreaterThan(0.4 - 1e-9);
    expect(r.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
  // Property: for random strictly convex QPs with box and one general row, the solution satisfies the KKT
  // conditions (feasible, stationary, duals signed and complementary).
  it('solveQp returns KKT points (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -100, max: 100 }), { minLength: 25, maxLength: 25 }), fc.array(fc.integer({ min: -100, max: 100 }), { minLength: 5, maxLength: 5 }), (g, qi) => {
        const n = 5;
        const P = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) P[i * n + j] = (P[i * n + j] as number) + ((g[k * n + i] as number) * (g[k * n + j] as number)) / 1e4;
        for (let i = 0; i < n; i++) P[i * n + i] = (P[i * n + i] as number) + 0.1;
        const q = Float64Array.from(qi, (v) => v / 50);
        const m = n + 1;
        const A = new Float64Array(m * n);
        for (let i = 0; i < n; i++) A[i * n + i] = 1;
        for (let i = 0; i < n; i++) A[n * n + i] = i + 1;
        const lower = Float64Array.from({ length: m }, (_, r) => (r < n ? -1 : -2));
        const upper = Float64Array.from({ length: m }, (_, r) => (r < n ? 1 : 2));
        const s = solveQp({ n, m, P, q, A, lower, upper });
        const ax = matVec(A, s.x, m, n);
        for (let r = 0; r < m; r++) {
          if ((ax[r] as number) < (lower[r] as number) - 1e-9 || (ax[r] as number) > (upper[r] as number) + 1e-9) return false;
          const y = s.y[r] as number;
          if (y < -1e-9 && Math.abs((ax[r] as number) - (lower[r] as number)) > 1e-9) return false;
          if (y > 1e-9 && Math.abs((ax[r] as number) - (upper[r] as number)) > 1e-9) return false;
        }
        const grad = matVec(P, s.x, n, n);
        for (let j = 0; j < n; j++) {
          let v = (grad[j] as number) + (q[j] as number);
          for (let r = 0; r < m; r++) v += (A[r * n + j] as number) * (s.y[r] as number);
          if (Math.abs(v) > 1e-9) return false;
        }
        return true;
      }),
      { numRuns: 100 },
    );
  });
});

describe('risk parity', () => {
  it('two assets: ERC and HRP are inverse-volatility / inverse-variance', () => {
    const c = Float64Array.from([0.04, 0.006, 0.006, 0.09]);
    const erc = equalRiskContribution(c, 2);
    expect(erc[0]).toBeCloseTo(0.3 / 0.5, 12);
    const hrp = hierarchicalRiskParity(c, 2);
    expect(hrp[0]).toBeCloseTo(1 / 0.04 / (1 / 0.04 + 1 / 0.09), 12);
  });
  it('ERC equalises risk contributions; budgets are honoured', () => {
    const rc = riskContributions(equalRiskContribution(S, U), S, U);
    for (const v of rc) expect(v).toBeCloseTo(1 / 6, 12);
    const b = [1, 1, 2, 2, 1, 1];
    const rb = riskContributions(equalRiskContribution(S, U, { budgets: b }), S, U);
    rb.forEach((v, i) => expect(v).toBeCloseTo((b[i] as number) / 8, 12));
  });
  it('HRP on two uncorrelated blocks splits by inverse block variance', () => {
    // Blocks {0,1} and {2,3}, no cross correlation: inverse-variance within each block.
    const c = Float64Array.from([0.04, 0.02, 0, 0, 0.02, 0.04, 0, 0, 0, 0, 0.01, 0, 0, 0, 0, 0.04]);
    const w = hierarchicalRiskParity(c, 4);
    // block A: equal split, variance (0.04 + 0.04 + 2·0.02)/4 = 0.03; block B: w ∝ (100, 25) → var = (0.8²·0.01 + 0.2²·0.04) = 0.008
    const aA = 1 - 0.03 / (0.03 + 0.008);
    expect(w[0]).toBeCloseTo(aA / 2, 12);
    expect(w[2]).toBeCloseTo((1 - aA) * 0.8, 12);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
  });
});

describe('Black–Litterman', () => {
  const wm = [0.2, 0.15, 0.2, 0.1, 0.2, 0.15];
  const P = Float64Array.from([1, -1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
  const Q = [0.02, 0.09];
  it('matches the precision-form posterior [(τΣ)⁻¹ + PᵀΩ⁻¹P]⁻¹[(τΣ)⁻¹π + PᵀΩ⁻¹Q]', () => {
    const omega = Float64Array.from([0.001, 0, 0, 0.002]);
    const bl = blackLitterman({ cov: S, U, marketWeights: wm, riskAversion: 3, tau: 0.05, P, Q, omega });
    const pi = impliedReturns(S, U, wm, 3);
    const ts = S.map((v) => v * 0.05);
    const tsi = invertSpd(ts, U) ?? new Float64Array(0);
    const prec = Float64Array.from(tsi);
    const rhs = matVec(tsi, pi, U, U);
    for (let k = 0; k < 2; k++) {
      const ok = 1 / (omega[k * 2 + k] as number);
      for (let i = 0; i < U; i++) {
        rhs[i] = (rhs[i] as number) + (P[k * U + i] as number) * ok * (Q[k] as number);
        for (let j = 0; j < U; j++) prec[i * U + j] = (prec[i * U + j] as number) + (P[k * U + i] as number) * ok * (P[k * U + j] as number);
      }
    }
    const precInv = invertSpd(prec, U) ?? new Float64Array(0);
    expect(maxAbsDiff(bl.mean, matVec(precInv, rhs, U, U))).toBeLessThan(1e-12);
    expect(maxAbsDiff(bl.meanCovariance, precInv)).toBeLessThan(1e-12);
  });
  it('near-certain views hold exactly; no-view posterior is the prior', () => {
    const bl = blackLitterman({ cov: S, U, marketWeights: wm, P, Q, omega: Float64Array.from([1e-14, 0, 0, 1e-14]) });
    expect((bl.mean[0] as number) - (bl.mean[1] as number)).toBeCloseTo(0.02, 9);
    expect(bl.mean[3]).toBeCloseTo(0.09, 9);
    const none = blackLitterman({ cov: S, U, prior: MU, P: Float64Array.from([1, 0, 0, 0, 0, 0]), Q: [0.05] });
    expect(maxAbsDiff(none.mean, MU)).toBeLessThan(1e-15);
  });
});

describe('sizing and calibration', () => {
  it('Kelly: binary, Gaussian and multi-asset', () => {
    expect(kellyBinary(0.6, 1)).toBeCloseTo(0.2, 15);
    expect(kellyBinary(0.6, 1, 0.5)).toBeCloseTo(0.1, 15);
    expect(kellyFraction(0.08, 0.04, 0.5)).toBeCloseTo(1, 15);
    const w = kellyWeights(MU, S, U, 0.25);
    expect(maxAbsDiff(matVec(S, w, U, U), MU.map((m) => 0.25 * m))).toBeLessThan(1e-14);
  });
  it('isotonic regression (PAV): hand-worked pools', () => {
    expect(Array.from(isotonicRegression([1, 3, 2, 4]))).toEqual([1, 2.5, 2.5, 4]);
    expect(Array.from(isotonicRegression([4, 5, 1, 6], { weights: [1, 1, 2, 1] }))).toEqual([2.75, 2.75, 2.75, 6]);
    expect(Array.from(isotonicRegression([1, 3, 2], { increasing: false }))).toEqual([2, 2, 2]);
  });
  // Property: PAV output is non-decreasing and preserves the (weighted) sum of the data.
  it('PAV is monotone and sum-preserving (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 60 }), (y) => {
        const f = isotonicRegression(y);
        for (let i = 1; i < f.length; i++) if ((f[i] as number) < (f[i - 1] as number) - 1e-9) return false;
        return Math.abs(f.reduce((a, b) => a + b, 0) - y.reduce((a, b) => a + b, 0)) < 1e-7;
      }),
    );
  });
  it('isotonic calibrator and expected calibration error', () => {
    const cal = fitIsotonicCalibrator([0.1, 0.4, 0.35, 0.8], [0, 1, 0, 1]);
    expect(Array.from(cal.x)).toEqual([0.1, 0.35, 0.4, 0.8]);
    expect(Array.from(cal.y)).toEqual([0, 0, 1, 1]);
    expect(applyIsotonic(cal, 0.375)).toBeCloseTo(0.5, 14);
    // bins: 0.1 → bin 1 (outcome 0, conf 0.1); 0.95, 0.9 → bin 9 (outcomes 1, 0; conf 0.925)
    expect(expectedCalibrationError([0.1, 0.95, 0.9], [0, 1, 0])).toBeCloseTo((1 / 3) * 0.1 + (2 / 3) * 0.425, 14);
  });
});

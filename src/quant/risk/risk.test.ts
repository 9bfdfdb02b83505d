import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  sampleCovariance,
  ewmaCovariance,
  EwmaCovarianceTracker,
  ledoitWolf,
  correlationFromCovariance,
  nearestPSD,
  symmetricEigen,
  fitFundamentalFactorModel,
  fitStatisticalFactorModel,
  factorCovTimes,
  factorModelCovariance,
  syntheticPanel,
  covariance,
  matVec,
} from '../index.ts';

const relErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
    s = Math.max(s, Math.abs(b[i] as number));
  }
  return m / s;
};

describe('sample covariance', () => {
  it('matches pairwise two-series covariance (ddof 1) on a 40×7 panel', () => {
    const { panel } = syntheticPanel(40, 7, 2);
    const c = sampleCovariance(panel, 7);
    const col = (u: number) => Array.from({ length: 40 }, (_, t) => panel[t * 7 + u] as number);
    for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) expect(Math.abs((c[i * 7 + j] as number) - covariance(col(i), col(j)))).toBeLessThan(1e-18);
  });
  it('hand-worked 3×2', () => {
    // columns (1,2,3) and (1,3,2): var 1, 1; cov = ((−1)(−1)+0·1+1·0)/2 = 0.5
    expect(Array.from(sampleCovariance(Float64Array.from([1, 1, 2, 3, 3, 2]), 2))).toEqual([1, 0.5, 0.5, 1]);
  });
  // Property: a sample covariance is positive semi-definite (eigenvalues ≥ −1e-12·λmax).
  it('is PSD for any panel (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 2, max: 12 }), fc.integer(), (U, T, seed) => {
        const { panel } = syntheticPanel(T, U, 1, seed);
        const ev = symmetricEigen(sampleCovariance(panel, U), U).values;
        return (ev[U - 1] as number) >= -1e-12 * Math.max(1e-300, ev[0] as number);
      }),
      { numRuns: 60 },
    );
  });
});

describe('EWMA covariance', () => {
  it('full window equals the normalised weighted sum, and the rank-1 tracker reproduces it to 1e-12', () => {
    const { panel } = syntheticPanel(60, 5, 2);
    const full = ewmaCovariance(panel, 5, { lambda: 0.9 });
    const tr = new EwmaCovarianceTracker(5, 0.9);
    for (let t = 0; t < 60; t++) tr.update(panel.subarray(t * 5, t * 5 + 5));
    expect(relErr(tr.covariance(), full)).toBeLessThan(1e-12);
    // direct: Σ_t λ^(T−1−t) r_t r_tᵀ / Σ λ^(T−1−t), entry (1, 3)
    let num = 0;
    let den = 0;
    for (let t = 0; t < 60; t++) {
      const wt = 0.9 ** (59 - t);
      num += wt * (panel[t * 5 + 1] as number) * (panel[t * 5 + 3] as number);
      den += wt;
    }
    expect(Math.abs((full[1 * 5 + 3] as number) - num / den) / Math.abs(num / den)).toBeLessThan(1e-12);
  });
  it('skipping negligible old days changes nothing beyond 1e-13 (T = 1000, λ = 0.9)', () => {
    const { panel } = syntheticPanel(1000, 3, 1, 9);
    const full = ewmaCovariance(panel, 3, { lambda: 0.9 });
    let num = 0;
    let den = 0;
    for (let t = 0; t < 1000; t++) {
      const wt = 0.9 ** (999 - t);
      num += wt * (panel[t * 3] as number) * (panel[t * 3 + 2] as number);
      den += wt;
    }
    expect(Math.abs((full[2] as number) - num / den) / Math.abs(num / den)).toBeLessThan(1e-13);
  });
  it('one update of a zero tracker is r rᵀ', () => {
    const tr = new EwmaCovarianceTracker(2);
    tr.update([0.01, -0.02]);
    expect(Array.from(tr.covariance()).map((v) => +v.toPrecision(12))).toEqual([0.0001, -0.0002, -0.0002, 0.0004]);
  });
});

describe('Ledoit–Wolf (scaled-identity target)', () => {
  it('matches the LW 2004 formulas computed directly from the outer products', () => {
    const T = 30;
    const U = 6;
    const { panel } = syntheticPanel(T, U, 2, 3);
    const lw = ledoitWolf(panel, U);
    // Independent: centre, S = XᵀX/T, m = tr S/U, d² = ‖S−mI‖², b̄² = Σ_t ‖x_t x_tᵀ − S‖²/T², δ = min(b̄², d²)/d².
    const m0 = new Array<number>(U).fill(0);
    for (let t = 0; t < T; t++) for (let u = 0; u < U; u++) m0[u] = (m0[u] as number) + (panel[t * U + u] as number) / T;
    const x = (t: number, u: number) => (panel[t * U + u] as number) - (m0[u] as number);
    const S = (i: number, j: number) => {
      let s = 0;
      for (let t = 0; t < T; t++) s += x(t, i) * x(t, j);
      return s / T;
    };
    let tr = 0;
    for (let i = 0; i < U; i++) tr += S(i, i);
    const mu = tr / U;
    let d2 = 0;
    let b2 = 0;
    for (let i = 0; i < U; i++) {
      for (let j = 0; j < U; j++) {
        const sij = S(i, j);
        d2 += (sij - (i === j ? mu : 0)) ** 2;
        for (let t = 0; t < T; t++) b2 += (x(t, i) * x(t, j) - sij) ** 2;
      }
    }
    b2 /= T * T;
    const delta = Math.min(b2, d2) / d2;
    expect(Math.abs(lw.shrinkage - delta) / delta).toBeLessThan(1e-9);
    expect(Math.abs((lw.covariance[1] as number) - (1 - delta) * S(0, 1)) / Math.abs(S(0, 1))).toBeLessThan(1e-9);
    expect(Math.abs((lw.covariance[U + 1] as number) - ((1 - delta) * S(1, 1) + delta * mu)) / mu).toBeLessThan(1e-9);
  });
});

describe('correlation and nearest PSD', () => {
  it('correlation has a unit diagonal and the scaled off-diagonal', () => {
    const c = correlationFromCovariance(Float64Array.from([4, 2, 2, 9]), 2);
    expect(Array.from(c)).toEqual([1, 2 / 6, 2 / 6, 1]);
  });
  it('clips a negative eigenvalue: [[1,2],[2,1]] → eigen (3, −1) → 1.5·[[1,1],[1,1]]', () => {
    const p = nearestPSD(Float64Array.from([1, 2, 2, 1]), 2);
    for (const v of p) expect(v).toBeCloseTo(1.5, 14);
  });
  it('leaves a PSD matrix unchanged', () => {
    const a = Float64Array.from([2, 0.5, 0.5, 1]);
    expect(relErr(nearestPSD(a, 2), a)).toBeLessThan(1e-14);
  });
  it('symmetric eigen: A v = λ v on a random 30×30', () => {
    const { panel } = syntheticPanel(50, 30, 3);
    const s = sampleCovariance(panel, 30);
    const { values, vectors } = symmetricEigen(s, 30);
    const v0 = Array.from({ length: 30 }, (_, i) => vectors[i * 30] as number);
    const av = matVec(s, v0, 30, 30);
    expect(relErr(av, v0.map((x) => x * (values[0] as number)))).toBeLessThan(1e-12);
  });
});

describe('factor models', () => {
  it('fundamental fit recovers exact factor returns when there is no noise', () => {
    const U = 20;
    const K = 3;
    const T = 15;
    const { exposures } = syntheticPanel(1, U, K, 11);
    const panel = new Float64Array(T * U);
    const f = (t: number, k: number) => Math.sin(t + 2 * k) * 0.01;
    for (let t = 0; t < T; t++) for (let u = 0; u < U; u++) {
      let r = 0;
      for (let k = 0; k < K; k++) r += (exposures[u * K + k] as number) * f(t, k);
      panel[t * U + u] = r;
    }
    const m = fitFundamentalFactorModel(panel, U, exposures, K);
    expect(Math.abs((m.factorReturns?.[4 * K + 2] as number) - f(4, 2))).toBeLessThan(1e-15);
    for (const d of m.D) expect(d).toBeLessThan(1e-30);
  });
  it('factor-form Σw equals the dense B F Bᵀ + D product', () => {
    const { panel, exposures } = syntheticPanel(200, 30, 4);
    const m = fitFundamentalFactorModel(panel, 30, exposures, 4);
    const w = Array.from({ length: 30 }, (_, i) => Math.cos(i));
    expect(relErr(factorCovTimes(m, w), matVec(factorModelCovariance(m), w, 30, 30))).toBeLessThan(1e-12);
  });
  it('PCA fit with more names than days (iterating on the panel, not on S)', () => {
    const U = 60;
    const { panel } = syntheticPanel(40, U, 2, 6);
    const m = fitStatisticalFactorModel(panel, U, 2);
    const e = symmetricEigen(sampleCovariance(panel, U), U);
    for (let k = 0; k < 2; k++) expect(Math.abs((m.F[k * 2 + k] as number) - (e.values[k] as number)) / (e.values[k] as number)).toBeLessThan(1e-9);
  });
  it('PCA fit finds the top eigenpairs of the sample covariance', () => {
    const U = 40;
    const { panel } = syntheticPanel(300, U, 3, 5);
    const m = fitStatisticalFactorModel(panel, U, 3);
    const e = symmetricEigen(sampleCovariance(panel, U), U);
    for (let k = 0; k < 3; k++) expect(Math.abs((m.F[k * 3 + k] as number) - (e.values[k] as number)) / (e.values[k] as number)).toBeLessThan(1e-9);
    // same first eigenvector up to sign
    let d = 0;
    for (let u = 0; u < U; u++) d += (m.B[u * 3] as number) * (e.vectors[u * U] as number);
    expect(Math.abs(Math.abs(d) - 1)).toBeLessThan(1e-9);
    // diag(Σ) reproduces the sample variances
    const full = factorModelCovariance(m);
    const s = sampleCovariance(panel, U);
    expect(Math.abs((full[7 * U + 7] as number) - (s[7 * U + 7] as number)) / (s[7 * U + 7] as number)).toBeLessThan(1e-9);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/index.ts';
import {
  parametricVaR,
  varDecomposition,
  incrementalVaR,
  historicalVaR,
  tailRiskFromSample,
  tailRiskSelect,
  cornishFisherQuantile,
  cornishFisherVaR,
  monteCarloVaR,
  monteCarloBookVaR,
  fitGpd,
  gpdLogLikelihood,
  evtVaR,
  syntheticPanel,
  sampleCovariance,
  fitFundamentalFactorModel,
  factorModelCovariance,
  normalQuantile,
} from '../index.ts';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const SIGMA2 = Float64Array.from([0.04, 0.01, 0.01, 0.09]);

describe('parametric VaR (hand-worked, scipy-checked)', () => {
  it('two assets: σ² = 0.0336, VaR95 = zσ, ES95 = σφ(z)/0.05', () => {
    const r = parametricVaR([0.6, 0.4], SIGMA2);
    expect(rel(r.sigma ** 2, 0.0336)).toBeLessThan(1e-14);
    expect(rel(r.var, 0.30150665010511096)).toBeLessThan(1e-12);
    expect(rel(r.es, 0.37810150309430696)).toBeLessThan(1e-12);
  });
  it('mean and horizon: VaR = zσ√h − h·wᵀμ', () => {
    const r = parametricVaR([0.6, 0.4], SIGMA2, { horizon: 4, mean: [0.01, 0.02], confidence: 0.99 });
    expect(rel(r.var, normalQuantile(0.99) * Math.sqrt(0.0336) * 2 - 4 * 0.014)).toBeLessThan(1e-12);
  });
  it('incremental VaR of a trade is the difference of two VaRs', () => {
    const d = incrementalVaR([0.6, 0.4], [0, -0.4], SIGMA2);
    expect(rel(d, 1.6448536269514722 * (0.12 - Math.sqrt(0.0336)))).toBeLessThan(1e-12);
  });
});

describe('VaR decomposition', () => {
  const U = 12;
  const { panel, exposures } = syntheticPanel(250, U, 3, 21);
  const dense = sampleCovariance(panel, U);
  const model = fitFundamentalFactorModel(panel, U, exposures, 3);
  const groups = Array.from({ length: U }, (_, i) => i % 4);

  // Property: component VaRs (per name and per group) sum to the total, for any weights, dense or factor Σ.
  it('components sum to the total (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: U, maxLength: U }), fc.boolean(), (w, useFactor) => {
        const d = varDecomposition(w, useFactor ? model : dense, { groups, confidence: 0.99, mean: Array.from({ length: U }, () => 0.0004) });
        const s = d.component.reduce((a, b) => a + b, 0);
        const g = d.groupComponent.reduce((a, b) => a + b, 0);
        const tol = 1e-10 * Math.max(1e-12, Math.abs(d.var)) + 1e-15;
        return Math.abs(s - d.var) <= tol && Math.abs(g - d.var) <= tol;
      }),
      { numRuns: 200 },
    );
  });
  // Property: with zero mean, scaling weights by k scales parametric VaR by |k|.
  it('VaR(k·w) = |k|·VaR(w) (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }).map((i) => i / 1000), { minLength: U, maxLength: U }), fc.integer({ min: -5000, max: 5000 }).map((i) => i / 100), (w, k) => {
        const a = parametricVaR(w.map((x) => k * x), dense).var;
        const b = Math.abs(k) * parametricVaR(w, dense).var;
        return Math.abs(a - b) <= 1e-12 * Math.max(1e-300, Math.abs(b)) + 1e-300;
      }),
      { numRuns: 200 },
    );
  });
  it('incremental VaR per position and per group equals recomputing without it', () => {
    const w = Array.from({ length: U }, (_, i) => Math.sin(i + 1) / 5);
    for (const m of [dense, model]) {
      const d = varDecomposition(w, m, { groups });
      for (const i of [0, 5, 11]) {
        const without = w.map((x, j) => (j === i ? 0 : x));
        expect(rel(d.incremental[i] as number, d.var - parametricVaR(without, m).var)).toBeLessThan(1e-9);
      }
      for (let g = 0; g < 4; g++) {
        const without = w.map((x, j) => (groups[j] === g ? 0 : x));
        expect(rel(d.groupIncremental[g] as number, d.var - parametricVaR(without, m).var)).toBeLessThan(1e-9);
      }
    }
  });
  it('factor form equals the dense form of the same Σ', () => {
    const w = Array.from({ length: U }, (_, i) => (i % 3) - 1 + 0.1);
    const a = varDecomposition(w, model, { groups });
    const b = varDecomposition(w, factorModelCovariance(model), { groups });
    expect(rel(a.var, b.var)).toBeLessThan(1e-12);
    for (let i = 0; i < U; i++) expect(Math.abs((a.component[i] as number) - (b.component[i] as number))).toBeLessThan(1e-12 * b.var);
    for (let g = 0; g < 4; g++) expect(Math.abs((a.groupIncremental[g] as number) - (b.groupIncremental[g] as number))).toBeLessThan(1e-12 * b.var);
  });
  it('marginal VaR is the gradient (finite differences)', () => {
    const w = Array.from({ length: U }, (_, i) => Math.cos(i) / 4);
    const d = varDecomposition(w, dense);
    const h = 1e-6;
    const up = w.slice();
    up[3] = (up[3] as number) + h;
    const dn = w.slice();
    dn[3] = (dn[3] as number) - h;
    const fd = (parametricVaR(up, dense).var - parametricVaR(dn, dense).var) / (2 * h);
    expect(rel(d.marginal[3] as number, fd)).toBeLessThan(1e-6);
  });
});

describe('historical VaR/ES', () => {
  it('numpy-linear quantile and the mean of the tail', () => {
    // outcomes −10..9 (20 values): q05 = −10 + 0.95 = −9.05, tail = {−10} → ES 10
    const x = Array.from({ length: 20 }, (_, i) => i - 10);
    const r = tailRiskFromSample(x, 0.95);
    expect(r.var).toBeCloseTo(9.05, 12);
    expect(r.es).toBe(10);
  });
  it('full revaluation of weights over the panel', () => {
    const panel = Float64Array.from([0.01, -0.02, -0.03, 0.01, 0.02, 0.0, -0.01, -0.01]);
    const h = historicalVaR(panel, 2, [1, 2], 0.5);
    expect(Array.from(h.pnl).map((v) => +v.toFixed(12))).toEqual([-0.03, -0.01, 0.02, -0.03]);
    // median of sorted [−0.03, −0.03, −0.01, 0.02] = −0.02; tail mean = −0.03
    expect(h.var).toBeCloseTo(0.02, 14);
    expect(h.es).toBeCloseTo(0.03, 14);
  });
});

describe('Cornish–Fisher', () => {
  it('reduces to the normal quantile without skew or excess kurtosis', () => {
    expect(cornishFisherQuantile(-1.6448536269514722, 0, 0)).toBe(-1.6448536269514722);
  });
  it('matches a hand computation (S = −1, K = 2 → z_cf = −1.869966659732313)', () => {
    expect(rel(cornishFisherQuantile(normalQuantile(0.05), -1, 2), -1.869966659732313)).toBeLessThan(1e-12);
  });
  it('agrees with the moments from scipy.stats.skew/kurtosis and numpy std(ddof=1)', () => {
    const x = [0.012, -0.034, 0.005, 0.021, -0.008, 0.002, -0.051, 0.015, 0.009, -0.012, 0.004, 0.018, -0.027, 0.006, 0.011, -0.003, 0.007, -0.019, 0.013, 0.001];
    const cf = cornishFisherVaR(x, 0.95);
    expect(rel(cf.skew, -1.1988705574346867)).toBeLessThan(1e-12);
    expect(rel(cf.excessKurtosis, 0.725622882869966)).toBeLessThan(1e-12);
    expect(rel(cf.var, 0.037882606553269235)).toBeLessThan(1e-12);
  });
});

describe('Monte Carlo VaR', () => {
  const U = 10;
  const { panel, exposures } = syntheticPanel(300, U, 2, 4);
  const dense = sampleCovariance(panel, U);
  const model = fitFundamentalFactorModel(panel, U, exposures, 2);
  const w = Array.from({ length: U }, (_, i) => 0.1 + 0.02 * (i % 3));
  it('normal paths agree with the parametric VaR within sampling error (dense, factor, assets, portfolio)', () => {
    for (const m of [dense, model]) {
      const p = parametricVaR(w, m);
      for (const simulate of ['assets', 'portfolio'] as const) {
        const mc = monteCarloVaR(w, m, { rng: createRng(1), paths: 40_000, simulate });
        expect(rel(mc.var, p.var)).toBeLessThan(0.03);
        expect(rel(mc.es, p.es)).toBeLessThan(0.03);
      }
    }
  });
  it('is reproducible from its seed, and Student-t has the fatter 99% ES', () => {
    const a = monteCarloVaR(w, dense, { rng: createRng(9), paths: 2000 });
    const b = monteCarloVaR(w, dense, { rng: createRng(9), paths: 2000 });
    expect(a).toEqual(b);
    const n = monteCarloVaR(w, model, { rng: createRng(2), paths: 40_000, confidence: 0.995, simulate: 'portfolio' });
    const t = monteCarloVaR(w, model, { rng: createRng(2), paths: 40_000, confidence: 0.995, simulate: 'portfolio', distribution: 'studentT', df: 4 });
    expect(t.es).toBeGreaterThan(n.es * 1.05);
  });
  it('book P&L: per-book results and the total of the books', () => {
    const books = new Float64Array(2 * U);
    for (let u = 0; u < 5; u++) books[u] = 0.2;
    for (let u = 5; u < U; u++) books[U + u] = 0.2;
    const r = monteCarloBookVaR(books, U, dense, { rng: createRng(3), paths: 40_000, simulate: 'portfolio' });
    expect(r.books).toHaveLength(2);
    const whole = parametricVaR(Array.from({ length: U }, () => 0.2), dense).var;
    expect(rel(r.total.var, whole)).toBeLessThan(0.03);
    expect(rel(r.books[0]?.var ?? 0, parametricVaR(books.subarray(0, U), dense).var)).toBeLessThan(0.03);
  });
});

describe('EVT peaks over threshold', () => {
  const y = [0.12, 0.45, 0.03, 1.9, 0.77, 0.31, 0.05, 2.6, 0.9, 0.21, 0.64, 0.08, 3.8, 0.15, 0.5, 1.2, 0.02, 0.38, 0.95, 5.1, 0.27, 0.11, 0.69, 1.6, 0.44];
  it('GPD MLE agrees with scipy.stats.genpareto.fit(floc=0) and is at least as likely', () => {
    const f = fitGpd(y);
    expect(rel(f.xi, 0.4066347372152907)).toBeLessThan(2e-3);
    expect(rel(f.beta, 0.5850990607638364)).toBeLessThan(2e-3);
    expect(f.logLikelihood).toBeGreaterThanOrEqual(-21.765909558437222 - 1e-9);
    expect(rel(gpdLogLikelihood(y, 0.4066347372152907, 0.5850990607638364), -21.765909558437222)).toBeLessThan(1e-12);
  });
  it('the fit satisfies the likelihood score equations', () => {
    const { xi, beta } = fitGpd(y);
    let dBeta = -y.length / beta;
    let dXi = 0;
    for (const v of y) {
      const a = 1 + (xi * v) / beta;
      dBeta += ((1 + 1 / xi) * (xi * v)) / (beta * beta * a);
      dXi += Math.log(a) / (xi * xi) - ((1 + 1 / xi) * (v / beta)) / a;
    }
    expect(Math.abs(dBeta * beta)).toBeLessThan(1e-6);
    expect(Math.abs(dXi)).toBeLessThan(1e-6);
  });
  it('recovers ξ = 0.25, β = 0.5 from 20,000 simulated exceedances', () => {
    const rng = createRng(5);
    const ys = Array.from({ length: 20_000 }, () => (0.5 / 0.25) * (Math.pow(1 - rng.next(), -0.25) - 1));
    const f = fitGpd(ys);
    expect(Math.abs(f.xi - 0.25)).toBeLessThan(0.03);
    expect(Math.abs(f.beta - 0.5)).toBeLessThan(0.03);
  });
  it('tail VaR/ES on Student-t(3) returns exceed the normal ones and ES > VaR', () => {
    const rng = createRng(8);
    const r = Array.from({ length: 5000 }, () => 0.01 * rng.studentT(3));
    const e = evtVaR(r, 0.99, 0.95);
    expect(e.exceedances).toBe(250);
    expect(e.xi).toBeGreaterThan(0.1);
    expect(e.es).toBeGreaterThan(e.var);
    // close to the empirical 99% loss quantile
    const emp = tailRiskFromSample(r, 0.99).var;
    expect(rel(e.var, emp)).toBeLessThan(0.15);
  });
});

// Property: the O(n) quickselect tail equals the sort-based numpy-linear VaR/ES.
describe('quickselect tail risk', () => {
  it('agrees with the sorted computation (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 50, max: 999 }), (xs, c1000) => {
        const c = c1000 / 1000;
        const a = tailRiskFromSample(xs, c);
        const b = tailRiskSelect(Float64Array.from(xs), c);
        return Math.abs(a.var - b.var) < 1e-12 && Math.abs(a.es - b.es) < 1e-12;
      }),
      { numRuns: 300 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/index.ts';
import {
  hmmFilter,
  hmmSmooth,
  viterbi,
  fitGaussianHmm,
  bocpd,
  regimeLabels,
  classifyRegime,
  REGIME_RISK_MULTIPLIER,
  logGamma,
  type GaussianHmm,
  type NormalGammaPrior,
} from '../index.ts';

const model: GaussianHmm = {
  states: 2,
  initial: Float64Array.from([0.6, 0.4]),
  transition: Float64Array.from([0.9, 0.1, 0.2, 0.8]),
  means: Float64Array.from([-1, 1]),
  variances: Float64Array.from([1, 0.5]),
};
const obs = [0.3, -1.2, 1.5, 0.9, -0.4];
const pdf = (x: number, m: number, v: number) => Math.exp((-0.5 * (x - m) ** 2) / v) / Math.sqrt(2 * Math.PI * v);

/** Brute force over all 2^T state paths: joint probabilities. */
function paths(T: number): { path: number[]; p: number }[] {
  const out: { path: number[]; p: number }[] = [];
  for (let code = 0; code < 2 ** T; code++) {
    const path = Array.from({ length: T }, (_, t) => (code >> t) & 1);
    let p = (model.initial[path[0] as number] as number) * pdf(obs[0] as number, model.means[path[0] as number] as number, model.variances[path[0] as number] as number);
    for (let t = 1; t < T; t++) {
      const a = path[t - 1] as number;
      const b = path[t] as number;
      p *= (model.transition[a * 2 + b] as number) * pdf(obs[t] as number, model.means[b] as number, model.variances[b] as number);
    }
    out.push({ path, p });
  }
  return out;
}

describe('Gaussian HMM against brute-force enumeration', () => {
  const all = paths(obs.length);
  const total = all.reduce((s, x) => s + x.p, 0);
  it('forward log-likelihood equals log Σ over all paths', () => {
    expect(Math.abs(hmmFilter(model, obs).logLikelihood - Math.log(total))).toBeLessThan(1e-12);
  });
  it('filtered P(s_t | x_1..t) equals the enumeration over prefixes, and smoothed over full paths', () => {
    const t = 2;
    const prefix = paths(t + 1);
    const pt = prefix.filter((x) => x.path[t] === 1).reduce((s, x) => s + x.p, 0) / prefix.reduce((s, x) => s + x.p, 0);
    expect(Math.abs((hmmFilter(model, obs).filtered[t * 2 + 1] as number) - pt)).toBeLessThan(1e-12);
    const smooth = all.filter((x) => x.path[t] === 1).reduce((s, x) => s + x.p, 0) / total;
    expect(Math.abs((hmmSmooth(model, obs)[t * 2 + 1] as number) - smooth)).toBeLessThan(1e-12);
  });
  it('Viterbi returns the arg-max path', () => {
    const best = all.reduce((a, b) => (b.p > a.p ? b : a));
    expect(Array.from(viterbi(model, obs))).toEqual(best.path);
  });
});

describe('Baum–Welch', () => {
  const rng = createRng(17);
  const T = 3000;
  const x: number[] = [];
  let s = 0;
  for (let t = 0; t < T; t++) {
    if (rng.next() < 0.02) s = 1 - s;
    x.push(s === 0 ? 0.0008 + 0.006 * rng.normal() : -0.002 + 0.025 * rng.normal());
  }
  it('never decreases the likelihood from one iteration to the next', () => {
    let prev = Number.NEGATIVE_INFINITY;
    for (let k = 1; k <= 12; k++) {
      const ll = fitGaussianHmm(x, 2, { maxIterations: k, tolerance: -1 }).logLikelihood;
      expect(ll).toBeGreaterThanOrEqual(prev - 1e-9);
      prev = ll;
    }
  });
  it('recovers a calm and a crisis state from simulated returns', () => {
    const { model: m } = fitGaussianHmm(x, 2);
    // states sorted by mean: 0 = crisis (negative mean), 1 = calm
    expect(Math.sqrt(m.variances[0] as number)).toBeCloseTo(0.025, 2);
    expect(Math.sqrt(m.variances[1] as number)).toBeCloseTo(0.006, 3);
    expect(m.transition[3] as number).toBeGreaterThan(0.95);
    const f = hmmFilter(m, x).filtered;
    for (let t = 0; t < T; t += 500) expect((f[t * 2] as number) + (f[t * 2 + 1] as number)).toBeCloseTo(1, 12);
  });
});

describe('Bayesian online change-point detection', () => {
  const prior: NormalGammaPrior = { mu: 0, kappa: 1, alpha: 2, beta: 1 };
  /** log marginal likelihood of a segment under the Normal–Gamma prior (closed form). */
  const logMarginal = (seg: number[]) => {
    const n = seg.length;
    const m = seg.reduce((a, b) => a + b, 0) / n;
    const ss = seg.reduce((a, b) => a + (b - m) ** 2, 0);
    const kn = prior.kappa + n;
    const an = prior.alpha + n / 2;
    const bn = prior.beta + ss / 2 + (prior.kappa * n * (m - prior.mu) ** 2) / (2 * kn);
    return logGamma(an) - logGamma(prior.alpha) + prior.alpha * Math.log(prior.beta) - an * Math.log(bn) + 0.5 * Math.log(prior.kappa / kn) - (n / 2) * Math.log(2 * Math.PI);
  };
  it('P(change at t | x_1..t) equals the enumeration over all segmentations', () => {
    const x = [0.2, -0.1, 2.5, 2.9, 3.1];
    const H = 0.2;
    const r = bocpd(x, { hazardLambda: 1 / H, prior });
    for (let t = 1; t < x.length; t++) {
      let num = 0;
      let den = 0;
      for (let code = 0; code < 2 ** t; code++) {
        // bit k set: a new segment starts at k+1
        const starts = [0];
        for (let k = 0; k < t; k++) if ((code >> k) & 1) starts.push(k + 1);
        let lp = (starts.length - 1) * Math.log(H) + (t - (starts.length - 1)) * Math.log(1 - H);
        for (let s = 0; s < starts.length; s++) lp += logMarginal(x.slice(starts[s], s + 1 < starts.length ? starts[s + 1] : t + 1));
        den += Math.exp(lp);
        if (starts[starts.length - 1] === t) num += Math.exp(lp);
      }
      expect(Math.abs((r.changeProbability[t] as number) - num / den)).toBeLessThan(1e-12);
    }
  });
  it('flags a jump in mean and resets the run length', () => {
    const rng = createRng(3);
    const x = Array.from({ length: 200 }, (_, t) => (t < 120 ? 0 : 0.03) + 0.005 * rng.normal());
    const r = bocpd(x, { hazardLambda: 100 });
    const peak = Array.from(r.changeProbability).slice(1).reduce((best, p, i) => (p > (r.changeProbability[best] as number) ? i + 1 : best), 1);
    expect(Math.abs(peak - 120)).toBeLessThanOrEqual(2);
    expect(r.mapRunLength[199]).toBeLessThanOrEqual(82);
    expect(r.mapRunLength[199]).toBeGreaterThanOrEqual(78);
  });
});

describe('regime labels', () => {
  it('classifies trend × volatility into the four seed regimes', () => {
    expect(classifyRegime(0.05, 0.1)).toBe('BULL_QUIET');
    expect(classifyRegime(0.05, 0.4)).toBe('BULL_VOLATILE');
    expect(classifyRegime(-0.05, 0.1)).toBe('BEAR_QUIET');
    expect(classifyRegime(-0.05, 0.4)).toBe('BEAR_CRISIS');
    expect(REGIME_RISK_MULTIPLIER.BEAR_CRISIS).toBe(0);
  });
  it('labels a calm rally and a violent sell-off', () => {
    const up = Array.from({ length: 100 }, (_, i) => 100 * 1.001 ** i * (1 + 0.0005 * (i % 2)));
    const last = up[99] as number;
    const down = Array.from({ length: 100 }, (_, i) => last * 0.995 ** i * (1 + 0.04 * (i % 2)));
    const labels = regimeLabels([...up, ...down]);
    expect(labels[62]).toBeNull();
    expect(labels[99]?.label).toBe('BULL_QUIET');
    expect(labels[199]?.label).toBe('BEAR_CRISIS');
    // vol of alternating ±4% moves is far above 25% annualised
    expect(labels[199]?.vol ?? 0).toBeGreaterThan(0.5);
  });
});

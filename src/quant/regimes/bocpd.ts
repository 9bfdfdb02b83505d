/**
 * Bayesian online change-point detection (Adams & MacKay 2007) for a Gaussian series with unknown
 * mean and variance (Normal–Gamma prior, Student-t predictive) and a constant hazard 1/λ.
 * Run length r_t counts the observations of the current segment including x_t; a change at t
 * means x_t is the first point of a new segment, so P(r_t = 1 | x_1..t) is the change probability.
 */
import type { Series } from '../stats/descriptive.ts';
import { logGamma } from '../../core/index.ts';

/** Normal–Gamma prior on (mean, precision). */
export interface NormalGammaPrior {
  readonly mu: number;
  readonly kappa: number;
  readonly alpha: number;
  readonly beta: number;
}

/** Options: `hazardLambda` is the expected segment length (default 250); `maxRunLength` truncates the posterior (default 1000). */
export interface BocpdOptions {
  readonly hazardLambda?: number;
  readonly prior?: NormalGammaPrior;
  readonly maxRunLength?: number;
}

/** Per-step outputs, each of length T. */
export interface BocpdResult {
  /** P(x_t starts a new segment | x_1..t). */
  readonly changeProbability: Float64Array;
  /** The most probable run length after x_t. */
  readonly mapRunLength: Int32Array;
  /** E[r_t | x_1..t]. */
  readonly expectedRunLength: Float64Array;
}

function studentLogPdf(x: number, mu: number, kappa: number, alpha: number, beta: number): number {
  const nu = 2 * alpha;
  const s2 = (beta * (kappa + 1)) / (alpha * kappa);
  const z = ((x - mu) * (x - mu)) / s2;
  return logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI * s2) - ((nu + 1) / 2) * Math.log1p(z / nu);
}

/** Runs BOCPD over the series (NaN observations leave the posterior unchanged). Default prior: weak, centred on the data. */
export function bocpd(x: Series, options: BocpdOptions = {}): BocpdResult {
  const T = x.length;
  const H = 1 / (options.hazardLambda ?? 250);
  const maxR = options.maxRunLength ?? 1000;
  const prior = options.prior ?? defaultPrior(x);
  // Index k ↔ run length k+1. Sufficient statistics per run length.
  let p = new Float64Array(0);
  let mu = new Float64Array(0);
  let ka = new Float64Array(0);
  let al = new Float64Array(0);
  let be = new Float64Array(0);
  const change = new Float64Array(T);
  const mapR = new Int32Array(T);
  const eR = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const xt = x[t] as number;
    if (Number.isNaN(xt)) {
      change[t] = Number.NaN;
      mapR[t] = t > 0 ? (mapR[t - 1] as number) : 0;
      eR[t] = t > 0 ? (eR[t - 1] as number) : 0;
      continue;
    }
    const n = Math.min(p.length + 1, maxR);
    const np = new Float64Array(n);
    const nmu = new Float64Array(n);
    const nka = new Float64Array(n);
    const nal = new Float64Array(n);
    const nbe = new Float64Array(n);
    // Change: x_t from the prior predictive, with probability H (1 at t = 0).
    const lp0 = studentLogPdf(xt, prior.mu, prior.kappa, prior.alpha, prior.beta);
    const pc = p.length === 0 ? 1 : H;
    const logs = new Float64Array(n);
    logs[0] = Math.log(pc) + lp0;
    for (let k = 0; k + 1 < n; k++) {
      logs[k + 1] = Math.log(p[k] as number) + Math.log(1 - H) + studentLogPdf(xt, mu[k] as number, ka[k] as number, al[k] as number, be[k] as number);
    }
    // The change branch sums over all previous run lengths: Σ p = 1, so its weight is just pc.
    let mx = Number.NEGATIVE_INFINITY;
    for (const v of logs) mx = Math.max(mx, v);
    let z = 0;
    for (let k = 0; k < n; k++) {
      const v = Math.exp((logs[k] as number) - mx);
      np[k] = v;
      z += v;
    }
    let best = 0;
    let er = 0;
    for (let k = 0; k < n; k++) {
      np[k] = (np[k] as number) / z;
      if ((np[k] as number) > (np[best] as number)) best = k;
      er += (k + 1) * (np[k] as number);
    }
    // Update statistics with x_t: new segment from the prior, growing ones from their own.
    update(prior.mu, prior.kappa, prior.alpha, prior.beta, xt, nmu, nka, nal, nbe, 0);
    for (let k = 0; k + 1 < n; k++) update(mu[k] as number, ka[k] as number, al[k] as number, be[k] as number, xt, nmu, nka, nal, nbe, k + 1);
    p = np;
    mu = nmu;
    ka = nka;
    al = nal;
    be = nbe;
    change[t] = np[0] as number;
    mapR[t] = best + 1;
    eR[t] = er;
  }
  return { changeProbability: change, mapRunLength: mapR, expectedRunLength: eR };
}

function update(m: number, k: number, a: number, b: number, x: number, om: Float64Array, ok: Float64Array, oa: Float64Array, ob: Float64Array, i: number): void {
  om[i] = (k * m + x) / (k + 1);
  ok[i] = k + 1;
  oa[i] = a + 0.5;
  ob[i] = b + (k * (x - m) * (x - m)) / (2 * (k + 1));
}

/** A weak prior centred on the series: μ = median-free mean, κ = 0.01, α = 1, β = variance. */
export function defaultPrior(x: Series): NormalGammaPrior {
  let s = 0;
  let s2 = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (Number.isNaN(v)) continue;
    s += v;
    s2 += v * v;
    n++;
  }
  const m = n > 0 ? s / n : 0;
  const v = n > 1 ? Math.max((s2 - n * m * m) / (n - 1), 1e-12) : 1;
  return { mu: m, kappa: 0.01, alpha: 1, beta: v };
}

/**
 * Gaussian hidden Markov model on a univariate series (e.g. daily returns): scaled forward–backward,
 * Baum–Welch (EM), Viterbi and filtered state probabilities. States are ordered by ascending mean.
 */
import type { Series } from '../stats/descriptive.ts';
import { dropNaN, quantile, variance } from '../stats/descriptive.ts';

/** HMM parameters: S states; `transition` is S×S row-major (row = from), each row sums to 1. */
export interface GaussianHmm {
  readonly states: number;
  readonly initial: Float64Array;
  readonly transition: Float64Array;
  readonly means: Float64Array;
  readonly variances: Float64Array;
}

function gaussian(x: number, m: number, v: number): number {
  return Math.exp(-0.5 * ((x - m) * (x - m)) / v) / Math.sqrt(2 * Math.PI * v);
}

/** Filtered probabilities P(state_t | x_1..t) (T×S row-major) and the log-likelihood log p(x_1..T). */
export interface HmmFilter {
  readonly filtered: Float64Array;
  readonly logLikelihood: number;
}

/** Forward pass with per-step normalisation (NaN observations are skipped: the step only propagates). */
export function hmmFilter(model: GaussianHmm, obs: Series): HmmFilter {
  const S = model.states;
  const T = obs.length;
  const f = new Float64Array(T * S);
  let ll = 0;
  const prev = new Float64Array(S);
  for (let t = 0; t < T; t++) {
    const x = obs[t] as number;
    let c = 0;
    for (let j = 0; j < S; j++) {
      let p: number;
      if (t === 0) p = model.initial[j] as number;
      else {
        p = 0;
        for (let i = 0; i < S; i++) p += (prev[i] as number) * (model.transition[i * S + j] as number);
      }
      const e = Number.isNaN(x) ? 1 : gaussian(x, model.means[j] as number, model.variances[j] as number);
      f[t * S + j] = p * e;
      c += p * e;
    }
    for (let j = 0; j < S; j++) {
      const v = (f[t * S + j] as number) / c;
      f[t * S + j] = v;
      prev[j] = v;
    }
    ll += Math.log(c);
  }
  return { filtered: f, logLikelihood: ll };
}

/** Smoothed posteriors P(state_t | x_1..T) (T×S) by the scaled backward pass. */
export function hmmSmooth(model: GaussianHmm, obs: Series): Float64Array {
  return forwardBackward(model, obs).gamma;
}

function forwardBackward(model: GaussianHmm, obs: Series): { gamma: Float64Array; xi: Float64Array; ll: number } {
  const S = model.states;
  const T = obs.length;
  const A = model.transition;
  const em = new Float64Array(T * S);
  for (let t = 0; t < T; t++) {
    const x = obs[t] as number;
    for (let j = 0; j < S; j++) em[t * S + j] = Number.isNaN(x) ? 1 : gaussian(x, model.means[j] as number, model.variances[j] as number);
  }
  const alpha = new Float64Array(T * S);
  const scale = new Float64Array(T);
  let ll = 0;
  for (let t = 0; t < T; t++) {
    let c = 0;
    for (let j = 0; j < S; j++) {
      let p = 0;
      if (t === 0) p = model.initial[j] as number;
      else for (let i = 0; i < S; i++) p += (alpha[(t - 1) * S + i] as number) * (A[i * S + j] as number);
      const v = p * (em[t * S + j] as number);
      alpha[t * S + j] = v;
      c += v;
    }
    scale[t] = c;
    ll += Math.log(c);
    for (let j = 0; j < S; j++) alpha[t * S + j] = (alpha[t * S + j] as number) / c;
  }
  const beta = new Float64Array(T * S);
  for (let j = 0; j < S; j++) beta[(T - 1) * S + j] = 1;
  for (let t = T - 2; t >= 0; t--) {
    for (let i = 0; i < S; i++) {
      let s = 0;
      for (let j = 0; j < S; j++) s += (A[i * S + j] as number) * (em[(t + 1) * S + j] as number) * (beta[(t + 1) * S + j] as number);
      beta[t * S + i] = s / (scale[t + 1] as number);
    }
  }
  const gamma = new Float64Array(T * S);
  for (let t = 0; t < T; t++) for (let j = 0; j < S; j++) gamma[t * S + j] = (alpha[t * S + j] as number) * (beta[t * S + j] as number);
  // ξ summed over time: expected transition counts (S×S).
  const xi = new Float64Array(S * S);
  for (let t = 0; t < T - 1; t++) {
    const c = scale[t + 1] as number;
    for (let i = 0; i < S; i++) {
      const a = alpha[t * S + i] as number;
      for (let j = 0; j < S; j++) {
        xi[i * S + j] = (xi[i * S + j] as number) + (a * (A[i * S + j] as number) * (em[(t + 1) * S + j] as number) * (beta[(t + 1) * S + j] as number)) / c;
      }
    }
  }
  return { gamma, xi, ll };
}

/** Most likely state path (Viterbi, in log space). */
export function viterbi(model: GaussianHmm, obs: Series): Int32Array {
  const S = model.states;
  const T = obs.length;
  const path = new Int32Array(T);
  if (T === 0) return path;
  const delta = new Float64Array(T * S);
  const back = new Int32Array(T * S);
  const logA = Float64Array.from(model.transition, Math.log);
  for (let t = 0; t < T; t++) {
    const x = obs[t] as number;
    for (let j = 0; j < S; j++) {
      const le = Number.isNaN(x) ? 0 : Math.log(gaussian(x, model.means[j] as number, model.variances[j] as number));
      if (t === 0) {
        delta[j] = Math.log(model.initial[j] as number) + le;
        continue;
      }
      let best = Number.NEGATIVE_INFINITY;
      let arg = 0;
      for (let i = 0; i < S; i++) {
        const v = (delta[(t - 1) * S + i] as number) + (logA[i * S + j] as number);
        if (v > best) {
          best = v;
          arg = i;
        }
      }
      delta[t * S + j] = best + le;
      back[t * S + j] = arg;
    }
  }
  let arg = 0;
  for (let j = 1; j < S; j++) if ((delta[(T - 1) * S + j] as number) > (delta[(T - 1) * S + arg] as number)) arg = j;
  path[T - 1] = arg;
  for (let t = T - 1; t > 0; t--) path[t - 1] = back[t * S + (path[t] as number)] as number;
  return path;
}

/** Options for Baum–Welch. */
export interface HmmFitOptions {
  readonly maxIterations?: number;
  /** Stop when the log-likelihood improves by less than this (default 1e-8). */
  readonly tolerance?: number;
  /** Starting parameters; default: means at the data's quantiles, common variance, sticky 0.9 diagonal. */
  readonly init?: GaussianHmm;
  /** Variance floor as a fraction of the data variance (default 1e-6), to stop a state collapsing. */
  readonly varianceFloor?: number;
}

/** The fitted model, its log-likelihood and the EM iterations used. */
export interface HmmFit {
  readonly model: GaussianHmm;
  readonly logLikelihood: number;
  readonly iterations: number;
}

/** Deterministic default start for `states` states. */
export function defaultHmmStart(obs: Series, states: number): GaussianHmm {
  const x = dropNaN(obs);
  const v = variance(x);
  const means = Float64Array.from({ length: states }, (_, k) => quantile(x, (k + 0.5) / states));
  const transition = new Float64Array(states * states);
  for (let i = 0; i < states; i++) for (let j = 0; j < states; j++) transition[i * states + j] = states === 1 ? 1 : i === j ? 0.9 : 0.1 / (states - 1);
  return { states, initial: new Float64Array(states).fill(1 / states), transition, means, variances: new Float64Array(states).fill(v) };
}

/** Baum–Welch maximum likelihood fit; deterministic (no randomness); states sorted by mean. */
export function fitGaussianHmm(obs: Series, states: number, options: HmmFitOptions = {}): HmmFit {
  const S = states;
  const T = obs.length;
  let model = options.init ?? defaultHmmStart(obs, S);
  const floor = (options.varianceFloor ?? 1e-6) * variance(obs);
  const tol = options.tolerance ?? 1e-8;
  let prevLl = Number.NEGATIVE_INFINITY;
  let it = 0;
  for (; it < (options.maxIterations ?? 500); it++) {
    const fb = forwardBackward(model, obs);
    const ll = fb.ll;
    if (ll - prevLl < tol && it > 0) break;
    prevLl = ll;
    const initial = new Float64Array(S);
    const transition = new Float64Array(S * S);
    const means = new Float64Array(S);
    const variances = new Float64Array(S);
    for (let i = 0; i < S; i++) {
      initial[i] = fb.gamma[i] as number;
      let row = 0;
      for (let j = 0; j < S; j++) row += fb.xi[i * S + j] as number;
      for (let j = 0; j < S; j++) transition[i * S + j] = row > 0 ? (fb.xi[i * S + j] as number) / row : 1 / S;
      let w = 0;
      let m = 0;
      for (let t = 0; t < T; t++) {
        const x = obs[t] as number;
        if (Number.isNaN(x)) continue;
        const g = fb.gamma[t * S + i] as number;
        w += g;
        m += g * x;
      }
      m /= w;
      let v = 0;
      for (let t = 0; t < T; t++) {
        const x = obs[t] as number;
        if (Number.isNaN(x)) continue;
        v += (fb.gamma[t * S + i] as number) * (x - m) * (x - m);
      }
      means[i] = m;
      variances[i] = Math.max(v / w, floor);
    }
    model = { states: S, initial, transition, means, variances };
  }
  // Report the likelihood of the model returned, not of the one before the last update.
  return { model: sortByMean(model), logLikelihood: hmmFilter(model, obs).logLikelihood, iterations: it };
}

function sortByMean(m: GaussianHmm): GaussianHmm {
  const S = m.states;
  const order = Array.from({ length: S }, (_, i) => i).sort((a, b) => (m.means[a] as number) - (m.means[b] as number));
  const pick = (x: Float64Array) => Float64Array.from(order, (i) => x[i] as number);
  const transition = new Float64Array(S * S);
  for (let a = 0; a < S; a++) for (let b = 0; b < S; b++) transition[a * S + b] = m.transition[(order[a] as number) * S + (order[b] as number)] as number;
  return { states: S, initial: pick(m.initial), transition, means: pick(m.means), variances: pick(m.variances) };
}


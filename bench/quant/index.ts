/**
 * Quant benchmarks: U ∈ {100, 500, 2000} names, T = 1260 days of synthetic returns with 10 planted
 * factors (seeded). `baseline` is the NumPy/OpenBLAS figure from issue 3 for U = 500 on this
 * 2-core machine. Heavy U = 2000 cases take fewer runs. Run: `npx tsx bench/run.ts quant`.
 */
import { createRng } from '../../src/core/index.ts';
import {
  sampleCovariance,
  ewmaCovariance,
  EwmaCovarianceTracker,
  ledoitWolf,
  fitFundamentalFactorModel,
  fitStatisticalFactorModel,
  varDecomposition,
  historicalVaR,
  monteCarloBookVaR,
  syntheticPanel,
  type FactorModel,
} from '../../src/quant/index.ts';
import type { BenchCase, BenchSuite } from '../harness.ts';

const T = 1260;
const K = 10;
const G = 20;

interface State {
  panel: Float64Array;
  exposures: Float64Array;
  weights: Float64Array;
  groups: Int32Array;
  books: Float64Array;
  dense: Float64Array;
  model: FactorModel;
  tracker: EwmaCovarianceTracker;
  day: Float64Array;
}

function makeState(U: number): State {
  const { panel, exposures } = syntheticPanel(T, U, K, 42);
  const groups = Int32Array.from({ length: U }, (_, i) => i % G);
  const weights = Float64Array.from({ length: U }, (_, i) => (i % 3 === 0 ? -0.5 : 1) / U);
  // 20 books (agents), each holding its group's names: rows of a G×U weight matrix.
  const books = new Float64Array(G * U);
  for (let i = 0; i < U; i++) books[(groups[i] as number) * U + i] = weights[i] as number;
  const dense = ledoitWolf(panel, U).covariance;
  const model = fitFundamentalFactorModel(panel, U, exposures, K);
  const tracker = new EwmaCovarianceTracker(U);
  for (let t = 0; t < 50; t++) tracker.update(panel.subarray(t * U, (t + 1) * U));
  return { panel, exposures, weights, groups, books, dense, model, tracker, day: panel.slice(0, U) };
}

const baselines: Record<string, string> = {
  sample: 'numpy 7 ms',
  ewmaFull: 'numpy 6 ms',
  ewmaDay: 'numpy 0.3 ms',
  lw: 'numpy 6 ms',
  cvarDense: 'numpy 0.4 ms',
  cvarFactor: 'numpy 0.15 ms',
  hist: 'numpy 1.3 ms',
  mcFull: 'numpy 174 ms',
  mcBook: 'numpy 14 ms',
};

function suite(U: number): BenchSuite {
  let state: State | undefined;
  const get = (): State => {
    state ??= makeState(U);
    return state;
  };
  const heavy = U >= 2000;
  const few = heavy ? { warmup: 1, runs: 3 } : {};
  const base = (key: string): { baseline?: string } => {
    const b = baselines[key];
    return U === 500 && b ? { baseline: b } : {};
  };
  const cases: BenchCase[] = [
    { name: `sample covariance U=${U}`, setup: get, run: () => sampleCovariance(get().panel, U), ...few, ...base('sample') },
    { name: `EWMA covariance full window U=${U}`, setup: get, run: () => ewmaCovariance(get().panel, U), ...few, ...base('ewmaFull') },
    { name: `EWMA rank-1 daily update U=${U}`, setup: get, run: () => get().tracker.update(get().day), ...base('ewmaDay') },
    { name: `Ledoit-Wolf covariance U=${U}`, setup: get, run: () => ledoitWolf(get().panel, U), ...few, ...base('lw') },
    { name: `factor model fit fundamental K=10 U=${U}`, setup: get, run: () => fitFundamentalFactorModel(get().panel, U, get().exposures, K), ...few },
    { name: `factor model fit PCA K=10 U=${U}`, setup: get, run: () => fitStatisticalFactorModel(get().panel, U, K, { tolerance: 1e-8 }), warmup: 1, runs: heavy ? 3 : 5 },
    { name: `parametric + component VaR, 20 groups, dense Σ U=${U}`, setup: get, run: () => varDecomposition(get().weights, get().dense, { groups: get().groups, groupCount: G, confidence: 0.99 }), ...base('cvarDense') },
    { name: `parametric + component VaR, 20 groups, factor Σ U=${U}`, setup: get, run: () => varDecomposition(get().weights, get().model, { groups: get().groups, groupCount: G, confidence: 0.99 }), ...base('cvarFactor') },
    { name: `historical VaR/CVaR U=${U}`, setup: get, run: () => historicalVaR(get().panel, U, get().weights, 0.99), ...base('hist') },
    {
      name: `Monte Carlo 10k full paths, factor Σ, 20 books U=${U}`,
      setup: get,
      run: () => monteCarloBookVaR(get().books, U, get().model, { rng: createRng(1), paths: 10_000, simulate: 'assets' }),
      warmup: 1,
      runs: heavy ? 3 : 7,
      ...base('mcFull'),
    },
    {
      name: `Monte Carlo 10k book P&L, factor Σ, 20 books U=${U}`,
      setup: get,
      run: () => monteCarloBookVaR(get().books, U, get().model, { rng: createRng(1), paths: 10_000, simulate: 'portfolio' }),
      ...base('mcBook'),
    },
    {
      name: `Monte Carlo 10k book P&L, dense Σ, 20 books U=${U}`,
      setup: get,
      run: () => monteCarloBookVaR(get().books, U, get().dense, { rng: createRng(1), paths: 10_000, simulate: 'portfolio' }),
      ...few,
      ...base('mcBook'),
    },
  ];
  if (!heavy) {
    cases.push({
      name: `Monte Carlo 10k full paths, dense Σ (Cholesky), 20 books U=${U}`,
      setup: get,
      run: () => monteCarloBookVaR(get().books, U, get().dense, { rng: createRng(1), paths: 10_000, simulate: 'assets' }),
      warmup: 1,
      runs: 3,
      ...base('mcFull'),
    });
  }
  return { name: `quant U=${U} T=${T}`, cases };
}

export const suites: BenchSuite[] = [suite(100), suite(500), suite(2000)];

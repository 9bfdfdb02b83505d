/**
 * keel/quant — the numerical core: statistics, indicators, risk models, VaR/ES, performance
 * metrics, regimes and optimisers. Pure functions on `number[] | Float64Array`; no I/O; randomness
 * only from a seeded `Rng` (src/core) passed in.
 *
 * Conventions, stated once:
 * - Returns are simple periodic returns (0.01 = +1% for the period) unless a name says otherwise.
 * - A **returns panel** is a `Float64Array` of T×U numbers, row-major by time: the return of
 *   asset u on day t is `panel[t * U + u]`; functions take `(panel, U)` and infer T = length / U.
 * - A **covariance** is a U×U `Float64Array`, row-major (`cov[i * U + j]`), in return units² per period.
 * - A **factor model** `{ B, F, D }`: B is U×K exposures row-major, F is K×K factor covariance,
 *   D is the length-U specific variance; Σ = B F Bᵀ + diag(D).
 * - VaR and ES are reported as positive losses (fractions of portfolio value, or P&L units when
 *   weights are notionals), except the empyrical-style metrics `valueAtRisk`/`conditionalValueAtRisk`,
 *   which return the return quantile itself (negative for a loss) as empyrical does.
 * - Annualisation uses `periodsPerYear` (default 252). Standard deviations are sample (ddof = 1).
 */

// statistics
export type { Series } from './stats/descriptive.ts';
export {
  dropNaN,
  mean,
  variance,
  std,
  sum,
  quantile,
  quantileSorted,
  median,
  skewness,
  excessKurtosis,
  covariance,
  correlation,
} from './stats/descriptive.ts';
export { erfc, normalCdf, normalPdf, normalQuantile, logGamma } from '../core/index.ts';
export { ZigguratNormal } from './stats/ziggurat.ts';

// indicators
export { sma, ema, smma, wma } from './indicators/moving-averages.ts';
export { rsi, macd, roc, momentum } from './indicators/oscillators.ts';
export type { Macd } from './indicators/oscillators.ts';
export { trueRange, atr, bollinger, stochastic, williamsR, adx } from './indicators/range.ts';
export type { Bollinger, Stochastic, Adx } from './indicators/range.ts';
export { rollingStd, zscore, rollingCorrelation } from './indicators/rolling.ts';

// linear algebra (row-major Float64Array)
export { matMul, matVec, matTVec, transpose, dot, cholesky, choleskySolve, invertSpd, quadForm } from './linalg/dense.ts';
export { symmetricEigen } from './linalg/eigen.ts';
export type { SymmetricEigen } from './linalg/eigen.ts';

// risk models
export { panelRows, columnMeans, portfolioReturns } from './risk/panel.ts';
export { sampleCovariance, correlationFromCovariance, nearestPSD } from './risk/covariance.ts';
export { ewmaCovariance, EwmaCovarianceTracker } from './risk/ewma.ts';
export type { EwmaOptions } from './risk/ewma.ts';
export { ledoitWolf } from './risk/ledoit-wolf.ts';
export type { ShrunkCovariance } from './risk/ledoit-wolf.ts';
export { fitFundamentalFactorModel, factorCovTimes, factorModelCovariance, smallCovariance } from './risk/factor-model.ts';
export type { FactorModel, FundamentalFitOptions } from './risk/factor-model.ts';
export { fitStatisticalFactorModel } from './risk/pca-model.ts';
export type { PcaFitOptions } from './risk/pca-model.ts';
export { syntheticPanel } from './risk/test-panels.ts';

// VaR and expected shortfall (positive losses)
export type { RiskModel } from './var/risk-model.ts';
export { covTimes, covDiagonal, isFactorModel } from './var/risk-model.ts';
export { tailRiskFromSample, tailRiskSelect } from './var/tail.ts';
export type { TailRisk } from './var/tail.ts';
export { historicalVaR } from './var/historical.ts';
export { parametricVaR, varDecomposition, incrementalVaR } from './var/parametric.ts';
export type { ParametricOptions, ParametricRisk, VaRDecomposition, DecompositionOptions } from './var/parametric.ts';
export { cornishFisherVaR, cornishFisherQuantile } from './var/cornish-fisher.ts';
export type { CornishFisherRisk } from './var/cornish-fisher.ts';
export { monteCarloVaR, monteCarloBookVaR } from './var/monte-carlo.ts';
export type { MonteCarloOptions, MonteCarloBookRisk } from './var/monte-carlo.ts';
export { fitGpd, gpdLogLikelihood, evtVaR } from './var/evt.ts';
export type { GpdFit, EvtRisk } from './var/evt.ts';

// performance metrics (empyrical conventions)
export type { MetricOptions } from './metrics/options.ts';
export { simpleReturns, cumReturns, cumReturnsFinal, annualReturn, annualVolatility, drawdownSeries, maxDrawdown } from './metrics/returns.ts';
export {
  sharpeRatio,
  downsideRisk,
  sortinoRatio,
  calmarRatio,
  omegaRatio,
  tailRatio,
  stabilityOfTimeseries,
  valueAtRisk,
  conditionalValueAtRisk,
} from './metrics/ratios.ts';
export { alphaBeta, excessSharpe, informationRatio, capture, upCapture, downCapture, upDownCapture } from './metrics/benchmark.ts';
export type { AlphaBeta } from './metrics/benchmark.ts';
export {
  probabilisticSharpe,
  probabilisticSharpeFromMoments,
  deflatedSharpe,
  deflatedSharpeFromMoments,
  expectedMaxSharpe,
  sharpeMoments,
} from './metrics/sharpe-inference.ts';
export type { SharpeMoments, DeflatedSharpeOptions } from './metrics/sharpe-inference.ts';

// regimes and change points
export { hmmFilter, hmmSmooth, viterbi, fitGaussianHmm, defaultHmmStart } from './regimes/hmm.ts';
export type { GaussianHmm, HmmFilter, HmmFitOptions, HmmFit } from './regimes/hmm.ts';
export { bocpd, defaultPrior } from './regimes/bocpd.ts';
export type { NormalGammaPrior, BocpdOptions, BocpdResult } from './regimes/bocpd.ts';
export { regimeLabels, classifyRegime, REGIME_LABELS, REGIME_RISK_MULTIPLIER } from './regimes/labels.ts';
export type { RegimeLabel, RegimeOptions, RegimePoint } from './regimes/labels.ts';

// optimisers and sizing
export { solveQp } from './optimise/qp.ts';
export type { QpProblem, QpOptions, QpSolution } from './optimise/qp.ts';
export { minimumVariance, meanVariance } from './optimise/portfolio.ts';
export type { PortfolioConstraints, PortfolioResult } from './optimise/portfolio.ts';
export { equalRiskContribution, riskContributions, hierarchicalRiskParity, hrpOrder } from './optimise/risk-parity.ts';
export type { ErcOptions } from './optimise/risk-parity.ts';
export { blackLitterman, impliedReturns } from './optimise/black-litterman.ts';
export type { BlackLittermanInput, BlackLittermanPosterior } from './optimise/black-litterman.ts';
export {
  kellyBinary,
  kellyFraction,
  kellyWeights,
  isotonicRegression,
  fitIsotonicCalibrator,
  applyIsotonic,
  expectedCalibrationError,
} from './optimise/sizing.ts';
export type { IsotonicCalibrator } from './optimise/sizing.ts';

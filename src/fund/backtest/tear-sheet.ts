import {
  alphaBeta,
  annualReturn,
  annualVolatility,
  calmarRatio,
  conditionalValueAtRisk,
  cumReturnsFinal,
  deflatedSharpe,
  informationRatio,
  maxDrawdown,
  sharpeMoments,
  sharpeRatio,
  sortinoRatio,
  stabilityOfTimeseries,
  tailRatio,
  valueAtRisk,
  variance,
} from '../../quant/index.ts';

/**
 * The tear sheet of a daily return series (empyrical conventions: 252 periods a year, simple
 * returns; drawdown negative; VaR/CVaR the 5% return quantile and the mean at or below it).
 */
export interface TearSheet {
  days: number;
  totalReturn: number;
  annualReturn: number;
  annualVolatility: number;
  sharpe: number;
  sortino: number;
  calmar: number;
  maxDrawdown: number;
  dailyVaR95: number;
  dailyCVaR95: number;
  tailRatio: number;
  stability: number;
  alpha: number | null;
  beta: number | null;
  informationRatio: number | null;
  /**
   * Deflated Sharpe ratio (Bailey & López de Prado 2014): the probability that the true Sharpe
   * is above what the best of `trials` unskilled strategies would show. Null with < 2 trials.
   */
  deflatedSharpe: number | null;
  trials: number;
}

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);
const orZero = (x: number): number => (Number.isFinite(x) ? x : 0);

/**
 * Tear sheet of `returns`. `trialReturns` are the return series of every configuration tried
 * (the agents and their variants); their Sharpe dispersion deflates the selected Sharpe.
 */
export function tearSheet(returns: readonly number[], benchmark?: readonly number[], trialReturns: readonly (readonly number[])[] = []): TearSheet {
  const r = Float64Array.from(returns);
  const ab = benchmark && benchmark.length === returns.length ? alphaBeta(r, Float64Array.from(benchmark)) : null;
  const trialSharpes = trialReturns.map((t) => sharpeMoments(Float64Array.from(t)).sharpe).filter(Number.isFinite);
  const trials = trialSharpes.length;
  const dsr =
    trials >= 2 && returns.length > 2 ? deflatedSharpe(r, { trials, trialSharpeVariance: variance(Float64Array.from(trialSharpes)) }) : Number.NaN;
  return {
    days: returns.length,
    totalReturn: orZero(cumReturnsFinal(r)),
    annualReturn: orZero(annualReturn(r)),
    annualVolatility: orZero(annualVolatility(r)),
    sharpe: orZero(sharpeRatio(r)),
    sortino: orZero(sortinoRatio(r)),
    calmar: orZero(calmarRatio(r)),
    maxDrawdown: orZero(maxDrawdown(r)),
    dailyVaR95: orZero(valueAtRisk(r)),
    dailyCVaR95: orZero(conditionalValueAtRisk(r)),
    tailRatio: orZero(tailRatio(r)),
    stability: orZero(stabilityOfTimeseries(r)),
    alpha: ab ? orNull(ab.alpha) : null,
    beta: ab ? orNull(ab.beta) : null,
    informationRatio: benchmark && benchmark.length === returns.length ? orNull(informationRatio(r, Float64Array.from(benchmark))) : null,
    deflatedSharpe: orNull(dsr),
    trials,
  };
}

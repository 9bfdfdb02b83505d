import { z } from 'zod';

/** Strategy types with a registered agent implementation (seed: fund-overlay-plan §1B). */
export const StrategyType = z.enum([
  'momentum',
  'quality_value',
  'quality_momentum',
  'dividend_growth',
  'trend_following',
  'short_term_reversal',
  'statistical_arbitrage',
  'volatility_premium',
  'committee',
  'sma_crossover',
  /** A user's agent: a plug-in module named in the config, or a remote agent (HTTP or NATS). */
  'custom',
]);
export type StrategyType = z.infer<typeof StrategyType>;
/** The strategies Keel implements itself (every strategy but `custom`). */
export type BuiltInStrategy = Exclude<StrategyType, 'custom'>;
export const BUILT_IN_STRATEGIES: readonly BuiltInStrategy[] = StrategyType.options.filter((s): s is BuiltInStrategy => s !== 'custom');

export const RiskDriver = z.enum([
  'equity_beta',
  'momentum_factor',
  'risk_on',
  'value_factor',
  'defensive',
  'quality_factor',
  'dividend_yield',
  'rates_duration',
  'convexity',
  'mean_reversion',
  'liquidity',
  'spread_risk',
  'market_neutral',
  'vega',
  'gamma',
  'vol_selling',
  'tail_risk',
]);
export type RiskDriver = z.infer<typeof RiskDriver>;

/** Default risk drivers per strategy (seed: fund-overlay-plan §1B STRATEGY_RISK_DRIVERS). */
export const STRATEGY_RISK_DRIVERS: Readonly<Record<StrategyType, readonly RiskDriver[]>> = {
  momentum: ['equity_beta', 'momentum_factor', 'risk_on'],
  quality_value: ['equity_beta', 'value_factor', 'defensive'],
  quality_momentum: ['equity_beta', 'momentum_factor', 'quality_factor'],
  dividend_growth: ['equity_beta', 'dividend_yield', 'rates_duration', 'defensive'],
  trend_following: ['momentum_factor', 'risk_on', 'convexity'],
  short_term_reversal: ['mean_reversion', 'liquidity'],
  statistical_arbitrage: ['spread_risk', 'liquidity', 'market_neutral'],
  volatility_premium: ['vega', 'gamma', 'vol_selling', 'tail_risk'],
  committee: ['equity_beta'],
  sma_crossover: ['momentum_factor', 'risk_on'],
  custom: ['equity_beta'],
};

/** Default bucket per strategy (seed: fund-overlay-plan §1B STRATEGY_BUCKET_MAP). */
export const STRATEGY_BUCKET_MAP: Readonly<Record<StrategyType, string>> = {
  momentum: 'directional_equity',
  quality_value: 'directional_equity',
  quality_momentum: 'directional_equity',
  dividend_growth: 'income_defensive',
  trend_following: 'systematic_trend',
  short_term_reversal: 'mean_reversion',
  statistical_arbitrage: 'market_neutral',
  volatility_premium: 'vol_selling',
  committee: 'directional_equity',
  sma_crossover: 'systematic_trend',
  custom: 'directional_equity',
};

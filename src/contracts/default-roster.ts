import type { FundConfigInput } from './fund-config.ts';
import type { StrategyType } from './strategy.ts';

/**
 * The embedded default fund: $100M, the eight strategy agents and the meta-brain committee with
 * $10M each, $10M unallocated (reserve for hedges and margin).
 */
export const DEFAULT_ROSTER: readonly { id: string; strategy: StrategyType }[] = [
  { id: 'momentum', strategy: 'momentum' },
  { id: 'quality-value', strategy: 'quality_value' },
  { id: 'quality-momentum', strategy: 'quality_momentum' },
  { id: 'dividend-growth', strategy: 'dividend_growth' },
  { id: 'trend', strategy: 'trend_following' },
  { id: 'reversal', strategy: 'short_term_reversal' },
  { id: 'stat-arb', strategy: 'statistical_arbitrage' },
  { id: 'vol-premium', strategy: 'volatility_premium' },
  { id: 'committee', strategy: 'committee' },
];

export function defaultFundConfigInput(totalCapital = 100_000_000): FundConfigInput {
  const each = Math.floor((totalCapital * 0.9) / DEFAULT_ROSTER.length);
  return {
    fund: { id: 'main', name: 'Keel Demo Fund', totalCapital, mode: 'autonomous' },
    // The seed's live gate is 1260 rows (5 years); the embedded data sets are ~5-6 years long, so
    // the default fund trades names with 4 years of history (DEGRADED below 3).
    data: { minHistoryRows: 1000, degradedMinRows: 750, minQuality: 0.6 },
    agents: DEFAULT_ROSTER.map((a) => ({ id: a.id, strategy: a.strategy, allocatedCapital: each })),
  };
}

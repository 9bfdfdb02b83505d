/** The backtest bench's cases, shared by the in-process suite and the fresh-process run (cold.ts). */
import { defaultFundConfigInput, parseFundConfig, type FundConfig } from '../../src/contracts/index.ts';
import { syntheticPanel, type Panel } from '../../src/market/index.ts';

export interface BacktestCase {
  readonly panel: Panel;
  readonly config: FundConfig;
}

/** 500 names over 5 years, the 9 default agents and the complete overlay. */
export function fundCase(): BacktestCase {
  const panel = syntheticPanel({ symbols: 500, years: 5, seed: 42 });
  return { panel, config: parseFundConfig(defaultFundConfigInput()) };
}

/** One SMA(10/30) crossover agent over `series` synthetic series of ~5,000 daily bars, the whole capital, loose caps. */
export function smaCase(series: number): BacktestCase {
  const panel = syntheticPanel({ symbols: series, years: 5000 / 252, seed: 7 });
  const config = parseFundConfig({
    fund: { id: 'sma', name: 'SMA crossover', totalCapital: 10_000_000 },
    data: { minHistoryRows: 1, degradedMinRows: 0 },
    agents: [{ id: 'sma', strategy: 'sma_crossover', allocatedCapital: 10_000_000, risk: { maxPositionPct: 1, maxSectorPct: 1, riskBudgetPct: 0.25 } }],
  });
  return { panel, config };
}

/** The last `days` rows of the case's panel. */
export function lastDays(c: BacktestCase, days: number): { from: string; to: string } {
  return { from: c.panel.dates[c.panel.T - days] ?? '', to: c.panel.dates[c.panel.T - 1] ?? '' };
}

import type { RiskDriver } from '../contracts/index.ts';

/** A stress scenario: factor shocks (returns, except `volatility` = relative VIX change and `rates_duration` = Δ yield). */
export interface StressScenario {
  readonly name: string;
  readonly description: string;
  /** Why it is in the set, when another scenario looks like it. */
  readonly note?: string;
  readonly kind: 'factor' | 'historical' | 'replay';
  readonly factorShocks: Readonly<Record<string, number>>;
}

/** The five scenarios of seed fund-overlay-plan §4A, as written there. */
export const SEED_SCENARIOS: readonly StressScenario[] = [
  { name: '2008_liquidity_freeze', description: 'Global liquidity crisis', note: 'The seed plan\'s liquidity shock: a smaller equity fall than gfc_2008 (−40% vs −57%) with a deeper liquidity hit (−50% vs −40%) and a wider credit spread (+8% vs +6%): the funding crisis, not the whole bear market.', kind: 'factor', factorShocks: { equity_beta: -0.4, credit_spread: 0.08, volatility: 2.5, liquidity: -0.5, momentum_factor: -0.25 } },
  { name: '2020_covid_crash', description: 'Pandemic crash', note: 'Kept as the seed plan writes it (fund-overlay-plan §4A): the same equity, volatility and rates shocks as covid_2020, with credit spreads +4% where covid_2020 has a momentum unwind (−5%) instead. The two differ by the credit and momentum terms only.', kind: 'factor', factorShocks: { equity_beta: -0.34, volatility: 3.0, rates_duration: -0.015, credit_spread: 0.04 } },
  { name: 'rate_shock_200bps', description: 'Rates +200bp, growth sells off', kind: 'factor', factorShocks: { rates_duration: 0.02, equity_beta: -0.1, value_factor: 0.05, momentum_factor: -0.1 } },
  { name: 'vol_spike_vix_40', description: 'VIX 15 → 40', kind: 'factor', factorShocks: { volatility: 1.67, equity_beta: -0.15, vol_selling: -0.3 } },
  { name: 'correlation_breakdown', description: 'All correlations → 1', kind: 'factor', factorShocks: { correlation_spike: 1.0, equity_beta: -0.2, liquidity: -0.3 } },
];

/** Historical episodes as index / factor shocks (peak-to-trough of the S&P 500 and the main style moves). */
export const HISTORICAL_SCENARIOS: readonly StressScenario[] = [
  { name: 'black_monday_1987', description: '19 Oct 1987: S&P 500 −20.5% in a day', kind: 'historical', factorShocks: { equity_beta: -0.205, volatility: 1.5, liquidity: -0.5 } },
  { name: 'gfc_2008', description: 'Oct 2007 – Mar 2009: S&P 500 −57%', note: 'The whole bear market, peak to trough; 2008_liquidity_freeze is the seed plan\'s shorter funding shock.', kind: 'historical', factorShocks: { equity_beta: -0.57, credit_spread: 0.06, volatility: 2.0, momentum_factor: -0.3, liquidity: -0.4 } },
  { name: 'covid_2020', description: 'Feb – Mar 2020: S&P 500 −34%', note: 'The market episode as it happened to styles: see 2020_covid_crash (the seed plan\'s version, with a credit shock instead of the momentum unwind).', kind: 'historical', factorShocks: { equity_beta: -0.34, volatility: 3.0, rates_duration: -0.015, momentum_factor: -0.05 } },
  { name: 'inflation_2022', description: '2022: S&P 500 −25%, 10y +250bp, value over growth', kind: 'historical', factorShocks: { equity_beta: -0.25, rates_duration: 0.025, value_factor: 0.1, momentum_factor: -0.05 } },
];

/**
 * P&L per dollar of gross exposure per unit of shock, for factors that act through an agent's
 * risk drivers rather than through its names (e.g. a vol seller loses 10% of gross per +100% VIX
 * and the whole `vol_selling` shock; a dividend book has equity duration 3).
 */
export const DRIVER_SENSITIVITY: Readonly<Record<string, Readonly<Partial<Record<RiskDriver, number>>>>> = {
  volatility: { vega: -0.1, vol_selling: -0.1, gamma: -0.05, tail_risk: -0.05, convexity: 0.03 },
  vol_selling: { vol_selling: 1 },
  liquidity: { liquidity: 0.2, spread_risk: 0.1, mean_reversion: 0.1 },
  correlation_spike: { market_neutral: -0.08, spread_risk: -0.08, mean_reversion: -0.05 },
  rates_duration: { rates_duration: -5, dividend_yield: -3, defensive: -2 },
  credit_spread: { spread_risk: -1, risk_on: -0.5 },
};

/** Options shared by the performance metrics (empyrical's names, camel-cased). */
export interface MetricOptions {
  /** Periods per year for annualisation (default 252: daily). */
  readonly periodsPerYear?: number;
  /** Per-period risk-free rate subtracted from returns (default 0). */
  readonly riskFree?: number;
  /** Per-period minimum acceptable return (sortino, downside risk); annual for omegaRatio (default 0). */
  readonly requiredReturn?: number;
  /** Tail probability for valueAtRisk / conditionalValueAtRisk (default 0.05). */
  readonly cutoff?: number;
  /** Starting value for cumReturns (default 0: returns cumulative fractions). */
  readonly startingValue?: number;
}

/** The annualisation factor (default 252). */
export function periodsOf(options: MetricOptions): number {
  return options.periodsPerYear ?? 252;
}

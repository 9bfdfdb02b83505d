/** Response shapes of the attribution, P&L history and exposure endpoints (docs/api.md "Attribution"). */

export interface PnlPart { key: string; pnl: number; pnlCents: number; navPnl?: number | null }
export interface FactorRow { factor: string; beta: number; factorReturn: number; contribution: number; pnl: number }
export interface FactorReport {
  factors: FactorRow[]; alpha: number; alphaPnl: number; residual: number; residualPnl: number; total: number; totalPnl: number;
  rSquared: number | null; observations: number; missingFactorDays: number;
}
export interface BrinsonSectorRow {
  sector: string; portfolioWeight: number; benchmarkWeight: number; portfolioContribution: number; benchmarkContribution: number;
  allocation: number; selection: number; interaction: number; total: number;
}
export interface BrinsonReport {
  method: string; benchmark: { name: string; weighting: 'cap' | 'equal'; indexReturn: number | null }; days: number;
  portfolioReturn: number; holdingsReturn: number; benchmarkReturn: number; activeReturn: number;
  allocation: number; selection: number; interaction: number; trading: number; sectors: BrinsonSectorRow[];
}
export interface BookSource { positions: number; fills: number; unallocatedFills: number; firstFill: string | null; unpriced: string[] }
export interface Attribution {
  fundId: string; from: string; to: string; baseDate: string; days: number; base: number; source: BookSource;
  total: { pnl: number; pnlCents: number; return: number | null };
  byAgent: PnlPart[]; byBucket: PnlPart[]; bySector: PnlPart[]; byName: PnlPart[];
  factorModel: string[]; factors: FactorReport | null; factorError: string | null;
  factorsByAgent: { agentId: string; base: number; factors: FactorReport | null; factorError: string | null }[];
  brinson: BrinsonReport | null; brinsonError: string | null;
  /** navPnl = bookPnl (after `costs`, from the stored fills) + difference (flows and whatever the stored fills do not explain). */
  reconciliation: { bookPnl: number; costs: number; navPnl: number | null; difference: number | null };
}
export interface PnlSeries { key: string; pnl: number[]; cumulative: number[]; total: number }
export interface PnlHistory { from: string; to: string; by: 'fund' | 'agent' | 'name'; dates: string[]; fund: PnlSeries; series: PnlSeries[]; navPnl: (number | null)[] | null }

export interface BookExposure { capital: number; dollars: Record<string, number>; exposures: Record<string, number>; gross: number; net: number; coverage: number; missing: string[] }
export interface Exposures { asOf: string; lookback: number; factors: string[]; agents: (BookExposure & { agentId: string })[]; fund: BookExposure }

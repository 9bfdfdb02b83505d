/** Response shapes of the Keel HTTP API v1 (docs/api.md) — the fields the dashboard reads. */

export type Role = 'viewer' | 'pm' | 'risk' | 'admin';
export interface User { id: string; name: string; role: Role; fundIds: string[] }

export interface Fund {
  id: string; name: string; baseCurrency: string; initialCapital: number;
  tradingState: string; drawdownState: string; highWaterMark: number; hwmDate: string | null; configHash: string;
}
export interface Nav { date: string; nav: number; cash: number; grossExposure: number; netExposure: number; drawdown: number }
export interface FundDetail { fund: Fund; nav: Nav | null; agentCount: number }

export interface Agent {
  fundId: string; id: string; strategy: string; bucket: string; riskDrivers: string[]; allocatedCapital: number;
  riskParams: Record<string, unknown>; drawdownState: string; highWaterMark: number; hwmDate: string | null; isEnabled: boolean;
  metrics: Record<string, unknown> | null;
}

export interface Position { agentId: string; symbol: string; qty: number; avgCost: number; lastPrice: number; marketValue: number; unrealizedPnl: number; realizedPnl: number }
/** Position totals: `gross` is Σ over names of |net value across the books shown| (the gross limit's); `booksGross` Σ of each book's |value|; `realizedPnl` every line's, open and closed, from the stored fills. */
export interface Totals { marketValue: number; unrealizedPnl: number; realizedPnl: number; gross: number; booksGross: number; net: number }
export interface NamePosition { symbol: string; qty: number; marketValue: number; unrealizedPnl: number; realizedPnl: number; agents: string[] }

export interface Tca { fills: number; filledQty: number; avgFillPrice: number | null; decisionPrice: number | null; slippageBps: number | null; commission: number }
export interface Order {
  id: string; symbol: string; side: string; qty: number; type?: string; limitPrice?: number | null; status: string;
  createdAt?: string; updatedAt?: string; filledQty?: number; avgFillPrice?: number | null; allocations?: { agentId: string; qty: number }[];
  tca: Tca | null; [k: string]: unknown;
}
export interface Fill { id: string; orderId: string; symbol: string; side: string; qty: number; price: number; commission: number; timestamp: string }

/** The overlay's review of a modified book or a ticket: a preview on a MODIFIED step, the binding one on the step that executed (or rejected) it. */
export interface ProposalReview { asOf: string; decisionId: string | null; action: string; scale: number; summary: string; reasons: { code: string; symbol: string | null; message: string }[] }
/** Why an approved proposal traded nothing, per name (symbol null: the whole proposal). */
export interface ExecutionShortfall { symbol: string | null; code: string; message: string; limit: number | null; actual: number | null }
export interface ProposalEvent { from: string; to: string; who: string; role: string; why: string; at: string; review?: ProposalReview; reasons?: ExecutionShortfall[] }
export interface Proposal {
  id: string; fundId: string; agentId: string; cycleId: string; symbols: string[]; targets: { symbol: string; weight: number }[];
  ticket: { symbol: string; side: string; qty: number; notional: number | null } | null; size: number; limitPrice: number | null; status: string;
  createdBy: string; createdAt: string; expiresAt: string; rationale: string; history: ProposalEvent[]; orderIds: string[]; fillIds: string[];
}

export interface JournalEntry { id: string; kind: string; who: string; role: string; rationale: string; timestamp: string; agentId: string | null; symbols: string[]; links?: unknown; score?: number | null }

export interface Reason { code: string; rule: string; message: string; limit: number | null; actual: number | null; symbol: string | null; sector: string | null; bucket: string | null }
export interface OverlayDecision {
  decisionId: string; cycleId: string; agentId: string; asOf: string; action: string; scale: number; reasons: Reason[];
  checks: { check: string; status: string; scale: number; block: boolean; reasons: Reason[] }[];
  targets: { symbol: string; proposedWeight: number; finalWeight: number }[]; summary: string;
}

export interface VarFigure { var: number; cvar: number; varPct: number; cvarPct: number }
export interface VarLevel { confidence: number; historical: VarFigure; parametric: VarFigure; monteCarlo: VarFigure }
export interface LimitUtilisation { name: string; value: number; limit: number; utilisation: number; status: string }
export interface RiskReport {
  asOf: string; nav: number; gross: number; net: number; grossPct: number; netPct: number; var: VarLevel[]; sigma: number; observations: number;
  monteCarloPaths: number; missingReturns: string[];
  agentVar: { confidence: number; agents: { agentId: string; componentVar: number; share: number; standaloneVar: number }[] };
  stress: { scenario: string; pnl: number; [k: string]: unknown }[]; worstStress: { scenario: string; pnl: number } | null;
  limits: LimitUtilisation[];
  concentration: { hhi: number; effectiveNames: number; top10Share: number; largest: { symbol: string; grossShare: number; navFraction: number } | null };
  sectors: { sector: string; gross: number; net: number; grossPct: number; netPct: number }[];
  liquidity: { participationRate: number; stressVolumeHaircut: number; names: { symbol: string; shares: number; days: number; stressDays: number }[]; daysToLiquidate: number; stressDaysToLiquidate: number; liquidWithin1d: number; liquidWithin5d: number; unknown: string[] };
}
/** One row of GET /funds/:id/hedges: the fund hedge book's target in a cycle (shares signed, dollars at `price`). */
export interface HedgeRow {
  cycleId: string; asOf: string; instrument: string; kind: string; targetQty: number; targetNotional: number; currentQty: number;
  price: number | null; exposureBefore: number | null; exposureAfter: number | null; reason: string;
}
/** A stored stress result: `details.book` 'target' (a cycle's, the book its orders aim at) or 'held' (a run from the Risk Monitor), `details.runAt` when it ran. */
export interface StressRow { scenario: string; asOf?: string; pnlImpact: number; pnlImpactPct: number; perAgent?: Record<string, number> | null; details?: { kind?: string; runAt?: string; book?: string; runBy?: string | null } }
/** GET /risk/scenarios: each scenario's definition. */
export interface ScenarioDefs {
  scenarios: { name: string; kind: string; description: string; note: string | null; factorShocks: Record<string, number> }[];
  replays: { name: string; kind: string; description: string }[];
  units: string;
}
/** GET /funds/:id/risk-budgets: the overlay's own budget measure from its last cycle (dollars). */
export interface RiskBudgets {
  asOf: string | null; cycleId: string | null; fundVar: number | null;
  agents: { agentId: string; componentVar: number; standaloneVar: number; budget: number; used: number; status: string }[];
  buckets: { bucket: string; componentVar: number; cap: number; used: number; status: string }[];
}

export interface MorningPack {
  fundId: string; asOf: string; generatedAt: string;
  market: { indexSymbol: string; indexLevel: number | null; return1d: number | null; return5d: number | null; return21d: number | null; volatilityIndex: { symbol: string; level: number; change1d: number | null } | null; regime: unknown };
  agents: { agentId: string; strategy: string; state: string; topSignals: { symbol: string; mu: number; sigma: number; conviction: number; confidence: number; horizonDays: number }[]; signalsAsOf: string | null; book: { gross: number; net: number; positions: number; pnl1d?: number | null; pnl1dDate?: string | null }; lastOverlay: { action: string; scale: number; reasonCodes: string[]; summary: string; asOf: string } | null }[];
  awaitingApproval: { id: string; agentId: string; symbols: string[]; status: string; size: number; limitPrice: number | null; expiresAt: string; minutesToExpiry: number; rationale: string }[];
  risk: { nav: number; var95: number; var95Pct: number; var99: number; var99Pct: number; cvar99: number; cvar99Pct: number; grossPct: number; netPct: number; effectiveNames: number; daysToLiquidate: number; worstStress: { scenario: string; pnl: number } | null; breaches: { name: string; utilisation: number }[]; warnings: { name: string; utilisation: number }[] } | null;
  alerts: { id?: string; severity: string; title?: string; message?: string; code?: string; at?: string; timestamp?: string; [k: string]: unknown }[];
  alertCounts: Record<string, number>;
}

export interface TearSheet {
  days: number; totalReturn: number; annualReturn: number; annualVolatility: number; sharpe: number; sortino: number; calmar: number; maxDrawdown: number;
  dailyVaR95: number; dailyCVaR95: number; tailRatio: number; stability: number; alpha: number | null; beta: number | null; informationRatio: number | null; deflatedSharpe: number | null; trials: number;
}
/** What each overlay rule removed from the proposals, per day on average (docs/overlay.md "Binding constraints"). */
export interface BindingSummary {
  days: number; agentDays: number; proposedGross: number; finalGross: number; proposedVar: number; finalVar: number;
  rules: { rule: string; policy: boolean; gross: number; grossPct: number; var: number; varPct: number; agentDays: number; agentDaysPct: number; firstDate: string; lastDate: string }[];
}
export interface NavStats { totalReturn: number; annualReturn: number; annualVolatility: number; sharpe: number; maxDrawdown: number; worst20d: number | null }
export interface CompareSide { gross: NavStats; net: NavStats; turnover: { oneWay: number; oneWayPerGross: number }; costs: { commissions: number; slippage: number; total: number; ofGrossPnl: number | null } }
export interface Kept { returnKept: number | null; sharpeKept: number | null; drawdownReduction: number | null; worst20dReduction: number | null }
/** The backtest beside the same backtest with some overlay rules off (keel backtest --compare overlay-off). */
export interface BacktestComparison {
  label: string; disabled: string[]; on: CompareSide; off: CompareSide; kept: { gross: Kept; net: Kept };
  variant: { fund: { equity: number[]; equityGross: number[] }; binding: BindingSummary };
}
export interface BacktestResults {
  id: string; from: string; to: string; days: number; dates: string[];
  fund: { equity: number[]; drawdown: number[]; tearSheet: TearSheet; benchmark: TearSheet | null };
  /** Absent in backtests stored before the binding report existed. */
  binding?: BindingSummary;
  comparison?: BacktestComparison;
  agents: { id: string; strategy: string; allocatedCapital: number; equity: number[]; tearSheet: TearSheet; varBudgetUsedMean: number; varBudgetUsedMax: number; overlayActions: Record<string, number> }[];
  overlayActions: Record<string, number>; killSwitchEvents: { date: string; state: string; triggers: string[]; cause: string }[];
  turnover: { tradedNotional: number; annualisedTurnover: number }; costs: { commissions: number; orders: number; fills: number };
}
export interface BacktestRow { id: string; status: string; progress: number; params: { from?: string; to?: string; agents?: string[] | null }; createdAt: string; startedAt: string | null; finishedAt: string | null; error: string | null }
export interface Backtest extends BacktestRow { results: BacktestResults | null }

/** `GET …/agents/:agentId` (AgentDetailResponse in src/api/routes/agent-detail.ts): dollars; weights and …Pct are fractions of `capital.value`. */
export interface AgentExposure { gross: number; net: number; long: number; short: number; grossPct: number | null; netPct: number | null; longPct: number | null; shortPct: number | null }
export interface PnlSeries { from: string; to: string; dates: string[]; daily: number[]; cumulative: number[]; total: number }
export interface AgentDetail {
  fundId: string;
  agent: Agent;
  capital: { value: number; source: 'nav' | 'allocation'; navDate: string | null };
  positions: { symbol: string; sector: string; qty: number; avgCost: number; lastPrice: number; marketValue: number; weight: number | null; unrealizedPnl: number }[];
  exposures: AgentExposure & { bySector: (AgentExposure & { sector: string; names: number })[] };
  decisions: { decisionId: string; cycleId: string; asOf: string; action: string; scale: number; summary: string; reasons: Reason[] }[];
  pnl: { live: PnlSeries | null; liveError: string | null; backtestId: string | null; backtest: PnlSeries | null; backtestError: string | null };
}

// The risk views and the ticket impact (issue 17): the API's own response schemas, type-only.
export type { RiskHistoryResponse, RiskAsOfResponse } from '../../../src/api/routes/risk-history.ts';
export type { VarDrilldownResponse } from '../../../src/api/routes/risk-drilldown.ts';
export type { ProposalImpactResponse } from '../../../src/api/routes/proposal-impact.ts';

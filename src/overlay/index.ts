/**
 * overlay: the fund risk overlay ("risk committee"). One OverlayCheck per rule in checks/, a
 * committee that folds their results into one OverlayDecision per agent, and the fund-level
 * outputs (snapshot, stress, liquidity, hedges, scores, kill switches). Pure functions of
 * (proposals, fund state, config, market view); the cycle persists the results.
 *
 * Units: weights are fractions of an agent's allocated capital; "fractions of the fund" divide by
 * FundState.capital; dollars are signed (short < 0); VaR/CVaR are one-day, parametric, positive losses.
 */
export type { Position, Rearm, DrawdownTrack, AgentBookState, OutsideBook, HedgePosition, FundState } from './types.ts';
export { NORMAL_TRACK } from './types.ts';
export type { OverlayCheck, RuleKind, ReviewContext, AgentCandidate, FundContext } from './context.ts';
export { Workspace } from './work.ts';
export { buildRiskModel, riskModelFor, type RiskModel } from './factor-model-local.ts';
export { buildUniverse } from './universe.ts';
export { styleLoadings } from './style.ts';
export { portfolioVariance, factorExposures, riskScratch, zOf, cvarMultiple, type RiskScratch, type SparseBook } from './risk-math.ts';
export { TradingStateCheck } from './checks/trading-state-gate.ts';
export { RiskBudgetCheck } from './checks/risk-budget.ts';
export { StrategyBucketCheck } from './checks/strategy-buckets.ts';
export { CorrelationMonitorCheck } from './checks/correlation-monitor.ts';
export { CrossAgentConstraintsCheck } from './checks/cross-agent-constraints.ts';
export { GraduatedDrawdownCheck } from './checks/graduated-drawdown.ts';
export { LiquidityCheck } from './checks/liquidity.ts';
export { RegimeCheck } from './checks/regime.ts';
export { CircuitBreakerCheck } from './checks/circuit-breaker.ts';
export { EmergencyCheck } from './checks/emergency.ts';
export { DEFAULT_CHECKS, POLICY_CHECKS, combineResults, isPolicyRule } from './committee.ts';
export { bindingReport, type BindingReport, type BindingEffect } from './binding.ts';
export { reviewFund, type ReviewInput, type FundReview } from './review-fund.ts';
export { advanceDrawdown, agentUnitVol, drawdownOf, realisedVol, stepFor, weekdaysSince, STATE_SCALE, type DrawdownOutcome } from './drawdown.ts';
export { TRADING_TRANSITIONS, transitionTradingState } from './trading-state.ts';
export { KILL_TRIGGERS, checkKillSwitches, nextTradingState, type KillTrigger, type KillTriggerName, type KillSwitchInputs, type TradingStateOutcome } from './kill-switch.ts';
export { planRiskReduction, type RiskReductionPlan, type ReductionClose, type HeldPosition } from './reduction-plan.ts';
export { adoptOperatorState, nextFundState, rearmAgent, rearmFund, setManualKill } from './next-state.ts';
export { agentCorrelations, correlationSpikes, regress, recommendActions, tradedThrough, worstSpike, type AgentCorrelations, type CorrelationAction, type CorrelationSpikes } from './correlation.ts';
export { liquidityReport, daysToLiquidate, type LiquidityReport, type NameLiquidity } from './liquidity.ts';
export { runStress, worstWindows, type StressReport, type StressResult, type StressBook, type ReplayWindow, type StyleLoadings } from './stress.ts';
export { SEED_SCENARIOS, HISTORICAL_SCENARIOS, DRIVER_SENSITIVITY, type StressScenario } from './stress-scenarios.ts';
export { scoreAgents, type AgentScore } from './scoring.ts';
export { allocateCapital, applyAllocation, capitalMoves, capitalUnit, rebalanceDue, shrunkSharpe, type AgentAllocation, type Allocation } from './allocation.ts';
export { recommendHedges, type HedgeRecommendation } from './hedger.ts';
export { budgetStatus, type BudgetStatus, type FundRiskSnapshot } from './snapshot.ts';
export { advanceRegime, deriveRegime, regimeMeasures, type RegimeMeasures, type RegimeTrack } from './regime.ts';
export { parseFundState, FundStateRecord } from './fund-state-schema.ts';
export { reviewRisk, parseRiskReviewRequest, RiskReviewRequest, type RiskReviewResponse, type RiskTarget } from './risk-service.ts';
export { NullCheck, compositeCheck } from './checks/composite.ts';
export { agentVarBudget, budgetShare } from './budget-share.ts';
export { BIAS_HALF_LIFE_DAYS, modelBias, recordForecast, scoreForecast, type ForecastTrack } from './forecast-bias.ts';

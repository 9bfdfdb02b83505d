/**
 * agents: the Agent interface and registry, the strategy agents, the analysts and the
 * meta-brain committee, diversified selection and per-agent risk. Pure and deterministic:
 * an agent sees a point-in-time MarketView and its own AgentBook, nothing else.
 *
 * Conventions: weights are signed fractions of the agent's allocated capital; signal μ and σ
 * are simple returns over `horizonDays` trading days; volatilities are daily unless named annual.
 */
export type { UnreadyAgent } from './agent.ts';
export { agentRequest, isRemoteAgent, TransportAgent } from './remote.ts';
export type { ProposeTransport, RemoteAgent, RemoteReply, RosterAgent } from './remote.ts';
export { unreadyAgents } from './agent.ts';
export { AGENT_REGISTRY, agentContext, checkAgentParams, createAgent, createRoster } from './registry.ts';
export type { AgentFactory } from './registry.ts';

// the SDK for agents written elsewhere (package export keel/agents)
export * from './sdk/index.ts';

// strategies
export { StrategyAgent } from './strategies/base.ts';
export type { Draft } from './strategies/base.ts';
export { MomentumAgent, MomentumParams, momentumScores } from './strategies/momentum.ts';
export { QualityValueAgent, QualityValueParams } from './strategies/quality-value.ts';
export { QualityMomentumAgent, QualityMomentumParams } from './strategies/quality-momentum.ts';
export { DividendGrowthAgent, DividendGrowthParams } from './strategies/dividend-growth.ts';
export { TrendFollowingAgent, TrendFollowingParams } from './strategies/trend-following.ts';
export { ShortTermReversalAgent, ShortTermReversalParams } from './strategies/short-term-reversal.ts';
export { StatisticalArbitrageAgent, StatisticalArbitrageParams, neutralise } from './strategies/statistical-arbitrage.ts';
export { VolatilityPremiumAgent, VolatilityPremiumParams } from './strategies/volatility-premium.ts';
export { SmaCrossoverAgent, SmaCrossoverParams } from './strategies/sma-crossover.ts';

// analysts and the meta-brain
export type { Analyst, AnalystName, AnalystOutput, AnalystEnv } from './analysts/analyst.ts';
export { TechnicalAnalyst } from './analysts/technical.ts';
export { SentimentAnalyst } from './analysts/sentiment.ts';
export { ValuationAnalyst } from './analysts/valuation.ts';
export { FundamentalAnalyst } from './analysts/fundamental.ts';
export { MacroAnalyst, DEFAULT_MACRO_SERIES } from './analysts/macro.ts';
export type { MacroSeriesSpec } from './analysts/macro.ts';
export { ensemble, robustZScores, conviction, kellyFraction, positionCvar } from './meta-brain/formulas.ts';
export type { AnalystView, Ensemble, EnsembleOptions } from './meta-brain/formulas.ts';
export { decide } from './meta-brain/decision.ts';
export type { MetaAction, MetaDecision, MetaReason, DecisionInput } from './meta-brain/decision.ts';
export { MetaWeighter } from './meta-brain/meta-weighter.ts';
export type { MetaWeighterOptions } from './meta-brain/meta-weighter.ts';
export { CommitteeAgent, CommitteeParams } from './meta-brain/committee.ts';

// selection and per-agent risk
export { diversifiedTopK, plainTopK } from './selection/diversified-top-k.ts';
export { ReturnCorrelations } from './selection/return-correlations.ts';
export type { CorrelationFn, SelectionInfo } from './selection/diversified-top-k.ts';
export { applyAgentRisk, DRAWDOWN_MULTIPLIER, CORRELATION_FILTER_MAX_NAMES } from './risk/agent-risk.ts';
export type { AgentRiskInput, AgentRiskOutput, PairCorrelation } from './risk/agent-risk.ts';

// incremental state (for agents written elsewhere)
export { IncrementalState } from './state/incremental.ts';
export type { Feature, RowData, StateShape } from './state/incremental.ts';

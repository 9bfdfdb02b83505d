import type { z } from 'zod';
import {
  agentBucket,
  agentRiskDrivers,
  resolveAgentRisk,
  type AgentConfig,
  type FundConfig,
  type BuiltInStrategy,
} from '../contracts/index.ts';
import { ValidationError } from '../core/index.ts';
import type { Agent, AgentContext } from './agent.ts';
import { CommitteeAgent, CommitteeParams } from './meta-brain/committee.ts';
import { parseParams } from './params.ts';
import { DividendGrowthAgent, DividendGrowthParams } from './strategies/dividend-growth.ts';
import { MomentumAgent, MomentumParams } from './strategies/momentum.ts';
import { QualityMomentumAgent, QualityMomentumParams } from './strategies/quality-momentum.ts';
import { QualityValueAgent, QualityValueParams } from './strategies/quality-value.ts';
import { ShortTermReversalAgent, ShortTermReversalParams } from './strategies/short-term-reversal.ts';
import { SmaCrossoverAgent, SmaCrossoverParams } from './strategies/sma-crossover.ts';
import { StatisticalArbitrageAgent, StatisticalArbitrageParams } from './strategies/statistical-arbitrage.ts';
import { TrendFollowingAgent, TrendFollowingParams } from './strategies/trend-following.ts';
import { VolatilityPremiumAgent, VolatilityPremiumParams } from './strategies/volatility-premium.ts';

/** A registered strategy: its parameter schema (zod, with defaults) and its constructor. */
export interface AgentFactory<S extends z.ZodType = z.ZodType> {
  readonly params: S;
  /** One line for docs and the CLI. */
  readonly summary: string;
  create(ctx: AgentContext, params: z.infer<S>): Agent;
}

function factory<S extends z.ZodType>(params: S, summary: string, create: (ctx: AgentContext, p: z.infer<S>) => Agent): AgentFactory {
  return { params, summary, create: (ctx, p) => create(ctx, p as z.infer<S>) };
}

/** Every strategy type with its implementation. */
export const AGENT_REGISTRY: Readonly<Record<BuiltInStrategy, AgentFactory>> = {
  momentum: factory(MomentumParams, 'cross-sectional 12-1 momentum, long the diversified top decile', (c, p) => new MomentumAgent(c, p)),
  quality_value: factory(QualityValueParams, 'cheap and sound names (fundamentals or price proxies), long-only', (c, p) => new QualityValueAgent(c, p)),
  quality_momentum: factory(QualityMomentumParams, 'winners that are also high quality, long-only', (c, p) => new QualityMomentumAgent(c, p)),
  dividend_growth: factory(DividendGrowthParams, 'dividend payers with growing earnings and cash flow, long-only', (c, p) => new DividendGrowthAgent(c, p)),
  trend_following: factory(TrendFollowingParams, 'time-series EMA trend per name, long and short, volatility targeted', (c, p) => new TrendFollowingAgent(c, p)),
  short_term_reversal: factory(ShortTermReversalParams, 'long last week’s losers, short its winners', (c, p) => new ShortTermReversalAgent(c, p)),
  statistical_arbitrage: factory(StatisticalArbitrageParams, 'residual mean reversion, market- and sector-neutral', (c, p) => new StatisticalArbitrageAgent(c, p)),
  volatility_premium: factory(VolatilityPremiumParams, 'short volatility via the volatility instrument and the market; tail risk visible', (c, p) => new VolatilityPremiumAgent(c, p)),
  committee: factory(CommitteeParams, 'meta-brain over five analysts with CVaR-first rules and a learned blend', (c, p) => new CommitteeAgent(c, p)),
  sma_crossover: factory(SmaCrossoverParams, 'SMA(10/30) crossover per series, long when fast > slow', (c, p) => new SmaCrossoverAgent(c, p)),
};

/** The agent's resolved context: risk from fund ← bucket ← agent, bucket and drivers from the seed defaults. */
export function agentContext(config: AgentConfig, fund: FundConfig): AgentContext {
  return {
    id: config.id,
    strategy: config.strategy,
    riskDrivers: agentRiskDrivers(config),
    bucket: agentBucket(config),
    allocatedCapital: config.allocatedCapital,
    risk: resolveAgentRisk(fund, config),
    metaBrain: fund.metaBrain,
    universe: { minMarketCap: fund.risk.minMarketCap },
  };
}

/**
 * Builds the agent for a config from the registry. Strategy parameters are validated by the
 * strategy's schema; a bad one throws ValidationError naming `agents.<id>.params.<field>`.
 */
export function createAgent(config: AgentConfig, fund: FundConfig): Agent {
  if (config.strategy === 'custom') throw new ValidationError(`agents.${config.id}`, 'a plug-in or remote agent is loaded by the kernel (loadRoster), not the built-in registry');
  const f = AGENT_REGISTRY[config.strategy];
  const params = parseParams(f.params, config.id, config.params);
  return f.create(agentContext(config, fund), params);
}

/**
 * Checks every built-in agent's parameters against its strategy's schema (plug-in and remote agents
 * check their own when loaded): a bad value or an unknown key throws ValidationError naming
 * `agents.<id>.params.<field>`. Run where a config is written (validate, apply, create, a control), so
 * a config every cycle would refuse is never stored.
 */
export function checkAgentParams(fund: FundConfig): void {
  for (const a of fund.agents) if (a.strategy !== 'custom') parseParams(AGENT_REGISTRY[a.strategy].params, a.id, a.params);
}

/** Every enabled agent of a fund of built-in agents, in config order (a fund with plug-in or remote agents: the kernel's loadRoster). */
export function createRoster(fund: FundConfig): Agent[] {
  return fund.agents.filter((a) => a.enabled).map((a) => createAgent(a, fund));
}
